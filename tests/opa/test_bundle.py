"""The OPA bundle: `checkov_ack.bundle.write_bundle` (the `checkov-ack bundle -o FILE` command).

- its content: `.manifest` (single root "ack", revision = package version), every non-test Rego
  module and data.json of policies/, byte for byte, under their paths;
- `opa eval -b BUNDLE 'data.ack.findings'` gives the same findings as `opa eval -d policies`;
- `opa build` reproduces it: from the extracted bundle folder (same manifest, files, data), and from
  policies/ itself (same Rego, same data).
"""

from __future__ import annotations

import json
import tarfile
from pathlib import Path
from typing import Any

import pytest
from corpus import fixture_documents, generated_documents
from engines import POLICIES, opa_findings
from tools import require, run

from checkov_ack import __version__
from checkov_ack.bundle import bundle_files, manifest, write_bundle
from helpers import ROOT

Json = dict[str, Any]


def read_tar(path: Path) -> dict[str, bytes]:
    """Regular files of a tar.gz, by path without the leading slash."""
    with tarfile.open(path, "r:gz") as tar:
        return {m.name.lstrip("/"): tar.extractfile(m).read()  # type: ignore[union-attr]
                for m in tar.getmembers() if m.isfile()}


def expected_files() -> dict[str, bytes]:
    files = {}
    for path in POLICIES.rglob("*"):
        rel = path.relative_to(POLICIES).as_posix()
        if path.is_file() and rel.startswith("ack/") and (
            (path.suffix == ".rego" and not path.name.endswith("_test.rego")) or path.name == "data.json"
        ):
            files[rel] = path.read_bytes()
    return files


def merged_data(files: dict[str, bytes]) -> Json:
    """Data documents of a bundle's files, merged as OPA does (each data.json at its folder)."""
    data: Json = {}
    for name, content in sorted(files.items()):
        if not name.endswith("data.json"):
            continue
        node = data
        for part in Path(name).parent.parts:
            node = node.setdefault(part, {})
        node.update(json.loads(content))
    return data


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_bundle(tmp_path_factory.mktemp("bundle") / "out" / "checkov-ack.tar.gz")


def test_bundle_content(bundle: Path) -> None:
    files = read_tar(bundle)
    assert json.loads(files.pop(".manifest")) == {"revision": __version__, "roots": ["ack"]}
    assert manifest() == {"revision": __version__, "roots": ["ack"]}
    assert files == expected_files()
    assert not [n for n in files if n.endswith("_test.rego") or n == "capabilities.json"]
    assert {name for name, _ in bundle_files(POLICIES)} == set(files)


def test_bundle_is_reproducible(bundle: Path, tmp_path: Path) -> None:
    again = write_bundle(tmp_path / "again.tar.gz")
    assert again.read_bytes() == bundle.read_bytes()


def test_bundle_refuses_a_folder_without_policies(tmp_path: Path) -> None:
    from checkov_ack.errors import UsageError

    with pytest.raises(UsageError):
        write_bundle(tmp_path / "b.tar.gz", policies=tmp_path)


@pytest.mark.opa
def test_opa_eval_bundle_gives_the_same_findings(bundle: Path) -> None:
    opa = require("opa")
    docs = [d for _, d in fixture_documents()[0]] + list(generated_documents())[:200]
    from_dir = opa_findings(opa, docs)
    from_bundle = opa_findings(opa, docs, data=(), bundle=str(bundle))
    canon = [sorted(json.dumps(f, sort_keys=True) for f in fs) for fs in from_dir]
    assert canon == [sorted(json.dumps(f, sort_keys=True) for f in fs) for fs in from_bundle]
    print(f"\nbundle: {len(docs)} documents, {sum(map(len, from_dir))} findings identical")


@pytest.mark.opa
def test_opa_build_reproduces_the_bundle(bundle: Path, tmp_path: Path) -> None:
    """`opa build -b <extracted bundle>` keeps our manifest and files; `opa build -b policies`
    (tests and the capabilities file left out) gives the same Rego and the same data."""
    opa = require("opa")
    ours = read_tar(bundle)
    folder = tmp_path / "extracted"
    for name, content in ours.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(content)
    rebuilt = tmp_path / "rebuilt.tar.gz"
    out = run([opa, "build", "-b", ".", "-o", str(rebuilt)], cwd=folder)
    assert out.returncode == 0, out.stderr
    theirs = read_tar(rebuilt)
    their_manifest = json.loads(theirs.pop(".manifest"))
    assert their_manifest["roots"] == ["ack"] and their_manifest["revision"] == __version__
    assert {n: c for n, c in theirs.items() if n.endswith(".rego")} == {
        n: c for n, c in ours.items() if n.endswith(".rego")}
    assert merged_data(theirs) == merged_data(ours)

    from_source = tmp_path / "from-source.tar.gz"
    out = run([opa, "build", "-b", ".", "--ignore", "*_test.rego", "--ignore", "capabilities.json",
               "-r", __version__, "-o", str(from_source)], cwd=ROOT / "policies")
    assert out.returncode == 0, out.stderr
    source = read_tar(from_source)
    assert json.loads(source.pop(".manifest"))["revision"] == __version__
    assert {n: c for n, c in source.items() if n.endswith(".rego")} == {
        n: c for n, c in ours.items() if n.endswith(".rego")}
    assert merged_data(source) == merged_data(ours)


def test_register_adds_the_bundle_subcommand(tmp_path: Path) -> None:
    import argparse

    from checkov_ack import bundle as bundle_module

    parser = argparse.ArgumentParser(prog="checkov-ack")
    bundle_module.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["bundle", "-o", str(tmp_path / "b.tar.gz")])
    assert args.handler(args) == 0
    assert tarfile.is_tarfile(tmp_path / "b.tar.gz")
    assert json.loads(read_tar(tmp_path / "b.tar.gz")[".manifest"])["roots"] == ["ack"]
