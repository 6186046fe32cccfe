# METADATA
# title: Cluster peers, required and permitted flows
# description: |
#   From the guide's tables (data.ack.tables), the cluster's SG type and network plugin: who the
#   cluster peers are, which flows the nodes need (the least-privilege rows) and which flows a
#   profile permits. Node groups: the cluster's own SG, and each node pool's security_groups list;
#   every node group must satisfy the required flows.
package ack.lib.flows

import data.ack.lib.sg
import data.ack.tables

# clusters that the policies evaluate: all but those a plan deletes.
clusters := [c | some c in input.clusters; c.change != "delete"]

# profile: the selected profile (recommended by default).
default profile := "recommended"

profile := p if {
	p := input.settings.profile
	p in ["recommended", "least-privilege"]
}

# exposures: the declared application exposures.
default exposures := []

exposures := e if {
	e := input.settings.exposures
	is_array(e)
}

# ---------------------------------------------------------------- SGs and node groups

# sg_by_key(key): the SG of the document with that key, or a placeholder whose rules are unknown.
# (Comprehensions, not `some s in input.security_groups` in the body: regopy copies every SG,
# rules and all, that a function body binds, which made each call linear in the rules.)
sg_by_key(key) := found[0] if {
	found := [s | some s in input.security_groups; s.key == key]
	count(found) > 0
} else := {
	"key": key,
	"id": _id_of(key),
	"address": key,
	"type": null,
	"inner_access_policy": null,
	"origin": "referenced",
	"rules_known": false,
	"rules": [],
}

# sg_label(key): sg.label of the SG with that key (without copying its rules).
sg_label(key) := labels[0] if {
	labels := [x | some s in input.security_groups; s.key == key; x := sg.label(s)]
	count(labels) > 0
} else := sg.label({"id": _id_of(key), "address": key})

_id_of(key) := key if {
	startswith(key, "sg-")
} else := null

# group(entity, kind, keys): the SGs on one group of nodes, without their rules (see group_prep).
group(entity, kind, keys) := {
	"entity": entity,
	"kind": kind,
	"keys": keys,
	"sgs": heads,
	"type": sg.shared_type(heads),
	"hidden": [h | some h in heads; not h.rules_known],
} if {
	keys != null
	heads := [h | some k in keys; h := sg.head(sg_by_key(k))]
} else := {"entity": entity, "kind": kind, "keys": null, "sgs": [], "type": null, "hidden": []}

# group_prep(g): the group's rules prepared for decisions (sg.prepare). Kept apart from the group, and
# built once per node group in preps: regopy copies a value each time it is put in an object.
group_prep(g) := sg.prepare([s | some k in g.keys; s := sg_by_key(k)]) if {
	g.keys != null
} else := sg.prepare([])

_cluster_keys(cluster) := [cluster.security_group] if {
	cluster.security_group != null
} else := null

# groups(cluster): the cluster's own SG, and each live node pool whose SGs differ from it.
groups(cluster) := array.concat(
	[group(cluster, "cluster", _cluster_keys(cluster))],
	[group(p, "node pool", p.security_groups) |
		some p in cluster.node_pools
		p.change != "delete"
		p.security_groups != _cluster_keys(cluster)
	],
)

# node_groups: every (cluster, group) pair the policies evaluate.
node_groups := [{"cluster": c, "ci": ci, "group": g} |
	some ci
	c := clusters[ci]
	some g in groups(c)
]

# cluster_forms[ci]: forms(clusters[ci], name) for every peer name of the tables, computed once:
# regopy does not remember a function's results, and every row of every node group asks.
cluster_forms := [fm | some c in clusters; fm := _forms_by_name(c)]

_forms_by_name(c) := {name: f | some name in _peer_names; f := forms(c, name)}

_peer_names := [name | tables.peers[name]]

# preps[i]: the prepared rules of node_groups[i].
preps := [p | some ng in node_groups; p := group_prep(ng.group)]

