package ack.rules.ckv_ack_6_test

import data.ack.lib.fixtures_test as fx
import data.ack.rules.ckv_ack_6

_statuses(doc) := s if {
	s := fx.statuses(ckv_ack_6.findings, "CKV_ACK_6") with input as doc
}

# the findings that are not passes, as an array
_findings(doc) := fs if {
	fs := [f | some f in ckv_ack_6.findings; f.status != "pass"] with input as doc
}

_with(rules) := fx.basic_doc(array.concat(fx.least_inbound("sg-1"), rules))

test_1_65535_and_minus1_are_all_ports_tcp if {
	_statuses(_with([fx.accept("a", "ingress", "tcp", [1, 65535], fx.pc(fx.any4))])) == {"fail"}
}

test_1_65535_and_minus1_are_all_ports_udp if {
	_statuses(_with([fx.accept("b", "ingress", "udp", [-1, -1], fx.pc(fx.public))])) == {"fail"}
}

test_1_65535_and_minus1_are_all_ports_all6 if {
	_statuses(_with([fx.accept("c", "ingress", "all", [-1, -1], fx.pc(fx.any6))])) == {"fail"}
}

test_1_65535_and_minus1_are_all_ports_almost if {
	_statuses(_with([fx.accept("d", "ingress", "tcp", [1, 65534], fx.pc(fx.any4))])) == {"pass"}
}

test_icmp_from_anywhere_is_not_all_traffic if {
	_statuses(_with([fx.accept("icmp", "ingress", "icmp", [-1, -1], fx.pc(fx.any4))])) == {"pass"}
}

test_all_traffic_dropped if {
	a := fx.accept("a", "ingress", "all", [-1, -1], fx.pc(fx.any4))
	_statuses(_with([a, fx.drop("d", "ingress", "all", [-1, -1], fx.pc(fx.any4), 1)])) == {"pass"}
}

test_unknown_protocol_or_ports_protocol if {
	_statuses(_with([fx.with_unknown(fx.accept("a", "ingress", "tcp", [1, 65535], fx.pc(fx.any4)), "protocol")])) == {"unknown"}
}

test_unknown_protocol_or_ports_ports if {
	_statuses(_with([fx.with_unknown(fx.accept("b", "ingress", "tcp", [1, 65535], fx.pc(fx.any4)), "port_range")])) == {"unknown"}
}

test_unknown_protocol_or_ports_direction if {
	_statuses(_with([fx.with_unknown(fx.accept("c", "ingress", "tcp", [1, 65535], fx.pc(fx.any4)), "direction")])) == {"unknown"}
}
