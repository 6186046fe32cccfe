"""regopy engine: load the shipped policies once, evaluate `data.ack.findings` per unit."""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import re
import signal
import struct
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regopy

from checkov_ack.engine.preflight import cache_dir, ensure_compiles, policy_key
from checkov_ack.engine.quiet import quiet_stdout
from checkov_ack.errors import EngineError
from checkov_ack.model.assemble import unit_documents
from checkov_ack.model.document import Json
from checkov_ack.resources import policies_dir

ENTRYPOINT = "ack/findings"  # data.ack.findings, in regopy's entrypoint spelling
# The same findings in two parts of similar cost (policies/ack/main.rego): one unit can be
# evaluated in two processes, a part each. Policy sets without them evaluate in one process.
PART_ENTRYPOINTS = ("ack/findings_a", "ack/findings_b")
STATUSES = ("fail", "unknown", "pass")
SEVERITIES = ("INFO", "LOW", "MEDIUM", "HIGH", "CRITICAL")
_REQUIRED = ("rule_id", "status", "severity", "title", "message", "resource", "file", "line")
_PACKAGE = re.compile(r"^\s*package\s+([A-Za-z0-9_.]+)", re.MULTILINE)
# Part of the cached bundle's name: bump it when a bundle built from the same policies changes
# (other entry points, other build options), so old files are not loaded.
_BUNDLE_FORMAT = 2
# Every policy edit (and every policy set a test suite builds) leaves a bundle (~0.4 MB) behind;
# the newest are kept, enough that a test run does not push out the shipped policies' bundle.
_KEEP_BUNDLES = 32


@dataclass(frozen=True)
class PolicySet:
    """The Rego modules and base documents of one policy folder, read once."""

    root: Path
    modules: tuple[tuple[str, str], ...]  # (name shown in errors, source)
    data: Json

    def packages(self) -> list[str]:
        found = (_PACKAGE.search(src) for _, src in self.modules)
        return sorted({m.group(1) for m in found if m})


def _is_test(path: Path) -> bool:
    return path.name.endswith("_test.rego") or "test" in path.parts[:-1] or "tests" in path.parts[:-1]


def _merge(into: Json, other: Json, where: str) -> None:
    for key, value in other.items():
        if key in into and isinstance(into[key], dict) and isinstance(value, dict):
            _merge(into[key], value, f"{where}.{key}")
        elif key in into:
            raise EngineError(f"policy data: {where}.{key} is defined twice")
        else:
            into[key] = value


