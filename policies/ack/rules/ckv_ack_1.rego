# METADATA
# title: CKV_ACK_1 Cluster peers can reach nodes
# description: |
#   A required inbound flow from cluster peers (DNS 53 over TCP and UDP; TCP 10250, 10255,
#   443, 6443, 8082; from the cluster SG (basic) or the vSwitch/VPC CIDRs (advanced)) must be
#   effectively allowed on every node group.
# custom:
#   id: CKV_ACK_1
package ack.rules.ckv_ack_1

import data.ack.lib.finding
import data.ack.lib.flows

_id := "CKV_ACK_1"

_evaluations := [e | some e in flows.evaluations; e.rule_id == _id]

findings contains finding.make(_id, "fail", e.group.entity, msg, flows.joined(e.remediation)) if {
	some e in _evaluations
	count(e.fails) > 0
	msg := concat("", [flows.group_text(e.group), ": ", concat("; ", e.fails)])
}

findings contains finding.make(_id, "unknown", e.group.entity, msg, null) if {
	some e in _evaluations
	count(e.unknowns) > 0
	msg := concat("", [flows.group_text(e.group), ": ", concat("; ", e.unknowns)])
}

findings contains finding.make(_id, "pass", cluster, msg, null) if {
	some cluster in flows.clusters
	evaluated := [e | some e in _evaluations; e.cluster.key == cluster.key]
	count(evaluated) > 0
	every e in evaluated {
		count(e.fails) == 0
		count(e.unknowns) == 0
	}
	msg := "every node group allows the required flows"
}
