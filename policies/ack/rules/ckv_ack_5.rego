# METADATA
# title: CKV_ACK_5 Kubelet not exposed to the internet
# description: |
#   TCP 10250 or 10255 (kubelet) effectively allowed from an internet peer: an accept from a
#   non-private CIDR (0.0.0.0/0 and ::/0 included) that no drop at a priority number <= its own
#   overrides.
#   A cluster with nodes whose SGs, or their rules, are not in the scanned sources gets
#   `unknown` instead of `pass`: rules there may allow what the visible rules do not.
# custom:
#   id: CKV_ACK_5
package ack.rules.ckv_ack_5

import data.ack.lib.finding
import data.ack.lib.flows
import data.ack.lib.sg

_id := "CKV_ACK_5"

_targets := [
	{"protocol": "tcp", "port_from": 10250, "port_to": 10250, "whole": false},
	{"protocol": "tcp", "port_from": 10255, "port_to": 10255, "whole": false},
]

_exposures := flows.internet_exposures(_targets)

_pass_text := "no rule on the cluster's nodes exposes TCP 10250 and 10255 (kubelet) to internet peers"

findings contains finding.make(_id, "fail", x.rule, msg, sg.remove_rule(x.sg, x.rule)) if {
	some x in _exposures
	count(x.fails) > 0
	msg := concat("", ["rule of ", sg.label(x.sg), ": ", concat("; ", x.fails)])
}

findings contains finding.make(_id, "unknown", x.rule, msg, null) if {
	some x in _exposures
	count(x.unknowns) > 0
	msg := concat("", ["rule of ", sg.label(x.sg), ": ", concat("; ", x.unknowns)])
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

_flagged(cluster) if {
	some x in _exposures
	x.cluster.key == cluster.key
}
