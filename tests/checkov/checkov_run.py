"""Running the real Checkov on our external checks (a subprocess, as users run it)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from helpers import ROOT

CHECKS_DIR = ROOT / "checkov_ack" / "checkov_checks"
FRAMEWORKS = ("terraform", "terraform_plan", "cloudformation")
ACK_IDS = ",".join(f"CKV_ACK_{n}" for n in range(1, 17))


def checkov_command() -> list[str]:
    exe = shutil.which("checkov")
    if exe is None:
        pytest.skip("checkov is not installed")
    return [exe]


@dataclass
class CheckovRun:
    code: int
    stdout: str
    stderr: str
    evaluations: list[str]

    def reports(self) -> list[dict[str, Any]]:
        data = json.loads(self.stdout)
        return data if isinstance(data, list) else [data]

    def records(self, *statuses: str) -> list[dict[str, Any]]:
        keys = statuses or ("passed_checks", "failed_checks", "skipped_checks")
        return [rec for report in self.reports() for key in keys for rec in report["results"].get(key, [])]


def checkov_env(tmp: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    log = tmp / "evaluations.log"
    log.unlink(missing_ok=True)
    return {
        **os.environ,
        # Parsing must not give up on a busy CI machine (Checkov's default is a 10 s timeout per file).
        "HCL_PARSE_TIMEOUT_SEC": "0",
        # How often the scanner evaluated a unit (one line per evaluation, across Checkov's processes).
        "CHECKOV_ACK_EVALUATION_LOG": str(log),
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
        "LOG_LEVEL": "WARNING",
        **(extra or {}),
    }


def run_checkov(args: list[str], cwd: Path, tmp: Path, env: dict[str, str] | None = None) -> CheckovRun:
    """`checkov <args> --external-checks-dir <ours> --skip-download`, our checks loaded from the
    checkout."""
    log = tmp / "evaluations.log"
    full_env = checkov_env(tmp, env)
    cmd = [*checkov_command(), *args, "--external-checks-dir", str(CHECKS_DIR), "--skip-download"]
    proc = subprocess.run(cmd, cwd=cwd, env=full_env, capture_output=True, text=True, timeout=900,
                          check=False)
    evaluations = log.read_text().splitlines() if log.exists() else []
    return CheckovRun(proc.returncode, proc.stdout, proc.stderr, evaluations)

