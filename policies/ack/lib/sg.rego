# METADATA
# title: Security-group semantics
# description: |
#   Does a rule match a flow, and what does a set of SGs on one node decide for a flow.
#   A flow is {"direction", "protocol" (one of tcp/udp/icmp/gre/icmpv6), "port_from", "port_to",
#   "peer"}; its peer is {"kind": "cidr", "cidr": <CIDR facts>, "label"} or
#   {"kind": "sg", "sg": <SG key>, "members": [<CIDR facts>], "label"} (members: the CIDRs the
#   SG's members live in, when known). Ports of a flow are 1..65535 for "all ports".
#   CIDR containment compares the fixed-width hex first/last strings within one family, so no
#   net.* builtin is needed (regopy lacks them).
#   A rule is "known" when every field that decides a match is known; rules with unknown or
#   invalid fields, and SGs whose rules are not in the sources ("opaque"), never let a verdict
#   pass: they make it unknown unless a known drop that nothing can beat decides it.
package ack.lib.sg

# ---------------------------------------------------------------- rule fields

_match_fields := ["direction", "protocol", "port_range", "peer", "action", "priority"]

_bad_provenance := ["unknown", "invalid"]

_opaque_peer_kinds := ["unknown", "invalid", "prefix_list"]

# field_unknown(rule, name): the field that decides a match is not known.
field_unknown(rule, name) if {
	name in _match_fields
	object.get(rule.provenance, name, "given") in _bad_provenance
}

field_unknown(rule, "peer") if rule.peer.kind in _opaque_peer_kinds

field_unknown(rule, "direction") if rule.direction == null

field_unknown(rule, "protocol") if rule.protocol == null

field_unknown(rule, "port_range") if rule.port_from == null

field_unknown(rule, "action") if rule.action == null

field_unknown(rule, "priority") if rule.priority == null

# unknown_fields lists, in a fixed order, the fields of rule that are not known. (known(rule)
# first: a handful of statements instead of checking six fields of a rule that has none unknown.)
unknown_fields(rule) := [] if {
	known(rule)
} else := [name | some name in _match_fields; field_unknown(rule, name)]

# known(rule): every field that decides a match is known. (The builders store null for every
# unknown or invalid field, and peer kind unknown/invalid/prefix_list, so this is the fast form of
# count(unknown_fields(rule)) == 0.)
known(rule) if {
	rule.direction != null
	rule.protocol != null
	rule.port_from != null
	rule.action != null
	rule.priority != null
	not rule.peer.kind in _opaque_peer_kinds
}

# live(rule): the rule exists after the change (a plan may delete it).
live(rule) if rule.change != "delete"

# ---------------------------------------------------------------- field matching

_ported := ["tcp", "udp"]

_all_protocols := ["tcp", "udp", "icmp", "gre", "icmpv6"]

# protocol_covers(rp, fp): rule protocol rp covers flow protocol fp ("all" covers every protocol).
protocol_covers(rp, fp) if rp == fp

protocol_covers("all", fp) if fp in _all_protocols

# range(from, to): a port range as [low, high]; -1/-1 is every port.
range(from, to) := [1, 65535] if {
	from == -1
	to == -1
} else := [from, to]

_rule_range(rule) := range(rule.port_from, rule.port_to)

# Ports cover: ICMP/GRE flows ignore ports; 1/65535 and -1/-1 are both every port.
_ports_cover(_, flow) if not flow.protocol in _ported

_ports_cover(rule, flow) if {
	flow.protocol in _ported
	r := _rule_range(rule)
	r[0] <= flow.port_from
	flow.port_to <= r[1]
}

_ports_overlap(_, flow) if not flow.protocol in _ported

_ports_overlap(rule, flow) if {
	flow.protocol in _ported
	r := _rule_range(rule)
	r[0] <= flow.port_to
	flow.port_from <= r[1]
}

# cidr_contains(outer, inner): CIDR facts containment (same family, fixed-width hex compare).
cidr_contains(outer, inner) if {
	outer.family == inner.family
	outer.first <= inner.first
	inner.last <= outer.last
}

# cidr_overlaps(a, b): CIDR blocks are nested or disjoint; this tells which.
cidr_overlaps(a, b) if {
	a.family == b.family
	a.first <= b.last
	b.first <= a.last
}

# peer_covers(rp, fp): every address of flow peer fp is in rule peer rp.
peer_covers(rp, fp) if {
	rp.kind == "cidr"
	fp.kind == "cidr"
	cidr_contains(rp.cidr, fp.cidr)
}

