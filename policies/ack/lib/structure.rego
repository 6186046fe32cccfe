# METADATA
# title: Structural helpers
# description: |
#   Small helpers for the structural rules (CKV_ACK_9 .. CKV_ACK_15): SG lookup by key, live rules,
#   CIDR containment from the adapters' hex facts, rule well-formedness (problems/unknowns) and
#   "does one rule cover another" as a three-valued answer ("yes", "no", "maybe").
#   Only builtins that regopy implements like OPA; arrays rather than sets.
#
#   regopy 1.5.2 pitfalls met while writing CKV_ACK_9..15 (each checked against OPA):
#   - `every x in xs { not p(x) }` is always true: write the test positively.
#   - Same-named private functions in two packages (`_flagged(c, r)` here, `_flagged(cluster)`
#     there) fail with "Unable to unify due to cycle"; a bundle built anyway aborts the process.
#   - A rule body that iterates input.security_groups copies each SG with all its rules, and so do
#     function results and array members: iterate inside comprehensions, keep indices in lists.
package ack.lib.structure

protocols := ["tcp", "udp", "icmp", "gre", "icmpv6", "all"]

directions := ["ingress", "egress"]

actions := ["accept", "drop"]

# Performance under regopy: arrays and objects copy their members, and so do function results.
# So no function here returns an SG (with all its rules), and no array holds one: callers iterate
# input.security_groups and match keys. Rule objects go into arrays only where needed.

# rule_live: rule r of SG s still exists after the planned changes.
rule_live(s, r) if {
	s.change != "delete"
	r.change != "delete"
}

# visible: the SG is defined with its rules in the scanned sources.
visible(s) if s.rules_known == true

# has_source_rules: some of the SG's rules are in the scanned sources: all of them (visible), or
# those written against an SG that is itself not in the sources (a literal ID, a parameter).
has_source_rules(s) if visible(s)

has_source_rules(s) if count(s.rules) > 0

# in_some_cluster: the SG key belongs to the SG set of a cluster of the document.
in_some_cluster(key) if {
	some c in input.clusters
	key in c.sg_set
}

# num renders an integer (negative ones too: regopy's format_int is wrong for negatives).
num(n) := format_int(n, 10) if {
	n >= 0
} else := concat("", ["-", format_int(0 - n, 10)])

# label names an SG for messages: its address, and its ID when the address is not the ID.
label(s) := concat("", [s.address, " (", s.id, ")"]) if {
	s.id != null
	s.id != s.address
} else := s.address

# cidr_contains: inner lies within outer (same family, fixed-width hex comparison).
cidr_contains(outer, inner) if {
	outer.family == inner.family
	outer.first <= inner.first
	inner.last <= outer.last
}

_prov(r, field) := object.get(r.provenance, field, null)

unknown_field(r, field) if _prov(r, field) == "unknown"

# ---------------------------------------------------------------------------------------------
# Well-formedness (CKV_ACK_13). Each problem: {"field", "value", "text"}.

# problems: [] at once for the usual, sound rule (regopy pays for every function call).
problems(r) := [] if {
	_sound(r)
} else := [p |
	some p in [
		_p_direction(r), _p_protocol(r), _p_port_invalid(r), _p_port_reversed(r),
		_p_port_bounds(r), _p_port_not_all(r), _p_priority_invalid(r), _p_priority_range(r),
		_p_peer(r), _p_action(r),
	]
	p != null
]

malformed(r) if count(problems(r)) > 0

_sound(r) if {
	r.direction in directions
	r.protocol in protocols
	r.action in actions
	r.peer.kind in ["cidr", "sg", "prefix_list"]
	is_number(r.priority)
	r.priority >= 1
	r.priority <= 100
	_sound_ports(r)
}

_sound_ports(r) if {
	r.port_from == -1
	r.port_to == -1
}

_sound_ports(r) if {
	r.protocol in ["tcp", "udp"]
	is_number(r.port_from)
	is_number(r.port_to)
	r.port_from >= 1
	r.port_from <= r.port_to
	r.port_to <= 65535
}

# unknowns: fields the judgement needs whose value the scan cannot know.
unknowns(r) := [f |
	some f in ["direction", "protocol", "port_range", "peer", "priority", "action"]
	r.provenance[f] == "unknown"
]

_p_direction(r) := {"field": "direction", "value": null, "text": "the rule has no direction (ingress or egress)"} if {
	r.direction == null
	not unknown_field(r, "direction")
} else := {"field": "direction", "value": r.direction, "text": concat("", ["direction \"", r.direction, "\" is neither ingress nor egress"])} if {
	r.direction != null
	not r.direction in directions
} else := null

_p_protocol(r) := {"field": "protocol", "value": null, "text": "the rule has no protocol"} if {
	r.protocol == null
	not unknown_field(r, "protocol")
} else := {"field": "protocol", "value": r.protocol, "text": concat("", ["protocol \"", r.protocol, "\" is not one of tcp, udp, icmp, gre, icmpv6, all"])} if {
	r.protocol != null
	not r.protocol in protocols
} else := null

_p_port_invalid(r) := {"field": "port_range", "value": v, "text": concat("", ["port_range \"", v, "\" is not start/end"])} if {
	_prov(r, "port_range") == "invalid"
	v := sprintf("%v", [object.get(r.raw, "port_range", r.port_range)])
} else := null

_p_port_reversed(r) := {"field": "port_range", "value": r.port_range, "text": concat("", ["port_range \"", r.port_range, "\" starts after it ends (", num(r.port_from), " > ", num(r.port_to), ")"])} if {
	r.port_from != null
	r.port_to != null
	r.port_from > r.port_to
} else := null

