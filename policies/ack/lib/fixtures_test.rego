# METADATA
# title: Test fixtures for the SG library, the flows library and CKV_ACK_1..8
# description: Small builders for normalized-document pieces (the shapes model/document.py makes).
package ack.lib.fixtures_test

import data.ack.lib.sg

# ---------------------------------------------------------------- CIDR facts (model/cidr.py)

_c(cidr, family, first, last, plen, internet) := {
	"cidr": cidr, "family": family, "first": first, "last": last,
	"prefix_len": plen, "private": _not(internet), "internet": internet,
}

_not(true) := false

_not(false) := true

any4 := _c("0.0.0.0/0", 4, "00000000", "ffffffff", 0, true)

vpc := _c("10.0.0.0/8", 4, "0a000000", "0affffff", 8, false)

vsw := _c("10.1.0.0/16", 4, "0a010000", "0a01ffff", 16, false)

subnet := _c("10.1.0.0/24", 4, "0a010000", "0a0100ff", 24, false)

pod := _c("172.20.0.0/16", 4, "ac140000", "ac14ffff", 16, false)

slb := _c("10.1.0.10/32", 4, "0a01000a", "0a01000a", 32, false)

any6 := _c("::/0", 6, "00000000000000000000000000000000", "ffffffffffffffffffffffffffffffff", 0, true)

doc6 := _c("2001:db8::/32", 6, "20010db8000000000000000000000000", "20010db8ffffffffffffffffffffffff", 32, true)

public := _c("203.0.113.0/24", 4, "cb007100", "cb0071ff", 24, true)

home := _c("192.168.0.0/16", 4, "c0a80000", "c0a8ffff", 16, false)

aliyun := _c("100.64.0.0/10", 4, "64400000", "647fffff", 10, false)

# ---------------------------------------------------------------- peers, rules, SGs

pc(c) := {"kind": "cidr", "cidr": c, "sg": null, "sg_type": null, "prefix_list": null}

ps(key) := {"kind": "sg", "cidr": null, "sg": key, "sg_type": "basic", "prefix_list": null}

punknown := {"kind": "unknown", "cidr": null, "sg": null, "sg_type": null, "prefix_list": null}

pprefix := {"kind": "prefix_list", "cidr": null, "sg": null, "sg_type": null, "prefix_list": "pl-1"}

_loc := {"file": "main.tf", "line": 7}

# rule(name, direction, protocol, [from, to], peer, action, priority)
rule(name, direction, protocol, ports, peer, action, priority) := {
	"key": concat("", ["alicloud_security_group_rule.", name]),
	"address": concat("", ["alicloud_security_group_rule.", name]),
	"direction": direction,
	"protocol": protocol,
	"port_range": concat("/", [sg.int_text(ports[0]), sg.int_text(ports[1])]),
	"port_from": ports[0],
	"port_to": ports[1],
	"peer": peer,
	"action": action,
	"priority": priority,
	"nic_type": "intranet",
	"description": null,
	"change": null,
	"loc": _loc,
	"provenance": {},
	"raw": {},
	"skips": [],
}

# accept / drop shorthands
accept(name, direction, protocol, ports, peer) := rule(name, direction, protocol, ports, peer, "accept", 1)

drop(name, direction, protocol, ports, peer, priority) := rule(name, direction, protocol, ports, peer, "drop", priority)

# with_unknown(r, field): the rule with one field unknown (provenance unknown, value null).
with_unknown(r, "peer") := json.patch(r, [
	{"op": "replace", "path": "/peer", "value": punknown},
	{"op": "add", "path": "/provenance/peer", "value": "unknown"},
])

with_unknown(r, field) := json.patch(r, [
	{"op": "replace", "path": concat("", ["/", field]), "value": null},
	{"op": "add", "path": concat("", ["/provenance/", field]), "value": "unknown"},
]) if {
	field != "peer"
	field != "port_range"
}

with_unknown(r, "port_range") := json.patch(r, [
	{"op": "replace", "path": "/port_range", "value": null},
	{"op": "replace", "path": "/port_from", "value": null},
	{"op": "replace", "path": "/port_to", "value": null},
	{"op": "add", "path": "/provenance/port_range", "value": "unknown"},
])

group(key, type, inner, rules) := {
	"key": key,
	"id": key,
	"address": key,
	"name": null,
	"type": type,
	"inner_access_policy": inner,
	"vpc_id": null,
	"origin": "declared",
	"rules_known": true,
	"change": null,
	"rules": rules,
	"loc": {"file": "main.tf", "line": 1},
	"provenance": {},
	"raw": {},
	"skips": [],
}

basic(key, rules) := group(key, "basic", "accept", rules)

advanced(key, rules) := group(key, "advanced", "drop", rules)

