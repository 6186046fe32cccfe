"""Shared body of the atheris harnesses: bytes -> one input file -> adapter.load() -> a valid part.

The contract checked is the adapters' (docs/architecture.md): `load()` returns document parts and
InputErrors; it never raises. The parts must assemble into a document that validates against the
schema, otherwise a scan would end in DocumentError ("internal error") instead of a report.
Anything else escaping load() is a finding: atheris stops and writes the input as crash-<sha1>.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import atheris

# Instrument only our package: coverage feedback on the stdlib/yaml parsers would drown ours.
with atheris.instrument_imports(include=["checkov_ack"]):
    from checkov_ack.adapters.common import AdapterOptions
    from checkov_ack.errors import InputError
    from checkov_ack.model.assemble import assemble
    from checkov_ack.model.schema import schema_errors
    from checkov_ack.model.settings import Settings


def check_one(adapter: ModuleType, workdir: Path, name: str, data: bytes, as_dir: bool) -> None:
    """Write `data` as workdir/name and load it; raise AssertionError on a contract breach."""
    target = workdir / name
    target.write_bytes(data)
    paths = [workdir] if as_dir else [target]
    parts, errors = adapter.load(paths, AdapterOptions())
    for error in errors:
        if not isinstance(error, InputError):
            raise AssertionError(f"load() returned a non-InputError: {error!r}")
        if not error.file:
            raise AssertionError(f"an InputError names no file: {error}")
    problems = schema_errors(assemble(parts, Settings()))
    if problems:
        raise AssertionError(f"the part breaks the schema: {problems[:3]}")


def run(adapter: ModuleType, name: str, as_dir: bool = False) -> None:
    """The atheris entry point for one adapter; `name` is the file the bytes are written to."""
    workdir = Path(tempfile.mkdtemp(prefix="fuzz-"))
    # Real inputs are a few dozen Python frames deep; keep the default limit the CLI runs with.
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))

    def test_one_input(data: bytes) -> None:
        check_one(adapter, workdir, name, data, as_dir)

    entry: Callable[[bytes], Any] = test_one_input
    atheris.Setup(sys.argv, entry)
    atheris.Fuzz()
