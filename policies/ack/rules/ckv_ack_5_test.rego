package ack.rules.ckv_ack_5_test

import data.ack.lib.fixtures_test as fx
import data.ack.rules.ckv_ack_5

_statuses(doc) := s if {
	s := fx.statuses(ckv_ack_5.findings, "CKV_ACK_5") with input as doc
}

# the findings that are not passes, as an array
_findings(doc) := fs if {
	fs := [f | some f in ckv_ack_5.findings; f.status != "pass"] with input as doc
}

_with(rules) := fx.basic_doc(array.concat(fx.least_inbound("sg-1"), rules))

test_cluster_peers_only_passes if {
	_statuses(_with([])) == {"pass"}
}

test_kubelet_from_internet_fails if {
	[f] := _findings(_with([fx.accept("pub", "ingress", "tcp", [10250, 10250], fx.pc(fx.any4))]))
	f.status == "fail"
	f.resource == "alicloud_security_group_rule.pub"
	f.message == "rule of sg-1: TCP 10250 from 0.0.0.0/0 is accepted at priority 1 and no drop overrides it"
	contains(f.remediation.cli, "RevokeSecurityGroup")
}

test_ipv6_any_is_internet_any if {
	_statuses(_with([fx.accept("pub6", "ingress", "tcp", [10255, 10255], fx.pc(fx.any6))])) == {"fail"}
}

test_ipv6_any_is_internet_doc if {
	_statuses(_with([fx.accept("pub6", "ingress", "all", [-1, -1], fx.pc(fx.doc6))])) == {"fail"}
}

test_private_peer_passes if {
	_statuses(_with([fx.accept("lan", "ingress", "tcp", [10250, 10250], fx.pc(fx.home))])) == {"pass"}
}

test_drop_stops_exposure_same if {
	pub := fx.rule("pub", "ingress", "tcp", [10250, 10250], fx.pc(fx.any4), "accept", 10)
	_statuses(_with([pub, fx.drop("stop", "ingress", "tcp", [-1, -1], fx.pc(fx.any4), 10)])) == {"pass"}
}

test_drop_stops_exposure_late if {
	pub := fx.rule("pub", "ingress", "tcp", [10250, 10250], fx.pc(fx.any4), "accept", 10)
	_statuses(_with([pub, fx.drop("late", "ingress", "tcp", [-1, -1], fx.pc(fx.any4), 11)])) == {"fail"}
}

test_drop_stops_exposure_part if {
	pub := fx.rule("pub", "ingress", "tcp", [10250, 10250], fx.pc(fx.any4), "accept", 10)
	_statuses(_with([pub, fx.drop("part", "ingress", "tcp", [-1, -1], fx.pc(fx.public), 1)])) == {"fail"}
}

test_unknowns_peer if {
	[f] := _findings(_with([fx.with_unknown(fx.accept("var", "ingress", "tcp", [10250, 10250], fx.pc(fx.any4)), "peer")]))
	f.status == "unknown"
	contains(f.message, "the rule's peer is not known")
}

test_unknowns_drop if {
	pub := fx.rule("pub", "ingress", "tcp", [10250, 10250], fx.pc(fx.any4), "accept", 10)
	maybe_stop := fx.with_unknown(fx.drop("stop", "ingress", "tcp", [-1, -1], fx.pc(fx.any4), 1), "priority")
	[g] := _findings(_with([pub, maybe_stop]))
	g.status == "unknown"
	contains(g.message, "unless a rule whose fields are not known drops it first")
}

test_unknowns_priority if {
	np := fx.with_unknown(fx.accept("np", "ingress", "tcp", [10250, 10250], fx.pc(fx.any4)), "priority")
	[h] := _findings(_with([np]))
	h.status == "fail"
	h.message == "rule of sg-1: TCP 10250 from 0.0.0.0/0 is accepted and no drop overrides it"
}

# Rules that are not in the sources could expose the kubelet: no pass rests on the visible ones.
test_hidden_sg_is_unknown_not_pass if {
	doc := fx.doc([fx.cluster("sg-x", "terway", [])], [fx.hidden("sg-x")])
	[f] := [f | some f in ckv_ack_5.findings] with input as doc
	f.status == "unknown"
	f.resource == "alicloud_cs_managed_kubernetes.k8s"
	contains(f.message, "among the rules in the scanned sources, but cluster alicloud_cs_managed_kubernetes.k8s: ")
	contains(f.message, "the type and rules of sg-x are not in the scanned sources")
}

test_unknown_sgs_are_unknown_not_pass if {
	c := fx.cluster("sg-1", "terway", [fx.pool("np", null)])
	doc := fx.doc([c], [fx.basic("sg-1", fx.least_inbound("sg-1"))])
	fx.statuses(ckv_ack_5.findings, "CKV_ACK_5") == {"unknown"} with input as doc
	some f in ckv_ack_5.findings with input as doc
	contains(f.message, "the SGs of node pool ")
}
