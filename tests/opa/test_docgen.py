"""tests/docgen.py: deterministic, schema-valid documents that cover the advertised traits."""

from __future__ import annotations

import json

from checkov_ack.model.schema import schema_errors
from docgen import features, generate, generate_many


def test_same_seed_same_document() -> None:
    assert json.dumps(generate(42), sort_keys=True) == json.dumps(generate(42), sort_keys=True)
    assert json.dumps(generate(42), sort_keys=True) != json.dumps(generate(43), sort_keys=True)


def test_generated_documents_follow_the_schema() -> None:
    for seed, doc in enumerate(generate_many(150, seed=7)):
        assert schema_errors(doc) == [], f"seed {7 + seed}: {schema_errors(doc)[:3]}"


def test_generated_documents_cover_the_traits() -> None:
    seen: set[str] = set()
    for doc in generate_many(300, seed=1):
        seen |= features(doc)
    for trait in ("sg_type:basic", "sg_type:advanced", "plugin:flannel", "plugin:terway", "family:6",
                  "action:drop", "priority:tie", "unknown:rule", "origin:referenced", "origin:ack_created",
                  "node_pools", "exposures", "overrides", "non_ascii", "invalid:rule"):
        assert trait in seen, trait
