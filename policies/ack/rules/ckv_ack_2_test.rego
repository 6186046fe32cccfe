package ack.rules.ckv_ack_2_test

import data.ack.lib.fixtures_test as fx
import data.ack.rules.ckv_ack_2

_statuses(doc) := s if {
	s := fx.statuses(ckv_ack_2.findings, "CKV_ACK_2") with input as doc
}

_doc(plugin, pod, rules) := fx.doc(
	[json.patch(fx.cluster("sg-1", plugin, []), [{"op": "replace", "path": "/pod_cidr", "value": pod}])],
	[fx.basic("sg-1", rules)],
)

test_flannel_pod_cidr_allowed if {
	_statuses(_doc("flannel", fx.pod, [fx.accept("pod", "ingress", "all", [-1, -1], fx.pc(fx.pod))])) == {"pass"}
}

test_flannel_pod_cidr_blocked if {
	[f] := [f | some f in ckv_ack_2.findings] with input as _doc("flannel", fx.pod, [])
	f.status == "fail"
	contains(f.message, "from 172.20.0.0/16 (pod CIDR) is not allowed by any rule")
}

test_terway_not_applicable if {
	_statuses(_doc("terway", null, [])) == set()
}

test_unknown_plugin_or_pod_cidr if {
	_statuses(_doc("unknown", fx.pod, [])) == {"unknown"}
	_statuses(_doc("flannel", null, [])) == {"unknown"}
}
