"""Validation of documents against the shipped JSON Schemas."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import jsonschema

from checkov_ack.resources import schemas_dir

DOCUMENT_SCHEMA = "normalized-document.schema.json"
REPORT_SCHEMA = "report.schema.json"


@cache
def _validator(name: str) -> jsonschema.protocols.Validator:
    schema = json.loads((schemas_dir() / name).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def schema_errors(document: Any, name: str = DOCUMENT_SCHEMA) -> list[str]:
    """Every violation, as `path: message`; empty when the document is valid."""
    errors = sorted(_validator(name).iter_errors(document), key=lambda e: list(e.absolute_path))
    return [f"/{'/'.join(str(p) for p in e.absolute_path)}: {e.message}" for e in errors]
