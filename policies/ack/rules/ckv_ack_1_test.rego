package ack.rules.ckv_ack_1_test

import data.ack.lib.fixtures_test as fx
import data.ack.rules.ckv_ack_1

_statuses(doc) := s if {
	s := fx.statuses(ckv_ack_1.findings, "CKV_ACK_1") with input as doc
}

test_least_privilege_rows_pass if {
	_statuses(fx.basic_doc(fx.least_inbound("sg-1"))) == {"pass"}
}

test_higher_priority_drop_fails if {
	doc := fx.basic_doc(array.concat(
		[json.patch(r, [{"op": "replace", "path": "/priority", "value": 5}]) | some r in fx.least_inbound("sg-1")],
		[fx.drop("block", "ingress", "tcp", [10250, 10250], fx.ps("sg-1"), 2)],
	))
	[f] := [f | some f in ckv_ack_1.findings; f.status == "fail"] with input as doc
	f.message == "nodes with SG sg-1: TCP 10250 from sg-1 (cluster SG) is dropped by rule alicloud_security_group_rule.block at priority 2"
	f.resource == "alicloud_cs_managed_kubernetes.k8s"
	contains(f.remediation.cli, "--Priority 1")
}

test_drop_at_equal_priority_fails if {
	doc := fx.basic_doc(array.concat(fx.least_inbound("sg-1"), [fx.drop("block", "ingress", "all", [-1, -1], fx.pc(fx.any4), 1)]))
	_statuses(doc) == {"fail"}
}

test_inner_access_accept if {
	_statuses(fx.doc([fx.cluster("sg-1", "terway", [])], [fx.basic("sg-1", [])])) == {"pass"}
}

test_inner_access_drop if {
	_statuses(fx.doc([fx.cluster("sg-1", "terway", [])], [fx.group("sg-1", "basic", "drop", [])])) == {"fail"}
}

test_node_pool_sgs_combine if {
	a := fx.group("sg-a", "basic", "drop", array.slice(fx.least_inbound("sg-1"), 0, 2))
	b := fx.group("sg-b", "basic", "drop", array.slice(fx.least_inbound("sg-1"), 2, 7))
	both := fx.doc([fx.cluster("sg-1", "terway", [fx.pool("np", ["sg-a", "sg-b"])])], [fx.basic("sg-1", []), a, b])
	_statuses(both) == {"pass"}
	one := fx.doc([fx.cluster("sg-1", "terway", [fx.pool("np", ["sg-a"])])], [fx.basic("sg-1", []), a, b])
	[f] := [f | some f in ckv_ack_1.findings; f.status == "fail"] with input as one
	f.resource == "alicloud_cs_kubernetes_node_pool.np"
}

test_advanced_cidr_forms_vpc if {
	vpc_rule := fx.advanced("sg-a", [fx.accept("vpc", "ingress", "all", [-1, -1], fx.pc(fx.vpc))])
	_statuses(fx.doc([fx.cluster("sg-a", "terway", [])], [vpc_rule])) == {"pass"}
}

test_advanced_cidr_forms_vswitch if {
	vsw_rule := fx.advanced("sg-a", [fx.accept("vsw", "ingress", "all", [-1, -1], fx.pc(fx.vsw))])
	_statuses(fx.doc([fx.cluster("sg-a", "terway", [])], [vsw_rule])) == {"pass"}
}

test_advanced_cidr_forms_subnet if {
	sub_rule := fx.advanced("sg-a", [fx.accept("sub", "ingress", "all", [-1, -1], fx.pc(fx.subnet))])
	_statuses(fx.doc([fx.cluster("sg-a", "terway", [])], [sub_rule])) == {"fail"}
}

test_unknowns_sg_outside_sources if {
	_statuses(fx.doc([fx.cluster("sg-ext", "terway", [])], [])) == {"unknown"}
}

test_unknowns_pool_sgs if {
	_statuses(fx.doc([fx.cluster("sg-1", "terway", [fx.pool("np", null)])], [fx.basic("sg-1", fx.least_inbound("sg-1"))])) == {"unknown"}
}

test_unknowns_cidrs if {
	c := json.patch(fx.cluster("sg-a", "terway", []), [
		{"op": "replace", "path": "/node_vswitches", "value": []},
		{"op": "replace", "path": "/vpc/cidr", "value": null},
	])
	[f] := [f | some f in ckv_ack_1.findings] with input as fx.doc([c], [fx.advanced("sg-a", [])])
	f.status == "unknown"
	contains(f.message, "the cluster's vSwitch CIDRs are not known")
}

test_unknowns_peer if {
	u := fx.with_unknown(fx.accept("u", "ingress", "all", [-1, -1], fx.pc(fx.vpc)), "peer")
	_statuses(fx.doc([fx.cluster("sg-a", "terway", [])], [fx.advanced("sg-a", [u])])) == {"unknown"}
}
