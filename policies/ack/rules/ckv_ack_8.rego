# METADATA
# title: CKV_ACK_8 Nothing beyond the profile
# description: |
#   An accept rule on the cluster's nodes allows a flow (inbound or outbound) that the selected
#   profile (recommended or least-privilege rows of the guide's table for the SG type and network
#   plugin) does not permit and no declared application exposure covers. Under least-privilege, a
#   basic node group whose outbound traffic falls to the basic default (allow all) also fails.
#   A cluster with nodes whose SGs, or their rules, are not in the scanned sources gets
#   `unknown` instead of `pass`: rules there may allow what the visible rules do not.
# custom:
#   id: CKV_ACK_8
package ack.rules.ckv_ack_8

import data.ack.lib.finding
import data.ack.lib.flows
import data.ack.lib.sg

_id := "CKV_ACK_8"

_why := concat("", ["the ", flows.profile, " profile does not permit it and no declared exposure covers it"])

findings contains finding.make(_id, "fail", x.rule, msg, _remove(x)) if {
	some x in flows.beyond_profile
	count(x.fails) > 0
	msg := concat("", ["rule of ", sg.label(x.sg), " allows ", concat(", ", x.fails), ": ", _why])
}

findings contains finding.make(_id, "unknown", x.rule, msg, null) if {
	some x in flows.beyond_profile
	count(x.unknowns) > 0
	msg := concat("", [
		"rule of ", sg.label(x.sg), ": whether the ", flows.profile, " profile permits it is not known: ",
		concat("; ", x.unknowns),
	])
}

findings contains finding.make(_id, "fail", o.group.entity, msg, _drop_all_outbound(o.group)) if {
	some o in flows.open_egress
	o.status == "fail"
	msg := concat("", [
		flows.group_text(o.group),
		": outbound traffic no rule matches is allowed by the basic SG default (allow all); ",
		"the least-privilege profile needs a drop of all protocols to 0.0.0.0/0 at the lowest priority (100)",
	])
}

findings contains finding.make(_id, "unknown", o.group.entity, msg, null) if {
	some o in flows.open_egress
	o.status == "unknown"
	msg := concat("", [
		flows.group_text(o.group),
		": no known rule drops outbound traffic to 0.0.0.0/0, and an SG's rules are not in the scanned sources",
	])
}

findings contains finding.make(_id, "pass", cluster, _pass_text, null) if {
	some cluster in flows.clusters
	not _flagged(cluster)
	count(flows.unseen(cluster)) == 0
}

findings contains finding.make(_id, "unknown", cluster, flows.unseen_message(_pass_text, unseen), null) if {
	some cluster in flows.clusters
	not _flagged(cluster)
	unseen := flows.unseen(cluster)
	count(unseen) > 0
}

_pass_text := concat("", ["every rule on the cluster's nodes stays within the ", flows.profile, " profile"])

_flagged(cluster) if {
	some x in flows.beyond_profile
	x.cluster.key == cluster.key
	count(x.fails) + count(x.unknowns) > 0
}

_flagged(cluster) if {
	some o in flows.open_egress
	o.cluster.key == cluster.key
}

_remove(x) := {
	"terraform": concat("", [r.terraform, ", or declare it as an application exposure (--exposure)"]),
	"ros": concat("", [r.ros, ", or declare it as an application exposure (--exposure)"]),
	"cli": r.cli,
} if {
	r := sg.remove_rule(x.sg, x.rule)
}

_drop_all_outbound(g) := sg.add_rule(
	g.sgs[0], {
		"direction": "egress",
		"protocol": "all",
		"port_from": -1,
		"port_to": -1,
		"peer": {"kind": "cidr", "cidr": {"cidr": "0.0.0.0/0", "family": 4}, "sg": null},
	},
	"drop", 100,
)
