"""`checkov-ack` end to end: exit codes, formats, --output, config, waivers, inline skips, errors
named with file and line and never a traceback, --verbose."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from checkov_ack import cli
from checkov_ack.model.schema import REPORT_SCHEMA, schema_errors
from checkov_ack.reporters.catalog import load_catalog, render_markdown
from helpers import FIXTURES, ROOT, break_assembled_documents

EXAMPLE = ROOT / "examples" / "terraform" / "basic-flannel"
MODULE = FIXTURES / "reports" / "module"  # the example plus exposed.tf (and broken/)


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """The real console entry point in a fresh process: what users and CI see."""
    return subprocess.run(
        [sys.executable, "-m", "checkov_ack", *args], cwd=cwd, capture_output=True, text=True
    )


def no_traceback(done: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout


@pytest.fixture(scope="module")
def exposed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Kubelet open to the internet (CRITICAL), beyond the profile (MEDIUM), one inline skip."""
    root = tmp_path_factory.mktemp("exposed") / "module"
    shutil.copytree(MODULE, root, ignore=shutil.ignore_patterns("broken"))
    return root


@pytest.fixture(scope="module")
def exposed_json(exposed: Path) -> tuple[subprocess.CompletedProcess[str], dict]:
    done = run("scan", str(exposed), "--format", "json")
    return done, json.loads(done.stdout)


def _failed(report: dict, rule_id: str) -> list[str]:
    return [f["resource"] for f in report["findings"] if f["rule_id"] == rule_id and f["status"] == "fail"]


def test_clean_module_exits_0_and_lists_no_skipped_files(tmp_path: Path) -> None:
    module = tmp_path / "module"
    shutil.copytree(EXAMPLE, module)
    (module / "NOTES.txt").write_text("not an input\n")
    done = run("scan", str(module))
    no_traceback(done)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Summary: 0 failed" in done.stdout
    assert "NOTES.txt" not in done.stderr and "NOTES.txt" not in done.stdout


def test_verbose_lists_skipped_files_on_stderr(tmp_path: Path) -> None:
    module = tmp_path / "module"
    shutil.copytree(EXAMPLE, module)
    (module / "NOTES.txt").write_text("not an input\n")
    done = run("scan", str(module), "--verbose", "--format", "json")
    assert done.returncode == 0
    assert f"skipped (not a Terraform, plan, ROS or API export file): {module / 'NOTES.txt'}" in done.stderr
    assert ".checkov-ack.yaml" not in done.stderr  # our own settings file is not a forgotten input
    json.loads(done.stdout)  # stdout stays the report alone


def test_failures_exit_1_with_clean_json_on_stdout(exposed_json: tuple) -> None:
    done, report = exposed_json
    no_traceback(done)
    assert done.returncode == 1
    assert schema_errors(report, REPORT_SCHEMA) == []
    assert _failed(report, "CKV_ACK_5") == ["alicloud_security_group_rule.kubelet_open"]
    # The inline #checkov:skip on readonly_kubelet_open suppresses CKV_ACK_5 there, visibly.
    skipped = [(f["rule_id"], f["resource"], f["suppression"]["kind"]) for f in report["suppressed"]]
    assert skipped == [("CKV_ACK_5", "alicloud_security_group_rule.readonly_kubelet_open", "inline")]
    assert report["suppressed"][0]["suppression"]["source"].endswith("exposed.tf:10")
    # The declared exposure (80/443 from the internet, in .checkov-ack.yaml) is not beyond the profile.
    assert not any("web_in" in r for r in _failed(report, "CKV_ACK_8"))


def _waivers(tmp_path: Path, expires: str) -> Path:
    path = tmp_path / "waivers.yaml"
    path.write_text(
        "- rule: CKV_ACK_5\n"
        "  resource: alicloud_security_group_rule.kubelet_*\n"
        "  reason: debugging access, INFRA-7\n"
        f"  expires: {expires}\n"
    )
    return path


def test_fail_on_and_an_active_waiver(exposed: Path, tmp_path: Path) -> None:
    waivers = _waivers(tmp_path, "2999-12-31")
    out = tmp_path / "report.json"
    done = run(
        "scan",
        str(exposed),
        "--fail-on",
        "high",
        "--waivers",
        str(waivers),
        "--format",
        "json",
        "--output",
        str(out),
    )
    no_traceback(done)
    assert done.stdout == ""
    report = json.loads(out.read_text())
    # The CRITICAL is waived; what is left is MEDIUM, below --fail-on HIGH.
    assert done.returncode == 0, report["summary"]
    assert _failed(report, "CKV_ACK_5") == []
    assert ("CKV_ACK_5", "waiver") in {(f["rule_id"], f["suppression"]["kind"]) for f in report["suppressed"]}
    assert report["summary"]["failures_by_severity"]["MEDIUM"] > 0 and report["summary"]["blocking"] == 0