def load_policy_set(root: Path | None = None) -> PolicySet:
    """Every non-test `.rego` under root, and every `data.json` at its directory's path
    (root/ack/catalog/data.json -> data.ack.catalog)."""
    base = root or policies_dir()
    if not base.is_dir():
        raise EngineError(f"{base}: policy folder not found")
    modules = []
    for path in sorted(base.rglob("*.rego")):
        rel = path.relative_to(base)
        if _is_test(rel):
            continue
        try:
            modules.append((f"policies/{rel.as_posix()}", path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError) as exc:
            raise EngineError(f"{path}: cannot read policy: {exc}") from None
    if not modules:
        raise EngineError(f"{base}: no Rego policies found")
    data: Json = {}
    for path in sorted(base.rglob("data.json")):
        rel = path.parent.relative_to(base)
        try:
            value = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise EngineError(f"{path}:{exc.lineno}: invalid policy data: {exc.msg}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise EngineError(f"{path}: cannot read policy data: {exc}") from None
        for part in reversed(rel.parts):
            value = {part: value}
        if not isinstance(value, dict):
            raise EngineError(f"{path}: policy data at the policy root must be an object")
        _merge(data, value, "data")
    return PolicySet(base, tuple(modules), data)


_SHARED = threading.local()


def shared_engine(echo: bool = False) -> Engine:
    """This thread's engine for the shipped policies, compiled once per process.

    Compiling costs about a second; callers that scan many times in one process (the Checkov
    checks, tests, hooks) reuse the compiled bundle. A policy change on disk gives a new engine.
    """
    policies = load_policy_set()
    digest = policy_key(policies)
    cached: tuple[str, Engine] | None = getattr(_SHARED, "engine", None)
    if cached is None or cached[0] != digest:
        cached = (digest, Engine(policies))
        _SHARED.engine = cached
    engine = cached[1]
    engine.echo = echo
    engine.stats = Stats()
    return engine


def _engine_text(captured: str) -> str:
    # regopy's own report (parse errors name module:line:col); keep it short enough to read.
    text = captured.strip()
    return f"\n{text[:4000]}" if text else ""


def _strict_interpreter() -> regopy.Interpreter:
    interp = regopy.Interpreter()
    # Missing builtins must raise, not quietly evaluate to undefined (engine-notes.md). The flag
    # belongs to the interpreter that queries, so one that loads a cached bundle needs it too.
    interp.strict_built_in_errors = True
    return interp


def _new_interpreter(policies: PolicySet) -> regopy.Interpreter:
    interp = _strict_interpreter()
    # No log_level NONE: regopy then says nothing about why a build failed. Its messages go to
    # fd 1, which quiet_stdout captures for our error text.
    for name, source in policies.modules:
        interp.add_module(name, source)
    interp.add_data_json(json.dumps(policies.data))
    return interp


Prepared = tuple[regopy.Interpreter, regopy.Bundle]


def _build(policies: PolicySet) -> Prepared:
    """Compile the policies in this process; EngineError if they do not build."""
    with quiet_stdout() as captured:
        try:
            interp = _new_interpreter(policies)
            bundle = interp.build(None, [ENTRYPOINT, *PART_ENTRYPOINTS])
            ok = bundle.ok()
        except (regopy.RegoError, ValueError) as exc:
            error: str | None = f"{type(exc).__name__}: {str(exc)[:2000]}"
        else:
            error = None if ok else "the bundle did not build"
    if error is not None:
        raise EngineError(f"cannot compile the policies in {policies.root}: {error}"
                          f"{_engine_text(captured.text)}")
    return interp, bundle


def bundle_cache_path(policies: PolicySet) -> Path:
    """Where the compiled bundle of these policies is cached (the file may not exist)."""
    return cache_dir() / f"bundle-v{_BUNDLE_FORMAT}-{policy_key(policies)}.rbb"


def _load_cached(path: Path) -> Prepared | None:
    """The bundle cached at path, on a fresh strict interpreter; None when absent or unusable."""
    if not path.is_file():
        return None
    interp = _strict_interpreter()
    # regopy prints why a file does not load (bad header, CRC mismatch) on fd 1.
    with quiet_stdout():
        try:
            bundle = interp.load_bundle(str(path), regopy.BundleFormat.Binary)
            ok = bundle.ok()
        except (regopy.RegoError, ValueError, OSError):
            return None
    return (interp, bundle) if ok else None


def _prune_bundles(folder: Path, keep: Path) -> None:
    entries = []
    for entry in folder.glob("bundle-*"):
        try:
            entries.append((entry.stat().st_mtime, entry))
        except OSError:
            continue  # pruned by another process meanwhile
    entries.sort(reverse=True)
    for _, entry in entries[_KEEP_BUNDLES:]:
        if entry != keep:
            entry.unlink(missing_ok=True)


def _save_bundle(prepared: Prepared, path: Path) -> None:
    """Publish a built bundle at path for later processes. Best effort: without a cache a scan is
    only slower, so an unwritable folder is no error."""
    interp, bundle = prepared
    tmp: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # A temporary name in the same folder, then an atomic rename: parallel scans, workers and
        # test runs read either no file or a whole one.
        fd, name = tempfile.mkstemp(prefix=f"{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
        tmp = Path(name)
        with quiet_stdout():
            interp.save_bundle(name, bundle, regopy.BundleFormat.Binary)
        # regopy says nothing when it cannot write: publish only a file that loads back.
        if _load_cached(tmp) is not None:
            os.replace(tmp, path)
            tmp = None
            _prune_bundles(path.parent, path)
    except (regopy.RegoError, OSError):
        pass
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)


def build_and_cache(policies: PolicySet) -> None:
    """Compile the policies (EngineError if they do not build) and cache the bundle; the
    preflight child runs this, so its build is not wasted."""
    _save_bundle(_build(policies), bundle_cache_path(policies))


@dataclass
class _Answer:
    findings: list[Json]
    error: str | None  # None: the query worked
    output: str  # what the policies printed (print()) or regopy reported, from fd 1


def _query(interp: regopy.Interpreter, bundle: regopy.Bundle, unit: Json,
           entrypoint: str = ENTRYPOINT) -> _Answer:
    text = None
    with quiet_stdout() as captured:
        try:
            # JSON text, not set_input(dict): regopy truncates Python ints to 64 bits.
            interp.set_input_term(json.dumps(unit, ensure_ascii=False))
            out = interp.query_bundle_entrypoint(bundle, entrypoint)
            ok = out.ok()
            text = str(out) if ok else None
            error: str | None = None if ok else "the query returned an error"
        except regopy.RegoError as exc:
            error = f"RegoError: {str(exc)[:2000]}"
        except json.JSONDecodeError:
            # The wrapper cannot parse regopy's answer: in practice an unknown function.
            error = "unreadable engine output (a call to a function regopy does not know?)"
    if error is None and text == "undefined":
        error = f"data.{entrypoint.replace('/', '.')} is undefined"
    findings: list[Json] = []
    if error is None and text is not None:
        try:
            value = json.loads(text)
            findings = value["expressions"][0]
            if not isinstance(findings, list):
                raise TypeError("not a set")
        except (json.JSONDecodeError, KeyError, IndexError, TypeError) as exc:
            error = f"unexpected engine output ({exc}): {text[:300]}"
    return _Answer(findings, error, captured.text)


def _check_finding(item: Any) -> Json:
    if not isinstance(item, dict) or any(k not in item for k in _REQUIRED):
        raise EngineError(f"the policies produced a malformed finding: {json.dumps(item)[:300]}")
    if item["status"] not in STATUSES or item["severity"] not in SEVERITIES:
        raise EngineError(f"the policies produced a finding with a bad status or severity: {item}")
    return item


def _rule_number(rule_id: str) -> int:
    tail = rule_id.rsplit("_", 1)[-1]
    return int(tail) if tail.isdigit() else 10**6


def finding_sort_key(f: Json) -> tuple[Any, ...]:
    return (
        str(f.get("file") or ""),
        f.get("line") or 0,
        _rule_number(str(f["rule_id"])),
        str(f["resource"]),
        STATUSES.index(f["status"]),
        str(f["message"]),
    )


def _unit_name(unit: Json) -> str:
    if unit["clusters"]:
        c = unit["clusters"][0]
        return f"cluster {c['address']} ({c['loc']['file']})"
    return "security groups outside any cluster"


def default_jobs() -> int:
    """Processes a scan uses unless told: two when this process may run on two CPUs or more."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return 2 if cpus >= 2 else 1


# Up to this many units, a scan with jobs > 1 splits each unit in two forked processes (a fork
# costs milliseconds) rather than starting a pool of workers (spawned: each imports and loads the
# policies, ~0.4 s, which only pays back over several units).
_SPLIT_UNITS = 4


def _can_fork() -> bool:
    # Linux only: macOS forbids much after fork (its system libraries), Windows has no fork.
    return sys.platform.startswith("linux") and hasattr(os, "fork")


@dataclass
class _Reply:
    """What a forked child sends back: the answer to its query, or what the work it ran first
    raised (then it did not query)."""

    answer: _Answer | None = None
    raised: BaseException | None = None


def _write_frame(fd: int, payload: bytes) -> None:
    data = struct.pack("!Q", len(payload)) + payload
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _read_frame(fd: int) -> bytes | None:
    """One length-prefixed frame; None at end of file (the other side closed or died)."""
    head = _read_exactly(fd, 8)
    if head is None:
        return None
    return _read_exactly(fd, struct.unpack("!Q", head)[0])


def _read_exactly(fd: int, size: int) -> bytes | None:
    chunks = []
    while size:
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _serve(engine: Engine, requests: int, replies: int, warm: Callable[[], None] | None) -> None:
    """The partner process: warm up, load the policies, then answer requests until end of file."""
    if warm is not None:
        with contextlib.suppress(Exception):
            warm()  # best effort: only a head start on what a request may run
    try:
        prepared: Prepared | None = engine._ready()
        failed: EngineError | None = None
    except EngineError as exc:
        prepared, failed = None, exc
    while (request := _read_frame(requests)) is not None:
        unit, entrypoint, first = pickle.loads(request)
        if prepared is None:
            reply = pickle.dumps(_Reply(raised=failed))
        else:
            reply = _child_reply(prepared[0], prepared[1], unit, entrypoint, first)
        _write_frame(replies, reply)


class _Partner:
    """A forked process that evaluates a part of the rules for this one, unit by unit: each
    request is (unit, entry point, work to run first), each reply a _Reply."""

    def __init__(self, engine: Engine, warm: Callable[[], None] | None) -> None:
        requests, to_partner = os.pipe()  # (read end, write end)
        from_partner, replies = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            status = 1
            try:
                os.close(to_partner)
                os.close(from_partner)
                _serve(engine, requests, replies, warm)
                status = 0
            finally:
                # Never return into the parent's code (its stack, its atexit handlers, its buffers).
                os._exit(status)
        os.close(requests)
        os.close(replies)
        self.requests: int | None = to_partner
        self.replies: int | None = from_partner

    @property
    def alive(self) -> bool:
        return self.requests is not None

    def ask(self, unit: Json, entrypoint: str, first: Callable[[], None] | None) -> bool:
        """Send a request; False when first does not pickle (the caller runs it) or the partner is
        gone (the caller evaluates alone)."""
        assert self.requests is not None
        try:
            payload = pickle.dumps((unit, entrypoint, first))
        except (pickle.PicklingError, TypeError, AttributeError):
            return False
        try:
            _write_frame(self.requests, payload)
        except OSError:  # BrokenPipeError: it died
            self.stop()
            return False
        return True

    def reply(self) -> _Reply | None:
        """The answer to the last request; None when the partner died or sent something unreadable
        (it is stopped then)."""
        assert self.replies is not None
        raw = _read_frame(self.replies)
        try:
            reply = pickle.loads(raw) if raw is not None else None  # our own child: trusted
        except Exception:  # noqa: BLE001 - a garbled reply is a dead partner
            reply = None
        if not isinstance(reply, _Reply):
            self.stop()
            return None
        return reply

    def stop(self, kill: bool = False) -> None:
        """End the partner: closing its request pipe lets it exit; kill when it may be busy."""
        if self.requests is None:
            return
        os.close(self.requests)
        self.requests = None
        assert self.replies is not None
        os.close(self.replies)
        self.replies = None
        if kill:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)


def _child_reply(interp: regopy.Interpreter, bundle: regopy.Bundle, unit: Json, entrypoint: str,
                 first: Callable[[], None] | None) -> bytes:
    try:
        if first is not None:
            first()
    except Exception as exc:  # noqa: BLE001 - handed to the parent, which raises it
        try:
            return pickle.dumps(_Reply(raised=exc))
        except Exception:  # noqa: BLE001 - an exception that does not pickle: its text does
            return pickle.dumps(_Reply(raised=EngineError(f"{type(exc).__name__}: {exc}")))
    return pickle.dumps(_Reply(answer=_query(interp, bundle, unit, entrypoint)))


@dataclass
class Stats:
    compile_seconds: float = 0.0  # building or loading the bundle
    bundle_from: str = ""  # "cache" or "build" when this scan prepared the bundle, else ""
    worker_bundles_from: list[str] = field(default_factory=list)  # the same, per --jobs worker answer
    evaluate_seconds: float = 0.0
    units: int = 0
    split_units: int = 0  # units evaluated in two processes (Engine._evaluate_split)
    timings: list[tuple[str, float]] = field(default_factory=list)


class Engine:
    """Compiles the policies once and evaluates documents unit by unit.

    Not thread-safe: one Engine per thread. After any engine error the interpreter is discarded,
    because regopy can return stale errors from an interpreter that failed once.
    """

    def __init__(self, policies: PolicySet | None = None, preflight: bool = True, echo: bool = False) -> None:
        self.policies = policies or load_policy_set()
        # echo: copy what the policies print (Rego print()) to stderr, for policy authors (--verbose).
        self.echo = echo
        # Compile once in a child first, so a regopy crash is an EngineError (engine/preflight.py).
        self.preflight = preflight
        self.stats = Stats()
        self._interp: regopy.Interpreter | None = None
        self._bundle: regopy.Bundle | None = None
        self._from_cache = False
        self._partner: _Partner | None = None

    def compile(self) -> None:
        """Compile now (otherwise the first evaluation does); EngineError if the policies fail."""
        self._ready()

    def _ready(self, fresh: bool = False) -> Prepared:
        """The interpreter and bundle, loaded from the cache or built (fresh: built)."""
        if self._interp is not None and self._bundle is not None:
            return self._interp, self._bundle
        start = time.perf_counter()
        path = bundle_cache_path(self.policies)
        # A cached bundle exists only after a build worked, so loading one needs no preflight.
        prepared = None if fresh else _load_cached(path)
        if prepared is None and self.preflight:
            ensure_compiles(self.policies)
            self.preflight = False
            if not fresh:
                prepared = _load_cached(path)  # the preflight child leaves its bundle there
        self.stats.bundle_from = "cache"
        if prepared is None:
            prepared = _build(self.policies)
            _save_bundle(prepared, path)  # also replaces a cached file that would not load
            self.stats.bundle_from = "build"
        self._from_cache = not fresh and self.stats.bundle_from == "cache"
        self.stats.compile_seconds += time.perf_counter() - start
        self._interp, self._bundle = prepared
        return prepared

    def _discard(self) -> None:
        self._interp = None
        self._bundle = None
        self._from_cache = False

    def evaluate_unit(self, unit: Json) -> list[Json]:
        """The findings of one unit document; any engine failure raises EngineError."""
        interp, bundle = self._ready()
        start = time.perf_counter()
        answer = _query(interp, bundle, unit)
        if answer.error is not None and self._from_cache:
            # A cached bundle that fails might be a damaged file rather than a policy error: the
            # policies are judged on a fresh build, which also replaces the file.
            self._discard()
            interp, bundle = self._ready(fresh=True)
            answer = _query(interp, bundle, unit)
        if answer.error is not None:
            self._discard()
            suspects = self.diagnose(unit)
            hint = f"; failing rule package(s): {', '.join(suspects)}" if suspects else ""
            raise EngineError(
                f"policy evaluation failed for {_unit_name(unit)}: {answer.error}{hint}"
                f"{_engine_text(answer.output)}"
            )
        if self.echo and answer.output.strip():
            sys.stderr.write(f"policy output ({_unit_name(unit)}):\n{answer.output.rstrip()}\n")
        elapsed = time.perf_counter() - start
        self.stats.evaluate_seconds += elapsed
        self.stats.units += 1
        self.stats.timings.append((_unit_name(unit), elapsed))
        return [_check_finding(f) for f in answer.findings]

    def diagnose(self, unit: Json) -> list[str]:
        """Which rule packages fail on this unit (only called after an error).

        One bundle with an entry point per rule package, queried in turn; after a failure the
        interpreter is rebuilt (regopy can return stale errors), so the cost is one compile per
        failing package rather than one per package.
        """
        packages = [p for p in self.policies.packages() if p.startswith("ack.rules.")]
        bad: list[str] = []
        pending = list(packages)
        while pending:
            entrypoints = [p.replace(".", "/") + "/findings" for p in pending]
            with quiet_stdout():
                try:
                    interp = _new_interpreter(self.policies)
                    bundle = interp.build(None, entrypoints)
                    interp.set_input_term(json.dumps(unit, ensure_ascii=False))
                except (regopy.RegoError, ValueError):
                    return bad + pending  # cannot even build: every remaining package is suspect
                failed_at = None
                for index, entrypoint in enumerate(entrypoints):
                    try:
                        out = interp.query_bundle_entrypoint(bundle, entrypoint)
                        if not out.ok() or str(out) == "undefined":
                            failed_at = index
                    except (regopy.RegoError, json.JSONDecodeError):
                        failed_at = index
                    if failed_at is not None:
                        break
            if failed_at is None:
                break
            bad.append(pending[failed_at])
            pending = pending[failed_at + 1 :]
        return bad

    def evaluate(
        self, document: Json, jobs: int = 1, alongside: Callable[[], None] | None = None
    ) -> list[Json]:
        """Findings of the whole document: every unit, de-duplicated, in a stable order.

        jobs > 1: up to _SPLIT_UNITS units are evaluated one after the other, each in two processes
        that evaluate a part of the rules each (where fork exists: Linux); more units are shared by
        that many worker processes (each loads the compiled policies once). alongside: work of the
        caller (the schema check) that runs before the evaluation, or in the second process (before
        its part) while this one evaluates; whatever it raises is raised here and ends the
        evaluation.
        """
        try:
            units = unit_documents(document)
        except (KeyError, TypeError, AttributeError):
            if alongside is not None:
                alongside()  # a document too broken to split into units: the schema check says how
            raise
        if jobs > 1 and len(units) <= _SPLIT_UNITS and self._can_split():
            started_here = self._partner is None
            partner = self._partner or self.start_partner()
            assert partner is not None  # _can_split()
            try:
                checks = [alongside] + [None] * (len(units) - 1)
                pairs = zip(units, checks, strict=True)
                per_unit = [self._evaluate_split(unit, check, partner) for unit, check in pairs]
            finally:
                if started_here:
                    self.stop_partner()
        else:
            if alongside is not None:
                alongside()
            if jobs > 1 and len(units) > 1:
                per_unit = self._evaluate_parallel(units, jobs)
            else:
                per_unit = [self.evaluate_unit(unit) for unit in units]
        seen: dict[str, Json] = {}
        for findings in per_unit:
            for finding in findings:
                # An SG shared by two clusters is evaluated in both units: keep one copy.
                seen.setdefault(json.dumps(finding, sort_keys=True), finding)
        return sorted(seen.values(), key=finding_sort_key)

    def _can_split(self) -> bool:
        # Not with --verbose: the policies' print() output of the partner's part would be lost.
        return _can_fork() and not self.echo

    def start_partner(self, warm: Callable[[], None] | None = None) -> _Partner | None:
        """Fork now the process that evaluates the second part of the rules of each unit (evaluate
        with jobs > 1), so that loading the policies there, and warm (say, importing what the
        schema check needs), overlaps whatever the caller does before evaluating (reading inputs).
        Stop it with stop_partner(); evaluate() starts and stops one itself when there is none.
        None where units are not split (no fork, or echo on)."""
        if not self._can_split():
            return None
        if self._partner is None or not self._partner.alive:
            self._partner = _Partner(self, warm)
        return self._partner

    def stop_partner(self) -> None:
        if self._partner is not None:
            self._partner.stop(kill=True)
            self._partner = None

    def _evaluate_split(
        self, unit: Json, alongside: Callable[[], None] | None, partner: _Partner
    ) -> list[Json]:
        """One unit's findings from two processes: the partner runs alongside, then evaluates the
        second part of the rules, while this process evaluates the first. What alongside raises
        is raised here. Anything short of two clean answers (policies without parts, an engine
        error, a partner that died) is evaluated again here in one process, where errors are
        diagnosed as usual."""
        interp, bundle = self._ready()
        start = time.perf_counter()
        asked = partner.alive and partner.ask(unit, PART_ENTRYPOINTS[1], alongside)
        if not asked and alongside is not None:
            alongside()  # it does not pickle, or there is no partner: here, first
        try:
            mine = _query(interp, bundle, unit, PART_ENTRYPOINTS[0])
            reply = partner.reply() if asked else None
        except BaseException:
            partner.stop(kill=True)  # a request may be outstanding: its reply must not answer the next
            raise
        if reply is not None and reply.raised is not None:
            raise reply.raised
        if asked and reply is None and alongside is not None:
            alongside()  # the partner died before it could say
        theirs = reply.answer if reply is not None else None
        if mine.error is not None or theirs is None or theirs.error is not None:
            return self.evaluate_unit(unit)
        elapsed = time.perf_counter() - start
        self.stats.evaluate_seconds += elapsed
        self.stats.units += 1
        self.stats.split_units += 1
        self.stats.timings.append((_unit_name(unit), elapsed))
        return [_check_finding(f) for f in mine.findings + theirs.findings]

    def _evaluate_parallel(self, units: list[Json], jobs: int) -> list[list[Json]]:
        # Imported here: multiprocessing and concurrent.futures cost ~15 ms to import, and only
        # --jobs needs them.
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        # Prepared here first, so the workers find the bundle in the cache instead of each building it.
        self._ready()
        start = time.perf_counter()
        # spawn, not fork: a forked copy of a live regopy interpreter is not something to trust.
        context = multiprocessing.get_context("spawn")
        workers = min(jobs, len(units))
        try:
            with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                                     initargs=(self.policies,)) as pool:
                answers = list(pool.map(_evaluate_in_worker, units))
        except BrokenProcessPool:
            raise EngineError("a policy engine worker process died (regopy crashed?)") from None
        self.stats.worker_bundles_from.extend(origin for _, origin in answers)
        self.stats.evaluate_seconds += time.perf_counter() - start
        self.stats.units += len(units)
        return [findings for findings, _ in answers]


_WORKER: Engine | None = None


def _init_worker(policies: PolicySet) -> None:
    global _WORKER
    # The parent has checked the policies and cached the bundle; this loads it (or builds).
    _WORKER = Engine(policies, preflight=False)


def _evaluate_in_worker(unit: Json) -> tuple[list[Json], str]:
    """The unit's findings, and where this worker's bundle came from (the parent's stats)."""
    assert _WORKER is not None, "worker not initialised"
    return _WORKER.evaluate_unit(unit), _WORKER.stats.bundle_from
