# METADATA
# title: CKV_ACK_7 Cluster component ports not exposed to the internet
# description: |
#   TCP 6443 (API server), TCP 8082 (heapster) or DNS 53 (TCP and UDP) effectively allowed from
#   an internet peer.
#   A cluster with nodes whose SGs, or their rules, are not in the scanned sources gets
#   `unknown` instead of `pass`: rules there may allow what the visible rules do not.
# custom:
#   id: CKV_ACK_7
package ack.rules.ckv_ack_7

import data.ack.lib.finding
import data.ack.lib.flows
import data.ack.lib.sg

_id := "CKV_ACK_7"

_targets := [
	{"protocol": "tcp", "port_from": 6443, "port_to": 6443, "whole": false},
	{"protocol": "tcp", "port_from": 8082, "port_to": 8082, "whole": false},
	{"protocol": "tcp", "port_from": 53, "port_to": 53, "whole": false},
	{"protocol": "udp", "port_from": 53, "port_to": 53, "whole": false},
]

_exposures := flows.internet_exposures(_targets)

_pass_text := "no rule on the cluster's nodes exposes TCP 6443, 8082 and DNS 53 to internet peers"

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
