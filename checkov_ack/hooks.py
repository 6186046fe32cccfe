"""`checkov-ack-hook`: the pre-commit entry point (see `.pre-commit-hooks.yaml`).

    checkov-ack-hook [--only terraform,ros,plan,api] [scan options...] FILE...

pre-commit passes the changed files it selected; this maps them onto what a scan needs and runs
`checkov-ack scan` on that:

- a `.tf`/`.tfvars` file stands for its whole module directory (rules need every SG and cluster of
  the module); a local child module is scanned through the modules in the repository that call it
  (transitively, up to modules nobody calls), so its variables have their callers' values. Each
  directory is scanned once.
- a YAML/JSON file is scanned when it is a ROS template, a Terraform plan or an API export (as
  selected by `--only`; a changed API response brings the other responses of its folder); any
  other YAML/JSON (Kubernetes manifests, CI files, package.json) is left
  out quietly. A file that cannot even be read is passed on, so the scan reports it (exit 2).
- settings: `--config FILE` when given, else the nearest `.checkov-ack.yaml` between the module's
  folder and the repository root (pre-commit runs hooks from the root); inputs with different
  settings files are scanned separately. Every other option (`--fail-on HIGH`, `--profile`,
  `--format`...) is handed to `checkov-ack scan` unchanged.

Exit code: the worst of the scans (2 errors, 1 failures at or above --fail-on, 0 otherwise).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from checkov_ack.config import CONFIG_NAME
from checkov_ack.errors import UsageError

HOOK_KINDS = {"terraform": "terraform_hcl", "plan": "terraform_plan", "ros": "ros", "api": "api_export"}
_TF_SUFFIXES = (".tf", ".tfvars")
_DATA_SUFFIXES = (".json", ".yaml", ".yml", ".template", ".ros")
_SKIP_DIRS = {".git", ".terraform", "node_modules", ".venv", "venv", "__pycache__", ".tox"}
# A module block's literal local source: all the caller lookup needs, without parsing HCL.
_LOCAL_SOURCE = re.compile(r'^\s*source\s*=\s*"(\.\.?/[^"]*)"', re.MULTILINE)


def _split_only(argv: list[str]) -> tuple[set[str], list[str]]:
    """`--only a,b` (ours) out of argv; the rest is for `checkov-ack scan`."""
    kinds = set(HOOK_KINDS)
    rest: list[str] = []
    items = iter(argv)
    for arg in items:
        if arg == "--only" or arg.startswith("--only="):
            value = arg.partition("=")[2] if "=" in arg else next(items, "")
            kinds = {k.strip() for k in value.split(",") if k.strip()}
            unknown = kinds - set(HOOK_KINDS)
            if unknown or not kinds:
                raise ValueError(f"--only takes a comma-separated list of {', '.join(HOOK_KINDS)}, "
                                 f"not {value!r}")
        else:
            rest.append(arg)
    return kinds, rest


def _split_files(rest: list[str]) -> tuple[list[str], list[str]]:
    """Scan options and the file names pre-commit appended, told apart by the scan parser itself
    (so options with values, like `--fail-on HIGH`, are never taken for files)."""
    from checkov_ack.cli import build_parser

    args = build_parser().parse_args(["scan", *rest])
    files = list(args.paths)
    if rest[len(rest) - len(files):] != files:
        raise ValueError("file names must come after the options")
    return rest[: len(rest) - len(files)], files


def _data_kind(path: Path) -> str | None:
    """The input kind of a YAML/JSON file, "unreadable" when it cannot be read, None when it is
    none of ours."""
    from checkov_ack.adapters import api_export, ros, terraform_plan
    from checkov_ack.adapters.common import read_text
    from checkov_ack.errors import InputError

    try:
        text = read_text(path)
    except InputError:
        return "unreadable"
    # The scanner's own order: a plan before the looser ROS and API shapes.
    for adapter in (terraform_plan, ros, api_export):
        if adapter.sniff(path, text):
            return str(adapter.KIND)
    return None


def _tf_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.tf") if p.is_file())


def _repo_tf_dirs(root: Path) -> list[Path]:
    """Every folder under `root` holding .tf files (relative to root), outside tool caches."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        # Pruned, not filtered afterwards: node_modules or .terraform can be most of a repository.
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS)
        if any(name.endswith(".tf") for name in filenames):
            found.append(_norm(Path(dirpath).relative_to(root)))
    return found


def _norm(path: Path) -> Path:
    """Lexically normalized relative path ('a/../b' -> 'b'), as Terraform resolves local sources."""
    parts: list[str] = []
    for part in path.parts:
        if part == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            else:
                parts.append(part)
        elif part != ".":
            parts.append(part)
    return Path(*parts) if parts else Path(".")


