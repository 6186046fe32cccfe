package ack.lib.flows_test

import data.ack.lib.fixtures_test as fx
import data.ack.lib.flows

_cluster := fx.cluster("sg-1", "flannel", [])

test_placeholder_for_missing_sg if {
	s := flows.sg_by_key("sg-404") with input as fx.doc([], [])
	s.rules_known == false
	s.id == "sg-404"
	t := flows.sg_by_key("tf:x") with input as fx.doc([], [])
	t.id == null
}

test_groups if {
	c := fx.cluster("sg-1", "terway", [fx.pool("same", ["sg-1"]), fx.pool("two", ["sg-1", "sg-2"]), fx.pool("unknown", null)])
	gs := flows.groups(c) with input as fx.doc([c], [fx.basic("sg-1", []), fx.basic("sg-2", [])])
	[g.kind | some g in gs] == ["cluster", "node pool", "node pool"]
	gs[1].type == "basic"
	gs[2].keys == null
	flows.group_text(gs[0]) == "nodes with SG sg-1"
	flows.group_text(gs[1]) == "nodes with SGs sg-1, sg-2"
	flows.group_text(gs[2]) == "nodes with unknown SGs"
	no_sg := json.patch(c, [{"op": "replace", "path": "/security_group", "value": null}])
	g0 := flows.groups(no_sg)[0] with input as fx.doc([no_sg], [])
	g0.keys == null
}

test_deleted_cluster_and_pool_are_skipped if {
	gone := json.patch(_cluster, [{"op": "replace", "path": "/change", "value": "delete"}])
	flows.clusters == [] with input as fx.doc([gone], [])
	p := json.patch(fx.pool("p", ["sg-2"]), [{"op": "replace", "path": "/change", "value": "delete"}])
	c := fx.cluster("sg-1", "terway", [p])
	count(flows.groups(c)) == 1 with input as fx.doc([c], [])
}

test_settings_defaults if {
	flows.profile == "recommended" with input as {}
	flows.exposures == [] with input as {}
	flows.profile == "least-privilege" with input as {"settings": {"profile": "least-privilege", "exposures": []}}
}

test_sources if {
	flows.source(_cluster, "cluster_sg").peers[0].members == [fx.vsw] with input as fx.doc([_cluster], [fx.basic("sg-1", [])])
	not flows.source(json.patch(_cluster, [{"op": "replace", "path": "/security_group", "value": null}]), "cluster_sg").known
	not flows.source(json.patch(_cluster, [{"op": "replace", "path": "/vpc/cidr", "value": null}]), "vpc_cidr").known
	not flows.source(json.patch(_cluster, [{"op": "add", "path": "/provenance/vpc.secondary_cidrs", "value": "unknown"}]), "vpc_secondary_cidrs").known
	flows.source(json.patch(_cluster, [{"op": "replace", "path": "/vpc/secondary_cidrs", "value": [fx.home]}]), "vpc_secondary_cidrs").peers[0].cidr == fx.home
	flows.source(_cluster, "pod_cidr").peers[0].cidr == fx.pod
	not flows.source(json.patch(_cluster, [{"op": "replace", "path": "/pod_cidr", "value": null}]), "pod_cidr").known
	not flows.source(json.patch(_cluster, [{"op": "replace", "path": "/network_plugin", "value": "unknown"}]), "pod_cidr").known
	flows.source(json.patch(_cluster, [{"op": "replace", "path": "/network_plugin", "value": "terway"}]), "pod_cidr").peers == []
	flows.source(_cluster, "exposures").peers == []
	flows.source(_cluster, "any_ipv4").peers[0].kind == "any"
}

test_vswitch_sources if {
	# node and pod vSwitches with the same CIDR are one peer
	twice := json.patch(_cluster, [{"op": "replace", "path": "/pod_vswitches", "value": [{"id": "vsw-2", "cidr": fx.vsw}]}])
	count(flows.source(twice, "vswitch_cidrs").peers) == 1
	no_cidr := json.patch(_cluster, [{"op": "replace", "path": "/node_vswitches/0/cidr", "value": null}])
	not flows.source(no_cidr, "vswitch_cidrs").known
	flows.member_cidrs(no_cidr) == []
	empty := json.patch(_cluster, [{"op": "replace", "path": "/node_vswitches", "value": []}])
	not flows.source(empty, "vswitch_cidrs").known
	unknown := json.patch(_cluster, [{"op": "add", "path": "/provenance/node_vswitches", "value": "unknown"}])
	not flows.source(unknown, "vswitch_cidrs").known
	p := json.patch(fx.pool("p", ["sg-1"]), [{"op": "add", "path": "/provenance/vswitches", "value": "unknown"}])
	not flows.source(fx.cluster("sg-1", "terway", [p]), "vswitch_cidrs").known
}

