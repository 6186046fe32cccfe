"""Run checkov-ack in a child with hard limits: memory, CPU time, wall clock.

Two kinds of child:
- `run_load`: the adapters alone (load, assemble, validate) under RLIMIT_AS, a true hard cap;
- `run_cli`: the whole CLI. regopy's allocator (snmalloc) reserves far more address space than any
  sane RLIMIT_AS at import, so there the cap is a watchdog that samples the resident memory of
  the child and its children and kills the group when it goes over; the peak is reported.

A bound that is exceeded fails the calling test with the child's output, never hangs the run.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from helpers import ROOT

MEMORY_BYTES = 1024 * 1024 * 1024  # 1 GiB: generous for a scan, but an explosion hits it
WALL_SECONDS = 60  # a loaded 2-core CI runner; a hang or a quadratic blow-up still hits it
TRACEBACK = "Traceback (most recent call last)"
LOAD_CHILD = Path(__file__).resolve().parent / "load_child.py"


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str
    peak_rss: int = 0  # bytes, sampled (run_cli) or from the kernel (run_load)

    def describe(self) -> str:
        return (f"exit {self.code}, peak RSS {self.peak_rss // 2**20} MiB\n--- stdout\n{self.stdout[-2000:]}"
                f"\n--- stderr\n{self.stderr[-3000:]}")


def _env(extra: dict[str, str] | None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(extra or {})
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    return env


def _tree_rss(pid: int) -> int:
    """Resident bytes of pid and its descendants (0 once gone)."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/statm", encoding="ascii") as handle:
                total += int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            with open(f"/proc/{current}/task/{current}/children", encoding="ascii") as handle:
                stack.extend(int(c) for c in handle.read().split())
        except (OSError, ValueError):
            continue
    return total


def _run(command: list[str], env: dict[str, str], cwd: Path, memory: int, seconds: int,
         rlimit_as: bool) -> Outcome:
    def limits() -> None:
        if rlimit_as:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, preexec_fn=limits, start_new_session=True)
    peak = [0]
    over = threading.Event()

    def watch() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_rss(proc.pid))
            if peak[0] > memory:
                over.set()
                os.killpg(proc.pid, signal.SIGKILL)
                return
            time.sleep(0.02)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        out, err = proc.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        raise AssertionError(f"{command[2:]} ran over {seconds} s\n{err[-3000:]}") from None
    finally:
        watcher.join(timeout=5)
    outcome = Outcome(proc.returncode, out, err, peak[0])
    if over.is_set():
        raise AssertionError(f"{command[2:]} went over {memory // 2**20} MiB: {outcome.describe()}")
    return outcome


def run_cli(args: list[str], cwd: Path | None = None, memory: int = MEMORY_BYTES,
            seconds: int = WALL_SECONDS, prefix: list[str] | None = None,
            env: dict[str, str] | None = None) -> Outcome:
    """`[prefix...] python -m checkov_ack ARGS` under a memory watchdog and a wall-clock timeout."""
    command = [*(prefix or []), sys.executable, "-m", "checkov_ack", *args]
    return _run(command, _env(env), cwd or ROOT, memory, seconds, rlimit_as=False)


def run_load(paths: list[Path], follow: bool = False, memory: int = MEMORY_BYTES,
             seconds: int = WALL_SECONDS) -> dict[str, Any]:
    """The adapters on `paths` in a child under RLIMIT_AS: {"inputs": [...], "errors": [...]}."""
    command = [sys.executable, str(LOAD_CHILD), *(["--follow"] if follow else []), *map(str, paths)]
    outcome = _run(command, _env(None), ROOT, memory, seconds, rlimit_as=True)
    assert outcome.code == 0 and TRACEBACK not in outcome.stderr, outcome.describe()
    result: dict[str, Any] = json.loads(outcome.stdout)
    return result


def assert_clean(outcome: Outcome, codes: tuple[int, ...] = (0, 1, 2)) -> None:
    """A report or a clean error: an expected exit code, no traceback, no internal error."""
    assert outcome.code in codes, outcome.describe()
    assert TRACEBACK not in outcome.stderr, outcome.describe()
    assert "internal error" not in outcome.stderr, outcome.describe()
