package ack.rules.ckv_ack_11_test

import data.ack.rules.ckv_ack_11
import data.ack.test.structural as t

_sg(key, change) := object.union(t.sg(key, "basic", []), {"change": change})

test_deleting_or_replacing_an_attached_sg_fails if {
	c := t.cluster("live", "sg-del", [t.pool("np", ["sg-rep"])], {"change": "update"})
	found := ckv_ack_11.findings with input as t.doc([c], [_sg("sg-del", "delete"), _sg("sg-rep", "replace")])
	t.results(found) == {["fail", "sg-del"], ["fail", "sg-rep"]}
	some f in found
	f.resource == "sg-rep"
	contains(f.message, "replaces")
	contains(f.message, "cluster live")
}

test_sg_of_a_deleted_cluster_may_go if {
	c := t.cluster("dying", "sg-del", [], {"change": "delete"})
	t.results(ckv_ack_11.findings) == {["pass", "dying"]} with input as t.doc([c], [_sg("sg-del", "delete")])
}

test_sg_of_a_deleted_pool_may_go if {
	gone := object.union(t.pool("np", ["sg-pool"]), {"change": "delete"})
	c := t.cluster("c", "sg-keep", [gone], {})
	found := ckv_ack_11.findings with input as t.doc([c], [_sg("sg-keep", null), _sg("sg-pool", "delete")])
	t.results(found) == {["pass", "c"]}
}

test_unchanged_sgs_pass if {
	c := t.cluster("c", "sg-1", [], {})
	t.results(ckv_ack_11.findings) == {["pass", "c"]} with input as t.doc([c], [_sg("sg-1", "no-op")])
}

test_deleted_sg_outside_clusters_is_not_judged if {
	count(ckv_ack_11.findings) == 0 with input as t.doc([], [_sg("sg-1", "delete")])
}

test_message_names_a_missing_cluster_change if {
	c := t.cluster("c", "sg-del", [], {})
	found := ckv_ack_11.findings with input as t.doc([c], [_sg("sg-del", "delete")])
	t.results(found) == {["fail", "sg-del"]}
	some f in found
	contains(f.message, "(change: none)")
}
