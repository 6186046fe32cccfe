"""regopy (rego-cpp 1.5.2) hazards that OPA does not share, found with OPA's own parser.

1. Comprehension heads.
regopy can evaluate a comprehension whose head uses a variable bound outside the comprehension (a
function argument, or a local of the enclosing body) to an empty or wrong collection, silently:
`{p: [f(r, p) | some r in rs; g(r, p)] | some p in ps}` gave wrong buckets, where OPA is right
(seen while restructuring sg.prepare). The policies write `[y | some r in rs; y := f(r, p)]`
instead. This test reads every policy's AST (`opa parse --format json`) and fails on a head
variable that the comprehension's own body does not bind (`some`, `:=`, `=`, or an index).

2. `some x` naming a rule of the same package. After `some i`, regopy resolves `xs[i]` to the
rule `i` rather than the new local, so `r contains x if { some i; x := xs[i] }` is empty when the
package also has a rule `i` (OPA shadows the rule). `some x in xs` and function arguments are not
affected (measured).

3. A cost trap, not a wrong answer: inside a function, a reference with a variable key into a rule,
base data or input (`preps[a.gi]`, `catalog.rules[rule_id]`, `input.security_groups[at[0]]`) is
resolved by scanning the whole collection, 1-2.5 ms a call (0.03 ms in a rule-level comprehension;
measured in session 3, where `_beyond_items` spent most of CKV_ACK_8's time on three such
lookups). The guard flags keys that are the function's parameters or expressions (`a.gi`,
`at[0]`); a fresh variable there is an iteration, which scans on purpose. Callers pass such values
in, or `object.get` reads small data.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tools import require

from helpers import ROOT

pytestmark = pytest.mark.opa

_COMPREHENSIONS = {"arraycomprehension", "setcomprehension", "objectcomprehension"}
_GLOBAL_ROOTS = {"input", "data"}


def _parse(path: Path) -> dict[str, Any]:
    done = subprocess.run([require("opa"), "parse", "--format", "json", str(path)],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def _vars(node: Any, skip_callee: bool = True) -> Iterator[str]:
    """Variable names a term uses; a call's function name and a ref's later parts are not vars."""
    if isinstance(node, list):
        for item in node:
            yield from _vars(item, skip_callee)
        return
    if not isinstance(node, dict):
        return
    kind = node.get("type")
    if kind == "var":
        name = str(node["value"])
        if not name.startswith("$"):
            yield name
        return
    if kind == "ref":
        parts = node["value"]
        yield from _vars(parts[0], skip_callee)
        for part in parts[1:]:
            # x[i] indexes with a variable; x.name is a string part.
            if part.get("type") == "var":
                yield from _vars(part, skip_callee)
        return
    if kind == "call" and skip_callee:
        yield from _vars(node["value"][1:], skip_callee)
        return
    for value in node.values():
        if isinstance(value, (dict, list)):
            yield from _vars(value, skip_callee)


_MEMBER = {"member_2": 1, "member_3": 2}


def _callee(call: dict[str, Any]) -> str:
    return ".".join(str(p["value"]) for p in call["value"][0]["value"])


def _index_vars(node: Any) -> Iterator[str]:
    """Variables in index position of refs (xs[i] binds i when it is free)."""
    if isinstance(node, list):
        for item in node:
            yield from _index_vars(item)
    elif isinstance(node, dict):
        if node.get("type") == "ref":
            for part in node["value"][1:]:
                if part.get("type") == "var":
                    yield str(part["value"])
        for value in node.values():
            if isinstance(value, (dict, list)):
                yield from _index_vars(value)


def bound_vars(body: list[dict[str, Any]]) -> set[str]:
    """Variables a comprehension body binds: some declarations, `some x in xs`, `:=`, `=`, xs[i]."""
    bound: set[str] = set(_index_vars(body))
    for expr in body:
        terms = expr.get("terms")
        if isinstance(terms, dict):  # some x / some x in xs
            for symbol in terms.get("symbols", []):
                if symbol.get("type") == "call":
                    name = _callee(symbol).rsplit(".", 1)[-1]
                    for arg in symbol["value"][1:1 + _MEMBER.get(name, 0)]:
                        bound.update(_vars(arg))
                else:
                    bound.update(_vars(symbol))
        elif isinstance(terms, list) and terms and terms[0].get("type") == "ref":
            op = ".".join(str(p["value"]) for p in terms[0]["value"])
            if op in ("assign", "eq"):
                bound.update(_vars(terms[1]))
                if op == "eq":
                    bound.update(_vars(terms[2]))
    return bound


def _heads(comprehension: dict[str, Any]) -> list[Any]:
    value = comprehension["value"]
    if comprehension["type"] == "objectcomprehension":
        return [value["key"], value["value"]]
    return [value["term"]]


def _comprehensions(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, list):
        for item in node:
            yield from _comprehensions(item)
    elif isinstance(node, dict):
        if node.get("type") in _COMPREHENSIONS:
            yield node
        for value in node.values():
            if isinstance(value, (dict, list)):
                yield from _comprehensions(value)


def _module_names(module: dict[str, Any]) -> set[str]:
    """Rule names and import aliases: a head may name these freely."""
    names = set(_GLOBAL_ROOTS)
    for rule in module.get("rules", []):
        ref = rule["head"].get("ref") or [{"type": "var", "value": rule["head"].get("name")}]
        names.add(str(ref[0]["value"]))
    for imp in module.get("imports", []):
        path = imp["path"]["value"]
        names.add(str(imp.get("alias") or path[-1]["value"]))
    return names


def outer_head_vars(module: dict[str, Any]) -> list[str]:
    """'line: var' for every comprehension head variable its own body does not bind."""
    allowed = _module_names(module)
    found = []
    for comp in _comprehensions(module.get("rules", [])):
        body_vars = bound_vars(comp["value"]["body"])
        for head in _heads(comp):
            for name in sorted(set(_vars(head)) - body_vars - allowed):
                found.append(f"{head.get('location', {}).get('row', '?')}: {name}")
    return found


def _declared(node: Any) -> Iterator[dict[str, Any]]:
    """Variables of bare `some x` declarations (not `some x in xs`), anywhere in node."""
    if isinstance(node, list):
        for item in node:
            yield from _declared(item)
    elif isinstance(node, dict):
        terms = node.get("terms")
        if isinstance(terms, dict):
            for symbol in terms.get("symbols", []):
                if symbol.get("type") == "var":
                    yield symbol
        for value in node.values():
            if isinstance(value, (dict, list)):
                yield from _declared(value)


def some_shadowing_rules(module: dict[str, Any]) -> list[str]:
    """'line: var' for every `some var` whose name is a rule of the module's package."""
    rules = _module_names(module) - _GLOBAL_ROOTS
    return [f"{v.get('location', {}).get('row', '?')}: {v['value']}"
            for v in _declared(module.get("rules", [])) if v["value"] in rules]


