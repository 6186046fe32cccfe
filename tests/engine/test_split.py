"""One cluster evaluated in two processes (Engine._evaluate_split and its partner process): the
same findings as one process, the caller's check run in the partner, and a fall back to one
process whenever the partner cannot answer."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from checkov_ack.engine import Engine, default_jobs, load_policy_set, regopy_engine
from checkov_ack.errors import EngineError
from checkov_ack.model.assemble import unit_documents
from checkov_ack.model.document import Json
from checkov_ack.scan import DocumentError, normalize_paths, scan_paths
from helpers import ROOT, break_assembled_documents

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the split forks: Linux only")

SCENARIOS = sorted(p for p in (ROOT / "fixtures" / "scenarios").iterdir() if p.is_dir())


def _document(path: Path) -> Json:
    document, load = normalize_paths([path])
    assert not load.errors
    return document


Partners = list[regopy_engine._Partner]


@pytest.fixture(autouse=True)
def partners(monkeypatch: pytest.MonkeyPatch) -> Partners:
    """Every partner process a test starts, to check that none is left behind."""
    started: Partners = []

    class Recorded(regopy_engine._Partner):
        def __init__(self, *args: Any) -> None:
            super().__init__(*args)
            started.append(self)

    monkeypatch.setattr(regopy_engine, "_Partner", Recorded)
    return started


def _reaped(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.name)
def test_two_processes_find_what_one_finds(scenario: Path, partners: Partners) -> None:
    document = _document(scenario)
    serial = Engine().evaluate(document, jobs=1)
    split = Engine()
    assert split.evaluate(document, jobs=2) == serial
    assert split.stats.split_units == len(unit_documents(document)) <= regopy_engine._SPLIT_UNITS
    # Both parts answered: findings of the required flows (part a) and of exposure (part b).
    rules = {f["rule_id"] for f in serial}
    assert {"CKV_ACK_1", "CKV_ACK_5"} <= rules
    assert partners and all(_reaped(p.pid) for p in partners)


def _record_and_fail(path: Path) -> None:
    path.write_text(str(os.getpid()))
    raise DocumentError("internal error: broken on purpose")


def test_the_check_runs_in_the_partner_and_its_error_comes_here(tmp_path: Path, partners: Partners) -> None:
    ran_in = tmp_path / "pid"
    engine, check = Engine(), functools.partial(_record_and_fail, ran_in)
    with pytest.raises(DocumentError, match="broken on purpose"):
        engine.evaluate(_document(SCENARIOS[0]), jobs=2, alongside=check)
    assert int(ran_in.read_text()) != os.getpid()  # the partner ran it, before its part
    assert engine.stats.split_units == 0
    assert partners and all(_reaped(p.pid) for p in partners)


def test_a_check_that_does_not_pickle_runs_here(tmp_path: Path, partners: Partners) -> None:
    ran_in = tmp_path / "pid"
    engine = Engine()
    with pytest.raises(DocumentError, match="broken on purpose"):
        engine.evaluate(_document(SCENARIOS[0]), jobs=2, alongside=lambda: _record_and_fail(ran_in))
    assert int(ran_in.read_text()) == os.getpid()
    assert partners and all(_reaped(p.pid) for p in partners)


def _raise_unpicklable() -> None:
    class Local(Exception):  # a local class does not pickle
        pass

    raise Local("odd")


def test_an_exception_that_does_not_pickle_still_arrives(partners: Partners) -> None:
    with pytest.raises(EngineError, match="Local: odd"):
        Engine().evaluate(_document(SCENARIOS[0]), jobs=2, alongside=_raise_unpicklable)
    assert partners and all(_reaped(p.pid) for p in partners)


def test_a_partner_started_early_serves_every_unit(partners: Partners) -> None:
    from checkov_ack.model import schema

    document = _document(SCENARIOS[0])
    serial = Engine().evaluate(document, jobs=1)
    engine = Engine()
    partner = engine.start_partner(warm=schema.prepare)  # as the CLI does, before reading inputs
    assert partner is not None and partner.alive
    assert engine.evaluate(document, jobs=2) == serial
    assert engine.stats.split_units == len(unit_documents(document)) > 1
    assert partner.alive  # evaluate() leaves a partner it did not start running
    engine.stop_partner()
    assert not partner.alive and all(_reaped(p.pid) for p in partners)


def test_a_dead_partner_means_one_process(monkeypatch: pytest.MonkeyPatch, partners: Partners) -> None:
    document = _document(SCENARIOS[0])
    serial = Engine().evaluate(document, jobs=1)
    parent = os.getpid()
    real = regopy_engine._query

    def dying(interp: Any, bundle: Any, unit: Json, entrypoint: str = regopy_engine.ENTRYPOINT) -> Any:
        if os.getpid() != parent:
            os._exit(3)  # the partner, forked, inherits this patch
        return real(interp, bundle, unit, entrypoint)

    monkeypatch.setattr(regopy_engine, "_query", dying)
    checked: list[bool] = []
    engine = Engine()
    assert engine.evaluate(document, jobs=2, alongside=functools.partial(checked.append, True)) == serial
    assert checked  # the partner died after its copy of the check ran: this process ran it too
    assert engine.stats.split_units == 0
    assert partners and all(_reaped(p.pid) for p in partners)


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


def test_scan_paths_checks_the_schema_when_split(monkeypatch: pytest.MonkeyPatch, partners: Partners) -> None:
    break_assembled_documents(monkeypatch)
    with pytest.raises(DocumentError, match="breaks its schema"):
        scan_paths([SCENARIOS[0]], jobs=2)
    assert all(_reaped(p.pid) for p in partners)  # none, when units cannot even be made


def test_default_jobs_follows_the_cpus(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0}, raising=False)
    assert default_jobs() == 1
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1, 2}, raising=False)
    assert default_jobs() == 2
