package ack.rules.ckv_ack_8_test

import data.ack.lib.fixtures_test as fx
import data.ack.rules.ckv_ack_8

_statuses(doc) := s if {
	s := fx.statuses(ckv_ack_8.findings, "CKV_ACK_8") with input as doc
}

# the findings that are not passes, as an array
_findings(doc) := fs if {
	fs := [f | some f in ckv_ack_8.findings; f.status != "pass"] with input as doc
}

_profile(doc, profile, exposures) := json.patch(doc, [{"op": "replace", "path": "/settings", "value": fx.settings(profile, exposures)}])

_web := fx.accept("web", "ingress", "tcp", [443, 443], fx.pc(fx.any4))

_exposure := {"direction": "ingress", "protocol": "tcp", "port_from": 443, "port_to": 443, "peers": [fx.any4]}

_adv := fx.advanced("sg-a", [
	fx.accept("vpc", "ingress", "all", [-1, -1], fx.pc(fx.vpc)),
	fx.accept("pod", "ingress", "all", [-1, -1], fx.pc(fx.pod)),
	fx.accept("out", "egress", "all", [-1, -1], fx.pc(fx.any4)),
])

_least := array.concat(fx.least_inbound("sg-1"), fx.least_outbound("sg-1"))

test_recommended_rows_pass if {
	rec := [
		fx.accept("icmp_any", "ingress", "icmp", [-1, -1], fx.pc(fx.any4)),
		fx.accept("all_members", "ingress", "all", [-1, -1], fx.ps("sg-1")),
		fx.accept("all_out", "egress", "all", [-1, -1], fx.pc(fx.any4)),
		fx.accept("out_sg", "egress", "tcp", [22, 22], fx.ps("sg-2")),
	]
	_statuses(fx.basic_doc(rec)) == {"pass"}
}

test_least_privilege_rows_pass if {
	_statuses(_profile(fx.basic_doc(_least), "least-privilege", [])) == {"pass"}
}

test_recommended_row_beyond_least_privilege if {
	doc := _profile(fx.basic_doc(array.concat(_least, [fx.accept("all_members", "ingress", "all", [-1, -1], fx.ps("sg-1"))])), "least-privilege", [])
	[f] := _findings(doc)
	f.status == "fail"
	f.resource == "alicloud_security_group_rule.all_members"
	f.message == "rule of sg-1 allows TCP all ports from sg-1, UDP all ports from sg-1: the least-privilege profile does not permit it and no declared exposure covers it"
	contains(f.remediation.terraform, "declare it as an application exposure")
}

test_open_basic_egress_under_least_privilege_fail if {
	doc := _profile(fx.basic_doc(fx.least_inbound("sg-1")), "least-privilege", [])
	[f] := _findings(doc)
	f.status == "fail"
	f.resource == "alicloud_cs_managed_kubernetes.k8s"
	contains(f.remediation.terraform, "policy            = \"drop\"")
}

test_open_basic_egress_under_least_privilege_hidden if {
	hidden := fx.doc([fx.cluster("sg-1", "terway", [fx.pool("np", ["sg-1", "sg-x"])])], [fx.basic("sg-1", fx.least_inbound("sg-1")), json.patch(fx.hidden("sg-x"), [{"op": "replace", "path": "/type", "value": "basic"}])])
	fx.statuses(_findings(_profile(hidden, "least-privilege", [])), "CKV_ACK_8") == {"fail", "unknown"}
}

test_exposures_undeclared if {
	_statuses(fx.basic_doc([_web])) == {"fail"}
}

test_exposures_declared if {
	_statuses(_profile(fx.basic_doc([_web]), "recommended", [_exposure])) == {"pass"}
}

test_exposures_narrower if {
	_statuses(_profile(fx.basic_doc([_web]), "recommended", [json.patch(_exposure, [{"op": "replace", "path": "/port_to", "value": 442}])])) == {"fail"}
}

test_dead_accept_is_not_allowed if {
	web := fx.rule("web", "ingress", "tcp", [443, 443], fx.pc(fx.any4), "accept", 5)
	_statuses(fx.basic_doc([web, fx.drop("d", "ingress", "all", [-1, -1], fx.pc(fx.any4), 1)])) == {"pass"}
}

test_advanced_and_flannel_flannel if {
	_statuses(fx.doc([fx.cluster("sg-a", "flannel", [])], [_adv])) == {"pass"}
}

test_advanced_and_flannel_terway if {
	_statuses(fx.doc([fx.cluster("sg-a", "terway", [])], [_adv])) == {"fail"}
}

test_unknowns_peer if {
	u := fx.with_unknown(fx.accept("u", "ingress", "tcp", [22, 22], fx.pc(fx.any4)), "peer")
	[f] := _findings(fx.basic_doc([u]))
	f.status == "unknown"
	contains(f.message, "its peer is not known")
}

test_unknowns_plugin if {
	pod := fx.accept("pod", "ingress", "all", [-1, -1], fx.pc(fx.pod))
	c := fx.cluster("sg-1", "unknown", [])
	[g] := _findings(fx.doc([c], [fx.basic("sg-1", [pod])]))
	g.status == "unknown"
	contains(g.message, "the network plugin is not known")
}

test_unknowns_mixed if {
	pod := fx.accept("pod", "ingress", "all", [-1, -1], fx.pc(fx.pod))
	mixed := fx.doc([fx.cluster("sg-1", "terway", [fx.pool("np", ["sg-1", "sg-a"])])], [fx.basic("sg-1", []), fx.advanced("sg-a", [pod])])
	fx.statuses(_findings(mixed), "CKV_ACK_8") == {"unknown"}
}

test_unknowns_drop if {
	web := fx.rule("web", "ingress", "tcp", [443, 443], fx.pc(fx.any4), "accept", 5)
	maybe := fx.with_unknown(fx.drop("d", "ingress", "all", [-1, -1], fx.pc(fx.any4), 1), "priority")
	fx.statuses(_findings(fx.basic_doc([web, maybe])), "CKV_ACK_8") == {"unknown"}
}

test_hidden_sg_is_unknown_not_pass if {
	doc := fx.doc([fx.cluster("sg-x", "terway", [])], [fx.hidden("sg-x")])
	fx.statuses(ckv_ack_8.findings, "CKV_ACK_8") == {"unknown"} with input as doc
}
