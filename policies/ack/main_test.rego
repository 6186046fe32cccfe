package ack_test

_fail := {
	"rule_id": "CKV_ACK_5", "status": "fail", "severity": "CRITICAL", "resource": "r.a",
	"message": "TCP 10250 is open", "file": "main.tf", "line": 7,
}

_unknown := {
	"rule_id": "CKV_ACK_12", "status": "unknown", "severity": "INFO", "resource": "c.k",
	"message": "rules not in the sources", "file": "plan.json", "line": null,
}

_pass := {
	"rule_id": "CKV_ACK_1", "status": "pass", "severity": "HIGH", "resource": "c.k",
	"message": "ok", "file": "main.tf", "line": 1,
}

# Every rule package main.rego names, each with one pass; two with other findings too.
_ok(i) := {
	"rule_id": concat("", ["CKV_ACK_", format_int(i, 10)]), "status": "pass", "severity": "LOW", "resource": "c.k",
	"message": "ok", "file": "main.tf", "line": 1,
}

_rules := object.union(
	{name: {"findings": {_ok(i)}} | some i in numbers.range(1, 16); name := concat("", ["ckv_ack_", format_int(i, 10)])},
	{"ckv_ack_5": {"findings": {_fail, _pass, _ok(5)}}, "ckv_ack_12": {"findings": {_unknown, _ok(12)}}},
)

test_findings_collects_every_rule_package if {
	oks := {f | some i in numbers.range(1, 16); f := _ok(i)}
	data.ack.findings == oks | {_fail, _pass, _unknown} with data.ack.rules as _rules
}

test_deny_has_failures_with_msg_and_loc if {
	data.ack.deny == {{
		"msg": "CKV_ACK_5 r.a: TCP 10250 is open",
		"_loc": {"file": "main.tf", "line": 7},
		"rule_id": "CKV_ACK_5",
		"severity": "CRITICAL",
	}} with data.ack.rules as _rules
}

test_warn_has_unknowns_located_at_line_1_without_a_line if {
	data.ack.warn == {{
		"msg": "CKV_ACK_12 c.k: rules not in the sources",
		"_loc": {"file": "plan.json", "line": 1},
		"rule_id": "CKV_ACK_12",
		"severity": "INFO",
	}} with data.ack.rules as _rules
}
