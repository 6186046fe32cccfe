# METADATA
# title: Test fixtures for the structural rules
# description: |
#   Builders of normalized-document pieces for the CKV_ACK_9..15 tests (opa test only: this file
#   ends in _test.rego and is never loaded by the engine).
package ack.test.structural

# CIDR facts as model/cidr.py computes them.
cidr := {
	"0.0.0.0/0": _c("0.0.0.0/0", 4, "00000000", "ffffffff", 0, false),
	"1.2.3.0/24": _c("1.2.3.0/24", 4, "01020300", "010203ff", 24, false),
	"10.0.0.0/8": _c("10.0.0.0/8", 4, "0a000000", "0affffff", 8, true),
	"172.20.0.0/16": _c("172.20.0.0/16", 4, "ac140000", "ac14ffff", 16, true),
	"172.20.1.0/24": _c("172.20.1.0/24", 4, "ac140100", "ac1401ff", 24, true),
	"192.168.0.0/16": _c("192.168.0.0/16", 4, "c0a80000", "c0a8ffff", 16, true),
	"::/0": _c("::/0", 6, "00000000000000000000000000000000", "ffffffffffffffffffffffffffffffff", 0, false),
}

_c(text, family, first, last, plen, private) := {
	"cidr": text, "family": family, "first": first, "last": last, "prefix_len": plen,
	"private": private, "internet": _not(private),
}

_not(true) := false

_not(false) := true

cidr_peer(text) := {"kind": "cidr", "cidr": cidr[text], "sg": null, "sg_type": null, "prefix_list": null}

sg_peer(key, sg_type) := {"kind": "sg", "cidr": null, "sg": key, "sg_type": sg_type, "prefix_list": null}

no_peer := {"kind": "none", "cidr": null, "sg": null, "sg_type": null, "prefix_list": null}

unknown_peer := {"kind": "unknown", "cidr": null, "sg": null, "sg_type": null, "prefix_list": null}

_given := {
	"direction": "given", "protocol": "given", "port_range": "given", "peer": "given",
	"action": "given", "priority": "given",
}

# rule: an ingress tcp 443/443 accept from 10.0.0.0/8 at priority 1, with fields replaced by `over`.
rule(key, over) := object.union(
	{
		"key": key, "address": key, "direction": "ingress", "protocol": "tcp",
		"port_range": "443/443", "port_from": 443, "port_to": 443, "peer": cidr_peer("10.0.0.0/8"),
		"action": "accept", "priority": 1, "nic_type": "intranet", "description": null,
		"change": null, "loc": {"file": "main.tf", "line": 10}, "provenance": _given, "raw": {},
		"skips": [],
	},
	over,
)

# ports: the three port fields for a port_range text the parser accepts.
ports(text, from, to) := {"port_range": text, "port_from": from, "port_to": to}

# unknown_field: provenance "unknown" for one field (value null).
unknown_field(field) := object.union(
	{field: null, "provenance": object.union(_given, {field: "unknown"})},
	_unknown_ports(field),
)

_unknown_ports("port_range") := {"port_from": null, "port_to": null}

_unknown_ports(field) := {} if field != "port_range"

sg(key, sg_type, rules) := {
	"key": key, "id": null, "address": key, "name": null, "type": sg_type,
	"inner_access_policy": "accept", "vpc_id": null, "origin": "declared", "rules_known": true,
	"change": null, "rules": rules, "loc": {"file": "main.tf", "line": 1},
	"provenance": {"type": "given"}, "raw": {}, "skips": [],
}

# hidden: an SG only referenced (or created by ACK): its rules are not in the sources.
hidden(key, origin) := object.union(sg(key, null, []), {"origin": origin, "rules_known": false, "id": key})

pool(key, sgs) := {
	"key": key, "address": key, "name": null, "security_groups": sgs, "vswitches": [],
	"change": null, "loc": {"file": "main.tf", "line": 40}, "provenance": {"security_groups": "given"},
	"skips": [],
}

# cluster: a Terway cluster on sg_key with node pools; sg_set is cluster SG plus the pools' SGs.
cluster(key, sg_key, pools, over) := object.union(
	{
		"key": key, "address": key, "cluster_id": null, "name": null, "kind": "managed",
		"security_group": sg_key, "is_enterprise_security_group": null, "network_plugin": "terway",
		"pod_cidr": null, "service_cidr": null,
		"vpc": {"id": null, "cidr": null, "secondary_cidrs": []},
		"node_vswitches": [], "pod_vswitches": [], "api_server_address": null,
		"node_pools": pools, "sg_set": _sg_set(sg_key, pools), "change": null,
		"loc": {"file": "main.tf", "line": 30}, "provenance": {"security_group": "given"},
		"raw": {}, "skips": [],
	},
	over,
)

_sg_set(sg_key, pools) := array.concat(_own(sg_key), _pool_keys(pools))

_own(null) := []

_own(k) := [k] if k != null

_pool_keys(pools) := [k |
	some p in pools
	p.security_groups != null
	some k in p.security_groups
]

doc(clusters, sgs) := {"clusters": clusters, "security_groups": sgs}

# results: the (status, resource) pairs of a rule's findings.
results(findings) := {[f.status, f.resource] | some f in findings}
