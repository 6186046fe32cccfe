"""`checkov-ack`: normalize, scan, rules.

Exit codes: 0 nothing at or above --fail-on; 1 failures at or above it; 2 usage, input or engine
errors (input errors still come with the report of every other input). --soft-fail turns 1 into 0
with the same report; usage, input and engine errors stay 2 (an unread file never passes).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from checkov_ack import __version__, bundle
from checkov_ack.adapters import KINDS
from checkov_ack.adapters.common import AdapterOptions
from checkov_ack.config import FORMATS, SEVERITIES, Config, check_severity, config_for
from checkov_ack.errors import CheckovAckError, EngineError, UsageError
from checkov_ack.model.settings import PROFILES, Settings, apply_overrides, check_profile, parse_exposure
from checkov_ack.scan import DocumentError, normalize_paths, scan_document

PROG = "checkov-ack"


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so every usage error leaves through one path."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message}\n{self.format_usage().strip()}")


def _severity(value: str) -> str:
    try:
        return check_severity(value, "--fail-on")
    except UsageError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _jobs(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"expected a number of processes, not {value!r}")
    return int(value) or (os.cpu_count() or 1)


def _param(value: str) -> tuple[str, str]:
    key, sep, val = value.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, not {value!r}")
    return key.strip(), val


def _add_input_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or directories to read")
    p.add_argument("--kind", choices=sorted(KINDS), help="force the input kind (detected per file otherwise)")
    p.add_argument("--var-file", action="append", default=[], metavar="FILE", help="Terraform variables file")
    p.add_argument("--param", action="append", default=[], type=_param, metavar="K=V",
                   help="ROS parameter or Terraform variable value")
    p.add_argument("--follow-symlinks", action="store_true", help="follow symlinked folders inside the roots")
    s = p.add_argument_group("settings (also from .checkov-ack.yaml; options here win)")
    s.add_argument("--config", metavar="FILE",
                   help="settings file (default: .checkov-ack.yaml in the first PATH)")
    s.add_argument("--profile", choices=PROFILES)
    s.add_argument("--exposure", action="append", default=[], metavar="DIR:PROTO:PORTS:PEERS",
                   help="declared application exposure, e.g. ingress:tcp:80,443:0.0.0.0/0 (repeatable; "
                        "added to the config file's)")
    s.add_argument("--network-plugin", choices=("flannel", "terway"))
    s.add_argument("--sg-type", choices=("basic", "advanced", "normal", "enterprise"))
    s.add_argument("--api-server-address", metavar="CIDR")
    s.add_argument("--vpc-cidr", action="append", default=[], metavar="CIDR")
    s.add_argument("--vswitch-cidr", action="append", default=[], metavar="CIDR")
    s.add_argument("--pod-cidr", metavar="CIDR")
    p.add_argument("--output", metavar="FILE", help="write the output here instead of stdout")
    p.add_argument("--verbose", action="store_true",
                   help="list skipped files, engine timings and policy print() output on stderr")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Policy-as-code for Alibaba Cloud ACK cluster security groups.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    norm = sub.add_parser("normalize", help="print the normalized document")
    _add_input_options(norm)
    scan = sub.add_parser(
        "scan",
        help="evaluate the rules and report",
        epilog="exit codes: 0 no failure at or above --fail-on; 1 failures at or above it; "
        "2 usage, input or policy-engine errors (input errors come with the report of the other "
        "inputs). --soft-fail turns 1 into 0; errors stay 2.",
    )
    _add_input_options(scan)
    scan.add_argument("--format", choices=FORMATS, help="report format (default text)")
    scan.add_argument("--fail-on", type=_severity, metavar="|".join(SEVERITIES),
                      help="lowest failing severity that sets exit code 1 (default LOW)")
    scan.add_argument("--soft-fail", action="store_true", default=None,
                      help="exit 0 when findings fail (errors still exit 2)")
    scan.add_argument("--waivers", metavar="FILE", help="YAML waivers: rule, resource glob, reason, expires")
    scan.add_argument("--jobs", type=_jobs, default=None, metavar="N",
                      help="evaluate in N processes (0: one per CPU; 1: this process only; "
                      "default 2 with two CPUs or more, else 1)")
    sub.add_parser("checkov-dir", help="print the folder of Checkov external checks "
                   "(checkov -d . --external-checks-dir \"$(checkov-ack checkov-dir)\")")
    bundle.register(sub)
    rules = sub.add_parser("rules", help="list the rule catalog")
    rules.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    rules.add_argument("--output", metavar="FILE")
    return parser


def _split(values: list[str]) -> list[str]:
    return [part.strip() for v in values for part in v.split(",") if part.strip()]


def _config(args: argparse.Namespace, paths: list[Path]) -> Config:
    return config_for(paths, Path(args.config) if args.config else None)


def _settings(args: argparse.Namespace, config: Config) -> Settings:
    settings = config.settings
    if args.profile:
        settings.profile = check_profile(args.profile)
    for text in args.exposure:
        settings.exposures.extend(parse_exposure(text))
    apply_overrides(
        settings.overrides,
        network_plugin=args.network_plugin,
        sg_type=args.sg_type,
        api_server_address=args.api_server_address,
        vpc_cidrs=_split(args.vpc_cidr),
        vswitch_cidrs=_split(args.vswitch_cidr),
        pod_cidr=args.pod_cidr,
    )
    return settings


def _adapter_options(args: argparse.Namespace) -> AdapterOptions:
    return AdapterOptions(
        var_files=[Path(f) for f in args.var_file],
        params=dict(args.param),
        follow_symlinks=args.follow_symlinks,
    )


def _check_output(output: str | None) -> None:
    # Fail before a long scan, not after it, when the report could not be written anyway.
    if output is not None and not Path(output).parent.is_dir():
        raise UsageError(f"{output}: the output folder {Path(output).parent} does not exist")


def _emit(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{output}: cannot write the output: {exc.strerror or exc}") from None


def _say(message: str) -> None:
    print(f"{PROG}: {message}", file=sys.stderr)


def _report_skipped(skipped: list[str], verbose: bool) -> None:
    if verbose:
        for path in skipped:
            _say(f"skipped (not a Terraform, plan, ROS or API export file): {path}")


def _normalize(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.paths]
    _check_output(args.output)
    settings = _settings(args, _config(args, paths))
    document, load = normalize_paths(paths, settings, _adapter_options(args), args.kind)
    _emit(json.dumps(document, indent=2) + "\n", args.output)
    _report_skipped(load.skipped, args.verbose)
    for error in load.errors:
        _say(f"error: {error}")
    return 2 if load.errors else 0


def _use_color(args: argparse.Namespace, fmt: str) -> bool:
    return fmt == "text" and args.output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ


def _scan(args: argparse.Namespace) -> int:
    from checkov_ack.engine import default_jobs, shared_engine
    from checkov_ack.model import schema
    from checkov_ack.reporters import Report, render
    from checkov_ack.suppressions import load_waivers

    paths = [Path(p) for p in args.paths]
    _check_output(args.output)
    config = _config(args, paths)
    settings = _settings(args, config)
    fail_on = args.fail_on or config.fail_on or "LOW"
    fmt = args.format or config.format or "text"
    soft_fail = bool(args.soft_fail if args.soft_fail is not None else config.soft_fail)
    waiver_path = Path(args.waivers) if args.waivers else config.waivers
    if waiver_path is not None and not waiver_path.is_file():
        raise UsageError(f"{waiver_path}: waiver file not found")
    waivers = load_waivers(waiver_path) if waiver_path else []
    engine = shared_engine(echo=args.verbose)
    jobs = default_jobs() if args.jobs is None else args.jobs
    if jobs > 1:
        # The engine's partner process starts now: loading the policies and the schema validator
        # there overlaps reading the inputs here.
        engine.start_partner(warm=schema.prepare)
    try:
        document, load = normalize_paths(paths, settings, _adapter_options(args), args.kind, validate=False)
        result = scan_document(document, load, waivers, dt.date.today(), engine, jobs, validate=True)
    finally:
        engine.stop_partner()
    report = Report(result, fail_on=fail_on, color=_use_color(args, fmt), verbose=args.verbose)
    _emit(render(fmt, report), args.output)
    _report_skipped(result.skipped, args.verbose)
    if not document["inputs"] and not result.errors:
        # Not an error (a pre-commit run may pass only unrelated files), but worth a word.
        _say(f"note: no Terraform, plan JSON, ROS or API export input found in {', '.join(args.paths)}")
    if args.verbose:
        st = engine.stats
        _say(f"engine: compiled in {st.compile_seconds * 1000:.0f} ms, {st.units} unit(s) evaluated in "
             f"{st.evaluate_seconds * 1000:.0f} ms")
    if fmt != "text" or args.output is not None:
        # Machine formats carry errors and warnings inside; repeat them for the person at the terminal.
        for warning in result.warnings:
            _say(f"warning: {warning}")
        for error in result.errors:
            _say(f"error: {error}")
    return result.exit_code(fail_on, soft_fail)


def _rules(args: argparse.Namespace) -> int:
    from checkov_ack.reporters.catalog import RENDERERS, load_catalog

    _emit(RENDERERS[args.format](load_catalog()), args.output)
    return 0


def _checkov_dir(args: argparse.Namespace) -> int:
    from checkov_ack.resources import checkov_checks_dir

    _emit(f"{checkov_checks_dir()}\n", None)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    verbose = "--verbose" in (sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser().parse_args(argv)
        commands = {"normalize": _normalize, "scan": _scan, "rules": _rules, "checkov-dir": _checkov_dir,
                    "bundle": bundle.run}
        return commands[args.command](args)
    except UsageError as exc:
        _say(f"error: {exc}")
        return 2
    except EngineError as exc:
        _say(f"error: policy engine: {exc}")
        return 2
    except DocumentError as exc:
        _say(f"error: {exc}")
        return 2
    except CheckovAckError as exc:
        _say(f"error: {exc}")
        return 2
    except BrokenPipeError:
        # `checkov-ack scan . | head`: the reader left; not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 2
    except KeyboardInterrupt:
        _say("interrupted")
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence: a message, never a traceback
        _say(f"internal error: {type(exc).__name__}: {exc} (please report it; --verbose shows the traceback)")
        if verbose:
            import traceback

            traceback.print_exc()
        return 2
