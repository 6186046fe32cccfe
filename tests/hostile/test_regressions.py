"""Replay every input in fixtures/regressions/: found once by fuzzing or a property test, each must
keep loading as a valid part or a clean InputError (and whatever expect.json adds)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from checkov_ack.adapters import KINDS, load_paths
from checkov_ack.adapters.common import AdapterOptions
from checkov_ack.model.assemble import assemble
from checkov_ack.model.schema import schema_errors
from checkov_ack.model.settings import Settings
from helpers import FIXTURES

REGRESSIONS = FIXTURES / "regressions"
EXPECT: dict[str, dict[str, str]] = json.loads((REGRESSIONS / "expect.json").read_text(encoding="utf-8"))
CASES = sorted(str(p.relative_to(REGRESSIONS)) for k in KINDS if (REGRESSIONS / k).is_dir()
               for p in (REGRESSIONS / k).iterdir() if p.is_file())


def test_every_regression_input_is_listed() -> None:
    assert CASES and sorted(EXPECT) == CASES


@pytest.mark.parametrize("case", CASES)
def test_regression_input_loads_as_its_kind_or_fails_cleanly(case: str, tmp_path: Path) -> None:
    kind = case.split("/", 1)[0]
    source = REGRESSIONS / case
    target = tmp_path / source.name
    shutil.copy(source, target)
    # A .tf input is read through its folder, like the CLI does.
    load = load_paths([tmp_path if kind == "terraform_hcl" else target], AdapterOptions(), kind)
    assert all(e.file.startswith(str(tmp_path)) for e in load.errors), load.errors
    assert schema_errors(assemble(load.parts, Settings())) == []


@pytest.mark.parametrize("case", [c for c in CASES if EXPECT[c].get("in_a_folder") == "error"])
def test_regression_input_in_a_folder_is_an_error(case: str, tmp_path: Path) -> None:
    shutil.copy(REGRESSIONS / case, tmp_path / Path(case).name)
    load = load_paths([tmp_path], AdapterOptions())
    assert [e.file for e in load.errors] == [str(tmp_path / Path(case).name)], (load.errors, load.skipped)
    assert load.skipped == []
