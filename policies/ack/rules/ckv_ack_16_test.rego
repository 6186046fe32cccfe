package ack.rules.ckv_ack_16_test

import data.ack.rules.ckv_ack_16

_cluster(sg_provenance, enterprise) := {
	"key": "c", "address": "alicloud_cs_managed_kubernetes.k8s", "security_group": "sg-1",
	"is_enterprise_security_group": enterprise, "provenance": {"security_group": sg_provenance},
	"loc": {"file": "main.tf", "line": 3},
}

_statuses(cluster) := s if {
	s := {f.status | some f in ckv_ack_16.findings} with input as {"clusters": [cluster]}
}

test_existing_sg_and_enterprise_flag_fail if {
	_statuses(_cluster("given", true)) == {"fail"}
	fs := ckv_ack_16.findings with input as {"clusters": [_cluster("given", true)]}
	some f in fs
	f.resource == "alicloud_cs_managed_kubernetes.k8s"
	f.remediation.terraform != ""
}

test_existing_sg_alone_passes if {
	_statuses(_cluster("given", null)) == {"pass"}
	_statuses(_cluster("given", false)) == {"pass"}
}

test_ack_created_sg_with_flag_passes if {
	_statuses(_cluster("default", true)) == {"pass"}
}

test_sg_known_only_after_apply_is_unknown if {
	_statuses(_cluster("unknown", true)) == {"unknown"}
}
