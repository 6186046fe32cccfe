"""Validation of documents against the shipped JSON Schemas."""

from __future__ import annotations

import json
from functools import cache
from typing import TYPE_CHECKING, Any

from checkov_ack.resources import schemas_dir

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

DOCUMENT_SCHEMA = "normalized-document.schema.json"
REPORT_SCHEMA = "report.schema.json"


@cache
def _validator(name: str) -> Validator:
    # Imported here: jsonschema costs ~0.1 s to import, which commands that validate nothing
    # (rules, bundle, checkov-dir) should not pay.
    import jsonschema

    schema = json.loads((schemas_dir() / name).read_text(encoding="utf-8"))
    # No check_schema here: it costs ~0.1 s per process, and the shipped schemas do not change
    # at run time; tests/model/test_schemas.py checks them against their metaschema.
    validator: Validator = jsonschema.validators.validator_for(schema)(schema)
    return validator


def prepare() -> None:
    """Import and build the document validator now (a scan's engine partner does it while the
    inputs are read, so its schema check later costs only the validation)."""
    _validator(DOCUMENT_SCHEMA)


def schema_errors(document: Any, name: str = DOCUMENT_SCHEMA) -> list[str]:
    """Every violation, as `path: message`; empty when the document is valid."""
    errors = sorted(_validator(name).iter_errors(document), key=lambda e: list(e.absolute_path))
    return [f"/{'/'.join(str(p) for p in e.absolute_path)}: {e.message}" for e in errors]
