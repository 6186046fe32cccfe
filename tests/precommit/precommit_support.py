"""Helpers of the pre-commit tests (conftest.py holds the fixtures and explains the set-up)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from helpers import ROOT

# Fixed identity and dates: the snapshot commit is reproducible and never needs the user's git setup.
GIT_ENV = {
    "GIT_AUTHOR_NAME": "checkov-ack tests",
    "GIT_AUTHOR_EMAIL": "tests@example.invalid",
    "GIT_COMMITTER_NAME": "checkov-ack tests",
    "GIT_COMMITTER_EMAIL": "tests@example.invalid",
    "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z",
    "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def unavailable(message: str) -> None:
    """A prerequisite is missing: fail in CI (env CI set), skip with the message elsewhere."""
    if os.environ.get("CI"):
        pytest.fail(f"CI: {message}", pytrace=False)
    pytest.skip(message)


def git(cwd: Path, *args: str) -> str:
    out = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False,
                         env={**os.environ, **GIT_ENV}, timeout=120)
    if out.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed in {cwd}: {out.stderr}")
    return out.stdout


def commit_all(repo: Path) -> str:
    if not (repo / ".git").exists():
        git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", "snapshot")
    return git(repo, "rev-parse", "HEAD").strip()


def snapshot_working_tree(target: Path) -> str:
    """Copy the tracked and untracked-but-not-ignored files of ROOT into `target`, commit them there;
    returns the commit."""
    listed = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for name in (p for p in listed.split("\0") if p):
        source = ROOT / name
        # Other developers may delete files while we copy; a vanished file is simply not in the snapshot.
        if source.is_file() and not source.is_symlink():
            dest = target / name
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest)
    return commit_all(target)


class UserRepo:
    """A throwaway repository of a checkov-ack user."""

    def __init__(self, path: Path, env: dict[str, str]) -> None:
        self.path = path
        self.env = env

    def write(self, files: dict[str, str | Path]) -> None:
        for name, content in files.items():
            target = self.path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, Path):
                shutil.copyfile(content, target)
            else:
                target.write_text(content, encoding="utf-8")

    def commit(self) -> str:
        return commit_all(self.path)

    def run(self, *args: str, timeout: float = 1800) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["pre-commit", *args], cwd=self.path, env=self.env, capture_output=True,
                              text=True, check=False, timeout=timeout)


def hooks_config(repo: Path, rev: str, hooks: list[dict[str, object]]) -> str:
    """A .pre-commit-config.yaml that adds the hooks by repository URL, as users do."""
    return yaml.safe_dump({"repos": [{"repo": str(repo), "rev": rev, "hooks": hooks}]}, sort_keys=False)
