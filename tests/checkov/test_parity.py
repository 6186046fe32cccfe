"""Parity: for every per-rule fixture (fixtures/rules/CKV_ACK_*/<case>/{terraform_hcl,terraform_plan,ros})
the set of (check ID, resource, result) from a real `checkov -d` run equals what
`checkov_ack.scan.scan_paths` reports for the same input (pass -> PASSED, fail -> FAILED; unknown and
not applicable are absent from Checkov's output).

One Checkov process scans the whole fixtures/rules tree (about 2 s of start-up per process); the
reference scans run in this process while Checkov works, so the two costs overlap.
"""

from __future__ import annotations

import subprocess
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from checkov_run import ACK_IDS, CHECKS_DIR, FRAMEWORKS, checkov_command, checkov_env  # noqa: I001

from checkov_ack.checkov_bridge import deleted_sg_homes
from checkov_ack.config import config_for
from checkov_ack.engine import Engine
from checkov_ack.scan import scan_paths
from helpers import FIXTURES, ROOT

RULES = FIXTURES / "rules"
KINDS = ("terraform_hcl", "terraform_plan", "ros")
STATUS = {"pass": "PASSED", "fail": "FAILED"}

Triple = tuple[str, str, str]


def _case_dirs() -> list[Path]:
    return sorted(p for p in RULES.glob("CKV_ACK_*/*/*") if p.is_dir() and p.name in KINDS)


def _reference(case_dir: Path, engine: Engine) -> set[Triple]:
    """What `checkov-ack scan <case_dir>` reports, as Checkov shows it: per (rule, resource) FAILED if
    any finding fails, else nothing if any is unknown, else PASSED if any passes. Two documented
    translations: ROS inline rules belong to their SG resource; in a plan, findings on an SG the plan
    deletes (absent from Checkov's view of planned_values) show on the clusters still using it."""
    config = config_for([case_dir])
    result = scan_paths([case_dir], config.settings, engine=engine)
    assert not result.errors, result.errors
    moved = deleted_sg_homes(result.document) if case_dir.name == "terraform_plan" else {}
    statuses: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in result.results:
        f = r.finding
        resource = str(f["resource"])
        if case_dir.name == "ros":
            resource = resource.split(".", 1)[0]
        status = "suppressed" if r.suppressed and f["status"] == "fail" else str(f["status"])
        for home in moved.get(resource, [resource]):
            statuses[(str(f["rule_id"]), home)].add(status)
    found: set[Triple] = set()
    for (rule, resource), seen in statuses.items():
        if "fail" in seen:
            found.add((rule, resource, "FAILED"))
        elif "suppressed" in seen:
            found.add((rule, resource, "SKIPPED"))
        elif "pass" in seen and "unknown" not in seen:
            found.add((rule, resource, "PASSED"))
    return found


def _checkov_resource(record: dict[str, Any], check_type: str) -> str:
    if check_type == "cloudformation":
        return str(record["resource"]).rsplit(".", 1)[-1]  # "ALIYUN::ECS::SecurityGroup.Sg" -> "Sg"
    return str(record["resource"])


def _by_case(reports: list[dict[str, Any]]) -> dict[Path, set[Triple]]:
    found: dict[Path, set[Triple]] = defaultdict(set)
    for report in reports:
        for key in ("passed_checks", "failed_checks", "skipped_checks"):
            for rec in report["results"].get(key, []):
                case_dir = (RULES / str(rec["file_path"]).lstrip("/")).parent
                resource = _checkov_resource(rec, report["check_type"])
                found[case_dir].add((rec["check_id"], resource, rec["check_result"]["result"]))
    return found


@pytest.mark.slow
def test_checkov_gives_the_scanners_verdicts_on_every_fixture(tmp_path: Path) -> None:
    import json

    cases = _case_dirs()
    assert len(cases) > 90, "the fixture tree moved?"
    cmd = [*checkov_command(), "-d", str(RULES), "--framework", *FRAMEWORKS, "--check", ACK_IDS,
           "-o", "json", "--external-checks-dir", str(CHECKS_DIR), "--skip-download"]
    out = tmp_path / "checkov.json"
    with out.open("w") as handle:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=checkov_env(tmp_path), stdout=handle,
                                stderr=subprocess.PIPE, text=True)
        engine = Engine()
        expected = {case: _reference(case, engine) for case in cases}
        _, stderr = proc.communicate(timeout=900)
    assert proc.returncode in (0, 1), stderr[-3000:]
    data = json.loads(out.read_text())
    found = _by_case(data if isinstance(data, list) else [data])
    mismatches = {
        str(case.relative_to(RULES)): {"checkov only": sorted(found.get(case, set()) - want),
                                       "scanner only": sorted(want - found.get(case, set()))}
        for case, want in expected.items()
        if found.get(case, set()) != want
    }
    assert not mismatches, json.dumps(mismatches, indent=1)[:6000]
    assert not set(found) - set(expected), sorted(set(found) - set(expected))
    # One scanner evaluation per unit (module folder, plan, template), shared by the 16 checks.
    log = (tmp_path / "evaluations.log").read_text().splitlines()
    units = sorted(line.split("\t", 2)[2] for line in log)
    assert len(units) == len(set(units)) == len(cases), (len(units), len(set(units)), len(cases))
    # Every fixture gave Checkov something to say: the checks ran on every kind.
    assert all(found.get(case) for case in cases)
