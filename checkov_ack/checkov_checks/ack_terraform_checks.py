"""CKV_ACK_1..16 for Terraform HCL and plan JSON: the scanner's verdicts (checkov_ack.checkov_bridge).

Checkov executes this file once per framework registry that loads external checks; every run makes
the same 16 instances and Checkov keeps the first of each ID, so repeated loading is harmless.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from checkov.common.bridgecrew.severities import Severities
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

try:
    from checkov_ack import checkov_bridge
    from checkov_ack.reporters.catalog import CatalogRule, load_catalog
except ImportError:  # run from a checkout that is not installed: the package is two folders up
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from checkov_ack import checkov_bridge
    from checkov_ack.reporters.catalog import CatalogRule, load_catalog


class AckTerraformCheck(BaseResourceCheck):
    def __init__(self, rule: CatalogRule, guideline: str) -> None:
        super().__init__(
            name=rule.title,
            id=rule.id,
            categories=[CheckCategories.NETWORKING],
            supported_resources=checkov_bridge.TERRAFORM_TYPES,
            guideline=guideline,
        )
        self.severity = Severities[rule.severity]  # type: ignore[assignment]  # Checkov types it None

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        verdict = checkov_bridge.verdict(self.id, checkov_bridge.TERRAFORM, self.entity_path,
                                         self.entity_type, conf)
        self.details.extend(verdict.details)
        return CheckResult(verdict.result)


_CATALOG = load_catalog()
checks = [AckTerraformCheck(rule, _CATALOG.guide) for rule in _CATALOG.rules]
