package ack.lib.sg_test

import data.ack.lib.fixtures_test as fx
import data.ack.lib.sg

# ---------------------------------------------------------------- matching

test_all_protocol_covers_tcp_udp_icmp_gre if {
	not sg.protocol_covers("tcp", "udp")
	every p in ["tcp", "udp", "icmp", "gre"] {
		sg.protocol_covers("all", p)
	}
}

test_minus1_and_1_65535_are_every_port if {
	f := fx.fc("ingress", "tcp", [1, 65535], fx.any4)
	sg.covers(fx.accept("a", "ingress", "tcp", [-1, -1], fx.pc(fx.any4)), f)
	sg.covers(fx.accept("b", "ingress", "tcp", [1, 65535], fx.pc(fx.any4)), f)
	not sg.covers(fx.accept("c", "ingress", "tcp", [1, 65534], fx.pc(fx.any4)), f)
	sg.overlaps(fx.accept("c", "ingress", "tcp", [1, 65534], fx.pc(fx.any4)), f)
	not sg.overlaps(fx.accept("d", "ingress", "tcp", [22, 22], fx.pc(fx.any4)), fx.fc("ingress", "tcp", [80, 80], fx.any4))
}

test_icmp_ignores_ports if {
	sg.covers(fx.accept("a", "ingress", "all", [53, 53], fx.pc(fx.any4)), fx.fc("ingress", "icmp", [1, 65535], fx.vpc))
	sg.overlaps(fx.accept("a", "ingress", "icmp", [8, 8], fx.pc(fx.any4)), fx.fc("ingress", "icmp", [1, 65535], fx.vpc))
}

test_direction_must_match if {
	not sg.covers(fx.accept("a", "egress", "tcp", [-1, -1], fx.pc(fx.any4)), fx.fc("ingress", "tcp", [22, 22], fx.vpc))
}

test_cidr_containment_ipv4_ipv6 if {
	sg.cidr_contains(fx.vpc, fx.vsw)
	not sg.cidr_contains(fx.vsw, fx.vpc)
	sg.cidr_overlaps(fx.vsw, fx.vpc)
	not sg.cidr_overlaps(fx.pod, fx.vpc)
	sg.cidr_contains(fx.any6, fx.doc6)
	not sg.cidr_contains(fx.any4, fx.doc6)
	not sg.cidr_overlaps(fx.any6, fx.vsw)
}

test_sg_peers if {
	f := fx.fs("ingress", "tcp", [22, 22], "sg-1", [fx.vsw])
	sg.covers(fx.accept("a", "ingress", "tcp", [22, 22], fx.ps("sg-1")), f)
	not sg.covers(fx.accept("a", "ingress", "tcp", [22, 22], fx.ps("sg-2")), f)
	sg.overlaps(fx.accept("a", "ingress", "tcp", [22, 22], fx.ps("sg-1")), f)

	# a CIDR holding every member covers the SG peer
	sg.covers(fx.accept("b", "ingress", "tcp", [22, 22], fx.pc(fx.vpc)), f)
	not sg.covers(fx.accept("b", "ingress", "tcp", [22, 22], fx.pc(fx.subnet)), f)
	sg.overlaps(fx.accept("b", "ingress", "tcp", [22, 22], fx.pc(fx.subnet)), f)

	# members unknown: only 0.0.0.0/0 overlaps, nothing covers
	g := fx.fs("ingress", "tcp", [22, 22], "sg-1", [])
	sg.overlaps(fx.accept("c", "ingress", "tcp", [22, 22], fx.pc(fx.any4)), g)
	not sg.covers(fx.accept("c", "ingress", "tcp", [22, 22], fx.pc(fx.any4)), g)
	not sg.overlaps(fx.accept("c", "ingress", "tcp", [22, 22], fx.pc(fx.vpc)), g)
}

