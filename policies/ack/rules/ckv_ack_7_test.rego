package ack.rules.ckv_ack_7_test

import data.ack.lib.fixtures_test as fx
import data.ack.rules.ckv_ack_7

_statuses(doc) := s if {
	s := fx.statuses(ckv_ack_7.findings, "CKV_ACK_7") with input as doc
}

# the findings that are not passes, as an array
_findings(doc) := fs if {
	fs := [f | some f in ckv_ack_7.findings; f.status != "pass"] with input as doc
}

_with(rules) := fx.basic_doc(array.concat(fx.least_inbound("sg-1"), rules))

test_api_server_and_dns_from_internet_api if {
	[f] := _findings(_with([fx.accept("api", "ingress", "tcp", [6443, 6443], fx.pc(fx.any4))]))
	f.status == "fail"
	contains(f.message, "TCP 6443 from 0.0.0.0/0")
}

test_api_server_and_dns_from_internet_dns if {
	[g] := _findings(_with([fx.accept("dns", "ingress", "all", [53, 53], fx.pc(fx.public))]))
	g.message == "rule of sg-1: TCP 53 from 203.0.113.0/24 is accepted at priority 1 and no drop overrides it; UDP 53 from 203.0.113.0/24 is accepted at priority 1 and no drop overrides it"
}

test_range_holding_8082_holds if {
	_statuses(_with([fx.accept("r", "ingress", "tcp", [8000, 9000], fx.pc(fx.any4))])) == {"fail"}
}

test_range_holding_8082_misses if {
	_statuses(_with([fx.accept("r", "ingress", "tcp", [8083, 9000], fx.pc(fx.any4))])) == {"pass"}
}

test_deleted_rule_is_ignored if {
	r := json.patch(fx.accept("api", "ingress", "tcp", [6443, 6443], fx.pc(fx.any4)), [{"op": "replace", "path": "/change", "value": "delete"}])
	_statuses(_with([r])) == {"pass"}
}

test_unknown_peer_on_api_server_port if {
	[f] := _findings(_with([fx.with_unknown(fx.accept("var", "ingress", "tcp", [6443, 6443], fx.pc(fx.any4)), "peer")]))
	f.status == "unknown"
	contains(f.message, "TCP 6443 may be accepted from an internet peer")
}