# permitted_boxes[i]: the flows the profile permits node_groups[i], bucketed (box_buckets); apart
# from node_groups, so rules that do not ask for them (CKV_ACK_1..4) do not build them.
permitted_boxes := [bb |
	some ng in node_groups
	bb := box_buckets(_group_boxes(ng.group, ng.cluster, cluster_forms[ng.ci]))
]

_group_boxes(g, c, fm) := boxes(g.type, c, fm) if {
	g.type != null
} else := []

# group_text(group): how messages name a group's SGs.
group_text(g) := concat("", ["nodes with SGs ", concat(", ", [sg.label(s) | some s in g.sgs])]) if {
	count(g.sgs) > 1
} else := concat("", ["nodes with SG ", sg.label(g.sgs[0])]) if {
	count(g.sgs) == 1
} else := "nodes with unknown SGs"

# ---------------------------------------------------------------- cluster peers

_cidr_peer(facts, what) := {
	"kind": "cidr",
	"cidr": facts,
	"sg": null,
	"members": [],
	"label": concat("", [facts.cidr, " (", what, ")"]),
}

# All vSwitches of the cluster's nodes and pods: cluster vSwitches, pod vSwitches, node pools'.
_all_vswitches(cluster) := array.concat(
	array.concat(cluster.node_vswitches, cluster.pod_vswitches),
	[v | some p in cluster.node_pools; p.change != "delete"; some v in p.vswitches],
)

_node_vswitches(cluster) := array.concat(
	cluster.node_vswitches,
	[v | some p in cluster.node_pools; p.change != "delete"; some v in p.vswitches],
)

_vswitches_unknown(cluster) if {
	some name in ["node_vswitches", "pod_vswitches"]
	object.get(cluster.provenance, name, "given") == "unknown"
}

_vswitches_unknown(cluster) if {
	some p in cluster.node_pools
	p.change != "delete"
	object.get(p.provenance, "vswitches", "given") == "unknown"
}

_vswitches_unknown(cluster) if {
	some v in _all_vswitches(cluster)
	v.cidr == null
}

# member_cidrs(cluster): the CIDRs the cluster SG's members (the nodes) live in; empty unless all
# are known.
member_cidrs(cluster) := [] if {
	_vswitches_unknown(cluster)
} else := [v.cidr | some v in _node_vswitches(cluster)]

_known(peers) := {"known": true, "why": "", "peers": peers}

_unknown(why) := {"known": false, "why": why, "peers": []}

# source(cluster, name): the peers a table row names: {"known", "why", "peers"}.
source(cluster, "cluster_sg") := _known([{
	"kind": "sg",
	"sg": cluster.security_group,
	"cidr": null,
	"members": member_cidrs(cluster),
	"label": concat("", [sg_label(cluster.security_group), " (cluster SG)"]),
}]) if {
	cluster.security_group != null
} else := _unknown("the cluster's SG is not known")

source(cluster, "vpc_cidr") := _known([_cidr_peer(cluster.vpc.cidr, "VPC CIDR")]) if {
	cluster.vpc.cidr != null
} else := _unknown("the VPC CIDR is not known")

source(cluster, "vpc_secondary_cidrs") := _unknown("the VPC's secondary CIDRs are not known") if {
	object.get(cluster.provenance, "vpc.secondary_cidrs", "given") == "unknown"
} else := _known([_cidr_peer(c, "VPC secondary CIDR") | some c in cluster.vpc.secondary_cidrs])

source(cluster, "vswitch_cidrs") := _unknown("the cluster's vSwitch CIDRs are not known") if {
	_vswitches_unknown(cluster)
} else := _unknown("the cluster's vSwitch CIDRs are not known") if {
	count(_all_vswitches(cluster)) == 0
} else := _known(_dedup([_cidr_peer(v.cidr, "vSwitch CIDR") | some v in _all_vswitches(cluster)]))

source(cluster, "pod_cidr") := _unknown(_plugin_unknown) if {
	cluster.network_plugin == "unknown"
} else := _known([]) if {
	cluster.network_plugin == "terway"
} else := _known([_cidr_peer(cluster.pod_cidr, "pod CIDR")]) if {
	cluster.pod_cidr != null
} else := _unknown("the pod CIDR is not known")

