# METADATA
# title: Finding constructor
# description: Every rule builds its findings here so that all carry the same fields.
package ack.lib.finding

import data.ack.catalog

# make builds a finding about entity (a cluster, node pool, SG or rule of the document).
# (object.get, not catalog.rules[rule_id]: regopy resolves a data or rule reference with a
# variable key inside a function by scanning the whole collection, several times slower.)
make(rule_id, status, entity, message, remediation) := {
	"rule_id": rule_id,
	"status": status,
	"severity": object.get(catalog.rules, [rule_id, "severity"], null),
	"title": object.get(catalog.rules, [rule_id, "title"], null),
	"message": message,
	"resource": entity.address,
	"resource_key": entity.key,
	"file": entity.loc.file,
	"line": entity.loc.line,
	"remediation": remediation,
	"guide": catalog.guide,
}
