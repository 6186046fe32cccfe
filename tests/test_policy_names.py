"""Guards against regopy (rego-cpp 1.5.2) hazards that OPA does not share, so only these checks
catch them before users do:

- two packages defining the same name with a different shape (a function of another arity, or a
  function in one and a rule in the other): regopy fails to compile ("Unable to unify due to
  cycle") or crashes the process;
- `not` inside an `every` body: regopy evaluates `every x in xs { not p(x) }` as true even when
  p holds for some x (measured: tests below run it)."""

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


_EVERY = re.compile(r"\bevery\b[^{\n]*\{")


def every_bodies(text: str) -> list[str]:
    """The brace-balanced bodies of every `every` expression in a module (comments dropped)."""
    code = "\n".join(line.split("#", 1)[0] for line in text.splitlines())
    bodies = []
    for match in _EVERY.finditer(code):
        depth, pos = 1, match.end()
        while depth and pos < len(code):
            depth += {"{": 1, "}": -1}.get(code[pos], 0)
            pos += 1
        bodies.append(code[match.end() : pos - 1])
    return bodies


def test_every_bodies_reads_nested_braces() -> None:
    text = "p if {\n\tevery x in xs {\n\t\tx.a == {1}\n\t\tnot q(x) # no\n\t}\n}\n"
    assert every_bodies(text) == ["\n\t\tx.a == {1}\n\t\tnot q(x) \n\t"]


def test_no_not_inside_every() -> None:
    offenders = []
    for path in sorted((ROOT / "policies").rglob("*.rego")):
        for body in every_bodies(path.read_text(encoding="utf-8")):
            if re.search(r"\bnot\b", body):
                offenders.append(f"{path.relative_to(ROOT)}: every {{{body.strip()[:60]}...}}")
    assert offenders == [], "regopy mis-evaluates `not` inside `every`; write the test positively"


def test_the_every_hazard_is_real() -> None:
    import regopy

    interp = regopy.Interpreter()
    interp.add_module(
        "m", "package m\n\np(x) if x > 2\n\nv := true if {\n\tevery x in [1, 2, 3] {\n\t\tnot p(x)\n\t}\n}\n"
    )
    # OPA: undefined (p(3) holds). If a regopy upgrade fixes this, this test says the guard can go.
    assert "true" in str(interp.query("x := data.m.v"))


_LISTED = re.compile(r"\brules\.([a-z0-9_]+)\.findings\b")


def listed_packages(main_text: str) -> list[str]:
    """The rule packages main.rego lists in its findings (data.ack.rules.<name>.findings)."""
    return _LISTED.findall(main_text)


def rule_packages() -> set[str]:
    found = set()
    for path in sorted((ROOT / "policies" / "ack" / "rules").glob("*.rego")):
        if path.name.endswith("_test.rego"):
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        package = next(m.group(1) for m in map(_PACKAGE.match, lines) if m)
        found.add(package.removeprefix("ack.rules."))
    return found


def test_main_lists_every_rule_package_once() -> None:
    # main.rego lists the packages (OPA recomputes the library per package when it walks
    # data.ack.rules instead); a package left out would silently never report.
    listed = listed_packages((ROOT / "policies" / "ack" / "main.rego").read_text(encoding="utf-8"))
    assert sorted(listed) == sorted(set(listed)), "a rule package is listed twice in main.rego"
    assert set(listed) == rule_packages()


def test_listed_packages_reads_the_list() -> None:
    text = "_per_rule := [\n\trules.ckv_ack_1.findings, rules.ckv_ack_12.findings,\n]\n"
    assert listed_packages(text) == ["ckv_ack_1", "ckv_ack_12"]
