"""Compile the policies once in a child process before compiling them in ours.

regopy 1.5.2 can crash the whole process (SIGSEGV, SIGBUS, std::terminate) while building some
policies, which would end a scan with no message and no exit code 2. A spawned child takes that
risk instead; a crash there becomes an EngineError here. A successful check is remembered per
policy content and regopy version, so only the first scan after a change pays for it (~1 s).
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import signal
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING

import regopy

from checkov_ack.errors import EngineError

if TYPE_CHECKING:
    from checkov_ack.engine.regopy_engine import PolicySet

TIMEOUT_SECONDS = 600


def _key(policies: PolicySet) -> str:
    digest = hashlib.sha256(str(getattr(regopy, "__version__", "?")).encode())
    for name, source in policies.modules:
        digest.update(name.encode() + b"\0" + source.encode() + b"\0")
    digest.update(json.dumps(policies.data, sort_keys=True).encode())
    return digest.hexdigest()[:32]


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "checkov-ack"


def _probe(policies: PolicySet, conn: Connection) -> None:
    from checkov_ack.engine.regopy_engine import Engine

    try:
        Engine(policies, preflight=False).compile()
    except EngineError as exc:
        conn.send(str(exc))
    else:
        conn.send(None)
    conn.close()


def _signal_name(code: int) -> str:
    try:
        return signal.Signals(-code).name
    except ValueError:
        return f"signal {-code}"


def ensure_compiles(policies: PolicySet) -> None:
    """Raise EngineError if compiling `policies` fails or crashes regopy; cached when it works."""
    marker = _cache_dir() / f"compiled-{_key(policies)}"
    if marker.exists():
        return
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_probe, args=(policies, sender), daemon=True)
    child.start()
    sender.close()
    message: str | None = None
    finished = False
    if receiver.poll(TIMEOUT_SECONDS):
        try:
            message = receiver.recv()
            finished = True
        except EOFError:  # the child died before answering
            pass
    child.join(5)
    if child.is_alive():
        child.kill()
        child.join()
    code = child.exitcode
    if code is not None and code < 0 and not finished:
        raise EngineError(
            f"regopy {getattr(regopy, '__version__', '')} crashed ({_signal_name(code)}) while compiling "
            f"the policies in {policies.root}; the scan cannot run with these policies"
        )
    if not finished:
        raise EngineError(f"the policy compile check did not finish (exit code {code})")
    if message is not None:
        raise EngineError(message)
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError:
        pass  # no cache: the check simply runs again next time
