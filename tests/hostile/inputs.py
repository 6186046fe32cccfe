"""The real inputs the hostile tests start from: project fixtures and the shared corpus."""

from __future__ import annotations

from pathlib import Path

from helpers import CORPUS, FIXTURES

_DATA = (".json", ".yaml", ".yml")


def data_files() -> list[Path]:
    """Single-file inputs (plan JSON, ROS, API exports) under fixtures/ and the shared corpus,
    without expected-findings files, one per distinct content size to keep the list short."""
    found: dict[tuple[str, int], Path] = {}
    roots = [FIXTURES / "adapters", FIXTURES / "scenarios", CORPUS]
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix not in _DATA or "expected" in path.name or not path.is_file():
                continue
            found.setdefault((path.suffix, path.stat().st_size), path)
    return sorted(found.values())


def module_dirs() -> list[Path]:
    """Terraform module folders (each holding .tf files) under fixtures/adapters and scenarios."""
    dirs = {p.parent for root in (FIXTURES / "adapters" / "terraform_hcl", FIXTURES / "scenarios")
            for p in root.rglob("*.tf")}
    return sorted(dirs)
