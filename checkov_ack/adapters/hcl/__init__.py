"""Terraform HCL support for the terraform_hcl adapter: syntax, values, evaluation, modules."""
