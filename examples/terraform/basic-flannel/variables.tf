variable "name_prefix" {
  description = "Prefix of every resource name."
  type        = string
  default     = "example"
}

variable "vpc_cidr" {
  type    = string
  default = "192.168.0.0/16"
}

variable "pod_cidr" {
  type    = string
  default = "172.20.0.0/16"
}

variable "service_cidr" {
  type    = string
  default = "172.21.0.0/20"
}

variable "zone_id" {
  type    = string
  default = "cn-hangzhou-i"
}