test_unknown_fields if {
	r := fx.accept("a", "ingress", "tcp", [22, 22], fx.pc(fx.any4))
	sg.known(r)
	sg.unknown_fields(fx.with_unknown(r, "peer")) == ["peer"]
	sg.unknown_fields(fx.with_unknown(r, "priority")) == ["priority"]
	sg.unknown_fields(fx.with_unknown(r, "port_range")) == ["port_range"]
	sg.unknown_fields(fx.with_unknown(r, "direction")) == ["direction"]
	sg.unknown_fields(fx.with_unknown(r, "protocol")) == ["protocol"]
	sg.unknown_fields(fx.with_unknown(r, "action")) == ["action"]
	sg.field_unknown(json.patch(r, [{"op": "replace", "path": "/peer", "value": fx.pprefix}]), "peer")
	f := fx.fc("ingress", "tcp", [22, 22], fx.any4)
	sg.maybe(fx.with_unknown(r, "peer"), f)
	not sg.maybe(r, f)
	not sg.covers(fx.with_unknown(r, "peer"), f)
	not sg.overlaps(fx.with_unknown(r, "peer"), f)
	not sg.maybe(fx.with_unknown(r, "peer"), fx.fc("ingress", "tcp", [80, 80], fx.any4))
}

test_deleted_rule_is_gone if {
	r := json.patch(fx.accept("a", "ingress", "tcp", [22, 22], fx.pc(fx.any4)), [{"op": "replace", "path": "/change", "value": "delete"}])
	sg.rules([fx.basic("sg-1", [r])]) == []
}

# ---------------------------------------------------------------- effective decision

_f10250 := fx.fs("ingress", "tcp", [10250, 10250], "sg-1", [fx.vsw])

test_accept_allows if {
	d := sg.decide([fx.basic("sg-1", [fx.accept("a", "ingress", "tcp", [10250, 10250], fx.ps("sg-1"))])], _f10250)
	d.status == "allow"
}

test_higher_priority_drop_blocks if {
	rules := [
		fx.rule("a", "ingress", "tcp", [10250, 10250], fx.ps("sg-1"), "accept", 5),
		fx.drop("block", "ingress", "tcp", [10250, 10250], fx.ps("sg-1"), 2),
	]
	d := sg.decide([fx.advanced("sg-1", rules)], _f10250)
	d.status == "deny"
	d.rule.key == "alicloud_security_group_rule.block"
	d.reason == "is dropped by rule alicloud_security_group_rule.block at priority 2"
}

test_drop_beats_accept_at_equal_priority if {
	rules := [
		fx.accept("a", "ingress", "tcp", [10250, 10250], fx.ps("sg-1")),
		fx.drop("block", "ingress", "all", [-1, -1], fx.pc(fx.any4), 1),
	]
	sg.decide([fx.basic("sg-1", rules)], _f10250).status == "deny"
}

test_accept_beats_lower_priority_drop if {
	rules := [
		fx.accept("a", "ingress", "tcp", [10250, 10250], fx.ps("sg-1")),
		fx.drop("block", "ingress", "all", [-1, -1], fx.pc(fx.any4), 100),
	]
	sg.decide([fx.basic("sg-1", rules)], _f10250).status == "allow"
}

test_partial_drop_neutralized_by_earlier_accept if {
	# accept all VPC at 10, drop a subnet at 5, accept the subnet at 1: all of the VPC is allowed
	f := fx.fc("ingress", "tcp", [443, 443], fx.vpc)
	rules := [
		fx.rule("vpc", "ingress", "tcp", [443, 443], fx.pc(fx.vpc), "accept", 10),
		fx.drop("sub", "ingress", "tcp", [443, 443], fx.pc(fx.subnet), 5),
		fx.accept("sub_ok", "ingress", "tcp", [400, 500], fx.pc(fx.subnet)),
	]
	sg.decide([fx.advanced("sg-a", rules)], f).status == "allow"
	not_neutralized := array.slice(rules, 0, 2)
	sg.decide([fx.advanced("sg-a", not_neutralized)], f).status == "deny"
}

test_two_sgs_combine if {
	a := fx.advanced("sg-a", [fx.accept("a", "ingress", "tcp", [443, 443], fx.pc(fx.vpc))])
	b := fx.advanced("sg-b", [fx.drop("b", "ingress", "tcp", [443, 443], fx.pc(fx.subnet), 1)])
	f := fx.fc("ingress", "tcp", [443, 443], fx.vpc)
	sg.decide([a], f).status == "allow"
	sg.decide([a, b], f).status == "deny"
}