def _local_calls(root: Path) -> dict[Path, set[Path]]:
    """Module folder -> the folders in the repository whose modules call it by a local source."""
    calls: dict[Path, set[Path]] = {}
    for folder in _repo_tf_dirs(root):
        for tf in _tf_files(root / folder):
            try:
                text = tf.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            for source in _LOCAL_SOURCE.findall(text):
                calls.setdefault(_norm(folder / source), set()).add(folder)
    return calls


def module_roots(dirs: Iterable[Path], root: Path) -> list[Path]:
    """The folders to scan for changed module folders: each one's callers, transitively, up to the
    modules nobody calls. A called module is evaluated through its caller (with the caller's
    values); alone it would only be a module of unset variables."""
    calls = _local_calls(root)
    pending = [_norm(d) for d in dirs]
    seen = set(pending)
    roots: list[Path] = []
    while pending:
        folder = pending.pop(0)
        callers = sorted(calls.get(folder, set()) - {folder})
        if not callers:
            roots.append(folder)
        for caller in callers:
            if caller not in seen:
                seen.add(caller)
                pending.append(caller)
    return roots


def select_inputs(files: Sequence[str], kinds: set[str], root: Path | None = None) -> list[Path]:
    """The inputs to scan for the files pre-commit passed: the .tf files of the module folders that
    hold or call the changed .tf files, and the YAML/JSON files of the selected kinds."""
    root = root or Path(".")
    wanted = {HOOK_KINDS[k] for k in kinds}
    tf_dirs: list[Path] = []
    api_dirs: list[Path] = []
    data: list[Path] = []
    for name in files:
        path = Path(name)
        if path.suffix in _TF_SUFFIXES:
            if "terraform_hcl" in wanted and _norm(path.parent) not in tf_dirs:
                tf_dirs.append(_norm(path.parent))
        elif path.suffix.lower() in _DATA_SUFFIXES and path.is_file():
            kind = _data_kind(path)
            if kind == "api_export" and kind in wanted:
                if path.parent not in api_dirs:
                    api_dirs.append(path.parent)
            elif kind == "unreadable" or kind in wanted:
                data.append(path)
    for folder in api_dirs:
        # One API export is several responses (cluster, SGs, vSwitches) side by side: a changed
        # response is judged with its neighbours.
        data.extend(p for p in sorted(folder.iterdir())
                    if p.suffix.lower() in _DATA_SUFFIXES and p.is_file() and _data_kind(p) == "api_export")
    inputs: list[Path] = []
    for folder in module_roots(tf_dirs, root) if tf_dirs else []:
        # Any one .tf file loads its whole folder as a module; naming them all keeps the scan from
        # walking into subfolders that hold other inputs.
        inputs.extend(_tf_files(root / folder))
    return inputs + data


def _config_for(path: Path, root: Path) -> Path | None:
    """The nearest settings file from the input's folder up to the repository root."""
    folder = path.parent.resolve()
    top = root.resolve()
    while True:
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
        if folder == top or top not in folder.parents:
            return None
        folder = folder.parent


def _groups(inputs: list[Path], root: Path) -> dict[Path | None, list[Path]]:
    groups: dict[Path | None, list[Path]] = {}
    for path in inputs:
        groups.setdefault(_config_for(path, root), []).append(path)
    return groups


def _has_config_option(options: list[str]) -> bool:
    return any(o == "--config" or o.startswith("--config=") for o in options)


def _worst(codes: Iterable[int]) -> int:
    # 2 (could not judge everything) outranks 1 (failures): never hide an error behind a finding.
    return max(codes, default=0)


def main(argv: Sequence[str] | None = None) -> int:
    from checkov_ack import cli

    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        kinds, rest = _split_only(argv)
        options, files = _split_files(rest)
    except ValueError as exc:
        print(f"checkov-ack-hook: error: {exc}", file=sys.stderr)
        return 2
    except UsageError:
        # Bad scan options: let the CLI report them with its own message and exit code.
        return cli.main(["scan", *rest])
    root = Path(".")
    inputs = select_inputs(files, kinds, root)
    if not inputs:
        return 0
    if _has_config_option(options):
        return cli.main(["scan", *options, *map(str, inputs)])
    groups = _groups(inputs, root)
    if len(groups) > 1 and any(o == "--output" or o.startswith("--output=") for o in options):
        print("checkov-ack-hook: error: --output with inputs under several .checkov-ack.yaml files would "
              "keep only the last report; pass --config FILE to scan them as one", file=sys.stderr)
        return 2
    codes = []
    for config, group in groups.items():
        extra = ["--config", os.path.relpath(config)] if config is not None else []
        codes.append(cli.main(["scan", *options, *extra, *map(str, group)]))
    return _worst(codes)


if __name__ == "__main__":
    raise SystemExit(main())
