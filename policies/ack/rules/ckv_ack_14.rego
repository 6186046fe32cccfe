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

_accept(a) if {
	a.action == "accept"
	not structure.malformed(a)
}

# _candidates: rules of the SGs in ns that could shadow accept a (drops, or unknown policy).
_candidates(ns, a) := [d |
	some key in ns
	t := structure.sg(key)
	structure.visible(t)
	some d in structure.live_rules(t)
	d.key != a.key
	d.action != "accept"
	not structure.malformed(d)
]

_hidden(ns) := [t |
	some key in ns
	t := structure.sg(key)
	not structure.visible(t)
]

# _state: accept a on the nodes whose SGs are ns: {"state": "dead"|"maybe"|"alive", ...}.
_state(ns, a) := {"state": "dead", "by": yes[0]} if {
	yes := [d | some d in _candidates(ns, a); structure.covers(d, a) == "yes"]
	count(yes) > 0
} else := {"state": "maybe", "why": concat("", [
	"cannot tell whether drop rule ", maybe[0].address, " (", structure.describe(maybe[0]),
	") covers it: a value is not known until apply",
])} if {
	maybe := [d | some d in _candidates(ns, a); structure.covers(d, a) == "maybe"]
	count(maybe) > 0
} else := {"state": "maybe", "why": concat("", [
	"the rules of ", structure.label(hidden[0]),
	" on the same nodes are not in the scanned sources; a drop there could shadow it",
])} if {
	hidden := _hidden(ns)
	count(hidden) > 0
} else := {"state": "alive"}

# _verdict: fail / unknown / pass for accept a given the node sets its SG is on.
_verdict(sets, a) := {"status": "fail", "by": first.by} if {
	states := [x | some ns in sets; x := _state(ns, a)]
	count(states) > 0
	every x in states {
		x.state == "dead"
	}
	first := states[0]
} else := {"status": "unknown", "why": maybe[0].why} if {
	states := [x | some ns in sets; x := _state(ns, a)]
	every x in states {
		x.state != "alive"
	}
	maybe := [x | some x in states; x.state == "maybe"]
	count(maybe) > 0
} else := {"status": "pass"}

# -- clusters ----------------------------------------------------------------------------------

_cluster_verdicts(c) := [[s, a, v] |
	sets := _node_sets(c)
	some key in c.sg_set
	s := structure.sg(key)
	structure.visible(s)
	mine := [ns | some ns in sets; key in ns]
	some a in structure.live_rules(s)
	_accept(a)
	v := _verdict(mine, a)
]

findings contains finding.make(_id, "fail", a, msg, _remediation) if {
	some c in input.clusters
	some x in _cluster_verdicts(c)
	[s, a, v] := x
	v.status == "fail"
	msg := concat("", [
		"accept rule of ", structure.label(s), " (", structure.describe(a),
		") can never take effect on the nodes of cluster ", c.address, ": drop rule ", v.by.address,
		" (", structure.describe(v.by), ") covers it and wins",
	])
}

findings contains finding.make(_id, "unknown", a, msg, null) if {
	some c in input.clusters
	some x in _cluster_verdicts(c)
	[s, a, v] := x
	v.status == "unknown"
	msg := concat("", [
		"accept rule of ", structure.label(s), " (", structure.describe(a), ") on cluster ", c.address,
		": ", v.why,
	])
}

findings contains finding.make(_id, "pass", c, msg, null) if {
	some c in input.clusters
	verdicts := _cluster_verdicts(c)
	every x in verdicts {
		x[2].status == "pass"
	}
	msg := concat("", ["none of the ", structure.num(count(verdicts)), " accept rules in the cluster's SG set is shadowed by a drop rule"])
}

# -- SGs in no cluster: the SG alone ---------------------------------------------------------

_lone_verdicts(s) := [[a, v] |
	some a in structure.live_rules(s)
	_accept(a)
	v := _verdict([[s.key]], a)
]

_lone(s) if {
	structure.visible(s)
	not structure.in_some_cluster(s.key)
}

findings contains finding.make(_id, "fail", a, msg, _remediation) if {
	some s in input.security_groups
	_lone(s)
	some x in _lone_verdicts(s)
	[a, v] := x
	v.status == "fail"
	msg := concat("", [
		"accept rule of ", structure.label(s), " (", structure.describe(a),
		") can never take effect: drop rule ", v.by.address, " (", structure.describe(v.by),
		") of the same SG covers it and wins",
	])
}

findings contains finding.make(_id, "unknown", a, msg, null) if {
	some s in input.security_groups
	_lone(s)
	some x in _lone_verdicts(s)
	[a, v] := x
	v.status == "unknown"
	msg := concat("", ["accept rule of ", structure.label(s), " (", structure.describe(a), "): ", v.why])
}

findings contains finding.make(_id, "pass", s, msg, null) if {
	some s in input.security_groups
	_lone(s)
	verdicts := _lone_verdicts(s)
	every x in verdicts {
		x[1].status == "pass"
	}
	msg := concat("", ["none of the ", structure.num(count(verdicts)), " accept rules is shadowed by a drop rule"])
}

_remediation := {
	"terraform": "Remove the dead accept rule, or give it a smaller priority number than the drop rule (or narrow the drop's port_range / cidr_ip) if the traffic should be allowed.",
	"ros": "Remove the dead SecurityGroupIngress/Egress entry, or give it a smaller Priority than the drop entry (or narrow the drop's PortRange / CIDR).",
	"cli": "aliyun ecs RevokeSecurityGroup (or RevokeSecurityGroupEgress) for the dead rule, or aliyun ecs ModifySecurityGroupRule --Priority <n> to put it before the drop rule.",
}
