package ack.rules.ckv_ack_15_test

import data.ack.rules.ckv_ack_15
import data.ack.test.structural as t

_sgs := [
	t.sg("sg-basic", "basic", []),
	t.sg("sg-adv", "advanced", []),
	t.sg("sg-adv2", "advanced", []),
]

test_mixed_pool_and_cluster_fail if {
	c := t.cluster("mixed", "sg-basic", [t.pool("p-mixed", ["sg-basic", "sg-adv"])], {})
	found := ckv_ack_15.findings with input as t.doc([c], _sgs)
	t.results(found) == {["fail", "mixed"], ["fail", "p-mixed"]}
	some f in found
	f.resource == "p-mixed"
	contains(f.message, "basic SGs (sg-basic)")
	contains(f.message, "advanced SGs (sg-adv)")
}

test_cluster_mixing_across_pools_fails_but_pools_pass if {
	c := t.cluster("c", "sg-basic", [t.pool("p-adv", ["sg-adv"])], {})
	t.results(ckv_ack_15.findings) == {["fail", "c"], ["pass", "p-adv"]} with input as t.doc([c], _sgs)
}

test_one_type_passes if {
	c := t.cluster("clean", "sg-adv2", [t.pool("p", ["sg-adv", "sg-adv2"])], {})
	t.results(ckv_ack_15.findings) == {["pass", "clean"], ["pass", "p"]} with input as t.doc([c], _sgs)
}

test_ack_created_sg_takes_the_cluster_type if {
	acked := t.hidden("c#ack-created-sg", "ack_created")
	c := t.cluster("c", "c#ack-created-sg", [t.pool("p", ["sg-adv"])], {"is_enterprise_security_group": true})
	t.results(ckv_ack_15.findings) == {["pass", "c"], ["pass", "p"]} with input as t.doc([c], array.concat(_sgs, [acked]))
	basic := object.union(c, {"is_enterprise_security_group": false})
	t.results(ckv_ack_15.findings) == {["fail", "c"], ["pass", "p"]} with input as t.doc([basic], array.concat(_sgs, [acked]))
}

test_unknown_type_is_unknown if {
	c := t.cluster("c", "sg-adv", [t.pool("p", ["sg-adv", "sg-ref"])], {})
	found := ckv_ack_15.findings with input as t.doc([c], array.concat(_sgs, [t.hidden("sg-ref", "referenced")]))
	t.results(found) == {["unknown", "c"], ["unknown", "p"]}
	some f in found
	contains(f.message, "sg-ref")
}

test_unknown_sg_list_is_unknown if {
	c := t.cluster("c", "sg-adv", [t.pool("p", null)], {})
	t.results(ckv_ack_15.findings) == {["unknown", "c"], ["unknown", "p"]} with input as t.doc([c], _sgs)
}

test_sg_missing_from_the_document_is_unknown if {
	c := t.cluster("c", "sg-adv", [t.pool("p", ["sg-adv", "sg-gone"])], {})
	found := ckv_ack_15.findings with input as t.doc([c], _sgs)
	t.results(found) == {["unknown", "c"], ["unknown", "p"]}
}

test_unknown_cluster_sg_is_unknown if {
	c := t.cluster("c", null, [t.pool("p", ["sg-adv"])], {"provenance": {"security_group": "unknown"}})
	t.results(ckv_ack_15.findings) == {["unknown", "c"], ["pass", "p"]} with input as t.doc([c], _sgs)
}

test_cluster_sg_of_unknown_type_beside_a_pool_is_unknown_on_the_cluster if {
	c := t.cluster("c", "sg-ref", [t.pool("p", ["sg-adv"])], {})
	found := ckv_ack_15.findings with input as t.doc([c], array.concat(_sgs, [t.hidden("sg-ref", "referenced")]))
	t.results(found) == {["unknown", "c"], ["pass", "p"]}
}
