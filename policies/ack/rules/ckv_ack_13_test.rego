package ack.rules.ckv_ack_13_test

import data.ack.rules.ckv_ack_13
import data.ack.test.structural as t

_rules := [
	t.rule("reversed", t.ports("200/1", 200, 1)),
	t.rule("minus", t.ports("1/-1", 1, -1)),
	t.rule("icmp-ports", object.union({"protocol": "icmp"}, t.ports("1/2", 1, 2))),
	t.rule("all-53", object.union({"protocol": "all"}, t.ports("53/53", 53, 53))),
	t.rule("prio", {"priority": 101}),
	t.rule("no-peer", {"peer": t.no_peer}),
	t.rule("proto", {"protocol": "sctp"}),
	t.rule("dir", {"direction": "inbound"}),
	t.rule("policy", {"action": "reject"}),
	t.rule("cidr-text", {
		"port_range": "10.0.0.0/8", "port_from": null, "port_to": null,
		"provenance": {"port_range": "invalid"}, "raw": {"port_range": "10.0.0.0/8"},
	}),
	t.rule("ok", t.ports("1/65535", 1, 65535)),
]

test_one_fail_per_problem if {
	found := ckv_ack_13.findings with input as t.doc([], [t.sg("sg-m", "basic", _rules)])
	fails := [f.resource | some f in found; f.status == "fail"]
	count(fails) == 11
	{r | some r in fails} == {
		"reversed", "minus", "icmp-ports", "all-53", "prio", "no-peer", "proto", "dir", "policy",
		"cidr-text",
	}
	count([f | some f in found; f.status != "fail"]) == 0
}

test_messages_name_field_and_value if {
	found := ckv_ack_13.findings with input as t.doc([], [t.sg("sg-m", "basic", _rules)])
	msgs := concat("\n", [f.message | some f in found])
	contains(msgs, "port_range \"200/1\" starts after it ends (200 > 1)")
	contains(msgs, "port_range \"1/-1\" has ports outside 1..65535 for tcp")
	contains(msgs, "port_range \"53/53\" on protocol all must be -1/-1")
	contains(msgs, "priority 101 is outside 1..100")
	contains(msgs, "protocol \"sctp\"")
	contains(msgs, "direction \"inbound\"")
	contains(msgs, "policy \"reject\"")
	contains(msgs, "port_range \"10.0.0.0/8\" is not start/end")
	contains(msgs, "the rule has no peer")
}

test_remediation_per_field if {
	found := ckv_ack_13.findings with input as t.doc([], [t.sg("sg-m", "basic", [t.rule("prio", {"priority": 0})])])
	[f] := [x | some x in found]
	contains(f.remediation.terraform, "priority")
	f.severity == "HIGH"
}

test_unknown_fields_are_unknown_not_pass if {
	s := t.sg("sg-u", "basic", [
		t.rule("u-port", t.unknown_field("port_range")),
		t.rule("u-prio", t.unknown_field("priority")),
	])
	found := ckv_ack_13.findings with input as t.doc([], [s])
	t.results(found) == {["unknown", "u-port"], ["unknown", "u-prio"]}
}

test_well_formed_sg_passes if {
	s := t.sg("sg-ok", "basic", [
		t.rule("a", {}),
		t.rule("b", object.union({"protocol": "icmp"}, t.ports("-1/-1", -1, -1))),
		t.rule("c", t.ports("-1/-1", -1, -1)),
	])
	found := ckv_ack_13.findings with input as t.doc([], [s])
	t.results(found) == {["pass", "sg-ok"]}
	some f in found
	f.message == "all 3 rules are well-formed"
}

test_deleted_rules_and_hidden_sgs_are_skipped if {
	s := t.sg("sg-1", "basic", [t.rule("gone", {"priority": 500, "change": "delete"})])
	found := ckv_ack_13.findings with input as t.doc([], [s, t.hidden("sg-ext", "referenced")])
	t.results(found) == {["pass", "sg-1"]}
}

test_unknown_policy_is_named_policy if {
	s := t.sg("sg-u", "basic", [t.rule("u", t.unknown_field("action"))])
	found := ckv_ack_13.findings with input as t.doc([], [s])
	t.results(found) == {["unknown", "u"]}
	some f in found
	contains(f.message, "policy is not known until apply")
}

test_deleted_sg_is_not_judged if {
	s := object.union(t.sg("sg-1", "basic", [t.rule("r", {"priority": 500})]), {"change": "delete"})
	count(ckv_ack_13.findings) == 0 with input as t.doc([], [s])
}
