# A managed ACK cluster on Flannel with a basic security group that follows the ACK guide
# ("Configure and manage cluster security groups", recommended settings), plus a web
# application exposed on 80/443, declared in .checkov-ack.yaml so the scan permits it.
#
#   checkov-ack scan examples/terraform/basic-flannel

locals {
  node_vswitch_cidr = cidrsubnet(var.vpc_cidr, 8, 1) # 192.168.1.0/24
}

resource "alicloud_vpc" "vpc" {
  vpc_name   = "${var.name_prefix}-vpc"
  cidr_block = var.vpc_cidr
}

resource "alicloud_vswitch" "nodes" {
  vswitch_name = "${var.name_prefix}-node-vsw"
  vpc_id       = alicloud_vpc.vpc.id
  cidr_block   = local.node_vswitch_cidr
  zone_id      = var.zone_id
}

resource "alicloud_security_group" "cluster" {
  security_group_name = "${var.name_prefix}-basic-sg"
  security_group_type = "normal"
  inner_access_policy = "Accept"
  vpc_id              = alicloud_vpc.vpc.id
}

# Inbound: ICMP from anywhere, everything from cluster members and from the pod CIDR (Flannel).
resource "alicloud_security_group_rule" "icmp_in" {
  type              = "ingress"
  ip_protocol       = "icmp"
  port_range        = "-1/-1"
  cidr_ip           = "0.0.0.0/0"
  security_group_id = alicloud_security_group.cluster.id
}

resource "alicloud_security_group_rule" "members_in" {
  type                     = "ingress"
  ip_protocol              = "all"
  port_range               = "-1/-1"
  source_security_group_id = alicloud_security_group.cluster.id
  security_group_id        = alicloud_security_group.cluster.id
}

resource "alicloud_security_group_rule" "pods_in" {
  type              = "ingress"
  ip_protocol       = "all"
  port_range        = "-1/-1"
  cidr_ip           = var.pod_cidr
  security_group_id = alicloud_security_group.cluster.id
}

# The application: HTTP and HTTPS from the internet.
resource "alicloud_security_group_rule" "web_in" {
  for_each = toset(["80/80", "443/443"])

  type              = "ingress"
  ip_protocol       = "tcp"
  port_range        = each.value
  cidr_ip           = "0.0.0.0/0"
  security_group_id = alicloud_security_group.cluster.id
}

# Outbound: everything (the basic SG default, written out as the guide's table does).
resource "alicloud_security_group_rule" "all_out" {
  type              = "egress"
  ip_protocol       = "all"
  port_range        = "-1/-1"
  cidr_ip           = "0.0.0.0/0"
  security_group_id = alicloud_security_group.cluster.id
}

resource "alicloud_cs_managed_kubernetes" "k8s" {
  name              = "${var.name_prefix}-flannel"
  cluster_spec      = "ack.pro.small"
  vswitch_ids       = [alicloud_vswitch.nodes.id]
  security_group_id = alicloud_security_group.cluster.id
  pod_cidr          = var.pod_cidr
  service_cidr      = var.service_cidr

  addons {
    name = "flannel"
  }
}
