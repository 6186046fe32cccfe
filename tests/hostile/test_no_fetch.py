"""Nothing in an input is executed or fetched: remote Terraform modules become unknowns, and a scan
run with networking unavailable neither tries the network nor starts another program."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hostile.documents import statuses
from hostile.limits import assert_clean, run_cli

from checkov_ack.scan import normalize_paths
from helpers import FIXTURES

GUARD = Path(__file__).resolve().parent / "netguard"

REMOTE = """
module "git_sg" {
  source = "git::https://example.com/network/sg.git?ref=v1.0.0"
}
module "registry_sg" {
  source  = "alibaba/security-group/alicloud"
  version = "2.4.0"
}
module "s3_sg" {
  source = "s3::https://s3.amazonaws.com/bucket/sg.zip"
}
module "http_sg" {
  source = "https://example.com/sg.zip"
}
resource "alicloud_cs_managed_kubernetes" "k8s" {
  name                = "remote"
  security_group_id   = module.git_sg.security_group_id
  worker_vswitch_ids  = ["vsw-bp1remote000000001"]
  pod_cidr            = "172.20.0.0/16"
  service_cidr        = "172.21.0.0/20"
  addons {
    name = "flannel"
  }
}
resource "alicloud_security_group_rule" "extra" {
  type              = "ingress"
  ip_protocol       = "tcp"
  port_range        = "22/22"
  cidr_ip           = "10.0.0.0/8"
  security_group_id = module.registry_sg.this_security_group_id
}
"""


def _unshare_works() -> bool:
    if shutil.which("unshare") is None:
        return False
    done = subprocess.run(["unshare", "-rn", "true"], capture_output=True, check=False)
    return done.returncode == 0


def test_remote_modules_are_unknown_never_fetched(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(REMOTE, encoding="utf-8")
    document, load = normalize_paths([tmp_path])
    assert not load.errors, load.errors
    assert [i["kind"] for i in document["inputs"]] == ["terraform_hcl"]
    (cluster,) = document["clusters"]
    assert cluster["security_group"] is None or cluster["provenance"]["security_group"] == "unknown"
    assert not (tmp_path / ".terraform").exists()  # nothing was installed the way `terraform init` would
    found = statuses(document)
    connectivity = [s for (rule, key), s in found.items() if key == cluster["key"] and rule in
                    ("CKV_ACK_1", "CKV_ACK_2", "CKV_ACK_3")]
    assert connectivity and all(s == {"unknown"} for s in connectivity), found


def _guarded_scan(tmp_path: Path, paths: list[str], use_unshare: bool) -> tuple[list[str], dict]:
    log = tmp_path / "attempts.log"
    env = {"PYTHONPATH": str(GUARD), "CHECKOV_ACK_NETGUARD_LOG": str(log),
           # A fresh cache: the engine preflight child runs too (it is Python, so it is allowed).
           "XDG_CACHE_HOME": str(tmp_path / "cache")}
    prefix = ["unshare", "-rn"] if use_unshare else None
    outcome = run_cli(["scan", *paths, "--format", "json"], env=env, prefix=prefix, seconds=180)
    assert_clean(outcome)
    attempts = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return attempts, json.loads(outcome.stdout)


@pytest.mark.parametrize("use_unshare", [True, False], ids=["unshare-rn", "guard-only"])
def test_scan_tries_no_network_and_runs_nothing(tmp_path: Path, use_unshare: bool) -> None:
    if use_unshare and not _unshare_works():
        pytest.skip("unshare -rn is not permitted here; the guard-only run still checks")
    module = tmp_path / "remote"
    module.mkdir()
    (module / "main.tf").write_text(REMOTE, encoding="utf-8")
    scenario = FIXTURES / "scenarios" / "basic-flannel"
    inputs = [str(module), *(str(scenario / k) for k in ("terraform_plan", "ros", "api_export"))]
    attempts, report = _guarded_scan(tmp_path, inputs, use_unshare)
    assert attempts == []
    assert report["findings"], report
    assert not report["errors"], report["errors"]


def test_the_guard_does_record_an_attempt(tmp_path: Path) -> None:
    """The guard itself works: a process that tries is caught (so an empty log means something)."""
    log = tmp_path / "attempts.log"
    code = "import socket\ntry:\n    socket.create_connection(('example.com', 80), 1)\nexcept OSError: pass"
    env = dict(os.environ, PYTHONPATH=str(GUARD), CHECKOV_ACK_NETGUARD_LOG=str(log))
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=60)
    assert "create_connection" in log.read_text(encoding="utf-8")
