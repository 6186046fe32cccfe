"""Bounded resources on hostile files: each loads in a child under a memory cap and a timeout, and
ends as a clean error naming the file (or a report), never a crash, a hang or an explosion."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hostile.limits import assert_clean, run_cli, run_load

from checkov_ack.adapters.common import MAX_FILE_BYTES

ROS_HEAD = 'ROSTemplateFormatVersion: "2015-09-01"\n'
DEEP = 100_000
NEST = "[" * DEEP + "]" * DEEP


def _alias_bomb() -> str:
    lines = [ROS_HEAD, 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n']
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]\n")
    lines.append("Resources:\n  Sg:\n    Type: ALIYUN::ECS::SecurityGroup\n    Properties:\n")
    lines.append("      SecurityGroupName: *a9\n")
    return "".join(lines)


def _deep_block_yaml() -> str:
    # Block style nests by indentation: each level is a new mapping under the previous key.
    levels = "".join(" " * (i + 2) + f"k{i}:\n" for i in range(3000))
    return ROS_HEAD + "Resources:\n" + levels + " " * 3002 + "x\n"


def _plan_head() -> str:
    return '{"format_version": "1.2", "terraform_version": "1.8.4", "resource_changes": '


# name -> file text; every one of them must be refused (an error naming the file).
REFUSED: dict[str, str] = {
    "bomb.yaml": _alias_bomb(),
    "deep-flow.yaml": ROS_HEAD + "Resources: " + "[" * DEEP + "]" * DEEP + "\n",
    "deep-block.yaml": _deep_block_yaml(),
    "deep-template.json": '{"ROSTemplateFormatVersion": "2015-09-01", "Resources": ' + NEST + "}",
    "deep-plan.json": _plan_head() + NEST + "}",
    "deep-export.json": '{"SecurityGroupId": "sg-1", "Permissions": '
    + '{"a":' * DEEP + "1" + "}" * DEEP + "}",
    "deep/main.tf": "locals {\n  x = " + "[" * 20_000 + "]" * 20_000 + "\n}\n",
    "deep-parens/main.tf": "locals {\n  x = " + "(" * 20_000 + "1" + ")" * 20_000 + "\n}\n",
    "deep-interp/main.tf": 'locals {\n  x = "' + "${" * 20_000 + "1" + "}" * 20_000 + '"\n}\n',
}


# Deep but legal: a document or an error, within the same bounds.
TOLERATED: dict[str, str] = {
    "deep-blocks/main.tf": 'resource "alicloud_security_group" "s" {\n'
    + 'dynamic "d" {\n' * 5000 + "}\n" * 5001,
    "chain/main.tf": "locals {\n" + "".join(f"  l{i} = local.l{i + 1}\n" for i in range(3000))
    + "  l3000 = 1\n}\n",
}


def _write(root: Path, name: str, text: str | bytes) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_hostile_text_is_refused_within_bounds(tmp_path: Path, name: str) -> None:
    path = _write(tmp_path, name, REFUSED[name])
    target = path.parent if name.endswith(".tf") else path
    result = run_load([target])
    assert result["errors"], f"{name} was read without complaint: {result}"
    assert all(str(tmp_path) in e for e in result["errors"]), result["errors"]
    assert result["problems"] == []


@pytest.mark.parametrize("name", sorted(TOLERATED))
def test_deep_but_legal_text_loads_within_bounds(tmp_path: Path, name: str) -> None:
    path = _write(tmp_path, name, TOLERATED[name])
    result = run_load([path.parent])
    assert result["problems"] == []
    assert all(str(tmp_path) in e for e in result["errors"]), result["errors"]


def test_binary_and_non_utf8_files_are_errors_naming_them(tmp_path: Path) -> None:
    files = {
        "binary.json": bytes(range(256)) * 64,
        "latin1.yaml": (ROS_HEAD + "Description: caf\xe9\nResources: {}\n").encode("latin-1"),
        "utf16.json": json.dumps({"SecurityGroupId": "sg-1"}).encode("utf-16"),
        "tf/main.tf": b'resource "alicloud_security_group" "s" {\n  name = "\xff\xfe"\n}\n',
    }
    for name, data in files.items():
        _write(tmp_path, name, data)
    paths = [tmp_path / "binary.json", tmp_path / "latin1.yaml", tmp_path / "utf16.json", tmp_path / "tf"]
    result = run_load(paths)
    for name in files:
        shown = str(tmp_path / name)
        assert any(e.startswith(shown) for e in result["errors"]), (name, result["errors"])
    latin1 = f"{tmp_path / 'latin1.yaml'}:2"
    assert any("not valid UTF-8" in e and e.startswith(latin1) for e in result["errors"])


@pytest.mark.parametrize("name", ["huge.json", "huge.yaml", "huge/main.tf"])
def test_file_of_hundreds_of_megabytes_is_refused_unread(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        handle.write(b'{"SecurityGroupId": "sg-1", "x": "')
        handle.truncate(400 * 1024 * 1024)  # sparse: no disk, no time
    # 256 MiB of address space cannot hold the file: it must be refused before it is read.
    result = run_load([path.parent if name.endswith(".tf") else path], memory=256 * 2**20, seconds=30)
    assert any(e.startswith(str(path)) and "limit" in e for e in result["errors"]), result


def test_huge_arrays_load_within_bounds(tmp_path: Path) -> None:
    perm = {"Direction": "ingress", "IpProtocol": "TCP", "PortRange": "1/2", "SourceCidrIp": "10.0.0.0/8",
            "Policy": "Accept", "Priority": 1}
    export = {"SecurityGroupId": "sg-huge", "VpcId": "vpc-1", "Permissions": {"Permission": [perm] * 20_000}}
    plan = json.loads(_plan_head() + "[]}")
    plan["resource_changes"] = [
        {"address": f"null_resource.n[{i}]", "mode": "managed", "type": "null_resource", "name": "n",
         "change": {"actions": ["create"], "after": {}}}
        for i in range(20_000)
    ]
    text = json.dumps(export)
    assert len(text) < MAX_FILE_BYTES
    _write(tmp_path, "export.json", text)
    _write(tmp_path, "plan.json", json.dumps(plan))
    result = run_load([tmp_path / "export.json", tmp_path / "plan.json"], seconds=120)
    assert result["problems"] == []
    assert str(tmp_path / "export.json") in result["inputs"] or result["errors"], result


def test_scan_of_a_folder_of_hostile_files_reports_each_and_exits_2(tmp_path: Path) -> None:
    root = tmp_path / "root"
    for name, text in REFUSED.items():
        _write(root, name, text)
    _write(root, "binary.json", bytes(range(256)) * 64)
    with (root / "huge.json").open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    outcome = run_cli(["scan", str(root), "--format", "json"], seconds=120)
    assert_clean(outcome, (2,))
    report = json.loads(outcome.stdout)
    named = {e["file"] for e in report["errors"]}
    expected = {str(root / n) for n in REFUSED if not n.endswith(".tf")}
    expected |= {str(root / "binary.json"), str(root / "huge.json")}
    assert expected <= named, expected - named
    assert os.path.getsize(root / "huge.json") > MAX_FILE_BYTES
