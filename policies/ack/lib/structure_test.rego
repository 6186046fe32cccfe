package ack.lib.structure_test

import data.ack.lib.structure
import data.ack.test.structural as t

test_num_renders_negatives if {
	structure.num(0) == "0"
	structure.num(101) == "101"
	structure.num(-1) == "-1"
}

test_cidr_contains if {
	structure.cidr_contains(t.cidr["172.20.0.0/16"], t.cidr["172.20.1.0/24"])
	structure.cidr_contains(t.cidr["172.20.0.0/16"], t.cidr["172.20.0.0/16"])
	not structure.cidr_contains(t.cidr["172.20.1.0/24"], t.cidr["172.20.0.0/16"])
	not structure.cidr_contains(t.cidr["0.0.0.0/0"], t.cidr["::/0"])
}

test_well_formed_rule_has_no_problems if {
	count(structure.problems(t.rule("r", {}))) == 0
	count(structure.problems(t.rule("r", t.ports("1/65535", 1, 65535)))) == 0
	count(structure.problems(t.rule("r", t.ports("-1/-1", -1, -1)))) == 0
	count(structure.problems(t.rule("r", object.union({"protocol": "icmp"}, t.ports("-1/-1", -1, -1))))) == 0
}

_fields(r) := [p.field | some p in structure.problems(r)]

test_port_problems if {
	_fields(t.rule("r", t.ports("200/1", 200, 1))) == ["port_range"]
	_fields(t.rule("r", t.ports("1/-1", 1, -1))) == ["port_range", "port_range"]
	_fields(t.rule("r", t.ports("0/80", 0, 80))) == ["port_range"]
	_fields(t.rule("r", t.ports("80/65536", 80, 65536))) == ["port_range"]
	_fields(t.rule("r", object.union({"protocol": "gre"}, t.ports("1/1", 1, 1)))) == ["port_range"]
	_fields(t.rule("r", object.union({"protocol": "all"}, t.ports("53/53", 53, 53)))) == ["port_range"]
}

test_invalid_port_text_names_the_raw_value if {
	r := t.rule("r", {
		"port_range": "10.0.0.0/8", "port_from": null, "port_to": null,
		"provenance": {"port_range": "invalid"}, "raw": {"port_range": "10.0.0.0/8"},
	})
	[p] := structure.problems(r)
	p.value == "10.0.0.0/8"
	contains(p.text, "\"10.0.0.0/8\" is not start/end")
}

test_other_problems if {
	_fields(t.rule("r", {"priority": 0})) == ["priority"]
	_fields(t.rule("r", {"priority": 101})) == ["priority"]
	_fields(t.rule("r", {"priority": null, "provenance": {"priority": "invalid"}, "raw": {"priority": "high"}})) == ["priority"]
	_fields(t.rule("r", {"peer": t.no_peer})) == ["peer"]
	_fields(t.rule("r", {"peer": object.union(t.no_peer, {"kind": "invalid"}), "raw": {"peer": "10.0.0.300"}})) == ["peer"]
	_fields(t.rule("r", {"protocol": "sctp"})) == ["protocol"]
	_fields(t.rule("r", {"protocol": null, "provenance": {}})) == ["protocol"]
	_fields(t.rule("r", {"direction": "both"})) == ["direction"]
	_fields(t.rule("r", {"action": "reject"})) == ["action"]
}

test_unknown_fields_are_not_problems if {
	r := t.rule("r", t.unknown_field("port_range"))
	count(structure.problems(r)) == 0
	structure.unknowns(r) == ["port_range"]
	p := t.rule("r", object.union(t.unknown_field("peer"), {"peer": t.unknown_peer}))
	structure.unknowns(p) == ["peer"]
}

_drop(over) := t.rule("d", object.union({"action": "drop"}, over))

test_covers_yes if {
	structure.covers(_drop({}), t.rule("a", {})) == "yes"
	structure.covers(_drop(object.union({"protocol": "all", "peer": t.cidr_peer("0.0.0.0/0")}, t.ports("-1/-1", -1, -1))), t.rule("a", {"priority": 50})) == "yes"
	structure.covers(_drop(t.ports("1/65535", 1, 65535)), t.rule("a", t.ports("-1/-1", -1, -1))) == "yes"
	structure.covers(_drop({"peer": t.sg_peer("sg-x", "basic")}), t.rule("a", {"peer": t.sg_peer("sg-x", "basic")})) == "yes"
}

