"""One cluster evaluated in two processes (Engine._evaluate_split): the same findings as one
process, the caller's check run alongside, and a fall back to one process whenever the second
cannot answer."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from checkov_ack.engine import Engine, default_jobs, load_policy_set, regopy_engine
from checkov_ack.errors import EngineError
from checkov_ack.model.assemble import unit_documents
from checkov_ack.model.document import Json
from checkov_ack.scan import DocumentError, normalize_paths, scan_paths
from helpers import ROOT

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the split forks: Linux only")

SCENARIOS = sorted(p for p in (ROOT / "fixtures" / "scenarios").iterdir() if p.is_dir())


def _document(path: Path) -> Json:
    document, load = normalize_paths([path])
    assert not load.errors
    return document


def _no_children_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.name)
def test_two_processes_find_what_one_finds(scenario: Path) -> None:
    document = _document(scenario)
    serial = Engine().evaluate(document, jobs=1)
    split = Engine()
    assert split.evaluate(document, jobs=2) == serial
    assert split.stats.split_units == len(unit_documents(document)) <= regopy_engine._SPLIT_UNITS
    # Both parts answered: findings of the required flows (part a) and of exposure (part b).
    rules = {f["rule_id"] for f in serial}
    assert {"CKV_ACK_1", "CKV_ACK_5"} <= rules
    assert _no_children_left()


def test_the_check_runs_in_the_child_and_its_error_is_raised_here(tmp_path: Path) -> None:
    document = _document(SCENARIOS[0])
    ran_in = tmp_path / "pid"

    def check() -> None:
        ran_in.write_text(str(os.getpid()))
        raise DocumentError("internal error: broken on purpose")

    engine = Engine()
    with pytest.raises(DocumentError, match="broken on purpose"):
        engine.evaluate(document, jobs=2, alongside=check)
    assert int(ran_in.read_text()) != os.getpid()  # the second process ran it, before its part
    assert engine.stats.split_units == 0
    assert _no_children_left()


def test_an_exception_that_does_not_pickle_still_arrives() -> None:
    class Local(Exception):  # a local class does not pickle
        pass

    def check() -> None:
        raise Local("odd")

    with pytest.raises(EngineError, match="Local: odd"):
        Engine().evaluate(_document(SCENARIOS[0]), jobs=2, alongside=check)
    assert _no_children_left()


def test_a_child_that_dies_falls_back_to_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    document = _document(SCENARIOS[0])
    serial = Engine().evaluate(document, jobs=1)
    parent = os.getpid()
    real = regopy_engine._query

    def dying(interp, bundle, unit, entrypoint=regopy_engine.ENTRYPOINT):  # type: ignore[no-untyped-def]
        if os.getpid() != parent:
            os._exit(3)  # the forked child inherits this patch
        return real(interp, bundle, unit, entrypoint)

    monkeypatch.setattr(regopy_engine, "_query", dying)
    checked = []
    engine = Engine()
    assert engine.evaluate(document, jobs=2, alongside=lambda: checked.append(True)) == serial
    assert checked  # the child died before its check: this process ran it
    assert engine.stats.split_units == 0
    assert _no_children_left()


def test_policies_without_parts_evaluate_in_one_process(tmp_path: Path) -> None:
    root = tmp_path / "policies"
    (root / "ack").mkdir(parents=True)
    (root / "ack" / "main.rego").write_text(
        'package ack\n\nfindings contains {"rule_id": "X", "status": "pass", "severity": "LOW", "title": "t",'
        ' "message": "m", "resource": "r", "file": "f", "line": 1} if true\n',
        encoding="utf-8",
    )
    engine = Engine(load_policy_set(root))
    findings = engine.evaluate(_document(SCENARIOS[0]), jobs=2)
    assert [f["rule_id"] for f in findings] == ["X"]
    assert engine.stats.split_units == 0


def test_scan_paths_checks_the_schema_when_split(monkeypatch: pytest.MonkeyPatch) -> None:
    from checkov_ack import scan

    real = scan.assemble

    def broken(*args: object, **kwargs: object) -> Json:
        document = real(*args, **kwargs)  # type: ignore[arg-type]
        document["clusters"].append({"key": "half a cluster"})
        return document

    monkeypatch.setattr(scan, "assemble", broken)
    with pytest.raises(DocumentError, match="breaks its schema"):
        scan_paths([SCENARIOS[0]], jobs=2)
    assert _no_children_left()


def test_default_jobs_follows_the_cpus(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0}, raising=False)
    assert default_jobs() == 1
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1, 2}, raising=False)
    assert default_jobs() == 2