def _function_params(rule: dict[str, Any]) -> set[str]:
    return {str(a["value"]) for a in rule["head"].get("args", []) if a.get("type") == "var"}


def _refs(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, list):
        for item in node:
            yield from _refs(item)
    elif isinstance(node, dict):
        if node.get("type") == "ref":
            yield node
        for value in node.values():
            if isinstance(value, (dict, list)):
                yield from _refs(value)


def _rule_parts(rule: dict[str, Any]) -> Iterator[Any]:
    """A rule's head value and body, and those of its else branches."""
    while rule:
        yield rule["head"].get("value")
        yield rule.get("body", [])
        rule = rule.get("else") or {}


def keyed_lookups_in_functions(module: dict[str, Any]) -> list[str]:
    """'line: ref' for every reference, inside a function, into a rule of the package, an import,
    data or input with a key that is a parameter of the function or an expression."""
    globals_ = _module_names(module)
    found = []
    for rule in module.get("rules", []):
        params = _function_params(rule)
        if "args" not in rule["head"]:
            continue
        for ref in _refs(list(_rule_parts(rule))):
            parts = ref["value"]
            if parts[0].get("type") != "var" or str(parts[0]["value"]) not in globals_ - params:
                continue
            for part in parts[1:]:
                if part.get("type") == "ref" or (part.get("type") == "var" and part["value"] in params):
                    found.append(f"{_rule_name(rule)}: {parts[0]['value']}[{part.get('type')}]")
                    break
    return found