source(_, "alibaba_cloud") := _known([_cidr_peer(tables.alibaba_cloud_cidr, "Alibaba Cloud services")])

source(_, "any_ipv4") := _known([{
	"kind": "any",
	"cidr": tables.any_ipv4_cidr,
	"sg": null,
	"members": [],
	"label": "0.0.0.0/0",
}])

source(cluster, "api_slb") := _known([_cidr_peer(cluster.api_server_address, "API server SLB")]) if {
	cluster.api_server_address != null
} else := _unknown("the API server SLB address is not known")

source(_, "exposures") := _known([])

# The same vSwitch CIDR listed twice (node and pod vSwitch) is one peer.
_dedup(peers) := [p |
	some i
	p := peers[i]
	not _seen_before(peers, i, p.cidr.cidr)
]

_seen_before(peers, i, cidr) if {
	some j
	peers[j].cidr.cidr == cidr
	j < i
}

_merge(a, b) := _known(array.concat(a.peers, b.peers)) if {
	a.known
	b.known
} else := a if {
	not a.known
} else := b

_vpc_form(cluster) := _merge(source(cluster, "vpc_cidr"), source(cluster, "vpc_secondary_cidrs"))

_plugin_unknown := "the network plugin is not known, so whether the pod CIDR rows apply is not known"

_slb_unknown := concat("", [
	"the API server SLB address is not known, ",
	"nor are the vSwitch CIDRs or the VPC CIDR that stand in for it",
])

# forms(cluster, peer): alternatives that each satisfy a row's authorization object. vSwitch CIDRs
# (least privilege) or the VPC CIDR with its secondary CIDRs (recommended); the API server SLB, or
# where it is unknown the vSwitch CIDRs or the VPC CIDR that stand in for it.
forms(cluster, "vswitch_cidrs") := [source(cluster, "vswitch_cidrs"), _vpc_form(cluster)]

forms(cluster, "api_slb") := [source(cluster, "api_slb")] if {
	cluster.api_server_address != null
} else := [
	_renamed(source(cluster, "vswitch_cidrs"), _slb_unknown),
	_renamed(_vpc_form(cluster), _slb_unknown),
]

forms(cluster, name) := [source(cluster, name)] if not name in ["vswitch_cidrs", "api_slb"]

_renamed(src, why) := _unknown(why) if {
	not src.known
} else := src

# ---------------------------------------------------------------- rows

# row_applies(row, cluster): Flannel-only rows apply unless the cluster runs Terway.
row_applies(row, _) if not row.flannel_only

row_applies(row, cluster) if {
	row.flannel_only
	cluster.network_plugin != "terway"
}

# row_protocols(row): the guide's "all protocols 53/53" is DNS over TCP and UDP; "all protocols
# -1/-1" is TCP, UDP, ICMP and GRE.
row_protocols(row) := ["tcp", "udp"] if {
	row.protocol == "all"
	row.ports != [[-1, -1]]
} else := ["tcp", "udp", "icmp", "gre"] if {
	row.protocol == "all"
} else := [row.protocol]

# row_specs(row): (protocol, port range) pairs of a row, ports as 1..65535 for every port.
row_specs(row) := [{"protocol": p, "range": sg.range(r[0], r[1])} |
	some p in row_protocols(row)
	some r in row.ports
]

# row_rule(row): the catalog rule that checks a required row.
row_rule(row) := "CKV_ACK_3" if {
	row.direction == "egress"
} else := "CKV_ACK_2" if {
	row.peer == "pod_cidr"
} else := "CKV_ACK_4" if {
	row.protocol == "icmp"
} else := "CKV_ACK_1"

# required_rows(type, cluster): the least-privilege rows (the cluster works) that apply.
required_rows(t, cluster) := [r |
	some r in tables.rows
	r.sg_type == t
	r.profile == "least-privilege"
	r.peer != "exposures"
	row_applies(r, cluster)
]

_ports_list(row) := "" if {
	row.ports == [[-1, -1]]
} else := concat("", [" ", concat(", ", [sg.ports_text(r[0], r[1]) | some r in row.ports])])

