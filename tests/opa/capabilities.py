"""Compare builtins between regopy and OPA, and (re)write policies/capabilities.json.

    python tests/opa/capabilities.py   # measure; rewrite the file from `opa capabilities --current`

The file keeps OPA's entries (signatures) for exactly the builtins of builtin_cases.CASES whose every
sample call gives the same outcome in both engines; everything else is left out, so `opa check
--capabilities policies/capabilities.json` rejects a policy that calls it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

if __name__ == "__main__":  # run as a script: make tests/ and tests/opa importable
    sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent),
                    str(Path(__file__).resolve().parents[2])]

from builtin_cases import CASES, CAVEATS, INPUT
from engines import opa_values, regopy_values
from tools import find_tool, run

from helpers import ROOT

CAPABILITIES = ROOT / "policies" / "capabilities.json"

Outcome = Any  # {"t": type, "v": value} or None (undefined)


def _package(index: int) -> str:
    return f"cases.b{index}"


def case_modules(names: list[str]) -> dict[str, str]:
    """One module per builtin: rule c<i> holds {"t": type_name(v), "v": v} for case i."""
    modules = {}
    for index, name in enumerate(names):
        lines = [f"package {_package(index)}", ""]
        for i, expr in enumerate(CASES[name]):
            if expr.startswith("body: "):
                lines.append(f'c{i} := {{"t": "boolean", "v": true}} if {{ {expr[6:]} }}')
            else:
                lines.append(f'c{i} := {{"t": type_name(v), "v": v}} if v := {expr}')
        modules[f"b{index}.rego"] = "\n".join(lines) + "\n"
    return modules


def _canonical(outcome: Outcome) -> Outcome:
    # Sets come out as JSON arrays in an engine-specific order: compare them as sorted lists.
    if isinstance(outcome, dict) and outcome.get("t") == "set" and isinstance(outcome.get("v"), list):
        return {"t": "set", "v": sorted(outcome["v"], key=lambda x: json.dumps(x, sort_keys=True))}
    return outcome


def _same(a: Outcome, b: Outcome) -> bool:
    # Python equality: 1000 == 1000.0 (JSON number spelling is not a difference); types are compared
    # through the "t" field, so True == 1 cannot match a number against a boolean.
    return bool(_canonical(a) == _canonical(b))


def _regopy_outcomes(index: int, module: str, count: int) -> dict[str, Outcome]:
    """Outcome per case rule. One query for the module; when regopy fails on it (a builtin error
    makes its output unreadable), each case on its own, where a failure counts as "no value"."""
    mine = {f"b{index}.rego": module}
    ok, value = regopy_values(mine, f"data.{_package(index)}", INPUT)
    if ok:
        return value or {}
    results: dict[str, Outcome] = {}
    for i in range(count):
        ok, value = regopy_values(mine, f"data.{_package(index)}.c{i}", INPUT)
        if ok and value is not None:
            results[f"c{i}"] = value
    return results


def compare(opa: str, names: list[str]) -> dict[str, list[str]]:
    """Per builtin, the sample calls whose outcome differs (empty list: identical everywhere).

    An outcome is a value (with its type) or "no value": undefined, or an error (OPA evaluates
    non-strict, as `opa eval` and conftest do by default; regopy's errors make the scanner stop)."""
    modules = case_modules(names)
    opa_all = opa_values(opa, modules, "data.cases", INPUT) or {}
    diffs: dict[str, list[str]] = {}
    for index, name in enumerate(names):
        rego_results = _regopy_outcomes(index, modules[f"b{index}.rego"], len(CASES[name]))
        opa_results = opa_all.get(f"b{index}", {})
        out = []
        for i, expr in enumerate(CASES[name]):
            want = opa_results.get(f"c{i}")
            got = rego_results.get(f"c{i}")
            if not _same(got, want):
                out.append(f"{expr}: regopy {json.dumps(got)} != OPA {json.dumps(want)}")
        diffs[name] = out
    return diffs


def differing_calls(diff_lines: list[str]) -> set[str]:
    return {line.split(": regopy ", 1)[0] for line in diff_lines}


def acceptable(name: str, diff_lines: list[str]) -> bool:
    """Identical everywhere, or differing only in the calls CAVEATS lists for it."""
    return differing_calls(diff_lines) <= set(CAVEATS.get(name, {}))


def listed_builtins(path: Path = CAPABILITIES) -> list[str]:
    return [b["name"] for b in json.loads(path.read_text(encoding="utf-8"))["builtins"]]


def write_capabilities(opa: str, keep: set[str], path: Path = CAPABILITIES) -> dict[str, Any]:
    out = run([opa, "capabilities", "--current"], timeout=120)
    if out.returncode != 0:
        raise SystemExit(out.stderr)
    caps = json.loads(out.stdout)
    caps["builtins"] = sorted((b for b in caps["builtins"] if b["name"] in keep), key=lambda b: b["name"])
    missing = keep - {b["name"] for b in caps["builtins"]}
    if missing:
        raise SystemExit(f"not OPA builtins: {sorted(missing)}")
    path.write_text(json.dumps(caps, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return caps


def main() -> int:
    opa = find_tool("opa")
    if opa is None:
        print("opa not found; run: bash .ci/install-tools.sh", file=sys.stderr)
        return 2
    names = sorted(CASES)
    diffs = compare(opa, names)
    keep = {n for n, d in diffs.items() if acceptable(n, d)}
    for name in names:
        if diffs[name]:
            verdict = "KEEP (caveats)" if name in keep else "DROP"
            print(f"{verdict} {name}:", *diffs[name], sep="\n    ")
    caps = write_capabilities(opa, keep)
    kept = len(caps["builtins"])
    print(f"kept {kept} of {len(names)} measured builtins -> {CAPABILITIES.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
