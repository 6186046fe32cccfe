"""Evaluate the shipped policies (or ad-hoc Rego) in both engines: regopy in-process, OPA in batches.

- `RegopyPolicies`: every non-test module under policies/ and every data.json at its directory's
  path, compiled once (`build`), then one `set_input_term` + `query_bundle_entrypoint` per document,
  with strict builtin errors (a builtin regopy lacks raises instead of quietly being undefined).
- `opa_findings`: many documents in ONE `opa eval` process: input `{"docs": [...]}` and a query that
  evaluates `data.ack.findings with input as d` for each.
- `regopy_values` / `opa_values`: ad-hoc modules (the builtin comparison), evaluated non-strict in
  both engines so that an error is "undefined" in both.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import regopy
from tools import run

from helpers import ROOT

POLICIES = ROOT / "policies"
ENTRYPOINT = "ack/findings"
FINDINGS_QUERY = "data.ack.findings"
BATCH_QUERY = "[x | some d in input.docs; x := data.ack.findings with input as d]"
KEY_FIELDS = ("rule_id", "status", "resource", "message")

Json = dict[str, Any]
Key = tuple[str, str, str, str]


def is_test_module(path: Path) -> bool:
    return path.name.endswith("_test.rego")


def policy_modules(root: Path = POLICIES) -> list[Path]:
    return sorted(p for p in root.rglob("*.rego") if not is_test_module(p))


def data_files(root: Path = POLICIES) -> list[Path]:
    return sorted(root.rglob("data.json"))


def policy_data(root: Path = POLICIES) -> Json:
    """The data documents as OPA loads them: each data.json at its directory's path."""
    merged: Json = {}
    for path in data_files(root):
        node = merged
        for part in path.parent.relative_to(root).parts:
            node = node.setdefault(part, {})
        node.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


def finding_keys(findings: Iterable[Json]) -> list[Key]:
    """What parity compares: (rule_id, status, resource, message), sorted."""
    return sorted((str(f["rule_id"]), str(f["status"]), str(f["resource"]), str(f["message"]))
                  for f in findings)


class RegopyError(RuntimeError):
    pass


class RegopyPolicies:
    """The policies compiled once in one regopy interpreter."""

    def __init__(self, root: Path = POLICIES) -> None:
        self.interp = regopy.Interpreter()
        self.interp.strict_built_in_errors = True
        self.interp.log_level = regopy.LogLevel.NONE
        for path in policy_modules(root):
            self.interp.add_module(str(path.relative_to(root.parent)), path.read_text(encoding="utf-8"))
        self.interp.add_data_json(json.dumps(policy_data(root), ensure_ascii=False))
        self.bundle = self.interp.build(None, [ENTRYPOINT])
        if not self.bundle.ok():
            raise RegopyError("regopy could not build the policies")

    def findings(self, doc: Json) -> list[Json]:
        self.interp.set_input_term(json.dumps(doc, ensure_ascii=False))
        out = self.interp.query_bundle_entrypoint(self.bundle, ENTRYPOINT)
        if not out.ok():
            raise RegopyError(f"regopy query failed: {str(out)[:500]}")
        text = str(out)
        if text == "undefined":
            raise RegopyError("data.ack.findings is undefined in regopy")
        value = json.loads(text)["expressions"][0]
        if not isinstance(value, list):
            raise RegopyError(f"data.ack.findings is not a set: {text[:300]}")
        return value


def opa_eval(opa: str, query: str, *, data: Sequence[str] = ("policies",), bundle: str | None = None,
             input_value: Any = None, extra: Sequence[str] = (), timeout: float = 900) -> Any:
    """`opa eval -f json` on one query; returns the first expression's value (None if undefined)."""
    with tempfile.TemporaryDirectory() as tmp:
        args = [opa, "eval", "-f", "json", *extra]
        for d in data:
            args += ["-d", d]
        if bundle:
            args += ["-b", bundle]
        if input_value is not None:
            input_path = Path(tmp) / "input.json"
            input_path.write_text(json.dumps(input_value), encoding="utf-8")
            args += ["-i", str(input_path)]
        out = run([*args, query], timeout=timeout)
        if out.returncode != 0:
            raise AssertionError(f"opa eval failed ({out.returncode}): {' '.join(args[1:])}\n"
                                 f"{out.stderr[-3000:]}{out.stdout[-3000:]}")
        result = json.loads(out.stdout).get("result") or []
        return result[0]["expressions"][0]["value"] if result else None


def opa_findings(opa: str, docs: Sequence[Json], *, data: Sequence[str] = ("policies",),
                 bundle: str | None = None, batch: int = 500) -> list[list[Json]]:
    """data.ack.findings for every document, `batch` documents per opa process."""
    results: list[list[Json]] = []
    for start in range(0, len(docs), batch):
        chunk = list(docs[start:start + batch])
        value = opa_eval(opa, BATCH_QUERY, data=data, bundle=bundle, input_value={"docs": chunk})
        if not isinstance(value, list) or len(value) != len(chunk):
            raise AssertionError(f"opa returned {type(value).__name__} for {len(chunk)} documents "
                                 "(data.ack.findings undefined for some?)")
        results.extend(value)
    return results


# ---- ad-hoc modules, non-strict (errors are undefined in both engines) ----

def regopy_values(modules: dict[str, str], query: str, input_value: Any) -> tuple[bool, Any]:
    """(ok, value) of `x := <query>` in a fresh regopy interpreter; ok False on any engine error."""
    interp = regopy.Interpreter()
    interp.log_level = regopy.LogLevel.NONE
    try:
        for name, source in modules.items():
            interp.add_module(name, source)
        interp.set_input_term(json.dumps(input_value, ensure_ascii=False))
        out = interp.query(f"x := {query}")
        if not out.ok():
            return False, str(out)[:300]
        text = str(out)
        if text == "undefined":
            return True, None
        return True, json.loads(text)["bindings"]["x"]
    except (regopy.RegoError, ValueError) as exc:
        return False, f"{type(exc).__name__}: {str(exc)[:300]}"


def opa_values(opa: str, modules: dict[str, str], query: str, input_value: Any) -> Any:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "mods"
        folder.mkdir()
        for name, source in modules.items():
            (folder / name).write_text(source, encoding="utf-8")
        return opa_eval(opa, query, data=[str(folder)], input_value=input_value)