# row_text(row): the row as a short phrase, "TCP 10250, 10255 from the pod CIDR block (Flannel only)".
row_text(row) := concat("", [
	sg.proto_text(row.protocol), _ports_list(row), " ", _way(row.direction), " ",
	object.get(tables.peers, row.peer, row.peer),
])

_way("ingress") := "from"

_way("egress") := "to"

# ---------------------------------------------------------------- required flows

# flow(row, spec, peer): one required flow.
flow(row, spec, peer) := {
	"direction": row.direction,
	"protocol": spec.protocol,
	"port_from": spec.range[0],
	"port_to": spec.range[1],
	"peer": peer,
}

_eval_form(prep, form, row) := {"status": "unknown", "why": form.why, "denied": [], "unknown": []} if {
	not form.known
} else := r if {
	verdicts := [x |
		some peer in form.peers
		some spec in row_specs(row)
		fl := flow(row, spec, peer)
		x := {"flow": fl, "verdict": sg.decide_prepared(prep, fl)}
	]
	denied := [v | some v in verdicts; v.verdict.status == "deny"]
	unknown := [v | some v in verdicts; v.verdict.status == "unknown"]
	r := {"status": _form_status(denied, unknown), "why": "", "denied": denied, "unknown": unknown}
}

_form_status(denied, unknown) := "fail" if {
	count(denied) > 0
} else := "unknown" if {
	count(unknown) > 0
} else := "pass"

_status(results) := "pass" if {
	some r in results
	r.status == "pass"
} else := "unknown" if {
	some r in results
	r.status == "unknown"
} else := "fail"

# grouped(verdicts): one text per peer and reason, "TCP 53, UDP 53 from sg-1 (cluster SG) is ...".
grouped(vs) := [text |
	some k in _distinct([_key(v) | some v in vs])
	members := [v | some v in vs; _key(v) == k]
	first := members[0]
	text := concat("", [
		concat(", ", _distinct_in_order([_what(v.flow) | some v in members])), " ",
		_way(first.flow.direction), " ", first.flow.peer.label, " ", first.verdict.reason,
	])
]

_key(v) := concat("|", [v.flow.direction, v.flow.peer.label, v.verdict.reason])

_what(flow) := sg.proto_text(flow.protocol) if {
	not flow.protocol in ["tcp", "udp"]
} else := concat(" ", [sg.proto_text(flow.protocol), sg.ports_text(flow.port_from, flow.port_to)])

_distinct_in_order(texts) := [t |
	some i
	t := texts[i]
	not _earlier(texts, i, t)
]

_earlier(texts, i, t) if {
	some j
	texts[j] == t
	j < i
}

# evaluate_row(fm, g, prep, row): {"status", "fails": [text], "unknowns": [text], "remediation": [...]}
# (fm: the cluster's forms by peer name, cluster_forms).
evaluate_row(fm, g, prep, row) := {
	"status": status,
	"denied": [v | status == "fail"; some v in results[0].denied],
	"unknown_verdicts": [v | status == "unknown"; some r in results; r.status == "unknown"; some v in r.unknown],
	"whys": _unknown_whys(row, status, results),
	"remediation": [x | status == "fail"; some v in results[0].denied; x := _fix(g, v)],
} if {
	results := [x | some f in fm[row.peer]; x := _eval_form(prep, f, row)]
	status := _status(results)
}

_unknown_whys(row, status, results) := [concat(": ", [row_text(row), whys[0]])] if {
	status == "unknown"
	whys := [r.why | some r in results; r.status == "unknown"; r.why != ""]
	count(whys) > 0
} else := []

# _fix(g, v): add an accept that beats the winning drop (or the default), in the group's first SG.
_fix(g, v) := sg.add_rule(g.sgs[0], v.flow, "accept", _fix_priority(v.verdict.rule)) if {
	count(g.sgs) > 0
}

_fix_priority(null) := 1

_fix_priority(rule) := rule.priority - 1 if {
	rule != null
	rule.priority > 1
}