peer_covers(rp, fp) if {
	rp.kind == "sg"
	fp.kind == "sg"
	rp.sg == fp.sg
}

# A CIDR covers an SG peer when it holds every (known) CIDR the SG's members live in.
peer_covers(rp, fp) if {
	rp.kind == "cidr"
	fp.kind == "sg"
	count(fp.members) > 0
	every m in fp.members {
		cidr_contains(rp.cidr, m)
	}
}

# peer_overlaps(rp, fp): some address of flow peer fp is in rule peer rp.
peer_overlaps(rp, fp) if {
	rp.kind == "cidr"
	fp.kind == "cidr"
	cidr_overlaps(rp.cidr, fp.cidr)
}

peer_overlaps(rp, fp) if {
	rp.kind == "sg"
	fp.kind == "sg"
	rp.sg == fp.sg
}

peer_overlaps(rp, fp) if {
	rp.kind == "cidr"
	fp.kind == "sg"
	some m in fp.members
	cidr_overlaps(rp.cidr, m)
}

# 0.0.0.0/0 holds every member, known or not.
peer_overlaps(rp, fp) if {
	rp.kind == "cidr"
	fp.kind == "sg"
	rp.cidr.prefix_len == 0
	rp.cidr.family == 4
}

# ---------------------------------------------------------------- rule vs flow

_f_overlaps(rule, flow, "direction") if rule.direction == flow.direction

_f_overlaps(rule, flow, "protocol") if protocol_covers(rule.protocol, flow.protocol)

_f_overlaps(rule, flow, "port_range") if _ports_overlap(rule, flow)

_f_overlaps(rule, flow, "peer") if peer_overlaps(rule.peer, flow.peer)

_flow_fields := ["direction", "protocol", "port_range", "peer"]

# covers(rule, flow): a known rule matches every packet of the flow.
covers(rule, flow) if {
	known(rule)
	_kcovers(rule, flow)
}

# overlaps(rule, flow): a known rule matches some packet of the flow.
overlaps(rule, flow) if {
	known(rule)
	_koverlaps(rule, flow)
}

# The same for a rule already known to be known (the hot path: no field checks).
_kcovers(rule, flow) if {
	rule.direction == flow.direction
	protocol_covers(rule.protocol, flow.protocol)
	_ports_cover(rule, flow)
	peer_covers(rule.peer, flow.peer)
}

_koverlaps(rule, flow) if {
	rule.direction == flow.direction
	protocol_covers(rule.protocol, flow.protocol)
	_ports_overlap(rule, flow)
	peer_overlaps(rule.peer, flow.peer)
}

# maybe(rule, flow): a rule with unknown fields may match some packet of the flow.
maybe(rule, flow) if {
	not known(rule)
	every name in _flow_fields {
		_f_maybe(rule, flow, name)
	}
}

_f_maybe(rule, _, name) if field_unknown(rule, name)

_f_maybe(rule, flow, name) if {
	not field_unknown(rule, name)
	_f_overlaps(rule, flow, name)
}

_maybe_action(rule, _) if field_unknown(rule, "action")

_maybe_action(rule, action) if {
	not field_unknown(rule, "action")
	rule.action == action
}

# The rule's priority may be <= p (< p when strict).
_maybe_le(rule, _) if field_unknown(rule, "priority")

_maybe_le(rule, p) if {
	not field_unknown(rule, "priority")
	rule.priority <= p
}

_maybe_lt(rule, _) if field_unknown(rule, "priority")

_maybe_lt(rule, p) if {
	not field_unknown(rule, "priority")
	rule.priority < p
}

# intersect(rule, flow): the part of flow that a known rule overlapping it matches.
intersect(rule, flow) := {
	"direction": flow.direction,
	"protocol": flow.protocol,
	"port_from": max([r[0], flow.port_from]),
	"port_to": min([r[1], flow.port_to]),
	"peer": _peer_intersect(rule.peer, flow.peer),
} if {
	flow.protocol in _ported
	r := _rule_range(rule)
} else := {
	"direction": flow.direction,
	"protocol": flow.protocol,
	"port_from": flow.port_from,
	"port_to": flow.port_to,
	"peer": _peer_intersect(rule.peer, flow.peer),
}

