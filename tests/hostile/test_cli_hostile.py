"""The CLI on hostile input: a report or a clean error naming the file, exit 0, 1 or 2; never a
traceback. In-process through checkov_ack.cli.main for many inputs, in a real subprocess for a few.
A file the scan cannot read is reported in every output format and makes the exit code non-zero.
"""

from __future__ import annotations

import json
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hostile.documents import examples
from hostile.inputs import data_files
from hostile.limits import TRACEBACK, assert_clean, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checkov_ack.cli import main
from helpers import FIXTURES

FORMATS = ("text", "json", "sarif", "junit")
BROKEN = {
    "truncated.json": b'{"SecurityGroupId": "sg-bp1broken", "Permissions": {"Permission": [',
    "binary.yaml": b"\x00\x01ROSTemplateFormatVersion\x00",
    "latin1.json": b'{"SecurityGroupId": "caf\xe9"}',
}
# A lone SG export: the scan has something to report besides the errors, and evaluates one unit.
GOOD = FIXTURES / "adapters" / "api_export" / "list_only"


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture()
def broken_tree(tmp_path: Path) -> Path:
    for name, data in BROKEN.items():
        (tmp_path / name).write_bytes(data)
    return tmp_path


def _named_in(fmt: str, report: str, files: list[str]) -> list[str]:
    """The broken files the report does not name, read the way a consumer of fmt would."""
    if fmt == "json":
        text = json.dumps([e["file"] for e in json.loads(report)["errors"]])
    elif fmt == "sarif":
        text = json.dumps(json.loads(report)["runs"])
    elif fmt == "junit":
        text = " ".join(ET.tostring(e, encoding="unicode") for e in ET.fromstring(report).iter())
    else:
        text = report
    return [f for f in files if f not in text]


@pytest.mark.parametrize("fmt", FORMATS)
def test_unreadable_files_are_in_every_format_and_exit_2(
    broken_tree: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = broken_tree.parent / f"report.{fmt}"
    argv = ["scan", str(broken_tree), str(GOOD), "--format", fmt, "--output", str(out_file)]
    code, _, err = _run(argv, capsys)
    assert code == 2, err
    assert TRACEBACK not in err
    files = [str(broken_tree / n) for n in BROKEN]
    assert _named_in(fmt, out_file.read_text(encoding="utf-8"), files) == []
    # ...and for the person at the terminal.
    assert all(f in err for f in files), err


@pytest.mark.parametrize("fmt", FORMATS)
def test_unreadable_file_alone_still_exits_2(
    tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "truncated.json"
    path.write_bytes(BROKEN["truncated.json"])
    code, out, err = _run(["scan", str(path), "--format", fmt], capsys)
    assert code == 2 and _named_in(fmt, out, [str(path)]) == [], (code, out, err)


SOURCES = data_files()


@settings(max_examples=examples(300), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(source=st.sampled_from(SOURCES), where=st.floats(0, 1), junk=st.binary(max_size=16),
       named=st.booleans())
def test_normalize_of_damaged_inputs_is_a_document_or_a_clean_error(
    source: Path, where: float, junk: bytes, named: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    data = source.read_bytes()
    at = int(where * len(data))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / source.name
        path.write_bytes(data[:at] + junk + data[at + len(junk):])
        code, out, err = _run(["normalize", str(path) if named else tmp], capsys)
    assert code in (0, 2), err
    assert TRACEBACK not in err and "internal error" not in err, err
    document = json.loads(out)
    if code == 2:
        assert str(path) in err, err
    else:
        assert err == "" and document["schema_version"]


@settings(max_examples=examples(8), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(source=st.sampled_from(SOURCES), where=st.floats(0, 1), junk=st.binary(min_size=1, max_size=8),
       fmt=st.sampled_from(FORMATS))
def test_scan_of_damaged_inputs_is_a_report_or_a_clean_error(
    source: Path, where: float, junk: bytes, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    data = source.read_bytes()
    at = int(where * len(data))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / source.name
        path.write_bytes(data[:at] + junk + data[at + len(junk):])
        code, out, err = _run(["scan", str(path), "--format", fmt], capsys)
    assert code in (0, 1, 2), err
    assert TRACEBACK not in err and "internal error" not in err, err
    assert out, "no report"
    if code == 2:
        assert str(path) in out or str(path) in err


def test_subprocess_scan_of_arbitrary_bytes_has_no_traceback(tmp_path: Path) -> None:
    junk = [bytes(range(256)), b"\xff" * 100, b"{" * 5000,
            b"Resources:\n  - !!python/object/apply:os.system [id]\n"]
    for i, data in enumerate(junk):
        (tmp_path / f"junk{i}.json").write_bytes(data)
        (tmp_path / f"junk{i}.yaml").write_bytes(b'ROSTemplateFormatVersion: "2015-09-01"\n' + data)
        (tmp_path / f"tf{i}").mkdir()
        (tmp_path / f"tf{i}" / "main.tf").write_bytes(data)
    outcome = run_cli(["scan", str(tmp_path), "--format", "sarif"], seconds=120)
    assert_clean(outcome, (2,))
    assert json.loads(outcome.stdout)["runs"]
    assert f"{tmp_path / 'junk0.json'}" in outcome.stderr