def test_expired_waiver_is_reported_and_stops_suppressing(exposed: Path, tmp_path: Path) -> None:
    waivers = _waivers(tmp_path, "2020-01-01")
    out = tmp_path / "report.sarif"
    done = run(
        "scan",
        str(exposed),
        "--fail-on",
        "HIGH",
        "--waivers",
        str(waivers),
        "--format",
        "sarif",
        "--output",
        str(out),
    )
    assert done.returncode == 1
    assert f"{waivers}:1: waiver for CKV_ACK_5" in done.stderr and "expired on 2020-01-01" in done.stderr
    sarif = json.loads(out.read_text())
    schema_file = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
    if schema_file.is_file():  # absolute paths become file:// URIs: still valid SARIF
        schema = json.loads(schema_file.read_text(encoding="utf-8"))
        validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
        assert [e.message for e in validator.iter_errors(sarif)] == []
    assert sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"][
        "uri"
    ].startswith("file:///")
    run0 = sarif["runs"][0]
    notes = run0["invocations"][0]["toolExecutionNotifications"]
    assert [n["level"] for n in notes] == ["warning"] and "expired" in notes[0]["message"]["text"]
    kubelet = [r for r in run0["results"] if r["ruleId"] == "CKV_ACK_5" and not r.get("suppressions")]
    assert kubelet and kubelet[0]["level"] == "error"


def test_soft_fail_exits_0_with_the_same_report(exposed: Path, tmp_path: Path) -> None:
    hard, soft = tmp_path / "hard.xml", tmp_path / "soft.xml"
    done_hard = run("scan", str(exposed), "--format", "junit", "--output", str(hard))
    done_soft = run("scan", str(exposed), "--format", "junit", "--output", str(soft), "--soft-fail")
    assert (done_hard.returncode, done_soft.returncode) == (1, 0)
    assert hard.read_text() == soft.read_text()
    assert ET.fromstring(soft.read_text()).findall(".//failure")


def test_input_error_still_reports_the_rest_then_exits_2(tmp_path: Path) -> None:
    root = tmp_path / "module"
    shutil.copytree(MODULE, root)  # includes broken/main.tf (HCL syntax error on line 2)
    done = run("scan", str(root), "--format", "text")
    no_traceback(done)
    assert done.returncode == 2
    assert f"{root / 'broken' / 'main.tf'}:2: HCL syntax error" in done.stdout
    assert "CKV_ACK_5" in done.stdout  # the good module was still scanned
    soft = run("scan", str(root), "--format", "json", "--soft-fail")
    assert soft.returncode == 2  # soft-fail softens findings, never an unread file
    report = json.loads(soft.stdout)
    assert [(e["file"], e["line"]) for e in report["errors"]] == [(str(root / "broken" / "main.tf"), 2)]
    assert f"{root / 'broken' / 'main.tf'}:2:" in soft.stderr


def test_config_file_settings_and_cli_precedence(exposed: Path, tmp_path: Path) -> None:
    config = tmp_path / "strict.yaml"
    config.write_text("profile: recommended\nfail_on: CRITICAL\nformat: json\n")
    done = run("scan", str(exposed), "--config", str(config), "--fail-on", "MEDIUM")
    report = json.loads(done.stdout)  # format: json came from the config file
    assert report["summary"]["fail_on"] == "MEDIUM"  # the command line wins
    assert done.returncode == 1
    # Without the module's declared exposure, the web rules are beyond the profile.
    web = [r for r in _failed(report, "CKV_ACK_8") if "web_in" in r]
    assert len(web) == 2


@pytest.mark.parametrize(
    ("content", "where", "words"),
    [
        ("profile: strict\n", ":1:", "profile must be one of"),
        ("fail_on: LOW\nbogus: 1\n", ":2:", "unknown key"),
        ("exposures:\n  - ingress:tcp:80:0.0.0.0/0\n  - sideways:tcp:80:0.0.0.0/0\n", ":3:", "direction"),
        ("profile: [unclosed\n", ":2:", "invalid YAML"),
    ],
)
def test_bad_config_names_file_and_line(tmp_path: Path, content: str, where: str, words: str) -> None:
    config = tmp_path / ".checkov-ack.yaml"
    config.write_text(content)
    shutil.copy(EXAMPLE / "main.tf", tmp_path / "main.tf")
    done = run("scan", str(tmp_path))  # found in the scanned root
    no_traceback(done)
    assert done.returncode == 2
    assert f"{config}{where}" in done.stderr and words in done.stderr


@pytest.mark.parametrize(
    ("content", "where", "words"),
    [
        ("- rule: CKV_ACK_5\n  resource: '*'\n  reason: x\n", ":1:", "without expires"),
        ("- rule: CKV_ACK_5\n  resource: '*'\n  reason: x\n  expires: 2026-13-45\n", ":1:", "YYYY-MM-DD"),
        (
            "- {rule: CKV_ACK_5, resource: '*', reason: x, expires: 2030-01-01}\n- just a string\n",
            ":2:",
            "mapping",
        ),
    ],
)
def test_bad_waivers_name_file_and_line(tmp_path: Path, content: str, where: str, words: str) -> None:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(content)
    done = run("scan", str(EXAMPLE), "--waivers", str(waivers))
    no_traceback(done)
    assert done.returncode == 2
    assert f"{waivers}{where}" in done.stderr and words in done.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["scan"],
        ["scan", "x", "--format", "yaml"],
        ["scan", "x", "--fail-on", "SEVERE"],
        ["scan", "x", "--exposure", "ingress:tcp:99999:0.0.0.0/0"],
        ["scan", "x", "--vpc-cidr", "10.0.0.0/33"],
        ["scan", "x", "--param", "novalue"],
        ["scan", "x", "--output", "/nonexistent-folder/report.json"],
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_2_without_traceback(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(args) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("checkov-ack: error:") and "Traceback" not in err


def test_soft_fail_does_not_hide_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["scan", str(EXAMPLE), "--soft-fail", "--config", "/nonexistent/config.yaml"]) == 2
    assert "config file not found" in capsys.readouterr().err