# Overlapping CIDR blocks are nested: the intersection is the narrower one.
_peer_intersect(rp, fp) := {"kind": "cidr", "cidr": rp.cidr, "members": [], "label": rp.cidr.cidr} if {
	rp.kind == "cidr"
	fp.kind == "cidr"
	rp.cidr.prefix_len > fp.cidr.prefix_len
} else := fp

# ---------------------------------------------------------------- effective decision

# rules(sgs): every live rule of the SGs on a node, merged.
rules(sgs) := [r | some s in sgs; some r in s.rules; live(r)]

# opaque(sgs): the SGs whose rules the scan cannot see.
opaque(sgs) := [s | some s in sgs; not s.rules_known]

# shared_type(sgs): the type the SGs share, or null (none known, or mixed).
# One ENI cannot mix basic and advanced SGs, so SGs whose type is unknown (not in the sources)
# share the type of the others; CKV_ACK_15 reports a mix.
shared_type(sgs) := types[0] if {
	types := [s.type | some s in sgs; s.type != null]
	count(types) > 0
	every t in types {
		t == types[0]
	}
} else := null

# label(sg): how messages name an SG: its ID when known, else its address.
label(sg) := sg.id if {
	sg.id != null
} else := sg.address

# head(sg): an SG without its rules, for groups and messages. (regopy copies every value it puts
# in an array or object; a group that held whole SGs copied every rule once per reference.)
head(sg) := {
	"key": sg.key,
	"id": sg.id,
	"address": sg.address,
	"type": sg.type,
	"inner_access_policy": sg.inner_access_policy,
	"rules_known": sg.rules_known,
}

# bucket_protocols: the flow protocols rules are bucketed by.
bucket_protocols := ["tcp", "udp", "icmp", "gre", "icmpv6", "all"]

# A flow's ports only matter for TCP and UDP: other buckets accept any range.
wide := [-1000000, 1000000]

# _entry(rule, p): a known rule as it sits in the bucket of flow protocol p: the fields a decision
# reads, with "lo"/"hi" the ports it matches for p.
_entry(rule, p) := {
	"key": rule.key,
	"address": rule.address,
	"direction": rule.direction,
	"protocol": rule.protocol,
	"port_from": rule.port_from,
	"port_to": rule.port_to,
	"peer": rule.peer,
	"action": rule.action,
	"priority": rule.priority,
	"lo": r[0],
	"hi": r[1],
} if {
	p in _ported
	r := _rule_range(rule)
} else := {
	"key": rule.key,
	"address": rule.address,
	"direction": rule.direction,
	"protocol": rule.protocol,
	"port_from": rule.port_from,
	"port_to": rule.port_to,
	"peer": rule.peer,
	"action": rule.action,
	"priority": rule.priority,
	"lo": wide[0],
	"hi": wide[1],
}

# _buckets(rs): per flow protocol, the entries of the rules in rs whose protocol covers it (the
# rule's own protocol, and "all" for every protocol but "all" itself). rs holds one direction and
# action: statements cost regopy tens of microseconds each, so the lists are split before the
# six protocol passes.
# (regopy: a comprehension's head may only use variables bound in its own body.)
_buckets(rs) := {p: b | some p in bucket_protocols; b := _bucket(rs, p)}

# (Inline tests, not protocol_covers: a user function call costs regopy far more than a
# comparison. A rule covers flow protocol p when it is p or "all"; "all" only covers "all".)
_bucket(rs, p) := [e |
	some r in rs
	r.protocol in [p, "all"]
	e := _entry(r, p)
]

# prepare(sgs): the SGs on one node, sorted for decisions: the known live rules bucketed by
# direction, action and flow protocol ("accept"/"drop" -> direction -> protocol -> entries), the
# live rules with unknown fields, the SGs whose rules are hidden, the shared type. Build it once
# per node group and pass it to decide_prepared and exposure: a decision then reads only the
# rules that can match its flow.
prepare(sgs) := {
	"sgs": [h | some s in sgs; h := head(s)],
	"accept": {
		"ingress": _buckets([r | some r in ingress; r.action == "accept"]),
		"egress": _buckets([r | some r in egress; r.action == "accept"]),
	},
	"drop": {
		"ingress": _buckets([r | some r in ingress; r.action == "drop"]),
		"egress": _buckets([r | some r in egress; r.action == "drop"]),
	},
	"uncertain": [r | some s in sgs; some r in s.rules; live(r); not known(r)],
	"hidden": [h | some s in sgs; not s.rules_known; h := head(s)],
	"type": shared_type(sgs),
} if {
	ingress := [r | some s in sgs; some r in s.rules; r.direction == "ingress"; live(r); known(r)]
	egress := [r | some s in sgs; some r in s.rules; r.direction == "egress"; live(r); known(r)]
}

