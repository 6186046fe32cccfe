package ack.rules.ckv_ack_3_test

import data.ack.lib.fixtures_test as fx
import data.ack.rules.ckv_ack_3

_statuses(doc) := s if {
	s := fx.statuses(ckv_ack_3.findings, "CKV_ACK_3") with input as doc
}

test_basic_default_outbound_passes if {
	_statuses(fx.basic_doc([])) == {"pass"}
}

test_least_privilege_outbound_passes if {
	_statuses(fx.basic_doc(fx.least_outbound("sg-1"))) == {"pass"}
}

test_advanced_without_egress_fails if {
	doc := fx.doc([fx.cluster("sg-a", "terway", [])], [fx.advanced("sg-a", [fx.accept("in", "ingress", "all", [-1, -1], fx.pc(fx.vpc))])])
	[f] := [f | some f in ckv_ack_3.findings] with input as doc
	f.status == "fail"
	contains(f.message, "to 100.64.0.0/10 (Alibaba Cloud services) is not allowed by any rule (default deny: advanced SGs deny traffic no rule allows)")
	contains(f.remediation.cli, "AuthorizeSecurityGroupEgress")
}

test_catch_all_drop_without_allows_fails if {
	_statuses(fx.basic_doc([fx.drop("deny", "egress", "all", [-1, -1], fx.pc(fx.any4), 100)])) == {"fail"}
}

_no_slb := json.patch(fx.cluster("sg-a", "terway", []), [{"op": "replace", "path": "/api_server_address", "value": null}])

_out := fx.accept("out", "egress", "all", [-1, -1], fx.pc(fx.any4))

test_slb_unknown_falls_back_to_vswitches if {
	_statuses(fx.doc([_no_slb], [fx.advanced("sg-a", [_out])])) == {"pass"}
}

test_slb_and_stand_ins_unknown if {
	none := json.patch(_no_slb, [
		{"op": "replace", "path": "/node_vswitches", "value": []},
		{"op": "replace", "path": "/vpc/cidr", "value": null},
	])
	_statuses(fx.doc([none], [fx.advanced("sg-a", [_out])])) == {"unknown"}
}