hidden(key) := json.patch(group(key, null, null, []), [
	{"op": "replace", "path": "/origin", "value": "referenced"},
	{"op": "replace", "path": "/rules_known", "value": false},
])

# ---------------------------------------------------------------- flows

fc(direction, protocol, ports, c) := {
	"direction": direction,
	"protocol": protocol,
	"port_from": ports[0],
	"port_to": ports[1],
	"peer": {"kind": "cidr", "cidr": c, "sg": null, "members": [], "label": c.cidr},
}

fs(direction, protocol, ports, key, members) := {
	"direction": direction,
	"protocol": protocol,
	"port_from": ports[0],
	"port_to": ports[1],
	"peer": {"kind": "sg", "cidr": null, "sg": key, "members": members, "label": key},
}

# ---------------------------------------------------------------- clusters and documents

pool(name, sgs) := {
	"key": concat("", ["alicloud_cs_kubernetes_node_pool.", name]),
	"address": concat("", ["alicloud_cs_kubernetes_node_pool.", name]),
	"name": name,
	"security_groups": sgs,
	"vswitches": [],
	"change": null,
	"loc": {"file": "main.tf", "line": 200},
	"provenance": {"security_groups": "given"},
	"skips": [],
}

cluster(sg, plugin, pools) := {
	"key": "alicloud_cs_managed_kubernetes.k8s",
	"address": "alicloud_cs_managed_kubernetes.k8s",
	"cluster_id": null,
	"name": "k8s",
	"kind": "managed",
	"security_group": sg,
	"is_enterprise_security_group": null,
	"network_plugin": plugin,
	"pod_cidr": pod,
	"service_cidr": null,
	"vpc": {"id": "vpc-1", "cidr": vpc, "secondary_cidrs": []},
	"node_vswitches": [{"id": "vsw-1", "cidr": vsw}],
	"pod_vswitches": [],
	"api_server_address": slb,
	"node_pools": pools,
	"sg_set": [sg],
	"change": null,
	"loc": {"file": "main.tf", "line": 100},
	"provenance": {"security_group": "given", "network_plugin": "given"},
	"raw": {},
	"skips": [],
}

settings(profile, exposures) := {
	"profile": profile,
	"exposures": exposures,
	"overrides": {"network_plugin": null, "sg_type": null, "api_server_address": null, "vpc_cidrs": [], "vswitch_cidrs": [], "pod_cidr": null},
}

doc(clusters, sgs) := {
	"schema_version": "1.0",
	"settings": settings("recommended", []),
	"inputs": [],
	"clusters": clusters,
	"security_groups": sgs,
}

# A basic SG with the least-privilege inbound rows from itself (DNS, ICMP, TCP ports).
least_inbound(key) := [
	accept("dns", "ingress", "all", [53, 53], ps(key)),
	accept("icmp", "ingress", "icmp", [-1, -1], ps(key)),
	accept("t10250", "ingress", "tcp", [10250, 10250], ps(key)),
	accept("t10255", "ingress", "tcp", [10255, 10255], ps(key)),
	accept("t443", "ingress", "tcp", [443, 443], ps(key)),
	accept("t6443", "ingress", "tcp", [6443, 6443], ps(key)),
	accept("t8082", "ingress", "tcp", [8082, 8082], ps(key)),
]

# ... and the least-privilege outbound rows to the SLB and itself, with a final drop.
least_outbound(key) := [
	accept("o_aliyun", "egress", "all", [-1, -1], pc(aliyun)),
	accept("o_dns_slb", "egress", "all", [53, 53], pc(slb)),
	accept("o_dns_sg", "egress", "all", [53, 53], ps(key)),
	accept("o_10250_slb", "egress", "tcp", [10250, 10250], pc(slb)),
	accept("o_10255_slb", "egress", "tcp", [10255, 10255], pc(slb)),
	accept("o_443_slb", "egress", "tcp", [443, 443], pc(slb)),
	accept("o_6443_slb", "egress", "tcp", [6443, 6443], pc(slb)),
	accept("o_10250_sg", "egress", "tcp", [10250, 10250], ps(key)),
	accept("o_10255_sg", "egress", "tcp", [10255, 10255], ps(key)),
	accept("o_443_sg", "egress", "tcp", [443, 443], ps(key)),
	accept("o_6443_sg", "egress", "tcp", [6443, 6443], ps(key)),
	drop("o_deny", "egress", "all", [-1, -1], pc(any4), 100),
]

# A document: one basic cluster SG sg-1 with the given rules, Terway.
basic_doc(rules) := doc([cluster("sg-1", "terway", [])], [basic("sg-1", rules)])

# statuses(findings, rule_id): the statuses a rule reported.
statuses(findings, rule_id) := {f.status | some f in findings; f.rule_id == rule_id}
