# METADATA
# title: ACK cluster security groups
# description: |
#   Entry points. data.ack.findings is the set of finding objects the JSON report prints;
#   deny (failures) and warn (unknowns) follow conftest's conventions with msg and _loc.
# related_resources:
#   - ref: https://www.alibabacloud.com/help/en/ack/ack-managed-and-ack-dedicated/user-guide/configure-security-group-rules-to-enforce-access-control-on-ack-clusters
# entrypoint: true
package ack

import data.ack.rules

# findings from every catalog rule, each rule a package under data.ack.rules.
# The packages are named one by one rather than found by walking data.ack.rules: over such a walk
# OPA does not reuse the library's rules (node groups, prepared rules) between packages and
# recomputed them for each (opa eval of one 20-rule cluster: 1.2 s of evaluation against 0.09 s).
# (One rule body per package: an array of the packages' findings sets is empty under regopy.)
# They come in two parts of similar cost under regopy, so the embedded engine can evaluate one
# cluster in two processes (checkov_ack/engine): findings_a, the required flows (CKV_ACK_1..4)
# and the rules' own soundness (CKV_ACK_9..16); findings_b, what the nodes expose (CKV_ACK_5..8).
# tests/test_policy_names.py checks that every rule package is named once.
findings := findings_a | findings_b

findings_a contains f if {
	some f in rules.ckv_ack_1.findings
}

findings_a contains f if {
	some f in rules.ckv_ack_2.findings
}

findings_a contains f if {
	some f in rules.ckv_ack_3.findings
}

findings_a contains f if {
	some f in rules.ckv_ack_4.findings
}

findings_a contains f if {
	some f in rules.ckv_ack_9.findings
}

findings_a contains f if {
	some f in rules.ckv_ack_10.findings
}

findings_a contains f if {
	some f in rules.ckv_ack_11.findings
}

findings_a contains f if {
	some f in rules.ckv_ack_12.findings
}

findings_a contains f if {
	some f in rules.ckv_ack_13.findings
}

findings_a contains f if {
	some f in rules.ckv_ack_14.findings
}

findings_a contains f if {
	some f in rules.ckv_ack_15.findings
}

findings_a contains f if {
	some f in rules.ckv_ack_16.findings
}

findings_b contains f if {
	some f in rules.ckv_ack_5.findings
}

findings_b contains f if {
	some f in rules.ckv_ack_6.findings
}

findings_b contains f if {
	some f in rules.ckv_ack_7.findings
}

findings_b contains f if {
	some f in rules.ckv_ack_8.findings
}

deny contains result if {
	some f in findings
	f.status == "fail"
	result := _conftest(f)
}

warn contains result if {
	some f in findings
	f.status == "unknown"
	result := _conftest(f)
}

_conftest(f) := {
	"msg": concat("", [f.rule_id, " ", f.resource, ": ", f.message]),
	"_loc": {"file": f.file, "line": _line(f.line)},
	"rule_id": f.rule_id,
	"severity": f.severity,
}

_line(line) := line if line != null

_line(null) := 1