_fix_priority(rule) := 1 if {
	rule != null
	rule.priority == 1
}

# ---------------------------------------------------------------- per rule, per node group

_required_rules := ["CKV_ACK_1", "CKV_ACK_2", "CKV_ACK_3", "CKV_ACK_4"]

# evaluations: for each required-flow rule, cluster and node group: the failing flows (with why),
# the flows whose verdict is unknown (with why), and the remediations.
evaluations := [e |
	some gi
	ng := node_groups[gi]
	fm := cluster_forms[ng.ci]
	rows := required_rows(ng.group.type, ng.cluster)
	some rid in _required_rules
	e := _evaluate(rid, ng.cluster, ng.group, preps[gi], {"forms": fm, "rows": rows})
]

# (tab: the cluster's forms by peer name and the group's required rows, computed once per group)
_evaluate(rid, cluster, g, prep, tab) := _opaque_group(rid, cluster, g, "its SGs are not known") if {
	g.keys == null
	_rule_applies(rid, cluster)
} else := _opaque_group(rid, cluster, g, _hidden_text(g)) if {
	g.type == null
	count(g.hidden) > 0
	_rule_applies(rid, cluster)
} else := _opaque_group(rid, cluster, g, "its SGs mix basic and advanced types") if {
	g.type == null
	_rule_applies(rid, cluster)
} else := e if {
	_rule_applies(rid, cluster)
	rows := [r | some r in tab.rows; row_rule(r) == rid]
	rs := [x | some r in rows; x := evaluate_row(tab.forms, g, prep, r)]
	e := {
		"rule_id": rid,
		"cluster": cluster,
		"group": g,
		"fails": grouped([v | some r in rs; some v in r.denied]),
		"unknowns": array.concat(
			_distinct([t | some r in rs; some t in r.whys]),
			grouped([v | some r in rs; some v in r.unknown_verdicts]),
		),
		"remediation": [x | some r in rs; some x in r.remediation],
	}
}

# unseen(cluster): why, per node group of the cluster whose SGs, or their rules, are not in the
# scanned sources: rules there may allow what the visible rules do not, so no "pass" can rest on
# the visible ones alone.
unseen(cluster) := [why |
	some ng in node_groups
	ng.cluster.key == cluster.key
	why := _unseen(ng.group)
]

_unseen(g) := concat("", ["the SGs of ", g.kind, " ", g.entity.address, " are not known"]) if {
	g.keys == null
} else := concat("", [g.kind, " ", g.entity.address, ": ", _hidden_text(g)]) if {
	count(g.hidden) > 0
}

# unseen_message(visible, unseen): the unknown that replaces a pass when some rules are unseen.
unseen_message(visible, unseen) := concat("", [visible, " among the rules in the scanned sources, but ", concat("; ", unseen)])

_hidden_text(g) := concat("", [
	"the type and rules of ", concat(", ", [sg.label(h) | some h in g.hidden]),
	" are not in the scanned sources",
])

_opaque_group(rid, cluster, g, why) := {
	"rule_id": rid,
	"cluster": cluster,
	"group": g,
	"fails": [],
	"unknowns": [concat("", ["the required flows of ", g.kind, " ", g.entity.address, " cannot be checked: ", why])],
	"remediation": [],
}

# CKV_ACK_2 is about Flannel clusters (and those whose plugin is unknown).
_rule_applies(rid, _) if rid != "CKV_ACK_2"

_rule_applies("CKV_ACK_2", cluster) if cluster.network_plugin != "terway"

# joined(remediations): one remediation object from several.
joined([]) := null

joined(rs) := {
	"terraform": concat("\n\n", [r.terraform | some r in rs]),
	"ros": concat("\n---\n", [r.ros | some r in rs]),
	"cli": concat("\n", [r.cli | some r in rs]),
} if {
	count(rs) > 0
}

# ---------------------------------------------------------------- accept rules on the nodes

