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
findings contains f if {
	some rule_package in rules
	some f in rule_package.findings
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
