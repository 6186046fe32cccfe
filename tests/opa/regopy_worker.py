"""Evaluate documents with regopy in a child process, so that a regopy crash (abort, segfault) fails
one test with a message instead of killing pytest.

    python tests/opa/regopy_worker.py POLICY_DIR DOCS.jsonl OUT.jsonl [direct|scanner]

One JSON document per input line; one result per output line, flushed as it is written:
`{"ok": true, "findings": [...]}` or `{"ok": false, "error": "..."}` (the interpreter is rebuilt
after an error). Mode `direct` (default) evaluates data.ack.findings on the whole document with
tests/opa/engines.py; mode `scanner` uses the scanner's own engine (checkov_ack.engine.Engine:
unit by unit, de-duplicated). `run_worker` wraps it: results for every document, or an
AssertionError naming the document the process died on.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def _evaluator(policy_dir: Path, mode: str) -> Callable[[dict[str, Any]], list[dict[str, Any]]]:
    if mode == "scanner":
        from checkov_ack.engine import Engine, load_policy_set

        return Engine(load_policy_set(policy_dir)).evaluate
    from engines import RegopyPolicies

    return RegopyPolicies(policy_dir).findings


def main(policy_dir: str, docs_path: str, out_path: str, mode: str = "direct") -> int:
    sys.path[:0] = [str(HERE), str(HERE.parent), str(HERE.parents[1])]
    evaluate = None
    with open(docs_path, encoding="utf-8") as docs, open(out_path, "w", encoding="utf-8") as out:
        for line in docs:
            try:
                if evaluate is None:
                    evaluate = _evaluator(Path(policy_dir), mode)
                result: dict[str, Any] = {"ok": True, "findings": evaluate(json.loads(line))}
            except Exception as exc:  # noqa: BLE001 - RegopyError, EngineError, bad output: all reported
                evaluate = None
                result = {"ok": False, "error": f"{type(exc).__name__}: {str(exc)[:1000]}"}
            out.write(json.dumps(result, ensure_ascii=False) + "\n")
            out.flush()
    return 0


def run_worker(docs: Sequence[dict[str, Any]], policy_dir: Path, mode: str = "direct",
               timeout: float = 1800) -> list[dict[str, Any]]:
    """Results for every document (see module doc); raises AssertionError if the worker dies."""
    with tempfile.TemporaryDirectory() as tmp:
        docs_path, out_path = Path(tmp) / "docs.jsonl", Path(tmp) / "out.jsonl"
        text = "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs)
        docs_path.write_text(text, encoding="utf-8")
        args = [sys.executable, __file__, str(policy_dir), str(docs_path), str(out_path), mode]
        proc = subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=False)
        lines = out_path.read_text(encoding="utf-8").splitlines() if out_path.exists() else []
        if proc.returncode != 0 or len(lines) != len(docs):
            raise AssertionError(
                f"regopy worker died (exit {proc.returncode}) on document #{len(lines)} of {len(docs)}: "
                f"{(proc.stderr or proc.stdout)[-1500:]}"
            )
        return [json.loads(line) for line in lines]


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:5]))
