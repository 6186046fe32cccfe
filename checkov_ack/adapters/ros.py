"""Adapter stub: to be written (see issue 2)."""

from __future__ import annotations

from pathlib import Path

from checkov_ack.adapters.common import AdapterOptions
from checkov_ack.errors import InputError
from checkov_ack.model.document import Json

KIND = "ros"


def sniff(path: Path, text: str) -> bool:
    return False


def load(paths: list[Path], options: AdapterOptions) -> tuple[list[Json], list[InputError]]:
    return [], [InputError(str(p), "adapter not written yet") for p in paths]
