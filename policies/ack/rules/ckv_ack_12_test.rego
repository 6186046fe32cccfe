package ack.rules.ckv_ack_12_test

import data.ack.rules.ckv_ack_12
import data.ack.test.structural as t

test_referenced_sg_is_unknown_naming_it if {
	c := t.cluster("c", "sg-existing", [], {})
	found := ckv_ack_12.findings with input as t.doc([c], [t.hidden("sg-existing", "referenced")])
	t.results(found) == {["unknown", "c"]}
	some f in found
	contains(f.message, "sg-existing")
	contains(f.message, "ACK adds no rules")
	f.severity == "INFO"
}

test_ack_created_and_clone_are_unknown if {
	acked := t.cluster("acked", "c#ack-created-sg", [], {"provenance": {"security_group": "default"}})
	cloned := t.cluster("cloned", "sg-clone", [], {})
	sgs := [t.hidden("c#ack-created-sg", "ack_created"), t.hidden("sg-clone", "clone")]
	found := ckv_ack_12.findings with input as t.doc([acked, cloned], sgs)
	t.results(found) == {["unknown", "acked"], ["unknown", "cloned"]}
	some f in found
	f.resource == "acked"
	contains(f.message, "ACK creates it")
}

test_hidden_sg_of_a_pool_is_unknown if {
	c := t.cluster("c", "sg-1", [t.pool("np", ["sg-1", "sg-ext"])], {})
	found := ckv_ack_12.findings with input as t.doc([c], [t.sg("sg-1", "basic", []), t.hidden("sg-ext", "referenced")])
	t.results(found) == {["unknown", "c"]}
}

test_unknown_sg_lists_are_unknown if {
	c1 := t.cluster("c1", null, [], {"provenance": {"security_group": "unknown"}})
	c2 := t.cluster("c2", "sg-1", [t.pool("np", null)], {})
	found := ckv_ack_12.findings with input as t.doc([c1, c2], [t.sg("sg-1", "basic", [])])
	t.results(found) == {["unknown", "c1"], ["unknown", "np"]}
}

test_declared_sgs_pass if {
	c := t.cluster("c", "sg-1", [t.pool("np", ["sg-2"])], {})
	found := ckv_ack_12.findings with input as t.doc([c], [t.sg("sg-1", "basic", []), t.sg("sg-2", "basic", [])])
	t.results(found) == {["pass", "c"]}
}
