"""`checkov-ack checkov-dir` prints a folder Checkov can load our checks from."""

from __future__ import annotations

from pathlib import Path

import pytest

from checkov_ack.cli import main


def test_checkov_dir_prints_the_checks_folder(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["checkov-dir"]) == 0
    folder = Path(capsys.readouterr().out.strip())
    # Checkov imports .py files only from folders with __init__.py, and registers each module under
    # its bare file name in sys.modules: names must not shadow real modules.
    assert (folder / "__init__.py").is_file()
    names = sorted(p.stem for p in folder.glob("*.py") if p.name != "__init__.py")
    assert names == ["ack_ros_checks", "ack_terraform_checks"]
    assert all(not (p.is_dir() and any(p.glob("*.py"))) for p in folder.iterdir() if p.name != "__pycache__")
