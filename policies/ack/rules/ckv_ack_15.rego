# METADATA
# title: CKV_ACK_15 One SG type per node
# description: |
#   A cluster (its SG set) or a node pool (its SGs) mixes basic and advanced SGs: "You cannot mix
#   basic and advanced security groups on a single resource". The SG that ACK creates takes its
#   type from is_enterprise_security_group. An unknown type (or unknown SG list) gives `unknown`.
# custom:
#   id: CKV_ACK_15
package ack.rules.ckv_ack_15

import data.ack.lib.finding
import data.ack.lib.structure

_id := "CKV_ACK_15"

# _type: the SG's type, or null when unknown; ACK-created SGs follow the cluster's choice.
_type(s) := s.type if {
	s.type != null
} else := "advanced" if {
	s.origin == "ack_created"
	some c in input.clusters
	c.security_group == s.key
	c.is_enterprise_security_group == true
} else := "basic" if {
	s.origin == "ack_created"
	some c in input.clusters
	c.security_group == s.key
	c.is_enterprise_security_group == false
} else := null

# _typed: [label, type] for each SG key (type null when unknown or when the SG is not in the document).
_typed(keys) := [[label, t] |
	some key in keys
	[label, t] := _label_type(key)
]

# (a comprehension, not a rule body, iterates the SGs: under regopy the latter copies each SG)
_label_type(key) := found[0] if {
	found := [[structure.label(s), _type(s)] | s := input.security_groups[_]; s.key == key]
	count(found) > 0
} else := [key, null]

_of(typed, t) := [x[0] | some x in typed; x[1] == t]

_mixed(typed) if {
	count(_of(typed, "basic")) > 0
	count(_of(typed, "advanced")) > 0
}

_undecided(typed) if {
	not _mixed(typed)
	count(_of(typed, null)) > 0
	count(typed) > 1
}

_mix_msg(what, typed) := concat("", [
	what, " mixes basic SGs (", concat(", ", _of(typed, "basic")), ") and advanced SGs (",
	concat(", ", _of(typed, "advanced")), "); one ENI takes SGs of one type only",
])

_unknown_msg(what, typed) := concat("", [
	what, ": the type of ", concat(", ", _of(typed, null)),
	" is not known; cannot tell whether it mixes basic and advanced SGs",
])

_one_type_msg(what, typed) := concat("", [what, ": all ", structure.num(count(typed)), " SGs have one type"]) if {
	count(typed) > 1
} else := concat("", [what, ": a single SG"])

# -- clusters: the SG set --------------------------------------------------------------------

_unknown_pool(c) if {
	some p in c.node_pools
	p.security_groups == null
}

_own_sg_unknown(c) if {
	c.security_group == null
	object.get(c.provenance, "security_group", null) == "unknown"
}

_cluster_lists_unknown(c) if _unknown_pool(c)

_cluster_lists_unknown(c) if _own_sg_unknown(c)

findings contains finding.make(_id, "fail", c, msg, _remediation) if {
	some c in input.clusters
	typed := _typed(c.sg_set)
	_mixed(typed)
	msg := _mix_msg("the cluster's SG set", typed)
}

findings contains finding.make(_id, "unknown", c, msg, null) if {
	some c in input.clusters
	typed := _typed(c.sg_set)
	_undecided(typed)
	msg := _unknown_msg("the cluster's SG set", typed)
}

findings contains finding.make(_id, "unknown", c, msg, null) if {
	some c in input.clusters
	typed := _typed(c.sg_set)
	not _mixed(typed)
	not _undecided(typed)
	_cluster_lists_unknown(c)
	msg := "the SGs of the cluster or of a node pool are not known until apply; cannot tell whether they mix basic and advanced SGs"
}

findings contains finding.make(_id, "pass", c, msg, null) if {
	some c in input.clusters
	typed := _typed(c.sg_set)
	not _mixed(typed)
	not _undecided(typed)
	not _cluster_lists_unknown(c)
	msg := _one_type_msg("the cluster's SG set", typed)
}

# -- node pools: their SGs -----------------------------------------------------------------

findings contains finding.make(_id, "fail", p, msg, _remediation) if {
	some c in input.clusters
	some p in c.node_pools
	p.security_groups != null
	typed := _typed(p.security_groups)
	_mixed(typed)
	msg := _mix_msg("the node pool", typed)
}

findings contains finding.make(_id, "unknown", p, msg, null) if {
	some c in input.clusters
	some p in c.node_pools
	p.security_groups != null
	typed := _typed(p.security_groups)
	_undecided(typed)
	msg := _unknown_msg("the node pool", typed)
}

findings contains finding.make(_id, "unknown", p, msg, null) if {
	some c in input.clusters
	some p in c.node_pools
	p.security_groups == null
	msg := "security_group_ids of the node pool are not known until apply; cannot tell whether they mix basic and advanced SGs"
}

findings contains finding.make(_id, "pass", p, msg, null) if {
	some c in input.clusters
	some p in c.node_pools
	p.security_groups != null
	typed := _typed(p.security_groups)
	not _mixed(typed)
	not _undecided(typed)
	msg := _one_type_msg("the node pool", typed)
}

_remediation := {
	"terraform": "Give the cluster and every node pool SGs of one type: security_group_type = \"normal\" for all, or \"enterprise\" for all (is_enterprise_security_group for the SG ACK creates).",
	"ros": "Use SGs of one SecurityGroupType (normal or enterprise) for the cluster and all node pools (IsEnterpriseSecurityGroup for the SG ACK creates).",
	"cli": "aliyun ecs DescribeSecurityGroups --SecurityGroupIds '[...]' to check SecurityGroupType; attach SGs of one type only (aliyun cs ModifyClusterNodePool).",
}