test_advanced_default_deny if {
	d := sg.decide([fx.advanced("sg-a", [])], fx.fc("egress", "tcp", [443, 443], fx.slb))
	d.status == "deny"
	contains(d.reason, "advanced SGs deny")
}

test_basic_egress_default_allow if {
	sg.decide([fx.basic("sg-1", [])], fx.fc("egress", "udp", [53, 53], fx.slb)).status == "allow"
	blocked := sg.decide([fx.basic("sg-1", [fx.drop("d", "egress", "all", [-1, -1], fx.pc(fx.any4), 100)])], fx.fc("egress", "udp", [53, 53], fx.slb))
	blocked.status == "deny"
}

test_basic_inner_access if {
	sg.decide([fx.basic("sg-1", [])], _f10250).status == "allow"
	d := sg.decide([fx.group("sg-1", "basic", "drop", [])], _f10250)
	d.status == "deny"
	contains(d.reason, "inner access policy of sg-1 is drop")
	sg.decide([fx.group("sg-1", "basic", null, [])], _f10250).status == "unknown"

	# members of another SG get no default access
	sg.decide([fx.basic("sg-2", [])], _f10250).status == "deny"
}

test_partial_accept_is_not_enough if {
	d := sg.decide([fx.advanced("sg-a", [fx.accept("a", "ingress", "tcp", [443, 443], fx.pc(fx.subnet))])], fx.fc("ingress", "tcp", [443, 443], fx.vpc))
	d.status == "deny"
	contains(d.reason, "not entirely allowed")
}

test_mixed_or_unknown_type_is_unknown if {
	sg.shared_type([fx.basic("a", []), fx.advanced("b", [])]) == null
	sg.shared_type([]) == null
	sg.shared_type([fx.hidden("x")]) == null
	sg.shared_type([fx.hidden("x"), fx.advanced("b", [])]) == "advanced"
	sg.decide([fx.basic("a", []), fx.advanced("b", [])], fx.fc("ingress", "tcp", [443, 443], fx.vpc)).status == "unknown"
}

test_hidden_sg_makes_unknown if {
	f := fx.fc("ingress", "tcp", [443, 443], fx.vpc)
	allowed := fx.advanced("sg-a", [fx.accept("a", "ingress", "tcp", [443, 443], fx.pc(fx.vpc))])
	sg.decide([allowed, fx.hidden("sg-x")], f).status == "unknown"
	sg.decide([fx.advanced("sg-a", []), fx.hidden("sg-x")], f).status == "unknown"

	# a drop at priority 1 wins whatever the hidden SG holds
	d1 := fx.advanced("sg-a", [fx.drop("d", "ingress", "tcp", [443, 443], fx.pc(fx.vpc), 1)])
	sg.decide([d1, fx.hidden("sg-x")], f).status == "deny"
	d5 := fx.advanced("sg-a", [fx.drop("d", "ingress", "tcp", [443, 443], fx.pc(fx.vpc), 5)])
	sg.decide([d5, fx.hidden("sg-x")], f).status == "unknown"
}

test_unknown_rules_make_unknown if {
	f := fx.fc("ingress", "tcp", [443, 443], fx.vpc)
	ok := fx.accept("a", "ingress", "tcp", [443, 443], fx.pc(fx.vpc))
	maybe_drop := fx.with_unknown(fx.drop("x", "ingress", "tcp", [443, 443], fx.pc(fx.vpc), 1), "peer")
	sg.decide([fx.advanced("sg-a", [ok, maybe_drop])], f).status == "unknown"
	maybe_accept := fx.with_unknown(fx.accept("y", "ingress", "tcp", [443, 443], fx.pc(fx.vpc)), "peer")
	sg.decide([fx.advanced("sg-a", [maybe_accept])], f).status == "unknown"
	blocked := fx.drop("z", "ingress", "tcp", [443, 443], fx.pc(fx.vpc), 5)
	sg.decide([fx.advanced("sg-a", [blocked, maybe_accept])], f).status == "unknown"
	sg.decide([fx.advanced("sg-a", [blocked])], f).status == "deny"
}

# ---------------------------------------------------------------- exposure

