# METADATA
# title: CKV_ACK_9 No pod CIDR rule in Terway mode
# description: |
#   Terway cluster whose SG set has a rule whose peer CIDR is the pod CIDR (contained in or equal
#   to it): "Do not add this rule if the Terway network mode is used". Skipped for Flannel
#   clusters; a cluster without a pod CIDR passes (no rule can name it). An unknown network plugin,
#   an unknown or invalid pod CIDR, an unknown peer, or an SG whose rules are not in the sources
#   give `unknown`.
# custom:
#   id: CKV_ACK_9
package ack.rules.ckv_ack_9

import data.ack.lib.finding
import data.ack.lib.structure

_id := "CKV_ACK_9"

# clusters this rule looks at: not Flannel, with a pod CIDR (known, or unknown until apply).
_candidate(c) if {
	c.network_plugin != "flannel"
	c.pod_cidr != null
}

_candidate(c) if {
	c.network_plugin != "flannel"
	c.pod_cidr == null
	object.get(c.provenance, "pod_cidr", null) == "unknown"
}

_hit(c, r) if {
	r.peer.kind == "cidr"
	structure.cidr_contains(c.pod_cidr, r.peer.cidr)
}

_suspect(c, r) if _hit(c, r)

_suspect(_, r) if r.peer.kind == "unknown"

# _flags: [cluster index, SG index, rule index] per rule of a cluster with a known pod CIDR whose
# peer is inside it or unknown; _hidden: [cluster index, SG index] per SG whose rules are not in
# the sources. Computed once, holding indices (under regopy, rule bodies iterating SGs copy them).
_flags := [[ci, si, ri] |
	c := input.clusters[ci]
	_candidate(c)
	c.pod_cidr != null
	some key in c.sg_set
	s := input.security_groups[si]
	s.key == key
	s.rules_known == true
	r := s.rules[ri]
	structure.rule_live(s, r)
	_suspect(c, r)
]

_hidden := [[ci, si] |
	c := input.clusters[ci]
	_candidate(c)
	c.pod_cidr != null
	some key in c.sg_set
	s := input.security_groups[si]
	s.key == key
	s.rules_known != true
]

_hit_msg(c, s, r) := concat("", [
	"rule of ", structure.label(s), " on cluster ", c.address, " allows ",
	structure.describe(r), "; its peer is inside the pod CIDR ", c.pod_cidr.cidr,
])

findings contains finding.make(_id, "fail", r, msg, _remediation) if {
	some x in _flags
	c := input.clusters[x[0]]
	c.network_plugin == "terway"
	s := input.security_groups[x[1]]
	r := s.rules[x[2]]
	_hit(c, r)
	msg := concat("", [_hit_msg(c, s, r), ", which Terway does not use (pods take vSwitch IPs)"])
}

findings contains finding.make(_id, "unknown", r, msg, null) if {
	some x in _flags
	c := input.clusters[x[0]]
	c.network_plugin == "unknown"
	s := input.security_groups[x[1]]
	r := s.rules[x[2]]
	_hit(c, r)
	msg := concat("", [_hit_msg(c, s, r), "; the network plugin is not known, and this rule is wrong in Terway mode"])
}

findings contains finding.make(_id, "unknown", r, msg, null) if {
	some x in _flags
	c := input.clusters[x[0]]
	s := input.security_groups[x[1]]
	r := s.rules[x[2]]
	r.peer.kind == "unknown"
	msg := concat("", [
		"rule of ", structure.label(s), " on cluster ", c.address,
		": its peer is not known until apply; cannot tell whether it is the pod CIDR ", c.pod_cidr.cidr,
	])
}

findings contains finding.make(_id, "unknown", c, msg, null) if {
	some c in input.clusters
	_candidate(c)
	c.pod_cidr == null
	msg := "pod_cidr is not known until apply; cannot tell whether a rule names the pod CIDR"
}

findings contains finding.make(_id, "unknown", c, msg, null) if {
	some x in _hidden
	c := input.clusters[x[0]]
	s := input.security_groups[x[1]]
	msg := concat("", [
		"the rules of ", structure.label(s), " (", s.origin,
		") are not in the scanned sources; cannot tell whether one names the pod CIDR ", c.pod_cidr.cidr,
	])
}

findings contains finding.make(_id, "pass", c, msg, null) if {
	some ci
	c := input.clusters[ci]
	_candidate(c)
	c.pod_cidr != null
	c.network_plugin in ["terway", "unknown"]
	count([1 | some x in _flags; x[0] == ci]) == 0
	count([1 | some x in _hidden; x[0] == ci]) == 0
	msg := concat("", ["no rule in the cluster's SG set names the pod CIDR ", c.pod_cidr.cidr, _plugin_note(c)])
}

findings contains finding.make(_id, "pass", c, msg, null) if {
	some c in input.clusters
	c.network_plugin != "flannel"
	c.pod_cidr == null
	not object.get(c.provenance, "pod_cidr", null) in ["unknown", "invalid"]
	msg := concat("", ["the cluster has no pod CIDR, so no rule can name it", _plugin_note(c)])
}

findings contains finding.make(_id, "unknown", c, msg, null) if {
	some c in input.clusters
	c.network_plugin != "flannel"
	c.pod_cidr == null
	c.provenance.pod_cidr == "invalid"
	msg := concat("", ["pod_cidr \"", sprintf("%v", [object.get(c.raw, "pod_cidr", "")]), "\" is not a CIDR block; cannot tell whether a rule names the pod CIDR"])
}

_plugin_note(c) := " (network plugin unknown)" if {
	c.network_plugin == "unknown"
} else := ""

_remediation := {
	"terraform": "Remove the alicloud_security_group_rule whose cidr_ip is the pod CIDR: Terway pods use vSwitch IPs, which the vSwitch/VPC CIDR rules already cover.",
	"ros": "Remove the SecurityGroupIngress/SecurityGroupEgress entry whose SourceCidrIp/DestCidrIp is the pod CIDR.",
	"cli": "aliyun ecs RevokeSecurityGroup --SecurityGroupId <sg-id> --Permissions.1.SourceCidrIp <pod CIDR> ... (RevokeSecurityGroupEgress for outbound rules)",
}
