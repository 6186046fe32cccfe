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
import os
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
               timeout: float = 7200, workers: int | None = None) -> list[dict[str, Any]]:
    """Results for every document (see module doc), computed by `workers` processes in parallel
    (default: the CPU count, at most 4); raises AssertionError if a worker dies."""
    count = max(1, min(workers or os.cpu_count() or 1, 4, len(docs)))
    size = -(-len(docs) // count) if docs else 0
    chunks = [list(docs[i:i + size]) for i in range(0, len(docs), size)] if docs else []
    with tempfile.TemporaryDirectory() as tmp:
        procs = []
        for n, chunk in enumerate(chunks):
            docs_path, out_path = Path(tmp) / f"docs{n}.jsonl", Path(tmp) / f"out{n}.jsonl"
            text = "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in chunk)
            docs_path.write_text(text, encoding="utf-8")
            args = [sys.executable, __file__, str(policy_dir), str(docs_path), str(out_path), mode]
            proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            procs.append((proc, out_path, len(chunk), n * size))
        results: list[dict[str, Any]] = []
        for proc, out_path, expected, offset in procs:
            _, stderr = proc.communicate(timeout=timeout)
            lines = out_path.read_text(encoding="utf-8").splitlines() if out_path.exists() else []
            if proc.returncode != 0 or len(lines) != expected:
                raise AssertionError(
                    f"regopy worker died (exit {proc.returncode}) on document #{offset + len(lines)} "
                    f"of {len(docs)}: {stderr[-1500:]}"
                )
            results.extend(json.loads(line) for line in lines)
        return results


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:5]))