test_exposure if {
	a := fx.rule("pub", "ingress", "tcp", [-1, -1], fx.pc(fx.any4), "accept", 5)
	f := fx.fc("ingress", "tcp", [10250, 10250], fx.any4)
	sg.exposure(sg.prepare([fx.basic("sg-1", [a])]), a, f) == "fail"
	stop := fx.drop("stop", "ingress", "all", [-1, -1], fx.pc(fx.any4), 5)
	sg.exposure(sg.prepare([fx.basic("sg-1", [a, stop])]), a, f) == "none"
	late := fx.drop("late", "ingress", "all", [-1, -1], fx.pc(fx.any4), 6)
	sg.exposure(sg.prepare([fx.basic("sg-1", [a, late])]), a, f) == "fail"
	maybe_stop := fx.with_unknown(stop, "priority")
	sg.exposure(sg.prepare([fx.basic("sg-1", [a, maybe_stop])]), a, f) == "unknown"

	# the accept's own priority unknown: exposed unless some drop covers it
	u := fx.with_unknown(a, "priority")
	sg.exposure(sg.prepare([fx.basic("sg-1", [u])]), u, f) == "fail"
	sg.exposure(sg.prepare([fx.basic("sg-1", [u, stop])]), u, f) == "unknown"
	first := fx.drop("first", "ingress", "all", [-1, -1], fx.pc(fx.any4), 1)
	sg.exposure(sg.prepare([fx.basic("sg-1", [u, first])]), u, f) == "none"
}

# ---------------------------------------------------------------- text

test_texts if {
	sg.int_text(-1) == "-1"
	sg.int_text(443) == "443"
	sg.ports_text(-1, -1) == "all ports"
	sg.ports_text(1, 65535) == "all ports"
	sg.ports_text(10, 20) == "10-20"
	sg.proto_text("sctp") == "sctp"
	sg.flow_text(fx.fc("egress", "icmp", [1, 65535], fx.vpc)) == "ICMP to 10.0.0.0/8"
	sg.flow_text(_f10250) == "TCP 10250 from sg-1"
	sg.peer_text(fx.ps("sg-1")) == "sg-1"
	sg.peer_text(fx.pprefix) == "pl-1"
	sg.peer_text(fx.punknown) == "an unknown peer"
	sg.label(json.patch(fx.basic("sg-1", []), [{"op": "replace", "path": "/id", "value": null}])) == "sg-1"
	r := fx.with_unknown(fx.with_unknown(fx.accept("a", "ingress", "tcp", [22, 22], fx.pc(fx.any4)), "priority"), "direction")
	sg.rule_text(r) == "? accept TCP 22/22 from/to 0.0.0.0/0 priority ?"
}

test_rule_flows if {
	flows := sg.rule_flows(fx.accept("a", "ingress", "all", [-1, -1], fx.pc(fx.any4)))
	[f.protocol | some f in flows] == ["tcp", "udp", "icmp", "gre"]
	[f] := sg.rule_flows(fx.accept("b", "egress", "tcp", [80, 90], fx.ps("sg-2")))
	f.port_from == 80
	f.peer.label == "sg-2"
}

test_intersect if {
	part := sg.intersect(fx.drop("d", "ingress", "tcp", [400, 500], fx.pc(fx.subnet), 1), fx.fc("ingress", "tcp", [1, 65535], fx.vpc))
	part.port_from == 400
	part.port_to == 500
	part.peer.cidr == fx.subnet
	icmp := sg.intersect(fx.drop("d", "ingress", "all", [-1, -1], fx.pc(fx.any4), 1), fx.fc("ingress", "icmp", [1, 65535], fx.vpc))
	icmp.peer.cidr == fx.vpc
}

