package ack.rules.ckv_ack_10_test

import data.ack.rules.ckv_ack_10
import data.ack.test.structural as t

_adv := t.sg("sg-adv", "advanced", [
	t.rule("adv-sg-peer", {"peer": t.sg_peer("sg-basic", "basic")}),
	t.rule("adv-cidr", {}),
])

_basic := t.sg("sg-basic", "basic", [
	t.rule("basic-to-adv", {"peer": t.sg_peer("sg-adv", "advanced")}),
	t.rule("basic-to-basic", {"peer": t.sg_peer("sg-b2", "basic")}),
])

test_sg_peers_of_and_to_advanced_sgs_fail if {
	found := ckv_ack_10.findings with input as t.doc([], [_adv, _basic])
	t.results(found) == {["fail", "adv-sg-peer"], ["fail", "basic-to-adv"]}
	every f in found {
		f.severity == "HIGH"
		f.remediation.ros != ""
	}
}

test_sgs_of_clusters_are_checked_too if {
	c := t.cluster("c", "sg-basic", [], {})
	found := ckv_ack_10.findings with input as t.doc([c], [_basic])
	t.results(found) == {["fail", "basic-to-adv"]}
}

test_clean_sgs_pass if {
	s1 := t.sg("sg-a", "advanced", [t.rule("r", {})])
	s2 := t.sg("sg-b", "basic", [t.rule("r2", {"peer": t.sg_peer("sg-b", "basic")})])
	t.results(ckv_ack_10.findings) == {["pass", "sg-a"], ["pass", "sg-b"]} with input as t.doc([], [s1, s2])
}

test_unknown_types_are_unknown if {
	typeless := t.sg("sg-t", null, [t.rule("typeless", {"peer": t.sg_peer("sg-b", "basic")})])
	outside := t.sg("sg-o", "basic", [t.rule("to-outside", {"peer": t.sg_peer("sg-elsewhere", null)})])
	adv_var := t.sg("sg-v", "advanced", [t.rule("adv-var", {"peer": t.unknown_peer})])
	found := ckv_ack_10.findings with input as t.doc([], [typeless, outside, adv_var])
	t.results(found) == {["unknown", "typeless"], ["unknown", "to-outside"], ["unknown", "adv-var"]}
}

test_hidden_sgs_are_not_judged if {
	count(ckv_ack_10.findings) == 0 with input as t.doc([], [t.hidden("sg-ext", "referenced")])
}

test_deleted_sg_is_not_judged if {
	s := object.union(_adv, {"change": "delete"})
	count(ckv_ack_10.findings) == 0 with input as t.doc([], [s])
}
