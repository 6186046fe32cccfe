# METADATA
# title: CKV_ACK_14 No dead rules
# description: |
#   An accept rule that can never take effect: on every node its SG is on, a drop rule of an SG on
#   the same node (the same SG when the SG belongs to no cluster) with a priority number <= the
#   accept's matches every flow the accept matches (same direction; protocol all or the same;
#   ports that include the accept's; a peer CIDR that contains the accept's, or the same SG or
#   prefix list). The SGs on a node: a node pool's SGs, or the cluster's SG for nodes in no pool.
#   A drop that might cover the accept (unknown values), or an SG on the same nodes whose rules are
#   not in the sources, gives `unknown`. Malformed rules (CKV_ACK_13) are left out.
# custom:
#   id: CKV_ACK_14
package ack.rules.ckv_ack_14

import data.ack.lib.finding
import data.ack.lib.structure

_id := "CKV_ACK_14"

# _node_sets: the SG key lists of the cluster's nodes.
_node_sets(c) := array.concat(_pool_sets(c), _own_set(c))

_pool_sets(c) := [p.security_groups |
	some p in c.node_pools
	p.change != "delete"
	p.security_groups != null
	count(p.security_groups) > 0
]

# (regopy mis-evaluates `every ... { not x in ns }`, so the test is written positively.)
_own_set(c) := [] if {
	some ns in _pool_sets(c)
	c.security_group in ns
} else := [[c.security_group]] if {
	c.security_group != null
} else := []

# Performance: under regopy every user function call costs, arrays copy their members, and a rule
# body that iterates input.security_groups copies each SG. So each rule is reduced once to a small
# signature, accept/drop pairs are compared inline on signatures, the three-valued
# structure.covers runs only for pairs with unknown values, and the verdict lists hold indices.

# _drop_sig: what a rule that could shadow others (drop, or policy unknown) covers, at least.
# Unknown values take their narrowest reading, so an inline "yes" is certain.
_drop_sig(r, si, ri) := {
	"at": [si, ri],
	"act": r.action,
	"dir": _or(r.direction, "?d"),
	"proto": _or(r.protocol, "?d"),
	"lo": _or(structure.interval(r), [1, 0])[0],
	"hi": _or(structure.interval(r), [1, 0])[1],
	"peer": _peer_sig(r, "?d"),
	"prio": _or(r.priority, 101),
	"unk": _has_unknown_value(r),
}

# _accept_sig: what an accept rule matches, at most (unknown values take their widest reading).
_accept_sig(r) := {
	"dir": _or(r.direction, "?a"),
	"proto": _or(r.protocol, "?a"),
	"lo": _or(structure.interval(r), [1, 65535])[0],
	"hi": _or(structure.interval(r), [1, 65535])[1],
	"peer": _peer_sig(r, "?a"),
	"prio": _or(r.priority, 1),
	"unk": _has_unknown_value(r),
}

_or(v, alt) := v if {
	v != null
} else := alt

# _peer_sig: [space, first, last]; containment is equal space and first/last within.
_peer_sig(r, unknown) := [concat("", ["v", format_int(r.peer.cidr.family, 10)]), r.peer.cidr.first, r.peer.cidr.last] if {
	r.peer.kind == "cidr"
} else := [concat("", ["sg:", r.peer.sg]), "", ""] if {
	r.peer.kind == "sg"
} else := [concat("", ["pl:", r.peer.prefix_list]), "", ""] if {
	r.peer.kind == "prefix_list"
} else := [unknown, "", ""]

# regal ignore:boolean-assignment
_has_unknown_value(r) := count([v | some v in [r.action, r.direction, r.protocol, r.port_from, r.priority, r.peer.kind]; v in [null, "unknown"]]) > 0

