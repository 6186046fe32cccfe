"""Hostile file systems: symlink loops and links out of the scanned root.

Links are not followed unless --follow-symlinks; even then nothing outside the root is read and a
loop is walked once.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from checkov_ack.adapters import load_paths
from checkov_ack.adapters.common import AdapterOptions
from helpers import FIXTURES

PLAN = FIXTURES / "scenarios" / "basic-flannel" / "terraform_plan" / "plan.json"
TEMPLATE = FIXTURES / "scenarios" / "basic-flannel" / "ros" / "template.yaml"


def _inputs(paths: list[Path], follow: bool) -> tuple[list[str], list[str]]:
    """(input files read, error texts) for a load of `paths`."""
    load = load_paths(paths, AdapterOptions(follow_symlinks=follow))
    files = sorted(str(i["file"]) for part in load.parts for i in part["inputs"])
    return files, [str(e) for e in load.errors]


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    """root/t.yaml, and outside/plan.json that links from the root point at."""
    root = tmp_path / "root"
    outside = tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    shutil.copy(TEMPLATE, root / "t.yaml")
    shutil.copy(PLAN, outside / "plan.json")
    return root


@pytest.mark.parametrize("follow", [False, True])
def test_file_link_out_of_the_root_is_never_read(tree: Path, follow: bool) -> None:
    (tree / "linked.json").symlink_to(tree.parent / "outside" / "plan.json")
    files, errors = _inputs([tree], follow)
    assert files == [str(tree / "t.yaml")] and errors == []


@pytest.mark.parametrize("follow", [False, True])
def test_folder_link_out_of_the_root_is_never_walked(tree: Path, follow: bool) -> None:
    (tree / "elsewhere").symlink_to(tree.parent / "outside", target_is_directory=True)
    files, errors = _inputs([tree], follow)
    assert files == [str(tree / "t.yaml")] and errors == []


@pytest.mark.parametrize("follow", [False, True])
def test_link_loops_are_walked_once(tree: Path, follow: bool) -> None:
    (tree / "loop").symlink_to(".", target_is_directory=True)
    sub = tree / "sub"
    sub.mkdir()
    (sub / "up").symlink_to("..", target_is_directory=True)
    (tree / "a").symlink_to("b")  # a two-link cycle: a -> b -> a
    (tree / "b").symlink_to("a")
    files, errors = _inputs([tree], follow)
    assert files == [str(tree / "t.yaml")]
    # The a/b cycle is a dangling pair: not followed at all, or one clean error per link.
    assert all("cannot read" in e for e in errors), errors


def test_link_inside_the_root_is_followed_when_asked(tree: Path) -> None:
    sub = tree / "real"
    sub.mkdir()
    shutil.copy(PLAN, sub / "plan.json")
    (tree / "alias.json").symlink_to(sub / "plan.json")
    (tree / "alias-dir").symlink_to(sub, target_is_directory=True)
    assert _inputs([tree], False)[0] == sorted([str(tree / "t.yaml"), str(sub / "plan.json")])
    followed, errors = _inputs([tree], True)
    assert str(tree / "alias.json") in followed and errors == []


def test_linked_tf_file_beside_a_real_one_is_not_read(tmp_path: Path) -> None:
    root = tmp_path / "root"
    outside = tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    shutil.copy(FIXTURES / "scenarios" / "basic-flannel" / "terraform_hcl" / "main.tf", outside / "main.tf")
    (root / "real.tf").write_text('variable "x" {}\n', encoding="utf-8")
    (root / "linked.tf").symlink_to(outside / "main.tf")
    load = load_paths([root], AdapterOptions())
    assert not load.errors
    assert all(not part["clusters"] and not part["security_groups"] for part in load.parts), load.parts
