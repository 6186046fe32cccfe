"""The shipped JSON Schemas are valid schemas of a known draft. Scans no longer check this (it cost
~0.1 s per process), so this test is the only guard."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from checkov_ack.model.schema import DOCUMENT_SCHEMA, REPORT_SCHEMA, schema_errors
from checkov_ack.resources import schemas_dir

SHIPPED = sorted(schemas_dir().glob("*.schema.json"))


def test_the_validated_schemas_are_shipped() -> None:
    assert {p.name for p in SHIPPED} >= {DOCUMENT_SCHEMA, REPORT_SCHEMA}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_schema_is_valid_for_its_draft(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    # default=None: a missing or misspelt $schema must not fall back silently to the latest draft.
    cls = jsonschema.validators.validator_for(schema, default=None)
    assert cls is not None, f"{path.name}: unknown $schema {schema.get('$schema')!r}"
    cls.check_schema(schema)


def test_the_check_rejects_a_broken_schema() -> None:
    # The check above is not vacuous: the draft of the shipped schemas refuses a bad keyword value.
    schema = json.loads((schemas_dir() / DOCUMENT_SCHEMA).read_text(encoding="utf-8"))
    schema["type"] = "objekt"
    with pytest.raises(jsonschema.SchemaError):
        jsonschema.validators.validator_for(schema).check_schema(schema)


def test_documents_are_still_validated() -> None:
    assert schema_errors({}) != []
    assert any("schema_version" in e for e in schema_errors({"schema_version": 1}))
