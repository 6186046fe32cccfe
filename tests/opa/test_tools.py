"""The tool finder and the install script (no Go build here: see .ci/install-tools.sh)."""

from __future__ import annotations

import re
import subprocess

import pytest
import tools

from helpers import ROOT

SCRIPT = ROOT / ".ci" / "install-tools.sh"


def test_install_script_is_valid_bash_and_pins_versions() -> None:
    assert subprocess.run(["bash", "-n", str(SCRIPT)], check=False).returncode == 0
    text = SCRIPT.read_text(encoding="utf-8")
    assert text.startswith("#!/usr/bin/env bash") and "set -euo pipefail" in text
    for name in ("OPA_VERSION", "CONFTEST_VERSION", "REGAL_VERSION"):
        assert re.search(rf"^{name}=v\d+\.\d+\.\d+\b", text, re.MULTILINE), f"{name} is not pinned"


def test_tools_dir_is_gitignored() -> None:
    out = subprocess.run(["git", "check-ignore", "-q", ".ci/tools/bin/opa"], cwd=ROOT, check=False)
    assert out.returncode == 0


def _missing(monkeypatch: pytest.MonkeyPatch) -> None:
    tools.find_tool.cache_clear()
    monkeypatch.setattr(tools.shutil, "which", lambda name: None)
    monkeypatch.setattr(tools, "SEARCH_DIRS", ())


def test_missing_tool_skips_with_install_hint_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    _missing(monkeypatch)
    monkeypatch.delenv("CI", raising=False)
    try:
        with pytest.raises(pytest.skip.Exception, match="install-tools.sh"):
            tools.require("opa")
    finally:
        tools.find_tool.cache_clear()


def test_missing_tool_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    _missing(monkeypatch)
    monkeypatch.setenv("CI", "true")
    try:
        with pytest.raises(pytest.fail.Exception, match="required tool missing: conftest"):
            tools.require("conftest")
    finally:
        tools.find_tool.cache_clear()


@pytest.mark.opa
def test_pinned_versions_are_the_ones_found() -> None:
    """The tools the gates run are the pinned ones (when they come from .ci/tools/bin)."""
    text = SCRIPT.read_text(encoding="utf-8")
    opa_pin = re.search(r"^OPA_VERSION=v(\S+)", text, re.MULTILINE)
    assert opa_pin
    path = tools.require("opa")
    if not path.startswith(str(ROOT / ".ci" / "tools" / "bin")):
        pytest.skip(f"opa comes from {path}, not from .ci/tools/bin")
    assert f"Version: {opa_pin.group(1)}" in tools.tool_version("opa")
