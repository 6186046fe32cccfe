#!/usr/bin/env bash
# Scan what Terraform is about to do: the plan knows values the HCL cannot (computed IDs, data
# sources, remote modules), so fewer results are `unknown`. Run where `terraform plan` works
# (credentials, backend). TF_DIR: the root module (default infra).
set -euo pipefail
cd "${TF_DIR:-infra}"
terraform init -input=false
terraform plan -input=false -out=tfplan
terraform show -json tfplan > plan.json
checkov-ack scan plan.json --fail-on HIGH
