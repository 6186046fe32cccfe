"""The compiled-bundle cache: a built bundle is kept per policy content and regopy build, later
engines (same process, fresh process, --jobs workers) load it instead of building, it answers as a
fresh build does, and a bad file never breaks a scan."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from checkov_ack.engine import Engine, PolicySet, load_policy_set, regopy_engine
from checkov_ack.engine.regopy_engine import _load_cached, _query, bundle_cache_path
from checkov_ack.errors import EngineError
from checkov_ack.model.assemble import assemble
from checkov_ack.model.document import (
    ClusterInput,
    Json,
    SecurityGroupInput,
    make_cluster,
    make_security_group,
)
from checkov_ack.model.settings import Settings
from checkov_ack.scan import normalize_paths
from helpers import FIXTURES, ROOT

# One finding per SG; {extra} goes into the rule body.
POLICY = """
package ack

findings contains f if {{
    some sg in input.security_groups
    {extra}
    f := {{"rule_id": "CKV_ACK_13", "status": "pass", "severity": "HIGH", "title": "probe",
          "message": "{message}", "resource": sg.address, "file": sg.loc.file, "line": sg.loc.line}}
}}
"""
MISSING_BUILTIN = 'net.cidr_contains("10.0.0.0/8", "10.1.0.0/16")'  # regopy has no net.*


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "checkov-ack"


def _policies(tmp_path: Path, message: str = "seen", extra: str = "") -> PolicySet:
    root = tmp_path / f"policies-{message}-{len(extra)}"
    (root / "ack").mkdir(parents=True)
    (root / "ack" / "main.rego").write_text(POLICY.format(message=message, extra=extra), encoding="utf-8")
    return load_policy_set(root)


def _document(*keys: str, clusters: bool = False) -> Json:
    """SGs with these keys; with clusters, one cluster per SG (so one evaluation unit each)."""
    sgs = [
        make_security_group(SecurityGroupInput(key=k, address=f"alicloud_security_group.{k}", file="main.tf",
                                               line=3), [])
        for k in keys
    ]
    cluster_list = [
        make_cluster(ClusterInput(key=f"c-{k}", address=f"alicloud_cs_managed_kubernetes.{k}", file="main.tf",
                                  line=9, name=k, security_group=k, network_plugin="flannel"))
        for k in (keys if clusters else ())
    ]
    part = {"inputs": [{"file": "main.tf", "kind": "terraform_hcl"}], "clusters": cluster_list,
            "security_groups": sgs}
    return assemble([part], Settings())


def _messages(findings: list[Json]) -> list[str]:
    return [f"{f['resource']}: {f['message']}" for f in findings]


def _forbid_building(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_build(*_: object) -> None:
        raise AssertionError("built although a usable bundle was cached")

    monkeypatch.setattr(regopy_engine, "_build", no_build)
    monkeypatch.setattr(regopy_engine, "ensure_compiles", no_build)


def test_a_second_engine_loads_the_bundle_instead_of_building(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    policies = _policies(tmp_path)
    first = Engine(policies, preflight=False)
    first.compile()
    assert first.stats.bundle_from == "build"
    assert bundle_cache_path(policies).is_file()
    _forbid_building(monkeypatch)  # neither a build nor the preflight child may run now
    second = Engine(policies)
    assert _messages(second.evaluate(_document("a"))) == ["alicloud_security_group.a: seen"]
    assert second.stats.bundle_from == "cache"


def test_the_preflight_child_leaves_its_bundle_for_the_caller(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    policies = _policies(tmp_path)
    built_here: list[PolicySet] = []
    real_build = regopy_engine._build

    def recording_build(p: PolicySet) -> regopy_engine.Prepared:
        built_here.append(p)
        return real_build(p)

    monkeypatch.setattr(regopy_engine, "_build", recording_build)
    engine = Engine(policies)  # empty cache: the child compiles first, then we load its bundle
    engine.compile()
    assert engine.stats.bundle_from == "cache" and built_here == []


def test_a_fresh_process_loads_the_cached_bundle(tmp_path: Path, private_cache: Path) -> None:
    policies = _policies(tmp_path)
    Engine(policies, preflight=False).compile()
    script = textwrap.dedent(f"""
        from pathlib import Path
        from checkov_ack.engine import Engine, load_policy_set, regopy_engine
        def no_build(*_):
            raise AssertionError("built although a usable bundle was cached")
        regopy_engine._build = regopy_engine.ensure_compiles = no_build
        engine = Engine(load_policy_set(Path({str(policies.root)!r})))
        engine.compile()
        print(engine.stats.bundle_from)
    """)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(private_cache.parent)}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "cache\n"


def test_workers_load_the_cached_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(regopy_engine, "_SPLIT_UNITS", 0)  # a pool of workers even for two units
    engine = Engine(_policies(tmp_path), preflight=False)
    findings = engine.evaluate(_document("a", "b", clusters=True), jobs=2)
    assert _messages(findings) == ["alicloud_security_group.a: seen", "alicloud_security_group.b: seen"]
    assert engine.stats.bundle_from == "build"  # the parent prepares the bundle for the workers
    assert engine.stats.worker_bundles_from and set(engine.stats.worker_bundles_from) == {"cache"}


@pytest.mark.slow
def test_findings_from_a_cached_bundle_equal_a_fresh_build() -> None:
    policies = load_policy_set()  # the shipped policies, read once so both engines share them
    scenarios = FIXTURES / "scenarios"
    documents = [normalize_paths([scenarios / name / "terraform_hcl"])[0]
                 for name in ("basic-flannel", "advanced-terway", "existing-sg-nodepools")]
    documents.append(normalize_paths([scenarios / "existing-sg-nodepools" / "api_export"])[0])
    built = Engine(policies, preflight=False)
    built.compile()
    loaded = Engine(policies)
    loaded.compile()
    assert (built.stats.bundle_from, loaded.stats.bundle_from) == ("build", "cache")
    for document in documents:
        expected = built.evaluate(document)
        assert expected  # a document the rules have something to say on
        assert loaded.evaluate(document) == expected


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "flipped byte"])
def test_a_damaged_cache_file_is_rebuilt_and_replaced(tmp_path: Path, damage: str) -> None:
    policies = _policies(tmp_path)
    Engine(policies, preflight=False).compile()
    path = bundle_cache_path(policies)
    good = path.read_bytes()
    damaged = {
        "garbage": b"not a bundle at all",
        "truncated": good[: len(good) // 2],
        "empty": b"",
        "flipped byte": good[:-100] + bytes([good[-100] ^ 0xFF]) + good[-99:],
    }[damage]
    path.write_bytes(damaged)
    assert _load_cached(path) is None
    engine = Engine(policies, preflight=False)  # with it, its child would be the one to rebuild
    assert _messages(engine.evaluate(_document("a"))) == ["alicloud_security_group.a: seen"]
    assert engine.stats.bundle_from == "build"
    assert path.read_bytes() != damaged and _load_cached(path) is not None


def test_a_cached_bundle_that_fails_is_judged_on_a_fresh_build(tmp_path: Path) -> None:
    # A file that loads but answers with an error (here: another policy set's bundle under this
    # name) must not be blamed on the policies; a fresh build decides, and replaces the file.
    good = _policies(tmp_path, "good")
    broken = _policies(tmp_path, "broken", MISSING_BUILTIN)
    Engine(broken, preflight=False).compile()
    path = bundle_cache_path(good)
    path.write_bytes(bundle_cache_path(broken).read_bytes())
    engine = Engine(good)
    assert _messages(engine.evaluate(_document("a"))) == ["alicloud_security_group.a: good"]
    assert engine.stats.bundle_from == "build"
    assert path.read_bytes() != bundle_cache_path(broken).read_bytes()


def test_a_loaded_bundle_still_raises_on_a_missing_builtin(tmp_path: Path) -> None:
    broken = _policies(tmp_path, "broken", MISSING_BUILTIN)
    Engine(broken, preflight=False).compile()
    prepared = _load_cached(bundle_cache_path(broken))
    assert prepared is not None
    # Not strict, regopy would call the rule undefined and answer "no findings" without an error.
    assert _query(*prepared, _document("a")).error is not None
    with pytest.raises(EngineError, match="policy evaluation failed"):
        Engine(broken).evaluate(_document("a"))


def test_a_changed_policy_set_gets_its_own_cache_file(tmp_path: Path, private_cache: Path) -> None:
    before = _policies(tmp_path, "before")
    after = _policies(tmp_path, "after")
    assert bundle_cache_path(before) != bundle_cache_path(after)
    data_changed = PolicySet(before.root, before.modules, {"ack": {"x": 1}})
    assert bundle_cache_path(data_changed) != bundle_cache_path(before)
    Engine(before, preflight=False).compile()
    engine = Engine(after, preflight=False)
    assert _messages(engine.evaluate(_document("a"))) == ["alicloud_security_group.a: after"]
    assert engine.stats.bundle_from == "build"
    assert sorted(p.name for p in private_cache.glob("bundle-*")) == sorted(
        bundle_cache_path(p).name for p in (before, after)
    )


def test_an_unwritable_cache_only_costs_a_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    policies = _policies(tmp_path)
    for _ in range(2):
        engine = Engine(policies)
        assert _messages(engine.evaluate(_document("a"))) == ["alicloud_security_group.a: seen"]
        assert engine.stats.bundle_from == "build"


def test_old_bundles_are_pruned(tmp_path: Path, private_cache: Path) -> None:
    sets = [_policies(tmp_path, f"v{i}") for i in range(regopy_engine._KEEP_BUNDLES + 2)]
    for index, policies in enumerate(sets):
        Engine(policies, preflight=False).compile()
        os.utime(bundle_cache_path(policies), (index, index))  # distinct ages, oldest first
    kept = {p.name for p in private_cache.glob("bundle-*")}
    newest = {bundle_cache_path(p).name for p in sets[-regopy_engine._KEEP_BUNDLES:]}
    assert kept == newest  # no temporary files left behind either