def _rule_name(rule: dict[str, Any]) -> str:
    ref = rule["head"].get("ref") or [{"value": rule["head"].get("name")}]
    return ".".join(str(p["value"]) for p in ref)


# Reviewed exceptions: (file, function) -> why the scan is acceptable there.
_KEYED_ALLOWED = {
    ("ack/rules/ckv_ack_14.rego", "_drop_words"): "once per dead-rule finding, to name the drop",
    ("ack/rules/ckv_ack_14.rego", "_state"): "only for drops whose comparison involves an unknown value",
}


def _policy_files() -> list[Path]:
    return [p for p in sorted((ROOT / "policies").rglob("*.rego")) if not p.name.endswith("_test.rego")]


@pytest.mark.parametrize("path", _policy_files(), ids=lambda p: str(p.relative_to(ROOT / "policies")))
def test_no_comprehension_head_uses_an_outer_variable(path: Path) -> None:
    assert outer_head_vars(_parse(path)) == [], (
        f"{path.relative_to(ROOT)}: regopy yields an empty result for these comprehensions; "
        "bind the value in the body instead ([y | some x in xs; y := f(x, outer)])"
    )


@pytest.mark.parametrize("path", _policy_files(), ids=lambda p: str(p.relative_to(ROOT / "policies")))
def test_no_some_declaration_names_a_rule(path: Path) -> None:
    assert some_shadowing_rules(_parse(path)) == [], (
        f"{path.relative_to(ROOT)}: regopy resolves these `some` variables to rules; rename them"
    )


@pytest.mark.parametrize("path", _policy_files(), ids=lambda p: str(p.relative_to(ROOT / "policies")))
def test_no_keyed_lookup_into_a_collection_inside_a_function(path: Path) -> None:
    rel = path.relative_to(ROOT / "policies").as_posix()
    found = keyed_lookups_in_functions(_parse(path))
    found = [f for f in found if (rel, f.split(": ")[0]) not in _KEYED_ALLOWED]
    assert found == [], (
        f"{path.relative_to(ROOT)}: regopy scans the whole collection for these lookups on every call; "
        "look the value up in the caller and pass it in, or use object.get"
    )


_SHADOWED = (
    "package t\n\ni := 20\n\nxs := [1]\n\nr contains x if {\n\tsome i\n\tx := xs[i]\n}\n\n"
    "q contains x if {\n\tsome j\n\tx := xs[j]\n}\n"
)
_OUTER_HEAD = (
    "package t\n\nf(rs, p) := [g(r, p) | some r in rs; r != p]\n\n"
    "h(rs, p) := [y | some r in rs; y := g(r, p)]\n\ng(r, p) := [r, p]\n"
)


_KEYED = (
    "package t\n\nxs := [1, 2]\n\nf(i) := xs[i]\n\ng(a) := input.ys[a.k]\n\n"
    "h(_) := [x | some j; x := xs[j]]\n\nr := xs[k] if k := 1\n"
)


@pytest.mark.parametrize(("source", "guard", "flagged"), [
    (_SHADOWED, some_shadowing_rules, ["i"]),
    (_OUTER_HEAD, outer_head_vars, ["p"]),
    (_KEYED, keyed_lookups_in_functions, ["xs[var]", "input[ref]"]),  # not h (iteration) nor r (a rule)
], ids=["some-shadows-rule", "head-uses-outer-variable", "keyed-lookup-in-function"])
def test_guards_find_the_hazards(tmp_path: Path, source: str, guard: Any, flagged: list[str]) -> None:
    bad = tmp_path / "bad.rego"
    bad.write_text(source, encoding="utf-8")
    assert [line.split(": ")[1] for line in guard(_parse(bad))] == flagged
