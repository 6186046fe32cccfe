"""tests/precommit: real pre-commit against a snapshot of this repository.

pre-commit installs a `language: python` hook by cloning the hook repository at a commit and running
`pip install .` in a fresh virtualenv (hatchling, then checkov-ack's dependencies, checkov among
them). That is minutes per environment, so:

- the hook repository is one commit of the working tree (tracked and untracked-but-not-ignored
  files), made once per session: the tests judge the code as it is on disk, like every other test;
- the user repositories name it in `.pre-commit-config.yaml` (`repo: <path>`, `rev: <sha>`), exactly
  as users add the hooks by URL, and share one PRE_COMMIT_HOME, so that hook environment is built
  once per session (`pre-commit try-repo` always builds in a fresh temporary store: one test);
- the dependencies come from a wheelhouse downloaded once (`pip download`, kept across sessions in
  ~/.cache/checkov-ack/precommit-wheelhouse or $CHECKOV_ACK_WHEELHOUSE), and every install is
  offline from it (PIP_NO_INDEX): no pip cache works on the build machines, and an online build
  took 5-6 min against 4 min offline (2 cores, heavily loaded; about 30 s of CPU either way).

Without the package index (and no filled wheelhouse), git or pre-commit, the tests skip with a
message outside CI and fail in CI (env CI set).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from precommit_support import GIT_ENV, UserRepo, git, snapshot_working_tree, unavailable  # noqa: E402


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """(path, commit) of a git repository holding this working tree."""
    if shutil.which("git") is None:
        unavailable("git is not on PATH")
    repo = tmp_path_factory.mktemp("hook-repo")
    return repo, snapshot_working_tree(repo)


def _wheelhouse_dir() -> Path:
    configured = os.environ.get("CHECKOV_ACK_WHEELHOUSE")
    if configured:
        return Path(configured)
    return Path.home() / ".cache" / "checkov-ack" / "precommit-wheelhouse"


def _pip_download(folder: Path, args: list[str], offline: bool) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pip", "download", "--progress-bar", "off", "--find-links", str(folder),
         "-d", str(folder), *(["--no-index"] if offline else []), *args],
        capture_output=True, text=True, check=False, timeout=1800,
    )


@pytest.fixture(scope="session")
def wheelhouse(hook_repo: tuple[Path, str]) -> Path:
    """Wheels of every dependency of the hook repository and of its build backend."""
    folder = _wheelhouse_dir()
    folder.mkdir(parents=True, exist_ok=True)
    # Two resolutions: one pip resolve of both sends pip backtracking through old hatchling releases.
    for args in ([str(hook_repo[0])], ["hatchling>=1.21"]):
        # A wheelhouse that already satisfies the requirements needs no index (seconds, not minutes).
        if _pip_download(folder, args, offline=True).returncode == 0:
            continue
        out = _pip_download(folder, args, offline=False)
        if out.returncode != 0:
            unavailable(f"cannot download the hook's dependencies into {folder} "
                        f"(pip download {' '.join(args)}): {out.stderr.strip()[-800:]}")
    return folder


@pytest.fixture(scope="session")
def precommit_env(tmp_path_factory: pytest.TempPathFactory, wheelhouse: Path) -> dict[str, str]:
    if shutil.which("pre-commit") is None:
        unavailable("pre-commit is not on PATH (pip install -e '.[test]')")
    home = tmp_path_factory.mktemp("pre-commit-home")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRE_COMMIT", "PIP_"))}
    env.update(GIT_ENV)
    env.update({
        "PRE_COMMIT_HOME": str(home),
        "PRE_COMMIT_COLOR": "never",
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(wheelhouse),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "NO_COLOR": "1",
    })
    return env


@pytest.fixture
def user_repo(tmp_path: Path, precommit_env: dict[str, str]) -> Iterator[UserRepo]:
    path = tmp_path / "user-repo"
    path.mkdir()
    git(path, "init", "-q", "-b", "main")
    yield UserRepo(path, precommit_env)
