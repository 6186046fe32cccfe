"""`checkov-ack bundle -o FILE`: the shipped policies as an OPA bundle (tar.gz) for OPA users.

The bundle holds a `.manifest` (`{"revision": "<package version>", "roots": ["ack"]}`), every
non-test Rego module and every `data.json` of the policy folder, under their paths relative to it
(`ack/main.rego`, `ack/catalog/data.json`, ...). Load it with `opa eval -b FILE 'data.ack.findings'`
or `opa run -s -b FILE`; `opa build -b policies --ignore '*_test.rego' --ignore capabilities.json`
builds an equivalent one. The archive is reproducible: sorted entries, fixed times and owners.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import sys
import tarfile
from pathlib import Path
from typing import Any

from checkov_ack import __version__
from checkov_ack.errors import UsageError
from checkov_ack.resources import policies_dir

ROOT_PACKAGE = "ack"


def manifest() -> dict[str, Any]:
    return {"revision": __version__, "roots": [ROOT_PACKAGE]}


def _is_test(path: Path) -> bool:
    return path.name.endswith("_test.rego")


def bundle_files(policies: Path) -> list[tuple[str, Path]]:
    """(path inside the bundle, file) for the non-test Rego and the data.json files under the root."""
    base = policies / ROOT_PACKAGE
    found = [p for p in base.rglob("*.rego") if not _is_test(p)] + list(base.rglob("data.json"))
    return sorted((p.relative_to(policies).as_posix(), p) for p in found if p.is_file())


def _add(tar: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mode = 0o644
    info.mtime = 0
    info.uname = info.gname = ""
    tar.addfile(info, io.BytesIO(content))


def write_bundle(output: Path, policies: Path | None = None) -> Path:
    """Write the bundle to `output` (parent folders created) and return its path."""
    source = policies or policies_dir()
    files = bundle_files(source)
    if not any(name.endswith(".rego") for name, _ in files):
        raise UsageError(f"{source}: no Rego policies under {ROOT_PACKAGE}/")
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        _add(tar, "/.manifest", (json.dumps(manifest(), sort_keys=True) + "\n").encode())
        for name, path in files:
            _add(tar, "/" + name, path.read_bytes())
    tmp = output.with_name(output.name + ".tmp")
    with open(tmp, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
        gz.write(buffer.getvalue())
    tmp.replace(output)
    return output


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add `bundle -o FILE` to the CLI's subcommands; the handler is `run`."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "bundle",
        help="write the policies as an OPA bundle (tar.gz)",
        description="Write the policies as an OPA bundle: .manifest (root 'ack', revision "
        f"{__version__}), the Rego and the catalog data. Use: opa eval -b FILE 'data.ack.findings'.",
    )
    parser.add_argument("-o", "--output", required=True, type=Path, metavar="FILE",
                        help="bundle file to write, e.g. checkov-ack-bundle.tar.gz")
    parser.set_defaults(handler=run)
    return parser


def run(args: argparse.Namespace) -> int:
    path = write_bundle(args.output)
    print(f"wrote {path} (revision {__version__}, root {ROOT_PACKAGE})")
    return 0


def main(argv: list[str] | None = None) -> int:
    """`python -m checkov_ack.bundle -o FILE`: the same as `checkov-ack bundle -o FILE`."""
    parser = argparse.ArgumentParser(prog="python -m checkov_ack.bundle")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["bundle", *(sys.argv[1:] if argv is None else argv)])
    return int(args.handler(args))


if __name__ == "__main__":
    raise SystemExit(main())
