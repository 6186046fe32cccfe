# METADATA
# title: CKV_ACK_13 Rules are well-formed
# description: |
#   A rule the API rejects or misreads: a port range that is not start/end, reversed, outside
#   1..65535 for TCP/UDP, or other than -1/-1 for ICMP/GRE/ALL; priority outside 1..100; no peer
#   or an invalid one; an unknown protocol, direction or policy. One finding per problem, naming the
#   field and the value. Fields the scan cannot know give `unknown`; a visible SG whose rules are
#   all well-formed and known passes.
# custom:
#   id: CKV_ACK_13
package ack.rules.ckv_ack_13

import data.ack.lib.finding
import data.ack.lib.structure

_id := "CKV_ACK_13"

# _checked: [SG index, rule index, problems, unknowns] per live rule of a visible SG, computed
# once (under regopy a rule body that iterates input.security_groups copies each SG).
_checked := [[si, ri, structure.problems(r), structure.unknowns(r)] |
	s := input.security_groups[si]
	r := s.rules[ri]
	structure.rule_live(s, r)
]

# _visible: the SGs judged here: with rules in the sources, and not deleted by the plan.
_visible := [si |
	s := input.security_groups[si]
	structure.has_source_rules(s)
	s.change != "delete"
]

findings contains finding.make(_id, "fail", r, msg, _fix_for(p.field)) if {
	some x in _checked
	some p in x[2]
	s := input.security_groups[x[0]]
	r := s.rules[x[1]]
	msg := concat("", ["rule of ", structure.label(s), " is malformed: ", p.text])
}

findings contains finding.make(_id, "unknown", r, msg, null) if {
	some x in _checked
	some f in x[3]
	s := input.security_groups[x[0]]
	r := s.rules[x[1]]
	msg := concat("", ["rule of ", structure.label(s), ": ", _field_name(f), " is not known until apply; cannot tell whether it is valid"])
}

findings contains finding.make(_id, "pass", s, msg, null) if {
	some si in _visible
	count([1 | some x in _checked; x[0] == si; count(x[2]) + count(x[3]) > 0]) == 0
	n := count([1 | some x in _checked; x[0] == si])
	s := input.security_groups[si]
	msg := concat("", ["all ", structure.num(n), " rules are well-formed"])
}

_field_name("action") := "policy"

_field_name(f) := f if f != "action"

_fix_for("port_range") := {
	"terraform": "Set port_range to \"start/end\" with 1 <= start <= end <= 65535 for tcp/udp (e.g. \"443/443\"), or \"-1/-1\" for icmp, gre and all.",
	"ros": "Set PortRange to start/end with 1 <= start <= end <= 65535 for tcp/udp, or -1/-1 for icmp, gre and all.",
	"cli": "aliyun ecs AuthorizeSecurityGroup --PortRange 443/443 (tcp/udp) or --PortRange -1/-1 (icmp, gre, all); revoke the malformed rule with aliyun ecs RevokeSecurityGroup.",
}

_fix_for("priority") := {
	"terraform": "Set priority to an integer from 1 (highest) to 100.",
	"ros": "Set Priority to an integer from 1 (highest) to 100.",
	"cli": "aliyun ecs ModifySecurityGroupRule --Priority <1..100>",
}

_fix_for("peer") := {
	"terraform": "Set exactly one peer: cidr_ip, ipv6_cidr_ip, source_security_group_id or prefix_list_id, with a valid CIDR block.",
	"ros": "Set SourceCidrIp/DestCidrIp, Ipv6SourceCidrIp/Ipv6DestCidrIp, SourceGroupId/DestGroupId or a prefix list, with a valid CIDR block.",
	"cli": "aliyun ecs AuthorizeSecurityGroup --Permissions.1.SourceCidrIp <CIDR> (or SourceGroupId / SourcePrefixListId)",
}

_fix_for("protocol") := {
	"terraform": "Set ip_protocol to one of tcp, udp, icmp, icmpv6, gre, all.",
	"ros": "Set IpProtocol to one of tcp, udp, icmp, icmpv6, gre, all.",
	"cli": "aliyun ecs AuthorizeSecurityGroup --Permissions.1.IpProtocol tcp|udp|icmp|icmpv6|gre|all",
}

_fix_for("direction") := {
	"terraform": "Set type to ingress or egress.",
	"ros": "Use ALIYUN::ECS::SecurityGroupIngress or ALIYUN::ECS::SecurityGroupEgress (or SecurityGroupIngress/SecurityGroupEgress lists).",
	"cli": "aliyun ecs AuthorizeSecurityGroup (ingress) or aliyun ecs AuthorizeSecurityGroupEgress (egress)",
}

_fix_for("action") := {
	"terraform": "Set policy to accept or drop.",
	"ros": "Set Policy to accept or drop.",
	"cli": "aliyun ecs AuthorizeSecurityGroup --Permissions.1.Policy accept|drop",
}
