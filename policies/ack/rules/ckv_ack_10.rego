# METADATA
# title: CKV_ACK_10 Advanced SGs reference no security groups
# description: |
#   A rule of an advanced SG names a security group as peer, or any rule names an advanced SG as
#   peer: the API rejects both ("Rules cannot use a security group as the authorization object. An
#   advanced security group also cannot serve as an authorization object in other groups' rules").
#   Evaluated for every visible SG, in a cluster's set or in none. An unknown SG type, peer or peer
#   type gives `unknown`.
# custom:
#   id: CKV_ACK_10
package ack.rules.ckv_ack_10

import data.ack.lib.finding
import data.ack.lib.structure

_id := "CKV_ACK_10"

# _violation: why rule r of SG s breaks the rule (undefined when it does not).
_violation(s, r) := concat("", [
	"rule of advanced SG ", structure.label(s), " names SG ", r.peer.sg,
	" as peer (", structure.describe(r), "); advanced SGs cannot reference security groups",
]) if {
	s.type == "advanced"
	r.peer.kind == "sg"
} else := concat("", [
	"rule of ", structure.label(s), " names advanced SG ", r.peer.sg,
	" as peer (", structure.describe(r), "); an advanced SG cannot be an authorization object",
]) if {
	r.peer.kind == "sg"
	r.peer.sg_type == "advanced"
}

# _doubt: why the answer depends on a value the scan does not know.
_doubt(s, r) := concat("", [
	"rule of ", structure.label(s), " names SG ", r.peer.sg,
	" as peer, but the type of ", structure.label(s), " is not known; advanced SGs cannot reference security groups",
]) if {
	s.type == null
	r.peer.kind == "sg"
	r.peer.sg_type != "advanced"
} else := concat("", [
	"rule of ", structure.label(s), " names SG ", r.peer.sg,
	" as peer, whose type is not known (it is not in the scanned sources or its type is unknown); an advanced SG cannot be an authorization object",
]) if {
	s.type != "advanced"
	r.peer.kind == "sg"
	r.peer.sg_type == null
} else := concat("", [
	"rule of advanced SG ", structure.label(s),
	": its peer is not known until apply; advanced SGs cannot reference security groups",
]) if {
	s.type == "advanced"
	r.peer.kind == "unknown"
}

# _judged: [SG index, rule index, status, message] per live rule of a visible SG, computed once.
_judged := [[si, ri, j.status, j.msg] |
	s := input.security_groups[si]
	r := s.rules[ri]
	structure.rule_live(s, r)
	j := _judge(s, r)
]

_judge(s, r) := {"status": "fail", "msg": m} if {
	m := _violation(s, r)
} else := {"status": "unknown", "msg": m} if {
	m := _doubt(s, r)
} else := {"status": "pass", "msg": ""}

# _visible: the SGs judged here: with rules in the sources, and not deleted by the plan.
_visible := [si |
	s := input.security_groups[si]
	structure.has_source_rules(s)
	s.change != "delete"
]

findings contains finding.make(_id, "fail", r, x[3], _remediation) if {
	some x in _judged
	x[2] == "fail"
	r := input.security_groups[x[0]].rules[x[1]]
}

findings contains finding.make(_id, "unknown", r, x[3], null) if {
	some x in _judged
	x[2] == "unknown"
	r := input.security_groups[x[0]].rules[x[1]]
}

findings contains finding.make(_id, "pass", s, msg, null) if {
	some si in _visible
	count([1 | some x in _judged; x[0] == si; x[2] != "pass"]) == 0
	s := input.security_groups[si]
	msg := _pass_msg(s)
}

_pass_msg(s) := "advanced SG: no rule names a security group as peer" if {
	s.type == "advanced"
} else := "no rule names an advanced SG as peer"

_remediation := {
	"terraform": "Replace source_security_group_id with cidr_ip set to the VPC CIDR or the cluster's vSwitch CIDRs (the guide's advanced-SG rows), or use basic SGs on both sides.",
	"ros": "Replace SourceGroupId/DestGroupId with SourceCidrIp/DestCidrIp set to the VPC CIDR or the cluster's vSwitch CIDRs.",
	"cli": "aliyun ecs RevokeSecurityGroup --Permissions.1.SourceGroupId <sg-id> ...; then aliyun ecs AuthorizeSecurityGroup --Permissions.1.SourceCidrIp <VPC or vSwitch CIDR> ...",
}
