# METADATA
# title: CKV_ACK_11 Protected SGs are not deleted
# description: |
#   A plan deletes (or replaces) an SG that stays attached to a cluster that is not deleted in the
#   same plan. ACK enables deletion protection on the SGs of its clusters, so the apply fails.
#   The SG stays attached when it is the cluster's SG, or an SG of a node pool that the plan keeps.
# custom:
#   id: CKV_ACK_11
package ack.rules.ckv_ack_11

import data.ack.lib.finding
import data.ack.lib.structure

_id := "CKV_ACK_11"

_removing := ["delete", "replace"]

# _attached: keys of the SGs that stay attached to cluster c after the plan.
_attached(c) := [key |
	some key in c.sg_set
	_stays(c, key)
]

_stays(c, key) if c.security_group == key

_stays(c, key) if {
	some p in c.node_pools
	p.change != "delete"
	p.security_groups != null
	key in p.security_groups
}

# _removed: keys of the SGs the plan removes while they stay attached to cluster c.
_removed(c) := [key |
	c.change != "delete"
	some key in _attached(c)
	some s in input.security_groups
	s.key == key
	s.change in _removing
]

findings contains finding.make(_id, "fail", s, msg, _remediation) if {
	some c in input.clusters
	some key in _removed(c)
	some s in input.security_groups
	s.key == key
	msg := concat("", [
		"the plan ", _verb(s.change), " ", structure.label(s), " while it stays attached to cluster ",
		c.address, " (change: ", _change(c), "); ACK's deletion protection makes the apply fail",
	])
}

findings contains finding.make(_id, "pass", c, msg, null) if {
	some c in input.clusters
	count(_removed(c)) == 0
	msg := _kept_msg(c)
}

_kept_msg(c) := "the cluster is deleted in the same plan, so its SGs may go" if {
	c.change == "delete"
} else := "no SG attached to the cluster is deleted or replaced"

_verb("delete") := "deletes"

_verb("replace") := "replaces (deletes and recreates)"

_change(c) := c.change if {
	c.change != null
} else := "none"

_remediation := {
	"terraform": "Keep the security group (add lifecycle { prevent_destroy = true } and avoid changes that force replacement, such as security_group_type or vpc_id), or move the cluster and node pools to another SG first; delete the SG only after every cluster using it is deleted.",
	"ros": "Keep the ALIYUN::ECS::SecurityGroup (do not change replacement properties); detach the cluster and node pools from it before deleting it.",
	"cli": "Detach the SG from the cluster's node pools (aliyun cs ModifyClusterNodePool) or delete the clusters that use it before aliyun ecs DeleteSecurityGroup.",
}
