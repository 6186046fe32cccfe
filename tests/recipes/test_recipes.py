"""docs/recipes: every command a recipe runs is run here, word for word, where the tool exists.

CI YAML cannot run here as a whole: it is parsed, its run:/script: commands must be exactly the
commands these tests execute, and the wiring around them (report path, `always`) is checked.
Shell recipes are executed as they are, with `checkov-ack` on PATH and the real opa, conftest,
terraform and checkov. A missing opa or conftest skips with a message outside CI and fails in CI
(env CI set); terraform is not part of the CI tools, so without it the plan recipe skips.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml

from helpers import FIXTURES, ROOT

RECIPES = ROOT / "docs" / "recipes"
EXAMPLE = ROOT / "examples" / "terraform" / "basic-flannel"
KUBELET_OPEN = FIXTURES / "rules" / "CKV_ACK_5" / "positive-kubelet-open"
TOOL_DIRS = (ROOT / ".ci" / "tools" / "bin", Path("/root/gobin"))

INSTALL = 'pip install "checkov-ack @ git+https://github.com/your-org/checkov-ack@v0.1.0"'
GITHUB_SCAN = "checkov-ack scan infra/ --format sarif --output checkov-ack.sarif --fail-on HIGH"
GITLAB_SCAN = "checkov-ack scan infra/ --format junit --output checkov-ack.xml --fail-on HIGH"
PLAN_COMMANDS = [
    'cd "${TF_DIR:-infra}"',
    "terraform init -input=false",
    "terraform plan -input=false -out=tfplan",
    "terraform show -json tfplan > plan.json",
    "checkov-ack scan plan.json --fail-on HIGH",
]


def find_tool(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for folder in TOOL_DIRS:
        if (folder / name).is_file() and os.access(folder / name, os.X_OK):
            return str(folder / name)
    return None


def require_tool(name: str, mandatory_in_ci: bool = True) -> str:
    path = find_tool(name)
    if path is None:
        message = f"{name} not found on PATH, in .ci/tools/bin or /root/gobin (bash .ci/install-tools.sh)"
        if mandatory_in_ci and os.environ.get("CI"):
            pytest.fail(f"CI: required tool missing: {message}", pytrace=False)
        pytest.skip(message)
    return path


class Workspace:
    """A user's checkout: `infra/` holds the inputs; `checkov-ack` and the tools are on PATH."""

    def __init__(self, root: Path) -> None:
        self.root = root
        bin_dir = root / ".bin"
        bin_dir.mkdir()
        # This tree's entry point under the console script's name: the code under test, not an install.
        shim = bin_dir / "checkov-ack"
        shim.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m checkov_ack "$@"\n',
                        encoding="utf-8")
        shim.chmod(0o755)
        python = bin_dir / "python"
        python.symlink_to(sys.executable)
        tool_path = [str(d) for d in TOOL_DIRS if d.is_dir()]
        self.env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1",
                    "PATH": os.pathsep.join([str(bin_dir), os.environ.get("PATH", ""), *tool_path])}

    def infra(self, files: dict[str, Path | str], folder: str = "infra") -> Path:
        target = self.root / folder
        if target.exists():
            shutil.rmtree(target)
        for name, content in files.items():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, Path):
                shutil.copyfile(content, target / name)
            else:
                (target / name).write_text(content, encoding="utf-8")
        return target

    def sh(self, command: str, **env: str) -> subprocess.CompletedProcess[str]:
        # GitHub runs `run:` with `bash -e`; GitLab runs each script line in a shell the same way.
        return subprocess.run(["bash", "-e", "-c", command], cwd=self.root, env={**self.env, **env},
                              capture_output=True, text=True, check=False, timeout=900)

    def script(self, recipe: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["bash", str(RECIPES / recipe)], cwd=self.root, env={**self.env, **env},
                              capture_output=True, text=True, check=False, timeout=1800)


