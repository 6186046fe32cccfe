"""CKV_ACK_1..16 for Terraform HCL and plan JSON: the scanner's verdicts (checkov_ack.checkov_bridge)."""

from __future__ import annotations

import sys
from pathlib import Path

from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

try:
    from checkov_ack import checkov_bridge
except ImportError:  # run from a checkout that is not installed: the package is two folders up
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from checkov_ack import checkov_bridge


class AckTerraformCheck(checkov_bridge.AckCheck, BaseResourceCheck):
    framework = checkov_bridge.TERRAFORM


checks = AckTerraformCheck.for_catalog()
