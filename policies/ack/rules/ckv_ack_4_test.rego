package ack.rules.ckv_ack_4_test

import data.ack.lib.fixtures_test as fx
import data.ack.rules.ckv_ack_4

_statuses(doc) := s if {
	s := fx.statuses(ckv_ack_4.findings, "CKV_ACK_4") with input as doc
}

test_icmp_allowed if {
	_statuses(fx.basic_doc(fx.least_inbound("sg-1"))) == {"pass"}
	adv := fx.advanced("sg-a", [fx.accept("icmp", "ingress", "icmp", [-1, -1], fx.pc(fx.any4))])
	_statuses(fx.doc([fx.cluster("sg-a", "terway", [])], [adv])) == {"pass"}
}

test_icmp_blocked if {
	[f] := [f | some f in ckv_ack_4.findings] with input as fx.doc([fx.cluster("sg-a", "terway", [])], [fx.advanced("sg-a", [])])
	f.status == "fail"
	contains(f.message, "ICMP from 10.1.0.0/16 (vSwitch CIDR)")
}

test_icmp_unknown if {
	_statuses(fx.doc([fx.cluster("sg-a", "terway", [])], [fx.hidden("sg-a")])) == {"unknown"}
}