# accepts: every live rule that accepts (or may accept) traffic, on every node group, with its SG.
# (Entries are small: the node group by its index in node_groups, the SG by key, ID and address;
# copying groups into every entry made regopy quadratic.)
accepts := [{
	"gi": gi, "cluster_key": ng.cluster.key, "type": ng.group.type,
	"sg": {"key": s.key, "id": s.id, "address": s.address}, "rule": r, "unknown": u,
} |
	some gi
	ng := node_groups[gi]
	some k in ng.group.keys
	some s in input.security_groups
	s.key == k
	some r in s.rules
	sg.live(r)
	_may_accept(r)
	u := sg.unknown_fields(r)
]

_may_accept(r) if sg.field_unknown(r, "action")

_may_accept(r) if {
	not sg.field_unknown(r, "action")
	r.action == "accept"
}

# ---------------------------------------------------------------- internet exposure (CKV_ACK_5..7)

# A target is {"protocol", "port_from", "port_to", "whole"}: whole targets need an accept of every
# port; the others an accept whose range holds the port.
_target_fits(rule, t) if {
	not sg.field_unknown(rule, "protocol")
	not sg.field_unknown(rule, "port_range")
	sg.protocol_covers(rule.protocol, t.protocol)
	_target_ports(rule, t)
}

_target_ports(rule, t) if {
	t.whole
	sg.range(rule.port_from, rule.port_to) == [1, 65535]
}

_target_ports(rule, t) if {
	not t.whole
	r := sg.range(rule.port_from, rule.port_to)
	r[0] <= t.port_from
	t.port_to <= r[1]
}

_target_maybe(rule, t) if _target_fits(rule, t)

_target_maybe(rule, _) if sg.field_unknown(rule, "protocol")

_target_maybe(rule, t) if {
	sg.field_unknown(rule, "port_range")
	not sg.field_unknown(rule, "protocol")
	sg.protocol_covers(rule.protocol, t.protocol)
}

_internet(rule) if {
	rule.peer.kind == "cidr"
	rule.peer.cidr.internet
}

# (a: an accepts entry, whose unknown fields are listed once)
_ingress_maybe(a) if "direction" in a.unknown

_ingress_maybe(a) if a.rule.direction == "ingress"

_internet_maybe(a) if "peer" in a.unknown

_internet_maybe(a) if _internet(a.rule)

# Fully known but for its priority: exposure() handles an unknown priority. (a: an accepts entry)
_decidable(a) if count([n | some n in a.unknown; n != "priority"]) == 0

_exposure_flow(rule, t) := {
	"direction": "ingress",
	"protocol": t.protocol,
	"port_from": t.port_from,
	"port_to": t.port_to,
	"peer": {"kind": "cidr", "cidr": rule.peer.cidr, "sg": null, "members": [], "label": rule.peer.cidr.cidr},
}

_exposure_item(a, t, prep) := {"status": status, "text": text} if {
	_decidable(a)
	a.rule.action == "accept"
	a.rule.direction == "ingress"
	_internet(a.rule)
	sg.protocol_covers(a.rule.protocol, t.protocol)
	_target_ports(a.rule, t)
	fl := _exposure_flow(a.rule, t)
	status := sg.exposure(prep, a.rule, fl)
	status != "none"
	text := _exposure_text(status, fl, a.rule)
} else := {"status": "unknown", "text": text} if {
	not _decidable(a)
	_ingress_maybe(a)
	_internet_maybe(a)
	_target_maybe(a.rule, t)
	text := concat("", [
		sg.proto_text(t.protocol), " ", sg.ports_text(t.port_from, t.port_to),
		" may be accepted from an internet peer: the rule's ", concat(", ", a.unknown), " is not known",
	])
}

_exposure_text("fail", fl, rule) := concat("", [
	sg.flow_text(fl), " is accepted at priority ", sg.int_text(rule.priority),
	" and no drop overrides it",
]) if {
	rule.priority != null
} else := concat("", [sg.flow_text(fl), " is accepted and no drop overrides it"])

_exposure_text("unknown", fl, _) := concat("", [
	sg.flow_text(fl),
	" is accepted unless a rule whose fields are not known drops it first",
])

