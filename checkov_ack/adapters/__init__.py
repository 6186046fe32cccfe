"""Input discovery: which files are ours, of which kind, and which adapter reads them.

Every adapter module exposes:
- `KIND`: its input kind name (as in the document's `inputs[].kind`);
- `sniff(path, text) -> bool` (single-file kinds): whether a file is of this kind;
- `load(paths, options) -> (parts, errors)`: document parts, and one InputError per bad file.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from checkov_ack.adapters.common import AdapterOptions, read_text
from checkov_ack.errors import InputError
from checkov_ack.model.document import Json

_HCL = "terraform_hcl"
_MODULES = {
    _HCL: "checkov_ack.adapters.terraform_hcl",
    "terraform_plan": "checkov_ack.adapters.terraform_plan",
    "ros": "checkov_ack.adapters.ros",
    "api_export": "checkov_ack.adapters.api_export",
}


class _Adapters(Mapping[str, ModuleType]):
    """Kind name -> adapter module, imported when first used: the HCL adapter alone brings lark and
    the hcl2 grammar (~0.15 s), which a scan of plans, ROS templates or API exports never needs."""

    def __getitem__(self, kind: str) -> ModuleType:
        # __import__, not importlib.import_module: only the former shows in `python -X importtime`.
        module: ModuleType = __import__(_MODULES[kind], fromlist=["KIND"])
        return module

    def __iter__(self) -> Iterator[str]:
        return iter(_MODULES)

    def __len__(self) -> int:
        return len(_MODULES)


KINDS: Mapping[str, ModuleType] = _Adapters()
# Single-file kinds in sniffing order. Order matters: a plan JSON is checked before the looser
# API shapes.
_SNIFFED = ("terraform_plan", "ros", "api_export")
_SKIP_DIRS = {".git", ".terraform", "node_modules", ".venv", "venv", "__pycache__", ".tox"}
_DATA_SUFFIXES = {".json", ".yaml", ".yml", ".template", ".ros"}


@dataclass
class LoadResult:
    parts: list[Json] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # files that are none of our kinds


def _real(path: Path) -> Path:
    # os.path.realpath, unlike Path.resolve, never raises on a link loop (a -> b -> a).
    return Path(os.path.realpath(path))


def _inside(path: Path, real_root: Path) -> bool:
    target = _real(path)
    return target == real_root or real_root in target.parents


def _walk(root: Path, follow: bool, errors: list[InputError]) -> list[Path]:
    found: list[Path] = []
    real_root = _real(root)
    seen = {real_root}  # real folders already walked: each is read once, whatever links lead to it
    for dirpath, dirnames, filenames in os.walk(root, followlinks=follow):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS)
        if follow:
            # A link loop (`loop -> .` included) or a link out of the scanned root is not followed
            # even when asked.
            kept = []
            for d in dirnames:
                target = _real(Path(dirpath) / d)
                if _inside(Path(dirpath) / d, real_root) and target not in seen:
                    seen.add(target)
                    kept.append(d)
            dirnames[:] = kept
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.is_symlink() and not (follow and _inside(path, real_root)):
                # Even when asked, a file link out of the scanned root is not read: no escape.
                continue
            found.append(path)
    return found


def _classify(path: Path, forced: str | None, explicit: bool, result: LoadResult) -> str | None:
    if forced:
        return forced
    if path.suffix == ".tf":
        return _HCL
    if path.suffix.lower() not in _DATA_SUFFIXES:
        if explicit:
            result.errors.append(InputError(str(path), "not a Terraform, plan JSON, ROS or API export file"))
        else:
            result.skipped.append(str(path))
        return None
    try:
        text = read_text(path)
    except InputError as exc:
        result.errors.append(exc)
        return None
    for kind in _SNIFFED:
        if KINDS[kind].sniff(path, text):
            return kind
    if explicit:
        result.errors.append(InputError(str(path), "not a Terraform plan, ROS template or API export"))
    else:
        result.skipped.append(str(path))
    return None


def load_paths(paths: list[Path], options: AdapterOptions, forced_kind: str | None = None) -> LoadResult:
    """Read every input under `paths` into document parts; bad files become errors, not crashes."""
    result = LoadResult()
    by_kind: dict[str, list[Path]] = {k: [] for k in KINDS}
    tf_dirs: list[Path] = []
    for path in paths:
        if not path.exists() and not path.is_symlink():
            result.errors.append(InputError(str(path), "no such file or directory"))
            continue
        if path.is_dir():
            files = _walk(path, options.follow_symlinks, result.errors)
            explicit = False
        else:
            files = [path]
            explicit = True
        for file in files:
            kind = _classify(file, forced_kind, explicit, result)
            if kind == _HCL:
                if file.parent not in tf_dirs:
                    tf_dirs.append(file.parent)
            elif kind is not None:
                by_kind[kind].append(file)
    if tf_dirs:
        parts, errors = KINDS[_HCL].load(tf_dirs, options)
        result.parts.extend(parts)
        result.errors.extend(errors)
    for kind in _SNIFFED:
        if by_kind[kind]:
            parts, errors = KINDS[kind].load(by_kind[kind], options)
            result.parts.extend(parts)
            result.errors.extend(errors)
    return result