# prep[action][flow.direction][flow.protocol] is the bucket of known rules with that action that
# may match flow; scans iterate it in place (no bucket: nothing to iterate). Bound to a variable or
# returned by a function, regopy would copy the whole bucket for every flow.

# default_for(prep, flow): what the SG type decides when no rule matches:
# {"decision": "allow"|"deny"|"unknown", "why": text}.
default_for(prep, flow) := {"decision": "unknown", "why": "the SG type is unknown or mixed"} if {
	prep.type == null
} else := {"decision": "deny", "why": "advanced SGs deny traffic no rule allows"} if {
	prep.type == "advanced"
} else := {"decision": "allow", "why": "basic SGs allow outbound traffic no rule denies"} if {
	flow.direction == "egress"
} else := d if {
	flow.peer.kind == "sg"
	some s in prep.sgs
	s.key == flow.peer.sg
	d := _inner(s)
} else := {"decision": "deny", "why": "basic SGs deny inbound traffic no rule allows, except from their own members"}

_inner(sg) := {
	"decision": "allow",
	"why": concat("", ["members of ", label(sg), " reach each other (inner access policy accept)"]),
} if {
	sg.inner_access_policy == "accept"
} else := {
	"decision": "deny",
	"why": concat("", ["no rule allows it and the inner access policy of ", label(sg), " is drop"]),
} if {
	sg.inner_access_policy == "drop"
} else := {"decision": "unknown", "why": concat("", ["the inner access policy of ", label(sg), " is unknown"])}

# Bucket entries already match the flow's direction and protocol: only ports and peer remain,
# the cheap comparison first.
_eoverlaps(e, flow) if {
	e.lo <= flow.port_to
	flow.port_from <= e.hi
	peer_overlaps(e.peer, flow.peer)
}

# A drop is neutralized when one accept at a smaller priority number covers all it matches of flow.
# (Scans are comprehensions: regopy binds a function body's iteration variable by copying it,
# and a comprehension's far more cheaply.)
_neutralized(prep, drop, flow) if {
	part := intersect(drop, flow)
	count([1 |
		some a in prep.accept[flow.direction][flow.protocol]
		a.priority < drop.priority
		a.lo <= part.port_from
		part.port_to <= a.hi
		peer_covers(a.peer, part.peer)
	]) > 0
}

# decide(sgs, flow): the effective decision of the SGs on one node for every packet of flow:
# {"status": "allow"|"deny"|"unknown", "reason": text, "rule": the winning drop or null}.
# allow: a known accept covers the flow (or the type default allows it) and no drop it does not
# beat overlaps it; deny: a drop wins for part of the flow, or nothing allows all of it and the
# default denies. Rules with unknown fields and opaque SGs turn either answer into unknown
# unless it cannot change it.
decide(sgs, flow) := decide_prepared(prepare(sgs), flow)

# decide_prepared(prep, flow): decide with SGs already prepared.
decide_prepared(prep, flow) := d if {
	accepts := [a |
		some a in prep.accept[flow.direction][flow.protocol]
		a.lo <= flow.port_from
		flow.port_to <= a.hi
		peer_covers(a.peer, flow.peer)
	]
	blocking := [x |
		some x in prep.drop[flow.direction][flow.protocol]
		x.lo <= flow.port_to
		flow.port_from <= x.hi
		peer_overlaps(x.peer, flow.peer)
		not _neutralized(prep, x, flow)
	]
	uncertain := [u | some u in prep.uncertain; maybe(u, flow)]
	d := _verdict(prep, flow, accepts, blocking, uncertain)
}

_best(accepts) := min([a.priority | some a in accepts]) if {
	count(accepts) > 0
} else := 101

_winner(blocking) := w if {
	p := min([x.priority | some x in blocking])
	keys := sort([x.key | some x in blocking; x.priority == p])
	some w in blocking
	w.key == keys[0]
}

