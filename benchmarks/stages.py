"""What the benchmark runs inside one child process (so its memory is its own).

    python -m benchmarks.stages scan PATH [--normalized OUT] [--findings OUT]
        parse (adapters: load_paths), normalize (assemble + schema check), evaluate (regopy,
        unit by unit, loading the compiled policies included), report (JSON report rendered);
        prints one JSON line with each stage's wall and CPU seconds and the process's peak RSS
        after it (ru_maxrss is a high-water mark, so "after evaluate" is the peak of
        parse..evaluate).
    python -m benchmarks.stages read KIND PATH
        the lower bound: read every input file and parse it with the plainest parser of its
        syntax (json.loads; yaml.compose with libyaml; the lark HCL grammar the adapter uses).
    python -m benchmarks.stages packages NORMALIZED_JSON [--timeout S]
        evaluate each rule package of data.ack.rules separately on the largest unit of a document.

Timings exclude the interpreter start and imports (the CLI measurement includes them).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

Json = dict[str, Any]


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def timed(name: str, out: list[Json], work: Callable[[], Any]) -> Any:
    wall, cpu = time.perf_counter(), cpu_seconds()
    value = work()
    out.append(
        {"stage": name, "wall": time.perf_counter() - wall, "cpu": cpu_seconds() - cpu, "peak_mb": peak_mb()}
    )
    return value


STAGES = ("parse", "normalize", "evaluate", "report")


def scan(path: Path, normalized: Path | None, findings_out: Path | None, upto: str = "report") -> Json:
    from checkov_ack.adapters import load_paths
    from checkov_ack.adapters.common import AdapterOptions
    from checkov_ack.engine import Engine
    from checkov_ack.model.assemble import assemble
    from checkov_ack.model.schema import schema_errors
    from checkov_ack.model.settings import Settings
    from checkov_ack.reporters import Report, render
    from checkov_ack.scan import scan_document

    stages: list[Json] = []
    load = timed("parse", stages, lambda: load_paths([path], AdapterOptions()))

    def normalize() -> Json:
        document = assemble(load.parts, Settings())
        problems = schema_errors(document)
        if problems:
            raise SystemExit(f"schema errors: {problems[:3]}")
        return document

    document = timed("normalize", stages, normalize)
    if normalized is not None:
        normalized.write_text(json.dumps(document), encoding="utf-8")
    if upto in ("parse", "normalize"):
        return {
            "stages": stages,
            "errors": [str(e) for e in load.errors],
            "rules": sum(len(sg["rules"]) for sg in document["security_groups"]),
            "clusters": len(document["clusters"]),
        }
    engine = Engine()
    result = timed("evaluate", stages, lambda: scan_document(document, load, engine=engine))
    text = timed("report", stages, lambda: render("json", Report(result)))
    if findings_out is not None:
        findings_out.write_text(json.dumps(result.findings), encoding="utf-8")
    unit_times = [seconds for _, seconds in engine.stats.timings]
    return {
        "stages": stages,
        "errors": [str(e) for e in load.errors],
        "units": engine.stats.units,
        "compile_seconds": engine.stats.compile_seconds,  # loading the cached bundle when warm
        "bundle_from": engine.stats.bundle_from,
        "unit_seconds_max": max(unit_times, default=0.0),
        "findings": len(result.findings),
        "failures": len(result.failures("LOW")),
        "report_bytes": len(text),
        "rules": sum(len(sg["rules"]) for sg in document["security_groups"]),
        "clusters": len(document["clusters"]),
    }


def _hcl_parse(text: str) -> Any:
    from hcl2.parser import hcl2

    return hcl2.parse(text)


def _yaml_compose(text: str) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.compose(text, Loader=loader)  # nodes only: ROS tags (!Ref) need no constructor


def read(kind: str, path: Path) -> Json:
    files = sorted(p for p in path.rglob("*") if p.is_file())
    stages: list[Json] = []

    def parse_all() -> int:
        total = 0
        for file in files:
            text = file.read_text(encoding="utf-8")
            total += len(text)
            if file.suffix == ".tf":
                _hcl_parse(text)
            elif file.suffix in (".yaml", ".yml"):
                _yaml_compose(text)
            else:
                json.loads(text)
        return total

    if kind == "terraform_hcl":
        _hcl_parse("")  # build the grammar outside the timing, as an import would
    size = timed("read", stages, parse_all)
    return {"stages": stages, "files": len(files), "bytes": size}


def packages(normalized: Path) -> Json:
    """Each ack.rules.* package alone on the largest unit (fresh interpreter each: no shared cache)."""
    from checkov_ack.engine import load_policy_set
    from checkov_ack.engine.quiet import quiet_stdout
    from checkov_ack.engine.regopy_engine import _new_interpreter
    from checkov_ack.model.assemble import unit_documents

    document = json.loads(normalized.read_text(encoding="utf-8"))
    units = unit_documents(document)
    unit = max(units, key=lambda u: sum(len(s["rules"]) for s in u["security_groups"]))
    policies = load_policy_set()
    text = json.dumps(unit)
    rows = []
    names = [p for p in policies.packages() if p.startswith("ack.rules.")]
    names.sort(key=lambda p: int(p.rsplit("_", 1)[-1]) if p.rsplit("_", 1)[-1].isdigit() else 0)
    for package in names:
        entry = package.replace(".", "/") + "/findings"
        with quiet_stdout():
            interp = _new_interpreter(policies)
            bundle = interp.build(None, [entry])
            interp.set_input_term(text)
            wall, cpu = time.perf_counter(), cpu_seconds()
            out = interp.query_bundle_entrypoint(bundle, entry)
            ok = out.ok()
        rows.append(
            {
                "package": package,
                "ok": ok,
                "wall": time.perf_counter() - wall,
                "cpu": cpu_seconds() - cpu,
                "peak_mb": peak_mb(),
            }
        )
        print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    return {"rules": sum(len(s["rules"]) for s in unit["security_groups"]), "packages": rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.stages")
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("scan")
    s.add_argument("path", type=Path)
    s.add_argument("--normalized", type=Path)
    s.add_argument("--findings", type=Path)
    s.add_argument("--upto", choices=STAGES, default="report", help="stop after this stage")
    r = sub.add_parser("read")
    r.add_argument("kind")
    r.add_argument("path", type=Path)
    p = sub.add_parser("packages")
    p.add_argument("normalized", type=Path)
    args = parser.parse_args(argv)
    if args.command == "scan":
        value = scan(args.path, args.normalized, args.findings, args.upto)
    elif args.command == "read":
        value = read(args.kind, args.path)
    else:
        value = packages(args.normalized)
    value["pid"] = os.getpid()
    print(json.dumps(value))
    return 0


if __name__ == "__main__":
    sys.exit(main())
