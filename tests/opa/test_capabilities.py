"""policies/capabilities.json lists only builtins regopy implements like OPA, and says so honestly.

Every listed builtin is evaluated on its sample calls (tests/opa/builtin_cases.py) in regopy and in
OPA; all outcomes must agree except the calls CAVEATS lists, which must still differ (so the caveat
list cannot go stale). `python tests/opa/capabilities.py` re-measures and rewrites the file.
"""

from __future__ import annotations

import json

import pytest
import regopy
from builtin_cases import CASES, CAVEATS, REJECTED
from capabilities import CAPABILITIES, acceptable, compare, differing_calls, listed_builtins
from tools import require

# Language operators that the OPA compiler needs in the capabilities but regopy implements in its
# evaluator rather than as named builtins (Interpreter.is_builtin says False for them).
OPERATORS = {"eq", "assign"}
# Known absent from regopy (engine-notes.md): must never be listed.
NEVER = {"net.cidr_contains", "net.cidr_intersects", "net.cidr_merge", "strings.render_template",
         "json.match_schema", "json.verify_schema", "rego.metadata.rule", "rego.metadata.chain", "trace",
         "print", "internal.print", "http.send", "object.union", "object.union_n"}


def test_capabilities_file_shape() -> None:
    caps = json.loads(CAPABILITIES.read_text(encoding="utf-8"))
    names = listed_builtins()
    assert names == sorted(set(names)), "builtins listed twice or unsorted"
    assert "rego_v1" in caps.get("features", []), "OPA 1.x capabilities (rego_v1 feature) expected"
    assert not set(names) & NEVER
    assert not set(names) & set(REJECTED)


def test_every_listed_builtin_is_measured_and_known_to_regopy() -> None:
    interp = regopy.Interpreter()
    for name in listed_builtins():
        assert name in CASES, f"{name} is listed but has no sample calls in builtin_cases.CASES"
        assert name in OPERATORS or interp.is_builtin(name), f"regopy does not implement {name}"


def test_caveats_name_real_sample_calls() -> None:
    for name, calls in CAVEATS.items():
        assert set(calls) <= set(CASES[name]), f"caveat of {name} names a call that is not a sample"


@pytest.mark.opa
def test_listed_builtins_agree_between_regopy_and_opa() -> None:
    opa = require("opa")
    names = listed_builtins()
    diffs = compare(opa, names)
    bad = {n: d for n, d in diffs.items() if not acceptable(n, d)}
    stale = {n: sorted(set(calls) - differing_calls(diffs.get(n, [])))
             for n, calls in CAVEATS.items() if n in names}
    stale = {n: c for n, c in stale.items() if c}
    calls = sum(len(CASES[n]) for n in names)
    caveated = sorted(n for n in CAVEATS if n in names)
    print(f"\n{len(names)} builtins, {calls} sample calls; caveats on {caveated}")
    assert not bad, "listed builtins that differ (drop them or fix the case):\n" + "\n".join(
        f"{n}: {d}" for n, d in bad.items())
    assert not stale, f"caveats that no longer differ (remove them): {stale}"


@pytest.mark.opa
def test_capabilities_file_matches_the_measurement() -> None:
    """Nothing measured identical is missing and nothing differing is present: the file is what
    `python tests/opa/capabilities.py` writes."""
    opa = require("opa")
    diffs = compare(opa, sorted(CASES))
    expected = sorted(n for n, d in diffs.items() if acceptable(n, d))
    assert listed_builtins() == expected