# _set: what shadows accept rules on nodes whose SGs are ns: signatures of the drops (and rules
# of unknown policy) of the visible SGs, without malformed rules (CKV_ACK_13), bucketed by
# direction; those with unknown values; and the SGs whose rules are hidden.
_set(ns) := {
	"keys": ns,
	"by_dir": {
		"ingress": [d | some d in drops; d.dir == "ingress"],
		"egress": [d | some d in drops; d.dir == "egress"],
	},
	"all": drops,
	"unk": [d | some d in drops; d.unk == true],
	"hidden": [structure.label(s) |
		some k in ns
		s := input.security_groups[_]
		s.key == k
		s.rules_known != true
	],
} if {
	drops := [_drop_sig(d, si, ri) |
		some k in ns
		s := input.security_groups[si]
		s.key == k
		s.rules_known == true
		d := s.rules[ri]
		structure.rule_live(s, d)
		d.action != "accept"
		not structure.malformed(d)
	]
}

# _state: accept a (signature sa) on the nodes of one set: {"state": "dead"|"maybe"|"alive", ...}.
# The "yes" test is inline on signatures; the three-valued structure.covers runs only where a
# value is unknown.
_state(set, a, sa) := {"state": "dead", "by": _drop_words(yes[0])} if {
	yes := [d.at |
		some d in set.by_dir[sa.dir]
		d.prio <= sa.prio
		d.lo <= sa.lo
		sa.hi <= d.hi
		d.peer[0] == sa.peer[0]
		d.peer[1] <= sa.peer[1]
		sa.peer[2] <= d.peer[2]
		d.proto in ["all", sa.proto]
		d.act == "drop"
	]
	count(yes) > 0
} else := {"state": "maybe", "hidden": null, "why": concat("", [
	"cannot tell whether drop rule ", _drop_words(maybe[0]),
	" covers it: a value is not known until apply",
])} if {
	maybe := [d.at |
		some d in _doubtful(set, sa)
		structure.covers(input.security_groups[d.at[0]].rules[d.at[1]], a) == "maybe"
	]
	count(maybe) > 0
} else := {"state": "maybe", "hidden": set.hidden[0], "why": concat("", [
	"the rules of ", set.hidden[0],
	" on the same nodes are not in the scanned sources; a drop there could shadow it",
])} if {
	count(set.hidden) > 0
} else := {"state": "alive"}

# _doubtful: drops whose comparison with the accept involves an unknown value.
_doubtful(set, sa) := set.all if {
	sa.unk == true
} else := set.unk

# _text: a rule, at [SG index, rule index], in words for messages.
_drop_words(at) := concat("", [r.address, " (", structure.describe(r), ")"]) if {
	r := input.security_groups[at[0]].rules[at[1]]
}

# _verdict: fail / unknown / pass for accept a over the node sets its SG is on.
# (Sets with no drop and no hidden SG, the usual case, settle it without comparing anything.)
_accept_verdict(sets, a) := {"status": "pass"} if {
	every set in sets {
		count(set.all) + count(set.hidden) == 0
	}
} else := _combine_states([x | sa := _accept_sig(a); some set in sets; x := _state(set, a, sa)])

_combine_states(states) := {"status": "fail", "by": states[0].by} if {
	count(states) > 0
	every x in states {
		x.state == "dead"
	}
} else := {"status": "unknown", "why": maybe[0].why, "hidden": maybe[0].hidden} if {
	every x in states {
		x.state != "alive"
	}
	maybe := [x | some x in states; x.state == "maybe"]
	count(maybe) > 0
} else := {"status": "pass"}

_accept(a) if {
	a.action == "accept"
	not structure.malformed(a)
}

# -- clusters ----------------------------------------------------------------------------------

# _cluster_verdicts: [cluster index, SG index, rule index, verdict] per accept rule of a cluster.
_cluster_verdicts := [[ci, si, ai, v] |
	c := input.clusters[ci]
	sets := [_set(ns) | some ns in _node_sets(c)]
	s := input.security_groups[si]
	s.rules_known == true
	s.key in c.sg_set
	mine := [x | some x in sets; s.key in x.keys]
	a := s.rules[ai]
	structure.rule_live(s, a)
	_accept(a)
	v := _accept_verdict(mine, a)
]

_hidden_doubts contains [x[0], x[1]] if {
	some x in _cluster_verdicts
	x[3].status == "unknown"
	x[3].hidden != null
}

# -- SGs in no cluster: the SG alone ---------------------------------------------------------

_lone := [si |
	s := input.security_groups[si]
	s.rules_known == true
	not structure.in_some_cluster(s.key)
]