GUIDE = {"main.tf": EXAMPLE / "main.tf", "variables.tf": EXAMPLE / "variables.tf",
         ".checkov-ack.yaml": EXAMPLE / ".checkov-ack.yaml"}
EXPOSED = {"main.tf": KUBELET_OPEN / "terraform_hcl" / "main.tf"}


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path)


def load_recipe(name: str) -> Any:
    return yaml.safe_load((RECIPES / name).read_text(encoding="utf-8"))


def script_commands(name: str) -> list[str]:
    lines = (RECIPES / name).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.lstrip().startswith("#")
            and not line.startswith("set -")]


def output_option(command: str) -> str:
    words = shlex.split(command)
    return words[words.index("--output") + 1]


# --------------------------------------------------------------------------- GitHub Actions


def test_github_actions_recipe_wiring() -> None:
    workflow = load_recipe("github-actions.yml")
    assert workflow["permissions"]["security-events"] == "write"
    steps = workflow["jobs"]["checkov-ack"]["steps"]
    assert [s["run"] for s in steps if "run" in s] == [INSTALL, GITHUB_SCAN]
    upload = next(s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@"))
    assert upload["with"]["sarif_file"] == output_option(GITHUB_SCAN)
    assert "always()" in upload["if"]  # findings (exit 1) must still reach code scanning
    assert steps.index(upload) > next(i for i, s in enumerate(steps) if s.get("run") == GITHUB_SCAN)


def test_github_actions_scan_command(ws: Workspace) -> None:
    ws.infra(EXPOSED)
    out = ws.sh(GITHUB_SCAN)
    assert out.returncode == 1, out.stderr
    sarif = json.loads((ws.root / "checkov-ack.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    results = sarif["runs"][0]["results"]
    assert any(r["ruleId"] == "CKV_ACK_5" and r["level"] == "error" for r in results), results
    ws.infra(GUIDE)
    assert ws.sh(GITHUB_SCAN).returncode == 0


# --------------------------------------------------------------------------- GitLab CI


def test_gitlab_recipe_wiring() -> None:
    job = load_recipe("gitlab-ci.yml")["checkov-ack"]
    assert job["before_script"] == [INSTALL]
    assert job["script"] == [GITLAB_SCAN]
    assert job["artifacts"]["when"] == "always"
    assert job["artifacts"]["reports"]["junit"] == output_option(GITLAB_SCAN)


def test_gitlab_scan_command(ws: Workspace) -> None:
    ws.infra(EXPOSED)
    out = ws.sh(GITLAB_SCAN)
    assert out.returncode == 1, out.stderr
    tree = ET.parse(ws.root / "checkov-ack.xml")
    failed = [case for case in tree.iter("testcase") if case.find("failure") is not None]
    assert any("CKV_ACK_5" in (case.get("name", "") + case.get("classname", "")) for case in failed), \
        ET.tostring(tree.getroot())[:2000]
    ws.infra(GUIDE)
    assert ws.sh(GITLAB_SCAN).returncode == 0


# --------------------------------------------------------------------------- pre-commit


def test_pre_commit_recipe_uses_the_published_hooks() -> None:
    from pre_commit.clientlib import load_config, load_manifest

    config = load_config(str(RECIPES / "pre-commit-config.yaml"))
    ids = {h["id"] for h in load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))}
    used = config["repos"][0]["hooks"]
    assert {h["id"] for h in used} <= ids
    assert any(h.get("args") == ["--fail-on", "HIGH"] for h in used)


# --------------------------------------------------------------------------- terraform plan


def test_terraform_plan_recipe_commands() -> None:
    assert script_commands("terraform-plan.sh") == PLAN_COMMANDS


def test_terraform_plan_recipe_end_to_end(ws: Workspace) -> None:
    """The whole script with the real terraform on a module that needs no provider download (no
    registry here): a real `terraform show -json` plan must be read as a plan (exit 0, not an input
    error). The Alibaba part of the judgement is the scan line on a fixture plan."""
    require_tool("terraform", mandatory_in_ci=False)
    ws.infra({"main.tf": 'resource "terraform_data" "marker" {\n  input = "checkov-ack"\n}\n'})
    out = ws.script("terraform-plan.sh", TF_DIR="infra", TF_IN_AUTOMATION="1", CHECKPOINT_DISABLE="1")
    assert out.returncode == 0, out.stdout + out.stderr
    plan = json.loads((ws.root / "infra" / "plan.json").read_text(encoding="utf-8"))
    assert plan["format_version"] and plan["resource_changes"][0]["type"] == "terraform_data"


def test_terraform_plan_scan_line_on_a_plan(ws: Workspace) -> None:
    ws.infra({"plan.json": KUBELET_OPEN / "terraform_plan" / "plan.json"})
    out = ws.sh(" && ".join(PLAN_COMMANDS[i] for i in (0, 4)), TF_DIR="infra")
    assert out.returncode == 1, out.stderr
    assert "CKV_ACK_5" in out.stdout


# --------------------------------------------------------------------------- opa eval, conftest


def test_opa_recipe(ws: Workspace) -> None:
    require_tool("opa")
    assert script_commands("opa.sh")[-1].startswith("opa eval --fail-defined")
    ws.infra(EXPOSED)
    out = ws.script("opa.sh")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "CKV_ACK_5" in out.stdout and "CKV_ACK_8" in out.stdout
    ws.infra(GUIDE)
    out = ws.script("opa.sh")
    assert out.returncode == 0, out.stdout + out.stderr


def test_conftest_recipe(ws: Workspace) -> None:
    require_tool("conftest")
    ws.infra(EXPOSED)
    out = ws.script("conftest.sh")
    assert out.returncode == 1, out.stdout + out.stderr
    fails = [line for line in out.stdout.splitlines() if line.startswith("FAIL")]
    assert sorted(line.split(" - ")[3].split()[0] for line in fails) == ["CKV_ACK_5", "CKV_ACK_8"], out.stdout
    ws.infra(GUIDE)
    out = ws.script("conftest.sh")
    assert out.returncode == 0, out.stdout + out.stderr


# --------------------------------------------------------------------------- Checkov


@pytest.mark.slow
def test_checkov_recipe(ws: Workspace) -> None:
    if find_tool("checkov") is None:
        pytest.fail("checkov is a dependency of checkov-ack but is not on PATH", pytrace=False)
    ws.infra(EXPOSED)
    out = ws.script("checkov.sh")
    assert out.returncode == 1, out.stdout + out.stderr
    # Checkov prints `Check: ID: "title"` and then `FAILED for resource: ...` on the next line.
    blocks = [b.splitlines() for b in out.stdout.split("Check: ")[1:]]
    failed = {b[0].split(":")[0] for b in blocks if len(b) > 1 and b[1].strip().startswith("FAILED")}
    assert {"CKV_ACK_5", "CKV_ACK_8"} <= failed, out.stdout[-3000:]
    assert not {i for i in failed if i.startswith("CKV_ACK_")} - {"CKV_ACK_5", "CKV_ACK_8"}


# --------------------------------------------------------------------------- README


def test_readme_section_quotes_the_recipes() -> None:
    """The scan commands the README's recipe table shows are the ones the recipe files run."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- section: pre-commit and CI recipes -->")[1].split(
        "<!-- end section: pre-commit and CI recipes -->")[0]
    quoted = [part for part in section.split("`") if part.startswith("checkov-ack scan ")]
    assert quoted, "the README section shows no scan command"
    recipes = "\n".join(p.read_text(encoding="utf-8") for p in RECIPES.iterdir())
    for command in quoted:
        assert command in recipes, command
    for name in ("github-actions.yml", "gitlab-ci.yml", "terraform-plan.sh", "opa.sh", "conftest.sh",
                 "checkov.sh", "pre-commit-config.yaml"):
        assert f"`{name}`" in section or f"docs/recipes/{name}" in section, name
