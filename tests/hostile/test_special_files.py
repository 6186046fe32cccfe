"""Files that are not regular files (FIFOs, devices) are clean errors naming the file, never a hang."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hostile.limits import assert_clean, run_cli


def test_fifo_in_the_tree_is_an_error_not_a_hang(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.json")
    os.mkfifo(tmp_path / "pipe.tf")
    outcome = run_cli(["normalize", str(tmp_path)], seconds=60)
    assert_clean(outcome, (2,))
    assert f"{tmp_path / 'pipe.json'}: not a regular file" in outcome.stderr
    assert f"{tmp_path / 'pipe.tf'}: not a regular file" in outcome.stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_device_named_as_an_input_is_an_error(tmp_path: Path) -> None:
    zero = tmp_path / "zero.json"
    zero.symlink_to("/dev/zero")
    outcome = run_cli(["scan", str(zero), "--format", "json"], seconds=60)
    assert_clean(outcome, (2,))
    assert f"{zero}: not a regular file" in outcome.stderr
