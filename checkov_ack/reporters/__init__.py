"""Reporters: one module per output format; nothing else knows output formats.

Each `render(report) -> str` gets the same Report, so every format carries the same findings,
suppressions, input errors and warnings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from checkov_ack import __version__
from checkov_ack.scan import ScanResult

FORMATS = ("text", "json", "sarif", "junit")
TOOL_NAME = "checkov-ack"
INFORMATION_URI = "https://github.com/checkov-ack/checkov-ack"


@dataclass
class Report:
    result: ScanResult
    fail_on: str = "LOW"
    color: bool = False  # text only; the CLI turns it on for a TTY
    verbose: bool = False
    version: str = field(default=__version__)


_FIX_ORDER = ("terraform", "ros", "cli")


def remediation(finding: dict[str, Any]) -> list[tuple[str, str]]:
    """(kind, text) pairs of a finding's remediation, Terraform first, then ROS, then the CLI."""
    fixes = finding.get("remediation")
    if not isinstance(fixes, dict):
        return []
    order = list(_FIX_ORDER) + sorted(k for k in fixes if k not in _FIX_ORDER)
    return [(k, str(fixes[k])) for k in order if fixes.get(k)]


def render(fmt: str, report: Report) -> str:
    from checkov_ack.reporters import json_report, junit, sarif, text

    renderers: dict[str, Callable[[Report], str]] = {
        "text": text.render,
        "json": json_report.render,
        "sarif": sarif.render,
        "junit": junit.render,
    }
    return renderers[fmt](report)