test_remediation_text if {
	target := fx.basic("sg-1", [])
	add := sg.add_rule(target, _f10250, "accept", 1)
	contains(add.terraform, "source_security_group_id = \"sg-1\"")
	contains(add.cli, "aliyun ecs AuthorizeSecurityGroup ")
	contains(add.ros, "ALIYUN::ECS::SecurityGroupIngress")
	out6 := sg.add_rule(target, fx.fc("egress", "icmp", [1, 65535], fx.doc6), "accept", 2)
	contains(out6.terraform, "ipv6_cidr_ip = \"2001:db8::/32\"")
	contains(out6.cli, "--Ipv6DestCidrIp 2001:db8::/32")
	contains(out6.ros, "SecurityGroupEgress")
	out4 := sg.add_rule(target, fx.fc("egress", "tcp", [443, 443], fx.slb), "accept", 2)
	contains(out4.cli, "AuthorizeSecurityGroupEgress")
	contains(out4.cli, "--DestCidrIp 10.1.0.10/32")
	in6 := sg.add_rule(target, fx.fc("ingress", "tcp", [443, 443], fx.doc6), "accept", 2)
	contains(in6.cli, "--Ipv6SourceCidrIp")
	to_sg := sg.add_rule(target, fx.fs("egress", "tcp", [443, 443], "alicloud_security_group.x", []), "accept", 2)
	contains(to_sg.terraform, "alicloud_security_group.x.id")
	contains(to_sg.cli, "--DestGroupId alicloud_security_group.x")
	tf := sg.tf_ref(json.patch(target, [{"op": "replace", "path": "/id", "value": null}]))
	tf == "sg-1.id"
	rm := sg.remove_rule(target, fx.accept("pub", "ingress", "tcp", [22, 22], fx.pc(fx.any4)))
	contains(rm.cli, "RevokeSecurityGroup --RegionId <region> --SecurityGroupId sg-1 --IpProtocol tcp --PortRange 22/22 --SourceCidrIp 0.0.0.0/0")
	contains(rm.terraform, "alicloud_security_group_rule.pub")
	rm_out := sg.remove_rule(target, fx.accept("out", "egress", "all", [-1, -1], fx.pc(fx.any4)))
	contains(rm_out.cli, "RevokeSecurityGroupEgress")
	contains(rm_out.cli, "--DestCidrIp 0.0.0.0/0")
}

# ---------------------------------------------------------------- buckets (sg.prepare)

test_buckets_by_direction_action_protocol if {
	wide := fx.accept("all", "ingress", "all", [-1, -1], fx.pc(fx.any4))
	tcp := fx.accept("tcp", "ingress", "tcp", [22, 22], fx.pc(fx.any4))
	out := fx.rule("out", "egress", "udp", [53, 53], fx.pc(fx.any4), "drop", 1)
	p := sg.prepare([fx.advanced("sg-a", [wide, tcp, out])])

	# "all" sits in every protocol's bucket, and alone in the bucket of flows of protocol "all"
	[e.key | some e in p.accept.ingress.tcp] == [wide.key, tcp.key]
	[e.key | some e in p.accept.ingress.icmpv6] == [wide.key]
	[e.key | some e in p.accept.ingress.all] == [wide.key]
	[e.key | some e in p.drop.egress.udp] == [out.key]
	p.drop.ingress.tcp == []

	# ports only bound TCP and UDP entries
	[[e.lo, e.hi] | some e in p.accept.ingress.tcp] == [[1, 65535], [22, 22]]
	[e.lo | some e in p.accept.ingress.icmp] == [sg.wide[0]]
}

test_bucketed_decisions if {
	odd := fx.accept("odd", "ingress", "foo", [22, 22], fx.pc(fx.any4))
	all53 := fx.accept("all53", "ingress", "all", [53, 53], fx.pc(fx.any4))
	sgs := [fx.advanced("sg-a", [odd, all53])]

	# a rule of a protocol no flow has matches nothing; "all" with a port covers ICMP (no ports)
	sg.decide(sgs, fx.fc("ingress", "tcp", [22, 22], fx.vpc)).status == "deny"
	sg.decide(sgs, fx.fc("ingress", "icmp", [1, 65535], fx.vpc)).status == "allow"
	sg.decide(sgs, fx.fc("ingress", "udp", [53, 53], fx.vpc)).status == "allow"
	sg.decide(sgs, fx.fc("ingress", "udp", [54, 54], fx.vpc)).status == "deny"

	# a flow of a protocol no bucket holds gets the default
	sg.decide(sgs, fx.fc("ingress", "sctp", [1, 1], fx.vpc)).reason == "is not allowed by any rule (default deny: advanced SGs deny traffic no rule allows)"
}
