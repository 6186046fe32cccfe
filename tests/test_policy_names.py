"""Guard against a regopy (rego-cpp 1.5.2) hazard: when two packages define the same name with a
different shape (a function of another arity, or a function in one and a rule in the other),
regopy fails to compile ("Unable to unify due to cycle") or crashes the process. OPA accepts it,
so only this check catches it before users do."""

from __future__ import annotations

import re
from collections import defaultdict

from helpers import ROOT

_HEAD = re.compile(r"^(?:default\s+)?([A-Za-z_][A-Za-z0-9_]*)(\(([^)]*)\))?(?:\s|$)")
_PACKAGE = re.compile(r"^package\s+(\S+)")
_NOT_HEADS = {"package", "import", "default", "not", "some", "every", "else"}


def rule_shapes(text: str) -> dict[str, set[int]]:
    """Top-level names of a module with their shapes: -1 for a rule, n for an n-ary function."""
    shapes: dict[str, set[int]] = defaultdict(set)
    for line in text.splitlines():
        match = _HEAD.match(line)
        if not match or match.group(1) in _NOT_HEADS or line.startswith("#"):
            continue
        params = match.group(3)
        arity = -1 if match.group(2) is None else len([p for p in params.split(",") if p.strip()])
        shapes[match.group(1)].add(arity)
    return shapes


def test_rule_shapes_reads_heads() -> None:
    text = "package x\n\nf(a, b) if {\n\ta\n}\n\nr := 1\n\ndeny contains m if m := 1\n"
    assert rule_shapes(text) == {"f": {2}, "r": {-1}, "deny": {-1}}


def test_no_name_has_two_shapes_across_packages() -> None:
    by_name: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for path in sorted((ROOT / "policies").rglob("*.rego")):
        if path.name.endswith("_test.rego"):
            continue
        text = path.read_text(encoding="utf-8")
        package = next((m.group(1) for m in map(_PACKAGE.match, text.splitlines()) if m), "?")
        for name, arities in rule_shapes(text).items():
            for arity in arities:
                by_name[name][arity].append(f"{package} ({path.relative_to(ROOT)})")
    clashes = {name: dict(shapes) for name, shapes in by_name.items() if len(shapes) > 1}
    assert clashes == {}, f"same name, different shapes (regopy mis-compiles these): {clashes}"


def test_guard_would_catch_the_hazard() -> None:
    one = rule_shapes("package a\n\nlive(r) if r.x\n")
    two = rule_shapes("package b\n\nlive(s, r) if r.x\n")
    assert one["live"] != two["live"]
