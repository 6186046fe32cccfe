"""A smoke-sized benchmark run, so the benchmarks never rot (no timing assertions: speed targets are
judged by `python -m benchmarks.run`, not here).

One generated cluster of 20 rules: every kind is read and normalized; the whole scan runs stage by
stage; `checkov-ack scan`, `checkov -d` with our checks and `opa eval` run as the runner runs them;
the scanner's findings must equal `opa eval`'s on the same normalized document (skipped without an
opa binary, failed in CI).
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from benchmarks import run as bench
from benchmarks.generate import KINDS, RULES_PER_SG, Scale, cluster_model, generate
from benchmarks.stages import STAGES

SMOKE = Scale(1, 20)
TIMEOUT = 900.0  # generous: shared CI machines are slow, and nothing here is about speed


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_generator_is_seeded_and_deterministic(tmp_path: Path) -> None:
    first = generate(Scale(2, 30), tmp_path / "a")
    second = generate(Scale(2, 30), tmp_path / "b")
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert first["inputs"] == second["inputs"]
    assert all(first["inputs"][kind]["files"] > 0 for kind in KINDS)
    other = generate(Scale(2, 30), tmp_path / "c", seed=7)
    assert _files(tmp_path / "c") != _files(tmp_path / "a")
    assert other["seed"] == 7


def test_models_follow_the_quotas() -> None:
    model = cluster_model(0, 1000)
    assert len(model["rules"]) == 1000
    per_sg = Counter(rule["sg"] for rule in model["rules"])
    assert len(per_sg) == 5 and max(per_sg.values()) <= RULES_PER_SG  # 5 SGs of 200: the ENI limit
    assert model["node_pools"][0]["sgs"] == [sg["name"] for sg in model["sgs"]]
    assert len(cluster_model(3, 20)["rules"]) == 20
    # Cluster i is the same whatever the cluster count: bigger scales extend smaller ones.
    assert cluster_model(3, 20) == cluster_model(3, 20)
    assert cluster_model(3, 20) != cluster_model(4, 20)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bench")
    generate(SMOKE, folder)
    return folder


@pytest.fixture(scope="module")
def stages(root: Path) -> bench.Measure:
    return bench.measure_stages(SMOKE, "terraform_hcl", TIMEOUT, root)


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_is_read_and_normalized(root: Path, kind: str) -> None:
    read = bench.measure_read(SMOKE, kind, TIMEOUT, root)
    assert read.status == "ok", read.note
    assert read.detail["files"] > 0 and read.detail["bytes"] > 0
    assert read.detail["stages"][0]["wall"] >= 0 and read.peak_mb and read.peak_mb > 0
    norm = bench.measure_stages(SMOKE, kind, TIMEOUT, root, upto="normalize")
    assert norm.status == "ok", norm.note
    assert [s["stage"] for s in norm.detail["stages"]] == ["parse", "normalize"]
    assert norm.detail["clusters"] == 1 and norm.detail["rules"] == SMOKE.rules


def test_every_stage_ran_and_produced_numbers(stages: bench.Measure) -> None:
    assert stages.status == "ok", stages.note
    assert [s["stage"] for s in stages.detail["stages"]] == list(STAGES)
    for stage in stages.detail["stages"]:
        assert stage["wall"] >= 0 and stage["cpu"] >= 0 and stage["peak_mb"] > 0, stage
    assert stages.detail["units"] == 1 and stages.detail["findings"] > 0
    assert stages.detail["report_bytes"] > 0
    assert stages.wall and stages.cpu and stages.peak_mb


def test_findings_equal_opa_eval(root: Path, stages: bench.Measure) -> None:
    assert stages.status == "ok", stages.note
    if bench.opa_binary() is None:
        message = "no opa binary on PATH, in .ci/tools/bin or /root/gobin (bash .ci/install-tools.sh)"
        if os.environ.get("CI"):
            pytest.fail(f"CI: {message}", pytrace=False)
        pytest.skip(message)
    opa = bench.measure_opa(SMOKE, "terraform_hcl", TIMEOUT, root)
    assert opa.status == "ok", opa.note
    assert opa.detail["parity"], opa.detail
    assert opa.detail["findings"] == stages.detail["findings"]


def test_cli_checkov_and_results_page(root: Path, stages: bench.Measure) -> None:
    cli = bench.measure_cli(SMOKE, "terraform_hcl", TIMEOUT, root=root)
    assert cli.status == "ok", cli.note
    assert cli.wall and cli.peak_mb and cli.detail["findings"] == stages.detail["findings"]
    runs = cli.detail["runs_wall"]  # one cluster: several runs, the median one reported
    assert len(runs) == bench.CLI_RUNS_ONE_CLUSTER and runs == sorted(runs)
    assert round(cli.wall, 3) == runs[len(runs) // 2]
    theirs = bench.measure_checkov(SMOKE, "terraform_hcl", TIMEOUT, root)
    assert theirs.status in ("ok", "not available"), theirs.note
    read = bench.measure_read(SMOKE, "terraform_hcl", TIMEOUT, root)
    runner = bench.Runner(bench.Plan((SMOKE,), TIMEOUT, TIMEOUT))
    runner.results = [read, stages, cli, theirs]
    goals = bench.targets(runner)
    assert {g.verdict for g in goals} <= {"met", "not met", "not measured"}
    assert goals[0].name.startswith("`checkov-ack scan` of a one-cluster module well under a second")
    assert goals[0].verdict in ("met", "not met") and "median wall" in goals[0].evidence
    info = {**bench.machine(), "load_end": os.getloadavg()}
    text = bench.render_results(runner, info, None, goals, quick=True)
    assert "## Targets" in text and "## Stages of the scan" in text and "c1-r20" in text


def test_scan_path_does_not_import_checkov(root: Path) -> None:
    found = bench.import_check(root / SMOKE.name / "terraform_hcl" / "cluster-0000", TIMEOUT)
    assert found["status"] == "ok"
    assert found["modules"] > 0 and found["cli_import_ms"]
    assert found["checkov_modules"] == []
