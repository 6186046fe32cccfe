"""Any text in a .tf file gives schema-valid parts or InputErrors: never an exception, never a hang."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checkov_ack.adapters import terraform_hcl
from checkov_ack.adapters.common import AdapterOptions
from checkov_ack.errors import InputError
from checkov_ack.model.assemble import assemble
from checkov_ack.model.schema import schema_errors
from checkov_ack.model.settings import Settings

# HCL-ish fragments, so that generated text gets past the lexer often enough to reach the evaluator.
FRAGMENTS = [
    'resource "alicloud_security_group_rule" "r" {',
    'resource "alicloud_security_group" "s" {',
    'resource "alicloud_cs_managed_kubernetes" "k" {',
    "locals {",
    'variable "v" {',
    'module "m" {',
    "}",
    "\n",
    " = ",
    "security_group_id",
    "alicloud_security_group.s.id",
    "cidr_ip",
    "port_range",
    "type",
    "count",
    "for_each",
    "addons",
    "name",
    "var.v",
    "local.x",
    "x",
    "count.index",
    "each.value",
    '"ingress"',
    '"tcp"',
    '"22/22"',
    '"0.0.0.0/0"',
    '"${',
    "${",
    "}",
    '"',
    "[",
    "]",
    "(",
    ")",
    ",",
    ":",
    "?",
    "1",
    "-1",
    "+",
    "*",
    "==",
    "&&",
    "!",
    "for",
    "in",
    "=>",
    "...",
    "if",
    "# c\n",
    "/*",
    "*/",
    "<<EOT\n",
    "EOT\n",
    "%{",
    "\\",
    "[*]",
    ".",
    "true",
    "null",
    "format(",
    "cidrsubnet(",
    "concat(",
    "lookup(",
    "try(",
    "toset(",
    'source = "./"',
    'source = "../x"',
    "default",
    "{",
    " ",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=60))
def test_arbitrary_text_never_raises(fragments: list[str]) -> None:
    text = "".join(fragments)
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "main.tf").write_text(text)
        start = time.monotonic()
        parts, errors = terraform_hcl.load([Path(tmp)], AdapterOptions())
        assert time.monotonic() - start < 10
    assert all(isinstance(e, InputError) and e.file for e in errors)
    assert schema_errors(assemble(parts, Settings())) == []