_all_ports(r) if {
	r.port_from == -1
	r.port_to == -1
}

_out_of_bounds(n) if n < 1

_out_of_bounds(n) if n > 65535

_p_port_bounds(r) := {"field": "port_range", "value": r.port_range, "text": concat("", ["port_range \"", r.port_range, "\" has ports outside 1..65535 for ", r.protocol])} if {
	r.protocol in ["tcp", "udp"]
	r.port_from != null
	not _all_ports(r)
	some n in [r.port_from, r.port_to]
	_out_of_bounds(n)
} else := null

_p_port_not_all(r) := {"field": "port_range", "value": r.port_range, "text": concat("", ["port_range \"", r.port_range, "\" on protocol ", r.protocol, " must be -1/-1"])} if {
	r.protocol in ["icmp", "gre", "icmpv6", "all"]
	r.port_from != null
	not _all_ports(r)
} else := null

_p_priority_invalid(r) := {"field": "priority", "value": v, "text": concat("", ["priority \"", v, "\" is not an integer"])} if {
	_prov(r, "priority") == "invalid"
	v := sprintf("%v", [object.get(r.raw, "priority", "")])
} else := null

_p_priority_range(r) := {"field": "priority", "value": r.priority, "text": concat("", ["priority ", num(r.priority), " is outside 1..100"])} if {
	r.priority != null
	_priority_out(r.priority)
} else := null

_priority_out(n) if n < 1

_priority_out(n) if n > 100

_p_peer(r) := {"field": "peer", "value": null, "text": "the rule has no peer (cidr_ip, ipv6_cidr_ip, source_security_group_id or prefix_list_id)"} if {
	r.peer.kind == "none"
} else := {"field": "peer", "value": v, "text": concat("", ["peer \"", v, "\" is not a CIDR block"])} if {
	r.peer.kind == "invalid"
	v := sprintf("%v", [object.get(r.raw, "peer", "")])
} else := null

_p_action(r) := {"field": "action", "value": r.action, "text": concat("", ["policy \"", r.action, "\" is neither accept nor drop"])} if {
	r.action != null
	not r.action in actions
} else := null

# ---------------------------------------------------------------------------------------------
# Coverage (CKV_ACK_14): does drop rule d match every flow accept rule a matches, at a priority
# that wins? "yes", "no" or "maybe" (a value needed is unknown).

covers(d, a) := _combine(_cover_dims(d, a))

_combine(dims) := "no" if {
	"no" in dims
} else := "yes" if {
	every v in dims {
		v == "yes"
	}
} else := "maybe"

_cover_dims(d, a) := [
	_c_action(d), _c_direction(d, a), _c_protocol(d, a), _c_ports(d, a), _c_peer(d, a),
	_c_priority(d, a),
]

_c_action(d) := "yes" if {
	d.action == "drop"
} else := "maybe" if {
	d.action == null
} else := "no"

_c_direction(d, a) := "maybe" if {
	some x in [d.direction, a.direction]
	x == null
} else := "yes" if {
	d.direction == a.direction
} else := "no"

_c_protocol(d, a) := "yes" if {
	d.protocol == "all"
} else := "maybe" if {
	some x in [d.protocol, a.protocol]
	x == null
} else := "yes" if {
	d.protocol == a.protocol
} else := "no"

# interval: the ports a rule names; -1/-1 is every port.
interval(r) := [1, 65535] if {
	_all_ports(r)
} else := [r.port_from, r.port_to] if {
	r.port_from != null
	r.port_to != null
} else := null

_c_ports(d, a) := "maybe" if {
	interval(d) == null
} else := "yes" if {
	interval(d) == [1, 65535]
} else := "maybe" if {
	interval(a) == null
} else := "yes" if {
	interval(d)[0] <= interval(a)[0]
	interval(a)[1] <= interval(d)[1]
} else := "no"

_c_peer(d, a) := "maybe" if {
	some k in [d.peer.kind, a.peer.kind]
	k == "unknown"
} else := "yes" if {
	d.peer.kind == "cidr"
	a.peer.kind == "cidr"
	cidr_contains(d.peer.cidr, a.peer.cidr)
} else := "yes" if {
	d.peer.kind == "sg"
	a.peer.kind == "sg"
	d.peer.sg == a.peer.sg
} else := "yes" if {
	d.peer.kind == "prefix_list"
	a.peer.kind == "prefix_list"
	d.peer.prefix_list == a.peer.prefix_list
} else := "no"

_c_priority(d, a) := "maybe" if {
	some x in [d.priority, a.priority]
	x == null
} else := "yes" if {
	d.priority <= a.priority
} else := "no"

# describe: a rule in words for messages ("ingress tcp 22/22 from 0.0.0.0/0, drop, priority 1").
describe(r) := concat("", [
	_text(r.direction), " ", _text(r.protocol), " ", _text(r.port_range), " ",
	_peer_word(r), " ", peer_text(r), ", ", _text(r.action), ", priority ", _priority_words(r),
])

_text(v) := v if is_string(v)

_text(v) := "?" if not is_string(v)

_priority_words(r) := num(r.priority) if {
	is_number(r.priority)
} else := "?"

_peer_word(r) := "to" if {
	r.direction == "egress"
} else := "from"

peer_text(r) := r.peer.cidr.cidr if {
	r.peer.kind == "cidr"
} else := concat("", ["SG ", r.peer.sg]) if {
	r.peer.kind == "sg"
} else := concat("", ["prefix list ", r.peer.prefix_list]) if {
	r.peer.kind == "prefix_list"
} else := "an unknown peer" if {
	r.peer.kind == "unknown"
} else := "no valid peer"
