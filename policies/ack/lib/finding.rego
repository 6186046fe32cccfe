# METADATA
# title: Finding constructor
# description: Every rule builds its findings here so that all carry the same fields.
package ack.lib.finding

import data.ack.catalog

# make builds a finding about entity (a cluster, node pool, SG or rule of the document).
make(rule_id, status, entity, message, remediation) := {
	"rule_id": rule_id,
	"status": status,
	"severity": catalog.rules[rule_id].severity,
	"title": catalog.rules[rule_id].title,
	"message": message,
	"resource": entity.address,
	"resource_key": entity.key,
	"file": entity.loc.file,
	"line": entity.loc.line,
	"remediation": remediation,
	"guide": catalog.guide,
}
