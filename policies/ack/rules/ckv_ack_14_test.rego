package ack.rules.ckv_ack_14_test

import data.ack.rules.ckv_ack_14
import data.ack.test.structural as t

_drop(key, over) := t.rule(key, object.union({"action": "drop"}, over))

_drop_all := _drop("drop-all", object.union(
	{"protocol": "all", "peer": t.cidr_peer("0.0.0.0/0"), "priority": 10},
	t.ports("-1/-1", -1, -1),
))

test_lone_sg_dead_accept_fails if {
	s := t.sg("sg-1", "basic", [
		_drop_all,
		t.rule("dead", {"priority": 10}),
		t.rule("wins", {"priority": 5}),
		t.rule("egress", {"direction": "egress", "priority": 50}),
	])
	found := ckv_ack_14.findings with input as t.doc([], [s])
	t.results(found) == {["fail", "dead"]}
	some f in found
	contains(f.message, "drop rule drop-all")
	contains(f.message, "priority 10")
}

test_lone_sg_without_shadowing_passes if {
	s := t.sg("sg-1", "basic", [
		_drop("drop-22", object.union({"priority": 1}, t.ports("22/22", 22, 22))),
		t.rule("https", {"priority": 100}),
	])
	found := ckv_ack_14.findings with input as t.doc([], [s])
	t.results(found) == {["pass", "sg-1"]}
}

test_drop_in_another_sg_of_the_same_nodes if {
	a := t.sg("sg-a", "basic", [t.rule("acc-a", {"priority": 20})])
	b := t.sg("sg-b", "basic", [_drop("drop-b", {"priority": 20})])
	c := t.sg("sg-c", "basic", [t.rule("acc-c", {"priority": 20})])
	cl := t.cluster("c1", "sg-b", [t.pool("p1", ["sg-a", "sg-b"]), t.pool("p2", ["sg-c", "sg-b"]), t.pool("p3", ["sg-c"])], {})
	found := ckv_ack_14.findings with input as t.doc([cl], [a, b, c])

	# acc-c stays live on the nodes of p3, where sg-b is not.
	t.results(found) == {["fail", "acc-a"]}
}

test_drop_of_another_cluster_sg_on_other_nodes_does_not_count if {
	a := t.sg("sg-a", "basic", [t.rule("acc-a", {"priority": 20})])
	b := t.sg("sg-b", "basic", [_drop("drop-b", {"priority": 1})])
	cl := t.cluster("c1", "sg-b", [t.pool("p1", ["sg-a"])], {})
	t.results(ckv_ack_14.findings) == {["pass", "c1"]} with input as t.doc([cl], [a, b])
}

test_maybe_covering_drop_is_unknown if {
	a := t.sg("sg-a", "basic", [t.rule("acc", {"priority": 20})])
	d := t.sg("sg-d", "basic", [_drop("drop-var", t.unknown_field("port_range"))])
	cl := t.cluster("c", "sg-a", [t.pool("p", ["sg-a", "sg-d"])], {})
	found := ckv_ack_14.findings with input as t.doc([cl], [a, d])
	t.results(found) == {["unknown", "acc"]}
}

test_hidden_sg_on_the_same_nodes_is_unknown if {
	a := t.sg("sg-a", "basic", [t.rule("acc", {})])
	cl := t.cluster("c", "sg-a", [t.pool("p", ["sg-a", "sg-ext"])], {})
	found := ckv_ack_14.findings with input as t.doc([cl], [a, t.hidden("sg-ext", "referenced")])
	t.results(found) == {["unknown", "sg-a"]}
	some f in found
	contains(f.message, "the accept rules of sg-a (1) on cluster c share nodes with sg-ext")
}

test_malformed_drop_does_not_shadow if {
	s := t.sg("sg-1", "basic", [
		_drop("bad-drop", object.union({"priority": 1}, t.ports("200/1", 200, 1))),
		t.rule("acc", {"priority": 50}),
	])
	t.results(ckv_ack_14.findings) == {["pass", "sg-1"]} with input as t.doc([], [s])
}

test_same_sg_peer_and_port_subrange_shadow if {
	s := t.sg("sg-1", "basic", [
		_drop("drop-sg", object.union({"peer": t.sg_peer("sg-9", "basic")}, t.ports("1/1024", 1, 1024))),
		t.rule("acc", {"peer": t.sg_peer("sg-9", "basic")}),
	])
	t.results(ckv_ack_14.findings) == {["fail", "acc"]} with input as t.doc([], [s])
}

test_lone_sg_maybe_is_unknown if {
	s := t.sg("sg-1", "basic", [_drop("drop-var", {"peer": t.unknown_peer}), t.rule("acc", {})])
	found := ckv_ack_14.findings with input as t.doc([], [s])
	t.results(found) == {["unknown", "acc"]}
}

test_cluster_without_known_sg_uses_pool_sets_only if {
	a := t.sg("sg-a", "basic", [t.rule("acc", {"priority": 9}), _drop("drop", {"priority": 9})])
	cl := t.cluster("c", null, [t.pool("p", ["sg-a"])], {"provenance": {"security_group": "unknown"}})
	t.results(ckv_ack_14.findings) == {["fail", "acc"]} with input as t.doc([cl], [a])
}

_pl(id) := {"kind": "prefix_list", "cidr": null, "sg": null, "sg_type": null, "prefix_list": id}

test_same_prefix_list_shadows if {
	s := t.sg("sg-1", "basic", [_drop("drop-pl", {"peer": _pl("pl-1")}), t.rule("acc", {"peer": _pl("pl-1")})])
	t.results(ckv_ack_14.findings) == {["fail", "acc"]} with input as t.doc([], [s])
}

test_accept_with_unknown_values if {
	all_ports := _drop("drop-all-ports", t.ports("-1/-1", -1, -1))

	# whatever the accept's ports, a drop on every port covers it
	s1 := t.sg("sg-1", "basic", [all_ports, t.rule("acc", t.unknown_field("port_range"))])
	t.results(ckv_ack_14.findings) == {["fail", "acc"]} with input as t.doc([], [s1])

	# an accept whose peer is unknown may or may not be covered
	s2 := t.sg("sg-1", "basic", [all_ports, t.rule("acc", {"peer": t.unknown_peer})])
	t.results(ckv_ack_14.findings) == {["unknown", "acc"]} with input as t.doc([], [s2])
}