# The accepts that may take inbound traffic from an internet peer (computed once for CKV_ACK_5..7).
_internet_accepts := [a |
	some a in accepts
	_ingress_maybe(a)
	_internet_maybe(a)
]

# internet_exposures(targets): per accept rule and node group, the targets it exposes to internet
# peers ("fails") or may expose ("unknowns"). (Linear: no grouping by rule; a rule on several node
# groups with the same verdict gives the same finding, which the findings set merges.)
# (regopy: `preps[a.gi]` inside a function costs milliseconds, as if it scanned preps; a local copy
# indexed there costs little.)
internet_exposures(targets) := [x |
	some a in _internet_accepts
	prep := ps[a.gi]
	items := [i | some t in targets; i := _exposure_item(a, t, prep)]
	count(items) > 0
	x := {
		"cluster": {"key": a.cluster_key},
		"sg": a.sg,
		"rule": a.rule,
		"fails": _distinct([i.text | some i in items; i.status == "fail"]),
		"unknowns": _distinct([i.text | some i in items; i.status == "unknown"]),
	}
] if {
	# regal ignore:pointless-reassignment
	ps := preps
}

_distinct(texts) := sort([t | some t in {u | some u in texts}])

# ---------------------------------------------------------------- permitted flows (CKV_ACK_8)

_profile_row(_) if profile == "recommended"

_profile_row(row) if row.profile == "least-privilege"

# permitted_rows(t, cluster): the rows the profile permits (exposure rows come from the settings).
permitted_rows(t, cluster) := [r |
	some r in tables.rows
	r.sg_type == t
	_profile_row(r)
	r.peer != "exposures"
	row_applies(r, cluster)
]

# boxes(t, cluster): permitted (direction, protocol, range, peer) boxes; a box whose peer is not
# known has "peer": null.
boxes(t, cluster, fm) := array.concat(
	[b |
		some row in permitted_rows(t, cluster)
		some f in fm[row.peer]
		some b in _row_boxes(row, f)
	],
	[{
		"direction": e.direction, "protocol": e.protocol, "range": sg.range(e.port_from, e.port_to),
		"peer": _cidr_peer(p, "declared exposure"), "why": "",
	} |
		some e in exposures
		some p in e.peers
	],
)

# (regopy: a comprehension's head may only use variables bound in its own body.)
_row_boxes(row, form) := [b |
	some p in form.peers
	some r in row.ports
	b := {"direction": row.direction, "protocol": row.protocol, "range": sg.range(r[0], r[1]), "peer": p, "why": ""}
] if {
	form.known
} else := [b |
	some r in row.ports
	b := {
		"direction": row.direction, "protocol": row.protocol, "range": sg.range(r[0], r[1]),
		"peer": null, "why": form.why,
	}
]

# Boxes are bucketed like rules (sg.prepare): by direction and flow protocol, each with the ports
# it admits for that protocol as lo/hi, so a flow is compared with the few boxes that can hold it;
# boxes whose peers are known and those whose peers are not apart, as permitted reads them.
box_buckets(bs) := {
	"known": {
		"ingress": _box_protocols([b | some b in bs; b.direction == "ingress"; b.peer != null]),
		"egress": _box_protocols([b | some b in bs; b.direction == "egress"; b.peer != null]),
	},
	"unknown": {
		"ingress": _box_protocols([b | some b in bs; b.direction == "ingress"; b.peer == null]),
		"egress": _box_protocols([b | some b in bs; b.direction == "egress"; b.peer == null]),
	},
}

_box_protocols(bs) := {p: x | some p in sg.bucket_protocols; x := _box_bucket(bs, p)}

_box_bucket(bs, p) := [e |
	some b in bs
	b.protocol in [p, "all"]
	e := _box_entry(b, p)
]

_box_entry(b, p) := {"peer": b.peer, "why": b.why, "lo": b.range[0], "hi": b.range[1]} if {
	p in ["tcp", "udp"]
} else := {"peer": b.peer, "why": b.why, "lo": sg.wide[0], "hi": sg.wide[1]}