test_covers_no if {
	structure.covers(_drop({"priority": 2}), t.rule("a", {"priority": 1})) == "no"
	structure.covers(_drop({"direction": "egress"}), t.rule("a", {})) == "no"
	structure.covers(_drop({"protocol": "udp"}), t.rule("a", {})) == "no"
	structure.covers(_drop(t.ports("80/80", 80, 80)), t.rule("a", {})) == "no"
	structure.covers(_drop({"peer": t.cidr_peer("172.20.1.0/24")}), t.rule("a", {"peer": t.cidr_peer("172.20.0.0/16")})) == "no"
	structure.covers(_drop({"peer": t.cidr_peer("0.0.0.0/0")}), t.rule("a", {"peer": t.cidr_peer("::/0")})) == "no"
	structure.covers(t.rule("d", {}), t.rule("a", {})) == "no"
}

test_covers_maybe if {
	structure.covers(_drop(t.unknown_field("port_range")), t.rule("a", {})) == "maybe"
	structure.covers(_drop({"peer": t.unknown_peer}), t.rule("a", {})) == "maybe"
	structure.covers(_drop({"action": null}), t.rule("a", {})) == "maybe"
	structure.covers(_drop({}), t.rule("a", {"priority": null})) == "maybe"
}

test_describe if {
	structure.describe(t.rule("r", {})) == "ingress tcp 443/443 from 10.0.0.0/8, accept, priority 1"
	structure.describe(t.rule("r", {"direction": "egress", "peer": t.sg_peer("sg-1", null), "action": "drop", "priority": 5})) == "egress tcp 443/443 to SG sg-1, drop, priority 5"
}

test_live_rules_skip_deleted if {
	s := t.sg("sg-1", "basic", [t.rule("a", {}), t.rule("b", {"change": "delete"})])
	[r.key | some r in s.rules; structure.rule_live(s, r)] == ["a"]
	gone := object.union(s, {"change": "delete"})
	[r.key | some r in gone.rules; structure.rule_live(gone, r)] == []
}

test_label if {
	structure.label(t.sg("tf:alicloud_security_group.a", "basic", [])) == "tf:alicloud_security_group.a"
	structure.label(object.union(t.sg("alicloud_security_group.a", "basic", []), {"id": "sg-1"})) == "alicloud_security_group.a (sg-1)"
}

test_missing_direction_is_a_problem if {
	_fields(t.rule("r", {"direction": null, "provenance": {}})) == ["direction"]
	count(structure.problems(t.rule("r", t.unknown_field("direction")))) == 0
}

test_covers_maybe_on_either_side if {
	structure.covers(_drop({}), t.rule("a", t.unknown_field("direction"))) == "maybe"
	structure.covers(_drop({}), t.rule("a", t.unknown_field("protocol"))) == "maybe"
	structure.covers(_drop({}), t.rule("a", t.unknown_field("port_range"))) == "maybe"
	structure.covers(_drop(t.ports("-1/-1", -1, -1)), t.rule("a", t.unknown_field("port_range"))) == "yes"
}

_pl(id) := {"kind": "prefix_list", "cidr": null, "sg": null, "sg_type": null, "prefix_list": id}

test_covers_same_prefix_list if {
	structure.covers(_drop({"peer": _pl("pl-1")}), t.rule("a", {"peer": _pl("pl-1")})) == "yes"
	structure.covers(_drop({"peer": _pl("pl-1")}), t.rule("a", {"peer": _pl("pl-2")})) == "no"
}

test_describe_odd_values if {
	structure.describe(t.rule("r", {"peer": _pl("pl-1"), "priority": null})) == "ingress tcp 443/443 from prefix list pl-1, accept, priority ?"
	structure.describe(t.rule("r", {"peer": t.unknown_peer})) == "ingress tcp 443/443 from an unknown peer, accept, priority 1"
	structure.describe(t.rule("r", {"peer": t.no_peer})) == "ingress tcp 443/443 from no valid peer, accept, priority 1"
}

test_has_source_rules if {
	structure.has_source_rules({"rules_known": true, "rules": []})
	structure.has_source_rules({"rules_known": false, "rules": [t.rule("r", {})]})
	not structure.has_source_rules({"rules_known": false, "rules": []})
}
