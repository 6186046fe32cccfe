"""The public API other pieces reuse (Checkov checks, pre-commit hooks, the CLI).

    document, load = normalize_paths(["infra/"], Settings(), AdapterOptions())
    result = scan_paths(["infra/"])            # findings, errors, skipped files, warnings

    config = config_for([Path("infra/")])      # .checkov-ack.yaml as the CLI reads it
    waivers = load_waivers(config.waivers) if config.waivers else []
    result = scan_paths(["infra/"], config.settings, waivers=waivers)
    result.failures(config.fail_on or "LOW")   # what makes `checkov-ack scan` exit 1

Neither prints anything or exits; bad input files come back as `errors` (the other files are still
read), engine failures raise EngineError, an internally invalid document raises DocumentError.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from checkov_ack.adapters import KINDS, LoadResult, load_paths
from checkov_ack.adapters.common import AdapterOptions
from checkov_ack.config import CONFIG_NAME
from checkov_ack.errors import CheckovAckError, InputError, UsageError
from checkov_ack.model.assemble import assemble
from checkov_ack.model.document import Json
from checkov_ack.model.schema import schema_errors
from checkov_ack.model.settings import Settings
from checkov_ack.suppressions import Result, Waiver, apply_suppressions

if TYPE_CHECKING:
    from checkov_ack.engine import Engine

SEVERITY_ORDER = ("INFO", "LOW", "MEDIUM", "HIGH", "CRITICAL")


class DocumentError(CheckovAckError):
    """The adapters built a document that breaks the schema: a bug in checkov-ack, not in the input."""


@dataclass
class ScanResult:
    document: Json
    results: list[Result]  # every finding (pass, fail, unknown), suppressed or not
    errors: list[InputError] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # expired waivers

    @property
    def findings(self) -> list[Json]:
        """Findings that are not suppressed."""
        return [r.finding for r in self.results if not r.suppressed]

    @property
    def suppressed(self) -> list[Result]:
        return [r for r in self.results if r.suppressed]

    def failures(self, fail_on: str = "LOW") -> list[Json]:
        """Unsuppressed failures at or above the threshold: what makes the exit code 1."""
        floor = SEVERITY_ORDER.index(fail_on)
        return [
            f for f in self.findings
            if f["status"] == "fail" and SEVERITY_ORDER.index(f["severity"]) >= floor
        ]


    def exit_code(self, fail_on: str = "LOW", soft_fail: bool = False) -> int:
        """`checkov-ack scan`'s exit code: 2 input errors, 1 failures at or above fail_on, else 0.
        soft_fail turns 1 into 0; an input that could not be read stays 2 (never a silent pass)."""
        if self.errors:
            return 2
        if soft_fail:
            return 0
        return 1 if self.failures(fail_on) else 0


def _paths(paths: Sequence[str | Path]) -> list[Path]:
    return [Path(p) for p in paths]


def check_document(document: Json) -> None:
    """DocumentError when the document breaks its schema: a bug in an adapter, never in the input."""
    problems = schema_errors(document)
    if problems:
        listed = "; ".join(problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise DocumentError(f"internal error: the normalized document breaks its schema: {listed}{more}")


def normalize_paths(
    paths: Sequence[str | Path],
    settings: Settings | None = None,
    options: AdapterOptions | None = None,
    kind: str | None = None,
    validate: bool = True,
) -> tuple[Json, LoadResult]:
    """The normalized document of every input under `paths` (checked against its schema unless
    validate is False: scan_document can check it while the policies evaluate), and what loading
    found (input errors, skipped files)."""
    if kind is not None and kind not in KINDS:
        raise UsageError(f"unknown kind {kind!r}; one of {', '.join(KINDS)}")
    load = load_paths(_paths(paths), options or AdapterOptions(), kind)
    # Our own settings file sits in the scanned root; it is not an input anyone forgot to scan.
    load.skipped = [s for s in load.skipped if Path(s).name != CONFIG_NAME]
    document = assemble(load.parts, settings or Settings())
    if validate:
        check_document(document)
    return document, load


def scan_paths(
    paths: Sequence[str | Path],
    settings: Settings | None = None,
    options: AdapterOptions | None = None,
    kind: str | None = None,
    waivers: Sequence[Waiver] = (),
    today: dt.date | None = None,
    engine: Engine | None = None,
    jobs: int | None = 1,
) -> ScanResult:
    """Normalize, evaluate, suppress. Pass an Engine to reuse compiled policies across scans;
    jobs > 1 evaluates in parallel processes, None picks by the CPUs (engine.default_jobs)."""
    document, load = normalize_paths(paths, settings, options, kind, validate=False)
    return scan_document(document, load, waivers, today, engine, jobs, validate=True)


def scan_document(
    document: Json,
    load: LoadResult | None = None,
    waivers: Sequence[Waiver] = (),
    today: dt.date | None = None,
    engine: Engine | None = None,
    jobs: int | None = 1,
    validate: bool = False,
) -> ScanResult:
    """Evaluate a normalized document; validate: check its schema first (DocumentError), or, when
    the evaluation runs in two processes, while the other one works."""
    # Imported here: regopy and the engine (~50 ms) are not needed to normalize.
    from checkov_ack.engine import default_jobs, shared_engine

    # A partial, not a lambda: it may run in the engine's partner process, which gets it pickled.
    check = functools.partial(check_document, document) if validate else None
    findings = (engine or shared_engine()).evaluate(document, default_jobs() if jobs is None else jobs, check)
    results, warnings = apply_suppressions(findings, document, list(waivers), today or dt.date.today())
    load = load or LoadResult()
    return ScanResult(document, results, list(load.errors), list(load.skipped), warnings)