# _lone_verdicts: [SG index, rule index, verdict] per accept rule of an SG in no cluster.
_lone_verdicts := [[si, ai, v] |
	some si in _lone
	s := input.security_groups[si]
	sets := [_set([s.key])]
	a := s.rules[ai]
	structure.rule_live(s, a)
	_accept(a)
	v := _accept_verdict(sets, a)
]

findings contains finding.make(_id, "fail", a, msg, _remediation) if {
	some x in _cluster_verdicts
	x[3].status == "fail"
	c := input.clusters[x[0]]
	s := input.security_groups[x[1]]
	a := s.rules[x[2]]
	msg := concat("", [
		"accept rule of ", structure.label(s), " (", structure.describe(a),
		") can never take effect on the nodes of cluster ", c.address, ": drop rule ", x[3].by,
		" covers it and wins",
	])
}

findings contains finding.make(_id, "unknown", a, msg, null) if {
	some x in _cluster_verdicts
	x[3].status == "unknown"
	x[3].hidden == null
	c := input.clusters[x[0]]
	s := input.security_groups[x[1]]
	a := s.rules[x[2]]
	msg := concat("", [
		"accept rule of ", structure.label(s), " (", structure.describe(a), ") on cluster ", c.address,
		": ", x[3].why,
	])
}

# Doubts that come only from an SG whose rules are hidden are reported once per SG, not per rule.
findings contains finding.make(_id, "unknown", s, msg, null) if {
	some pair in _hidden_doubts
	[ci, si] := pair
	c := input.clusters[ci]
	s := input.security_groups[si]
	doubts := [x[3].hidden | some x in _cluster_verdicts; x[0] == ci; x[1] == si; x[3].status == "unknown"; x[3].hidden != null]
	msg := concat("", [
		"the accept rules of ", structure.label(s), " (", structure.num(count(doubts)), ") on cluster ", c.address,
		" share nodes with ", doubts[0], ", whose rules are not in the scanned sources; a drop there could shadow them",
	])
}

findings contains finding.make(_id, "pass", c, msg, null) if {
	some ci
	c := input.clusters[ci]
	count([1 | some x in _cluster_verdicts; x[0] == ci; x[3].status != "pass"]) == 0
	n := count([1 | some x in _cluster_verdicts; x[0] == ci])
	msg := concat("", ["none of the ", structure.num(n), " accept rules in the cluster's SG set is shadowed by a drop rule"])
}

findings contains finding.make(_id, "fail", a, msg, _remediation) if {
	some x in _lone_verdicts
	x[2].status == "fail"
	s := input.security_groups[x[0]]
	a := s.rules[x[1]]
	msg := concat("", [
		"accept rule of ", structure.label(s), " (", structure.describe(a),
		") can never take effect: drop rule ", x[2].by, " of the same SG covers it and wins",
	])
}

findings contains finding.make(_id, "unknown", a, msg, null) if {
	some x in _lone_verdicts
	x[2].status == "unknown"
	s := input.security_groups[x[0]]
	a := s.rules[x[1]]
	msg := concat("", ["accept rule of ", structure.label(s), " (", structure.describe(a), "): ", x[2].why])
}

findings contains finding.make(_id, "pass", s, msg, null) if {
	some si in _lone
	s := input.security_groups[si]
	count([1 | some x in _lone_verdicts; x[0] == si; x[2].status != "pass"]) == 0
	n := count([1 | some x in _lone_verdicts; x[0] == si])
	msg := concat("", ["none of the ", structure.num(n), " accept rules is shadowed by a drop rule"])
}

_remediation := {
	"terraform": "Remove the dead accept rule, or give it a smaller priority number than the drop rule (or narrow the drop's port_range / cidr_ip) if the traffic should be allowed.",
	"ros": "Remove the dead SecurityGroupIngress/Egress entry, or give it a smaller Priority than the drop entry (or narrow the drop's PortRange / CIDR).",
	"cli": "aliyun ecs RevokeSecurityGroup (or RevokeSecurityGroupEgress) for the dead rule, or aliyun ecs ModifySecurityGroupRule --Priority <n> to put it before the drop rule.",
}