test_api_slb_forms if {
	[f] := flows.forms(_cluster, "api_slb")
	f.peers[0].cidr == fx.slb
	no_slb := json.patch(_cluster, [{"op": "replace", "path": "/api_server_address", "value": null}])
	[vs, vpc] := flows.forms(no_slb, "api_slb")
	vs.peers[0].cidr == fx.vsw
	vpc.peers[0].cidr == fx.vpc
	nothing := json.patch(no_slb, [
		{"op": "replace", "path": "/node_vswitches", "value": []},
		{"op": "replace", "path": "/vpc/cidr", "value": null},
	])
	[a, b] := flows.forms(nothing, "api_slb")
	not a.known
	contains(b.why, "API server SLB address is not known")
	merged := flows.forms(json.patch(_cluster, [{"op": "add", "path": "/provenance/vpc.secondary_cidrs", "value": "unknown"}]), "vswitch_cidrs")
	not merged[1].known
}

test_rows if {
	rows := flows.required_rows("basic", _cluster)
	count([r | some r in rows; r.flannel_only]) > 0
	terway := json.patch(_cluster, [{"op": "replace", "path": "/network_plugin", "value": "terway"}])
	count([r | some r in flows.required_rows("basic", terway); r.flannel_only]) == 0
	some dns in rows
	dns.id == "b.in.lp.dns.cluster_sg"
	flows.row_protocols(dns) == ["tcp", "udp"]
	flows.row_rule(dns) == "CKV_ACK_1"
	flows.row_text(dns) == "all protocols 53 from the ID of the cluster's default security group (its members are the cluster's nodes)"
	some all_out in rows
	all_out.id == "b.out.lp.all.alibaba_cloud"
	flows.row_protocols(all_out) == ["tcp", "udp", "icmp", "gre"]
	flows.row_text(all_out) == "all protocols to 100.64.0.0/10 (the CIDR block of Alibaba Cloud resources)"
}

test_joined if {
	flows.joined([]) == null
	j := flows.joined([{"terraform": "a", "ros": "b", "cli": "c"}, {"terraform": "d", "ros": "e", "cli": "f"}])
	j.cli == "c\nf"
}

test_fix_priority if {
	d := fx.advanced("sg-a", [fx.drop("d", "ingress", "tcp", [443, 443], fx.pc(fx.vsw), 1)])
	c := fx.cluster("sg-a", "terway", [])
	[e] := [e | some e in flows.evaluations; e.rule_id == "CKV_ACK_1"] with input as fx.doc([c], [d])
	contains(e.fails[0], "dropped by rule alicloud_security_group_rule.d at priority 1")
	contains(flows.joined(e.remediation).terraform, "priority          = 1")
	d5 := fx.advanced("sg-a", [fx.drop("d", "ingress", "tcp", [443, 443], fx.pc(fx.vsw), 5)])
	[e5] := [e | some e in flows.evaluations; e.rule_id == "CKV_ACK_1"] with input as fx.doc([c], [d5])
	contains(flows.joined(e5.remediation).cli, "--Priority 4")
}

test_opaque_group_messages if {
	hidden := fx.doc([fx.cluster("sg-x", "terway", [])], [fx.hidden("sg-x")])
	[e | some e in flows.evaluations; e.rule_id == "CKV_ACK_1"][0].unknowns == [concat("", [
		"the required flows of cluster alicloud_cs_managed_kubernetes.k8s cannot be checked: ",
		"the type and rules of sg-x are not in the scanned sources",
	])] with input as hidden
}

test_mixed_group_message if {
	mixed := fx.doc([fx.cluster("sg-1", "terway", [fx.pool("np", ["sg-1", "sg-a"])])], [fx.basic("sg-1", []), fx.advanced("sg-a", [])])
	some e in flows.evaluations with input as mixed
	e.rule_id == "CKV_ACK_4"
	e.group.kind == "node pool"
	contains(e.unknowns[0], "its SGs mix basic and advanced types")
}
