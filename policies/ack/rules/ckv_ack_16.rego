# METADATA
# title: CKV_ACK_16 Consistent cluster SG settings
# description: |
#   A cluster sets both an existing security_group_id and is_enterprise_security_group: the API
#   takes one (is_enterprise_security_group only chooses the type of an SG that ACK creates).
# custom:
#   id: CKV_ACK_16
package ack.rules.ckv_ack_16

import data.ack.lib.finding

_id := "CKV_ACK_16"

_conflicting(cluster) if {
	cluster.provenance.security_group == "given"
	cluster.is_enterprise_security_group == true
}

findings contains finding.make(_id, "fail", cluster, msg, remediation) if {
	some cluster in input.clusters
	_conflicting(cluster)
	msg := concat("", [
		"sets both security_group_id (", cluster.security_group,
		") and is_enterprise_security_group = true; the API takes one",
	])
	remediation := {
		"terraform": "Remove is_enterprise_security_group, or remove security_group_id and let ACK create an advanced SG.",
		"ros": "Remove IsEnterpriseSecurityGroup, or remove SecurityGroupId.",
		"cli": "aliyun cs POST /clusters: pass either security_group_id or is_enterprise_security_group, not both.",
	}
}

findings contains finding.make(_id, "unknown", cluster, msg, null) if {
	some cluster in input.clusters
	not _conflicting(cluster)
	cluster.provenance.security_group == "unknown"
	msg := "security_group_id is not known until apply; cannot tell whether it conflicts with is_enterprise_security_group"
}

findings contains finding.make(_id, "pass", cluster, "the cluster SG settings are consistent", null) if {
	some cluster in input.clusters
	not _conflicting(cluster)
	cluster.provenance.security_group != "unknown"
}