# Allowed by known rules: an accept covering the flow that no remaining drop beats, or, with no
# drop and no accept at all, the default when it allows. (A drop at a larger priority number than a
# covering accept is neutralized by it, so an accept with remaining blocking drops never wins.) The
# type's default is looked up only when neither rules decide.
_verdict(prep, flow, accepts, blocking, uncertain) := _allow_verdict(accepts, uncertain, prep.hidden) if {
	count(blocking) == 0
	count(accepts) > 0
} else := _drop_verdict(_winner(blocking), uncertain, prep.hidden) if {
	count(blocking) > 0
} else := _by_default(prep, flow, accepts, uncertain, default_for(prep, flow))

_by_default(prep, flow, accepts, uncertain, dflt) := _allow_verdict(accepts, uncertain, prep.hidden) if {
	dflt.decision == "allow"
} else := _default_verdict(prep, flow, uncertain, dflt)

_allow_verdict(accepts, uncertain, hidden) := {
	"status": "unknown",
	"reason": concat("", ["may be denied by ", label(hidden[0]), ", whose rules are not in the scanned sources"]),
	"rule": null,
} if {
	count(hidden) > 0
} else := {
	"status": "unknown",
	"reason": concat("", [
		"may be dropped by rule ", u.address, ", whose ", concat(", ", unknown_fields(u)),
		" is not known",
	]),
	"rule": null,
} if {
	threshold := _best(accepts)
	us := [x | some x in uncertain; _maybe_action(x, "drop"); _maybe_le(x, threshold)]
	count(us) > 0
	u := us[0]
} else := {"status": "allow", "reason": "is allowed", "rule": null}

_drop_verdict(w, uncertain, hidden) := {
	"status": "unknown",
	"reason": concat("", [
		"is dropped by rule ", w.address, " at priority ", format_int(w.priority, 10),
		" unless ", label(hidden[0]), ", whose rules are not in the scanned sources, accepts it first",
	]),
	"rule": w,
} if {
	count(hidden) > 0
	w.priority > 1
} else := {
	"status": "unknown",
	"reason": concat("", [
		"is dropped by rule ", w.address, " at priority ", format_int(w.priority, 10),
		" unless rule ", u.address, ", whose ", concat(", ", unknown_fields(u)), " is not known, accepts it first",
	]),
	"rule": w,
} if {
	us := [x | some x in uncertain; _maybe_action(x, "accept"); _maybe_lt(x, w.priority)]
	count(us) > 0
	u := us[0]
} else := {
	"status": "deny",
	"reason": concat("", ["is dropped by rule ", w.address, " at priority ", format_int(w.priority, 10)]),
	"rule": w,
}

_default_verdict(prep, flow, uncertain, dflt) := {
	"status": "unknown",
	"reason": concat("", [
		"is not allowed by any known rule, and the rules of ", label(prep.hidden[0]),
		" are not in the scanned sources",
	]),
	"rule": null,
} if {
	count(prep.hidden) > 0
} else := {
	"status": "unknown",
	"reason": concat("", [
		"is not allowed by any known rule, and rule ", u.address, " may allow it (its ",
		concat(", ", unknown_fields(u)), " is not known)",
	]),
	"rule": null,
} if {
	us := [x | some x in uncertain; _maybe_action(x, "accept")]
	count(us) > 0
	u := us[0]
} else := {
	"status": "unknown",
	"reason": concat("", ["is not allowed by any rule, and ", dflt.why]),
	"rule": null,
} if {
	dflt.decision == "unknown"
} else := {
	"status": "deny",
	"reason": concat("", ["is not entirely allowed by any single rule (", dflt.why, ")"]),
	"rule": null,
} if {
	count([1 | some a in prep.accept[flow.direction][flow.protocol]; _eoverlaps(a, flow)]) > 0
} else := {
	"status": "deny",
	"reason": concat("", ["is not allowed by any rule (default deny: ", dflt.why, ")"]),
	"rule": null,
}

# ---------------------------------------------------------------- exposure of one accept rule

# exposure(prep, rule, flow): is flow (a part of what the accept rule matches) effectively
# allowed on a node whose SGs are prep? "fail" when no drop at a priority number <= the rule's
# covers the flow; "none" when a known drop does; "unknown" when only a rule with unknown fields
# could. The priority of an accept whose priority is unknown is taken as the worst case (100).
# SGs whose rules are not in the sources are not assumed to hold drops.
exposure(prep, rule, flow) := "none" if {
	p := _certain_below(rule)
	count([1 |
		some x in prep.drop[flow.direction][flow.protocol]
		x.priority <= p
		x.lo <= flow.port_from
		flow.port_to <= x.hi
		peer_covers(x.peer, flow.peer)
	]) > 0
} else := "unknown" if {
	count([1 |
		some x in prep.uncertain
		x.key != rule.key
		maybe(x, flow)
		_maybe_action(x, "drop")
		_maybe_le(x, _worst_priority(rule))
	]) > 0
} else := "unknown" if {
	field_unknown(rule, "priority")
	dropped(prep, flow)
} else := "fail"

