"""atheris harness: the terraform_hcl adapter on arbitrary bytes (see fuzz/README.md)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import atheris  # noqa: E402
from _harness import run  # noqa: E402

with atheris.instrument_imports(include=["checkov_ack"]):
    from checkov_ack.adapters import terraform_hcl  # noqa: E402

if __name__ == "__main__":
    run(terraform_hcl, "main.tf", as_dir=True)