def test_missing_path_is_an_input_error(tmp_path: Path) -> None:
    done = run("scan", str(tmp_path / "nope"), "--format", "json")
    assert done.returncode == 2
    assert json.loads(done.stdout)["errors"] == [
        {"file": str(tmp_path / "nope"), "line": None, "message": "no such file or directory"}
    ]


def test_engine_error_exits_2_without_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from checkov_ack.engine import regopy_engine

    broken = tmp_path / "policies" / "ack"
    broken.mkdir(parents=True)
    (broken / "main.rego").write_text(
        'package ack\n\nfindings contains x if { x := net.cidr_expand("10.0.0.0/30") }\n'
    )
    monkeypatch.setattr(regopy_engine, "policies_dir", lambda: tmp_path / "policies")
    assert cli.main(["scan", str(EXAMPLE), "--format", "json", "--soft-fail"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "policy engine" in err and "Traceback" not in err


def test_internal_error_is_a_message(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def boom(*_: object, **__: object) -> None:
        raise KeyError("surprise")

    monkeypatch.setattr(cli, "normalize_paths", boom)
    assert cli.main(["normalize", str(EXAMPLE)]) == 2
    err = capsys.readouterr().err
    assert "internal error: KeyError" in err and "Traceback" not in err


def test_normalize_prints_a_valid_document_with_settings(capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(
        [
            "normalize",
            str(EXAMPLE),
            "--profile",
            "least-privilege",
            "--pod-cidr",
            "172.30.0.0/16",
            "--exposure",
            "ingress:tcp:8080:10.0.0.0/8",
        ]
    )
    out, _ = capsys.readouterr()
    document = json.loads(out)
    assert code == 0 and schema_errors(document) == []
    assert document["settings"]["profile"] == "least-privilege"
    # The config file's exposure and the command line's are both declared.
    assert [(e["port_from"], e["port_to"]) for e in document["settings"]["exposures"]] == [
        (80, 80),
        (443, 443),
        (8080, 8080),
    ]
    assert document["clusters"][0]["pod_cidr"]["cidr"] == "172.30.0.0/16"
    assert document["clusters"][0]["provenance"]["pod_cidr"] == "override"


def test_normalize_with_a_broken_file_prints_the_rest_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["normalize", str(MODULE)]) == 2
    out, err = capsys.readouterr()
    assert json.loads(out)["clusters"]
    assert f"{MODULE / 'broken' / 'main.tf'}:2:" in err


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_rules_lists_the_catalog(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["rules", "--format", fmt]) == 0
    out = capsys.readouterr().out
    catalog = load_catalog()
    for rule in catalog.rules:
        assert rule.id in out and rule.title in out and rule.guide_row.replace("|", "\\|") in out
    if fmt == "json":
        assert [r["id"] for r in json.loads(out)["rules"]] == [r.id for r in catalog.rules]
    if fmt == "markdown":
        assert out == render_markdown(catalog) == (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")


def test_colour_only_on_a_tty(tmp_path: Path) -> None:
    import os
    import pty

    (tmp_path / "empty").mkdir()
    command = [sys.executable, "-m", "checkov_ack", "scan", str(tmp_path / "empty")]
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            command, cwd=ROOT, stdout=follower, stderr=subprocess.PIPE, env=env, timeout=300
        )
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the pty reports EIO once drained
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(leader)
    on_tty = b"".join(chunks).decode()
    assert done.returncode == 0 and "\033[" in on_tty
    assert "note: no Terraform, plan JSON, ROS or API export input found" in done.stderr.decode()
    piped = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env)
    assert piped.returncode == 0 and "\033[" not in piped.stdout and "checkov-ack" in piped.stdout


def test_invalid_document_is_an_internal_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    break_assembled_documents(monkeypatch)
    assert cli.main(["normalize", str(EXAMPLE)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "internal error: the normalized document breaks its schema: /clusters/1" in err
    assert "Traceback" not in err


def test_bundle_subcommand_writes_a_bundle(tmp_path: Path) -> None:
    out = tmp_path / "ack.tar.gz"
    assert cli.main(["bundle", "-o", str(out)]) == 0
    with tarfile.open(out) as tar:
        names = tar.getnames()
    assert "/.manifest" in names or ".manifest" in names
    assert any(n.endswith("ack/main.rego") for n in names)