# dropped(prep, flow): a known drop covers every packet of flow.
dropped(prep, flow) if {
	count([1 |
		some x in prep.drop[flow.direction][flow.protocol]
		x.lo <= flow.port_from
		flow.port_to <= x.hi
		peer_covers(x.peer, flow.peer)
	]) > 0
}

# A known drop at p stops an accept of known priority >= p, or of unknown priority when p is 1:
# the highest priority number of a drop that certainly stops the accept rule.
_certain_below(rule) := rule.priority if {
	not field_unknown(rule, "priority")
} else := 1

_worst_priority(rule) := rule.priority if {
	not field_unknown(rule, "priority")
} else := 100

# ---------------------------------------------------------------- text

# int_text(n): decimal text of an integer (format_int of negatives differs in regopy).
int_text(n) := format_int(n, 10) if {
	n >= 0
} else := concat("", ["-", format_int(0 - n, 10)])

_proto_names := {"tcp": "TCP", "udp": "UDP", "icmp": "ICMP", "gre": "GRE", "icmpv6": "ICMPv6", "all": "all protocols"}

# (object.get: see finding.make)
proto_text(p) := object.get(_proto_names, p, p)

# ports_text(from, to): "10250", "1000-2000", "all ports".
ports_text(from, to) := "all ports" if {
	range(from, to) == [1, 65535]
} else := int_text(from) if {
	from == to
} else := concat("", [int_text(from), "-", int_text(to)])

# flow_text(flow): "TCP 10250 from sg-xxx", "ICMP from 10.0.0.0/8", "UDP 53 to 100.64.0.0/10".
flow_text(flow) := concat(" ", [proto_text(flow.protocol), _way(flow.direction), flow.peer.label]) if {
	not flow.protocol in _ported
} else := concat(" ", [
	proto_text(flow.protocol), ports_text(flow.port_from, flow.port_to),
	_way(flow.direction), flow.peer.label,
])

_way("ingress") := "from"

_way("egress") := "to"

# rule_text(rule): the rule as users wrote it, for messages.
rule_text(rule) := concat(" ", [
	_text_or(rule.direction, "?"), _text_or(rule.action, "?"),
	proto_text(_text_or(rule.protocol, "?")), _text_or(rule.port_range, "?"),
	_way_or(rule.direction), peer_text(rule.peer), "priority", _prio_text(rule),
])

_text_or(v, alt) := v if {
	v != null
} else := alt

_way_or(d) := w if {
	w := _way(d)
} else := "from/to"

_prio_text(rule) := int_text(rule.priority) if {
	rule.priority != null
} else := "?"

# peer_text(peer): a rule's peer as text.
peer_text(peer) := peer.cidr.cidr if {
	peer.kind == "cidr"
} else := peer.sg if {
	peer.kind == "sg"
} else := peer.prefix_list if {
	peer.kind == "prefix_list"
} else := "an unknown peer"

# rule_flows(rule): a known rule as single-protocol flows ("all" splits into TCP, UDP, ICMP, GRE).
rule_flows(rule) := [f |
	some p in _components(rule.protocol)
	f := _rule_flow(rule, p)
]

_components(p) := ["tcp", "udp", "icmp", "gre"] if {
	p == "all"
} else := [p]

_rule_flow(rule, p) := {
	"direction": rule.direction,
	"protocol": p,
	"port_from": r[0],
	"port_to": r[1],
	"peer": _rule_peer(rule.peer),
} if {
	p in _ported
	r := _rule_range(rule)
} else := {
	"direction": rule.direction,
	"protocol": p,
	"port_from": 1,
	"port_to": 65535,
	"peer": _rule_peer(rule.peer),
}

_rule_peer(peer) := {"kind": peer.kind, "cidr": peer.cidr, "sg": peer.sg, "members": [], "label": peer_text(peer)}

# ---------------------------------------------------------------- remediation text

# tf_ref(sg): how Terraform refers to an SG: its ID, or its resource's id attribute.
tf_ref(sg) := concat("", ["\"", sg.id, "\""]) if {
	sg.id != null
} else := concat("", [sg.address, ".id"])

