# METADATA
# title: CKV_ACK_12 Cluster SG rules are visible
# description: |
#   The cluster uses an SG whose rules are not in the scanned sources: an existing SG referenced by
#   ID, a clone, or the SG ACK creates. ACK adds no rules to an existing SG, so nothing about it can
#   be verified. Reported as `unknown` (INFO), naming the SG; also when the cluster's or a node
#   pool's SGs are not known until apply.
# custom:
#   id: CKV_ACK_12
package ack.rules.ckv_ack_12

import data.ack.lib.finding
import data.ack.lib.structure

_id := "CKV_ACK_12"

# _invisible_sgs: keys of the cluster's SGs whose rules are not in the sources.
_invisible_sgs(c) := [key |
	some key in c.sg_set
	some s in input.security_groups
	s.key == key
	not structure.visible(s)
]

_unknown_pools(c) := [p.key |
	some p in c.node_pools
	p.security_groups == null
]

_cluster_sg_unknown(c) if {
	c.security_group == null
	object.get(c.provenance, "security_group", null) == "unknown"
}

_invisible_reason(s) := "ACK creates it when the cluster is created; its rules are not in the scanned sources" if {
	s.origin == "ack_created"
} else := "it is a copy of another SG; its rules are not in the scanned sources" if {
	s.origin == "clone"
} else := "it is an existing SG referenced by ID; its rules are not in the scanned sources, and ACK adds no rules to an existing SG"

findings contains finding.make(_id, "unknown", c, msg, null) if {
	some c in input.clusters
	some key in _invisible_sgs(c)
	some s in input.security_groups
	s.key == key
	msg := concat("", ["cluster uses SG ", structure.label(s), ": ", _invisible_reason(s), "; include it (or an API export of it) in the scan"])
}

findings contains finding.make(_id, "unknown", c, msg, null) if {
	some c in input.clusters
	_cluster_sg_unknown(c)
	msg := "security_group_id is not known until apply; the cluster's SG and its rules cannot be checked"
}

findings contains finding.make(_id, "unknown", p, msg, null) if {
	some c in input.clusters
	some p in c.node_pools
	p.security_groups == null
	msg := concat("", ["security_group_ids of node pool ", p.address, " (cluster ", c.address, ") are not known until apply; their rules cannot be checked"])
}

findings contains finding.make(_id, "pass", c, msg, null) if {
	some c in input.clusters
	count(_invisible_sgs(c)) == 0
	count(_unknown_pools(c)) == 0
	not _cluster_sg_unknown(c)
	msg := concat("", ["the rules of all ", structure.num(count(c.sg_set)), " SGs of the cluster are in the scanned sources"])
}
