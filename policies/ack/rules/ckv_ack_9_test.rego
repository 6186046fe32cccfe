package ack.rules.ckv_ack_9_test

import data.ack.rules.ckv_ack_9
import data.ack.test.structural as t

_pod := {"pod_cidr": t.cidr["172.20.0.0/16"], "provenance": {"security_group": "given", "pod_cidr": "given"}}

_sg := t.sg("sg-1", "advanced", [
	t.rule("r-pod", {"peer": t.cidr_peer("172.20.1.0/24")}),
	t.rule("r-pod-egress", {"direction": "egress", "peer": t.cidr_peer("172.20.0.0/16")}),
	t.rule("r-vpc", {"peer": t.cidr_peer("192.168.0.0/16")}),
	t.rule("r-wide", {"peer": t.cidr_peer("0.0.0.0/0")}),
])

test_terway_rules_inside_pod_cidr_fail if {
	found := ckv_ack_9.findings with input as t.doc([t.cluster("c", "sg-1", [], _pod)], [_sg])
	t.results(found) == {["fail", "r-pod"], ["fail", "r-pod-egress"]}
	some f in found
	f.resource == "r-pod"
	contains(f.message, "172.20.0.0/16")
	contains(f.message, "ingress tcp 443/443 from 172.20.1.0/24")
	f.severity == "LOW"
	f.remediation.terraform != ""
}

test_terway_without_pod_rules_passes if {
	s := t.sg("sg-1", "advanced", [t.rule("r-vpc", {"peer": t.cidr_peer("192.168.0.0/16")})])
	found := ckv_ack_9.findings with input as t.doc([t.cluster("c", "sg-1", [], _pod)], [s])
	t.results(found) == {["pass", "c"]}
}

test_flannel_is_skipped if {
	flannel := t.cluster("flannel", "sg-1", [], object.union(_pod, {"network_plugin": "flannel"}))
	count(ckv_ack_9.findings) == 0 with input as t.doc([flannel], [_sg])
}

test_no_pod_cidr_passes if {
	nopod := t.cluster("nopod", "sg-1", [], {})
	found := ckv_ack_9.findings with input as t.doc([nopod], [_sg])
	t.results(found) == {["pass", "nopod"]}
}

test_invalid_pod_cidr_is_unknown if {
	c := t.cluster("c", "sg-1", [], {
		"provenance": {"security_group": "given", "pod_cidr": "invalid"},
		"raw": {"pod_cidr": "172.20.0.0/33"},
	})
	found := ckv_ack_9.findings with input as t.doc([c], [_sg])
	t.results(found) == {["unknown", "c"]}
	some f in found
	contains(f.message, "\"172.20.0.0/33\" is not a CIDR block")
}

test_unknown_plugin_with_pod_rule_is_unknown if {
	c := t.cluster("c", "sg-1", [], object.union(_pod, {"network_plugin": "unknown"}))
	found := ckv_ack_9.findings with input as t.doc([c], [_sg])
	t.results(found) == {["unknown", "r-pod"], ["unknown", "r-pod-egress"]}
}

test_unknown_plugin_without_pod_rule_passes if {
	s := t.sg("sg-1", "advanced", [t.rule("r-vpc", {"peer": t.cidr_peer("192.168.0.0/16")})])
	c := t.cluster("c", "sg-1", [], object.union(_pod, {"network_plugin": "unknown"}))
	t.results(ckv_ack_9.findings) == {["pass", "c"]} with input as t.doc([c], [s])
}

test_unknown_pod_cidr_is_unknown if {
	c := t.cluster("c", "sg-1", [], {"provenance": {"security_group": "given", "pod_cidr": "unknown"}})
	t.results(ckv_ack_9.findings) == {["unknown", "c"]} with input as t.doc([c], [_sg])
}

test_unknown_peer_is_unknown if {
	s := t.sg("sg-1", "advanced", [t.rule("r-var", {"peer": t.unknown_peer})])
	found := ckv_ack_9.findings with input as t.doc([t.cluster("c", "sg-1", [], _pod)], [s])
	t.results(found) == {["unknown", "r-var"]}
}

test_hidden_sg_is_unknown if {
	c := t.cluster("c", "sg-ext", [], _pod)
	found := ckv_ack_9.findings with input as t.doc([c], [t.hidden("sg-ext", "referenced")])
	t.results(found) == {["unknown", "c"]}
	some f in found
	contains(f.message, "sg-ext")
}

test_deleted_rule_is_ignored if {
	s := t.sg("sg-1", "advanced", [t.rule("r-pod", {"peer": t.cidr_peer("172.20.1.0/24"), "change": "delete"})])
	t.results(ckv_ack_9.findings) == {["pass", "c"]} with input as t.doc([t.cluster("c", "sg-1", [], _pod)], [s])
}
