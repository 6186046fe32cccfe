"""Find the real OPA tools (opa, regal, conftest) for the `opa`-marked gates.

Looked up on PATH, then in .ci/tools/bin (what `.ci/install-tools.sh` builds), then /root/gobin.
When a tool is absent: in CI (env CI set) the test fails, naming the tool; on a developer machine it
is skipped with the command that installs it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest

from helpers import ROOT

INSTALL_HINT = "bash .ci/install-tools.sh && export PATH=\"$PWD/.ci/tools/bin:$PATH\""
SEARCH_DIRS = (ROOT / ".ci" / "tools" / "bin", Path("/root/gobin"))
TOOLS = ("opa", "regal", "conftest")


@cache
def find_tool(name: str) -> str | None:
    """Absolute path of the tool, or None."""
    found = shutil.which(name)
    if found:
        return found
    for folder in SEARCH_DIRS:
        candidate = folder / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None


def in_ci() -> bool:
    return bool(os.environ.get("CI"))


def require(name: str) -> str:
    """The tool's path; fails the test in CI, skips it elsewhere, when the tool is missing."""
    if name not in TOOLS:
        raise ValueError(f"unknown tool {name!r}")
    path = find_tool(name)
    if path is not None:
        return path
    message = f"{name} not found on PATH or in .ci/tools/bin; install the pinned tools with: {INSTALL_HINT}"
    if in_ci():
        pytest.fail(f"CI: required tool missing: {message}", pytrace=False)
    pytest.skip(message)


def run(args: list[str], *, input_text: str | None = None, timeout: float = 600,
        cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run a tool command from the repository root (paths in messages stay relative)."""
    return subprocess.run(args, input=input_text, capture_output=True, text=True, timeout=timeout,
                          cwd=cwd, check=False)


def tool_version(name: str) -> str:
    path = require(name)
    flag = "--version" if name == "conftest" else "version"
    out = run([path, flag], timeout=60)
    return (out.stdout or out.stderr).strip()