# bb.known[f.direction][f.protocol]: the boxes that may hold flow f, iterated in place (see sg.rego).

_box_peer(bp, fp) if {
	bp.kind == "any"
	fp.kind == "cidr"
	fp.cidr.family == 4
}

_box_peer(bp, fp) if {
	bp.kind == "any"
	fp.kind == "sg"
}

_box_peer(bp, fp) if {
	bp.kind != "any"
	sg.peer_covers(bp, fp)
}

# permitted(bb, f): "yes", "unknown" (a row whose peers are not known may permit it) or "no",
# for the bucketed boxes bb (box_buckets).
permitted(bb, f) := "yes" if {
	count([1 |
		some b in bb.known[f.direction][f.protocol]
		b.lo <= f.port_from
		f.port_to <= b.hi
		_box_peer(b.peer, f.peer)
	]) > 0
} else := "unknown" if {
	count([1 |
		some b in bb.unknown[f.direction][f.protocol]
		b.lo <= f.port_from
		f.port_to <= b.hi
	]) > 0
} else := "no"

# (pm: permitted(bb, f); ex: sg.exposure of the accept for f; each computed once per flow)
_component(pm, ex, bb, f) := {"status": "fail", "text": sg.flow_text(f)} if {
	pm == "no"
	ex == "fail"
} else := {"status": "unknown", "text": concat("", [sg.flow_text(f), " (", _why_unknown(pm, bb, f), ")"])} if {
	ex != "none"
}

_why_unknown(pm, bb, f) := whys[0] if {
	pm == "unknown"
	whys := [b.why |
		some b in bb.unknown[f.direction][f.protocol]
		b.lo <= f.port_from
		f.port_to <= b.hi
	]
} else := "a rule whose fields are not known may drop it first"

# (prep, bb: preps[a.gi], permitted_boxes[a.gi], looked up by the caller: see internet_exposures)
_beyond_items(a, prep, bb) := [c |
	some f in sg.rule_flows(a.rule)
	pm := permitted(bb, f)
	pm != "yes"
	c := _component(pm, sg.exposure(prep, a.rule, f), bb, f)
] if {
	count(a.unknown) == 0
	a.type != null
} else := []

_beyond_unknown(a) := {"status": "unknown", "text": text} if {
	count(a.unknown) > 0
	text := concat("", ["its ", concat(", ", a.unknown), " is not known"])
} else := {"status": "unknown", "text": "the SG type is not known"} if {
	a.type == null
}

# beyond_profile: per cluster and accept rule, the flows it allows that the profile does not
# permit and no declared exposure covers.
beyond_profile := [x |
	some a in accepts
	items := array.concat(_beyond_items(a, preps[a.gi], permitted_boxes[a.gi]), [i | i := _beyond_unknown(a)])
	count(items) > 0
	x := {
		"cluster": {"key": a.cluster_key},
		"sg": a.sg,
		"rule": a.rule,
		"fails": _distinct([i.text | some i in items; i.status == "fail"]),
		"unknowns": _distinct([i.text | some i in items; i.status == "unknown"]),
	}
]

_any4_peer := {"kind": "cidr", "cidr": tables.any_ipv4_cidr, "sg": null, "members": [], "label": "0.0.0.0/0"}

_catch_all := [f |
	some p in ["tcp", "udp", "icmp", "gre"]
	f := {"direction": "egress", "protocol": p, "port_from": 1, "port_to": 65535, "peer": _any4_peer}
]

# open_egress: least-privilege profile, basic node groups where outbound traffic that no rule
# matches falls to the basic default (allow): "fail", or "unknown" when an SG's rules are hidden.
open_egress := [{"cluster": ng.cluster, "group": ng.group, "status": _open_status(ng.group)} |
	profile == "least-privilege"
	some gi
	ng := node_groups[gi]
	ng.group.type == "basic"
	not _all_dropped(preps[gi])
]

_all_dropped(prep) if {
	every f in _catch_all {
		sg.dropped(prep, f)
	}
}

_open_status(g) := "unknown" if {
	count(g.hidden) > 0
} else := "fail"