_peer_ref(peer) := concat("", ["\"", peer.sg, "\""]) if {
	peer.kind == "sg"
	startswith(peer.sg, "sg-")
} else := concat("", [peer.sg, ".id"]) if {
	peer.kind == "sg"
} else := concat("", ["\"", peer.cidr.cidr, "\""])

_tf_peer_attr(peer) := "source_security_group_id" if {
	peer.kind == "sg"
} else := "ipv6_cidr_ip" if {
	peer.cidr.family == 6
} else := "cidr_ip"

_api_peer(peer, "ingress") := "SourceGroupId" if {
	peer.kind == "sg"
} else := "Ipv6SourceCidrIp" if {
	peer.cidr.family == 6
} else := "SourceCidrIp"

_api_peer(peer, "egress") := "DestGroupId" if {
	peer.kind == "sg"
} else := "Ipv6DestCidrIp" if {
	peer.cidr.family == 6
} else := "DestCidrIp"

_api_value(peer) := peer.sg if {
	peer.kind == "sg"
} else := peer.cidr.cidr

_port_range(flow) := concat("/", [int_text(flow.port_from), int_text(flow.port_to)]) if {
	flow.protocol in _ported
} else := "-1/-1"

_ros_type("ingress") := "ALIYUN::ECS::SecurityGroupIngress"

_ros_type("egress") := "ALIYUN::ECS::SecurityGroupEgress"

_cli_action("ingress") := "AuthorizeSecurityGroup"

_cli_action("egress") := "AuthorizeSecurityGroupEgress"

# add_rule(target, flow, action, priority): the rule to add to SG target, as Terraform, ROS and
# aliyun CLI text.
add_rule(target, flow, action, priority) := {
	"terraform": concat("", [
		"resource \"alicloud_security_group_rule\" \"", action, "_", flow.protocol, "_", _name_ports(flow), "\" {\n",
		"  type              = \"", flow.direction, "\"\n",
		"  ip_protocol       = \"", flow.protocol, "\"\n",
		"  port_range        = \"", _port_range(flow), "\"\n",
		"  security_group_id = ", tf_ref(target), "\n",
		"  ", _tf_peer_attr(flow.peer), " = ", _peer_ref(flow.peer), "\n",
		"  policy            = \"", action, "\"\n",
		"  priority          = ", int_text(priority), "\n",
		"}",
	]),
	"ros": concat("", [
		"Type: ", _ros_type(flow.direction), "\n",
		"Properties:\n",
		"  SecurityGroupId: ", label(target), "\n",
		"  IpProtocol: ", flow.protocol, "\n",
		"  PortRange: ", _port_range(flow), "\n",
		"  ", _api_peer(flow.peer, flow.direction), ": ", _api_value(flow.peer), "\n",
		"  Policy: ", action, "\n",
		"  Priority: ", int_text(priority),
	]),
	"cli": concat("", [
		"aliyun ecs ", _cli_action(flow.direction), " --RegionId <region> --SecurityGroupId ", label(target),
		" --IpProtocol ", flow.protocol, " --PortRange ", _port_range(flow),
		" --", _api_peer(flow.peer, flow.direction), " ", _api_value(flow.peer),
		" --Policy ", action, " --Priority ", int_text(priority),
	]),
}

_name_ports(flow) := int_text(flow.port_from) if {
	flow.protocol in _ported
	flow.port_from == flow.port_to
} else := "all"

_revoke("ingress") := "RevokeSecurityGroup"

_revoke("egress") := "RevokeSecurityGroupEgress"

# remove_rule(sg, rule): how to remove (or narrow) a rule of sg.
remove_rule(sg, rule) := {
	"terraform": text,
	"ros": text,
	"cli": concat("", [
		"aliyun ecs ", _revoke(_text_or(rule.direction, "ingress")), " --RegionId <region> --SecurityGroupId ", label(sg),
		" --IpProtocol ", _text_or(rule.protocol, "?"), " --PortRange ", _text_or(rule.port_range, "?"),
		" --", _api_peer(rule.peer, _text_or(rule.direction, "ingress")), " ", peer_text(rule.peer),
		" --Policy ", _text_or(rule.action, "?"), " --Priority ", _prio_text(rule),
	]),
} if {
	text := concat("", ["Remove or narrow ", rule.address, " (", rule_text(rule), ")"])
}
