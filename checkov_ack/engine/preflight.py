"""Compile the policies once in a child process before compiling them in ours.

regopy 1.5.2 can crash the whole process (SIGSEGV, SIGBUS, std::terminate) while building some
policies, which would end a scan with no message and no exit code 2. A child process takes that
risk instead; a crash there becomes an EngineError here. A successful check is remembered per
policy content and regopy build, so only the first scan after a change pays for it (~1 s), and the
child leaves the bundle it built in the cache, so the caller loads it instead of building again.

The child is a plain `python -c` subprocess, not multiprocessing: a spawned multiprocessing child
re-imports the caller's main script, which breaks callers without an `if __name__` guard.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import regopy

from checkov_ack.errors import EngineError

if TYPE_CHECKING:
    from checkov_ack.engine.regopy_engine import PolicySet

TIMEOUT_SECONDS = 600
# What the child runs; argv[1] is the policy set (JSON), argv[2] where to write the verdict.
CHILD_CODE = "from checkov_ack.engine.preflight import child_main; child_main()"
_PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])


def _regopy_build() -> str:
    # The version alone does not tell two builds of regopy apart (a local build, another commit);
    # a cached bundle must only be read by the build that wrote it.
    info = getattr(regopy, "build_info", None)
    return f"{getattr(regopy, '__version__', '?')} {info() if callable(info) else ''}"


def policy_key(policies: PolicySet) -> str:
    """Names what is cached for this policy content on this regopy build."""
    digest = hashlib.sha256(_regopy_build().encode())
    for name, source in policies.modules:
        digest.update(name.encode() + b"\0" + source.encode() + b"\0")
    digest.update(json.dumps(policies.data, sort_keys=True).encode())
    return digest.hexdigest()[:32]


def cache_dir() -> Path:
    """Where checks and compiled bundles are kept between processes (may not exist or be writable)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "checkov-ack"


def child_main() -> None:
    """In the child: compile (and cache the bundle), and write null (it built) or the EngineError text."""
    from checkov_ack.engine.regopy_engine import PolicySet, build_and_cache

    spec = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    policies = PolicySet(Path(spec["root"]), tuple((n, s) for n, s in spec["modules"]), spec["data"])
    try:
        build_and_cache(policies)
        verdict = None
    except EngineError as exc:
        verdict = str(exc)
    Path(sys.argv[2]).write_text(json.dumps(verdict), encoding="utf-8")


def _signal_name(code: int) -> str:
    try:
        return signal.Signals(-code).name
    except ValueError:
        return f"signal {-code}"


def _run_child(policies: PolicySet, work: Path) -> tuple[int, str | None, bool, str]:
    spec = work / "policies.json"
    verdict_path = work / "verdict.json"
    content = {"root": str(policies.root), "modules": policies.modules, "data": policies.data}
    spec.write_text(json.dumps(content), encoding="utf-8")
    env = dict(os.environ)
    # The child must import this same checkov_ack, installed or from a checkout.
    env["PYTHONPATH"] = os.pathsep.join(p for p in (_PACKAGE_PARENT, env.get("PYTHONPATH")) if p)
    try:
        done = subprocess.run(
            [sys.executable, "-c", CHILD_CODE, str(spec), str(verdict_path)],
            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            timeout=TIMEOUT_SECONDS, check=False,
        )
    except subprocess.TimeoutExpired:
        raise EngineError(f"compiling the policies took over {TIMEOUT_SECONDS} s in the check") from None
    stderr = done.stderr.decode("utf-8", "replace").strip()
    if not verdict_path.exists():
        return done.returncode, None, False, stderr
    return done.returncode, json.loads(verdict_path.read_text(encoding="utf-8")), True, stderr


def ensure_compiles(policies: PolicySet) -> None:
    """Raise EngineError if compiling `policies` fails or crashes regopy; cached when it works."""
    marker = cache_dir() / f"compiled-{policy_key(policies)}"
    if marker.exists():
        return
    with tempfile.TemporaryDirectory(prefix="checkov-ack-") as tmp:
        code, verdict, answered, stderr = _run_child(policies, Path(tmp))
    if not answered:
        what = f"crashed ({_signal_name(code)})" if code < 0 else f"failed (exit code {code})"
        detail = f": {stderr.splitlines()[-1][:300]}" if stderr else ""
        raise EngineError(
            f"regopy {getattr(regopy, '__version__', '')} {what} while compiling the policies in "
            f"{policies.root}{detail}; the scan cannot run with these policies"
        )
    if verdict is not None:
        raise EngineError(str(verdict))
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError:
        pass  # no cache: the check simply runs again next time
