"""The regopy engine: loads every shipped policy, turns every engine failure into EngineError,
keeps fd 1 clean, evaluates per unit and de-duplicates across units."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from checkov_ack.engine import Engine, load_policy_set, regopy_engine
from checkov_ack.errors import EngineError
from checkov_ack.model.assemble import assemble, unit_documents
from checkov_ack.model.document import (
    ClusterInput,
    Json,
    RuleInput,
    SecurityGroupInput,
    make_cluster,
    make_rule,
    make_security_group,
)
from checkov_ack.model.settings import Settings
from checkov_ack.resources import policies_dir
from helpers import ROOT

REAL = policies_dir()


def _document(clusters: list[Json], sgs: list[Json]) -> Json:
    part = {
        "inputs": [{"file": "main.tf", "kind": "terraform_hcl"}],
        "clusters": clusters,
        "security_groups": sgs,
    }
    return assemble([part], Settings())


def _sg(key: str, rules: list[Json] | None = None) -> Json:
    return make_security_group(
        SecurityGroupInput(key=key, address=f"alicloud_security_group.{key}", file="main.tf", line=10),
        rules or [],
    )


def _cluster(key: str, sg: str, name: str = "k8s", enterprise: bool | None = None) -> Json:
    return make_cluster(
        ClusterInput(
            key=key,
            address=f"alicloud_cs_managed_kubernetes.{key}",
            file="main.tf",
            line=30,
            name=name,
            security_group=sg,
            network_plugin="flannel",
            is_enterprise_security_group=enterprise,
        )
    )


def _walking_main() -> str:
    """The real entry point, with its findings collected from every package under data.ack.rules:
    the shipped main.rego names the catalog's packages, and these tests bring their own."""
    text = (REAL / "ack" / "main.rego").read_text(encoding="utf-8")
    start, end = text.index("findings := findings_a | findings_b"), text.index("deny contains result if")
    walk = "findings contains f if {\n\tsome rule_package in rules\n\tsome f in rule_package.findings\n}\n\n"
    return text[:start] + walk + text[end:]


def _policies(tmp_path: Path, rules: dict[str, str]) -> Path:
    """A policy folder with the real entry point, finding library and catalog, and the given rules."""
    root = tmp_path / "policies"
    for rel in ("ack/main.rego", "ack/lib/finding.rego", "ack/catalog/data.json"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REAL / rel, root / rel)
    (root / "ack" / "main.rego").write_text(_walking_main(), encoding="utf-8")
    for name, source in rules.items():
        path = root / "ack" / "rules" / f"{name}.rego"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source), encoding="utf-8")
    return root


def _rule(body: str, package: str = "probe") -> str:
    return f"package ack.rules.{package}\n\nimport data.ack.lib.finding\n\n" + textwrap.dedent(body)


PER_SG = _rule("""
findings contains finding.make("CKV_ACK_13", "pass", sg, "seen", null) if {
    some sg in input.security_groups
}
""")


def test_loads_every_non_test_policy_and_data_file() -> None:
    policies = load_policy_set()
    expected = {
        f"policies/{p.relative_to(REAL).as_posix()}"
        for p in REAL.rglob("*.rego")
        if not p.name.endswith("_test.rego")
    }
    assert {name for name, _ in policies.modules} == expected
    for data_file in REAL.rglob("data.json"):
        node: object = policies.data
        for part in data_file.parent.relative_to(REAL).parts:
            assert isinstance(node, dict) and part in node, data_file
            node = node[part]
        assert node == json.loads(data_file.read_text(encoding="utf-8"))
    engine = Engine(policies)
    engine._ready()  # compiles every module: a policy regopy cannot load fails here
    assert engine.stats.compile_seconds > 0


def test_shipped_policies_evaluate_a_builder_document() -> None:
    doc = _document([_cluster("c1", "sg1", enterprise=True)], [_sg("sg1")])
    findings = Engine().evaluate(doc)
    conflict = [f for f in findings if f["rule_id"] == "CKV_ACK_16"]
    assert [(f["status"], f["resource"], f["file"], f["line"]) for f in conflict] == [
        ("fail", "alicloud_cs_managed_kubernetes.c1", "main.tf", 30)
    ]
    assert all(f["status"] in ("fail", "unknown", "pass") for f in findings)


def test_test_modules_are_not_loaded(tmp_path: Path) -> None:
    root = _policies(tmp_path, {"probe": PER_SG})
    (root / "ack" / "rules" / "probe_test.rego").write_text(
        "package ack.rules.probe_test\nthis is not rego\n"
    )
    policies = load_policy_set(root)
    assert not any(name.endswith("_test.rego") for name, _ in policies.modules)
    assert Engine(policies).evaluate(_document([], [_sg("a")]))


BROKEN = {
    "missing builtin (strict)": """
        findings contains finding.make("CKV_ACK_13", "fail", sg, "x", null) if {
            some sg in input.security_groups
            net.cidr_contains("10.0.0.0/8", "10.1.0.0/16")
        }
    """,
    "unknown function": """
        findings contains finding.make("CKV_ACK_13", "fail", sg, "x", null) if {
            some sg in input.security_groups
            no.such_function(sg)
        }
    """,
    "conflicting values": """
        verdict := "a" if { count(input.security_groups) > 0 }
        verdict := "b" if { count(input.security_groups) > 0 }
        findings contains finding.make("CKV_ACK_13", "fail", sg, verdict, null) if {
            some sg in input.security_groups
        }
    """,
    "division by zero": """
        findings contains finding.make("CKV_ACK_13", "fail", sg, sprintf("%d", [1 / n]), null) if {
            some sg in input.security_groups
            n := count(sg.rules)
        }
    """,
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_runtime_engine_errors_raise_never_empty(tmp_path: Path, case: str) -> None:
    healthy = {"probe": PER_SG, "zz_probe": PER_SG.replace("ack.rules.probe", "ack.rules.zz_probe")}
    engine = Engine(
        load_policy_set(_policies(tmp_path, {"broken": _rule(BROKEN[case], "broken"), **healthy}))
    )
    with pytest.raises(EngineError) as caught:
        engine.evaluate(_document([], [_sg("a")]))
    message = str(caught.value)
    assert "policy evaluation failed" in message
    # The diagnosis names the failing package, and only it (packages before and after it run).
    assert "failing rule package(s): ack.rules.broken\n" in message + "\n"


def test_syntax_error_names_the_module(tmp_path: Path) -> None:
    root = _policies(tmp_path, {"bad": "package ack.rules.bad\n\nfindings := := 1\n"})
    with pytest.raises(EngineError) as caught:
        Engine(load_policy_set(root)).evaluate(_document([], []))
    assert "policies/ack/rules/bad.rego" in str(caught.value)


def test_undefined_entry_point_is_an_error(tmp_path: Path) -> None:
    root = _policies(tmp_path, {})
    (root / "ack" / "main.rego").write_text("package ack\n\nfindings := [] if { input.never }\n")
    with pytest.raises(EngineError, match="undefined"):
        Engine(load_policy_set(root)).evaluate(_document([], []))


def test_bad_policy_data_names_file_and_line(tmp_path: Path) -> None:
    root = _policies(tmp_path, {"probe": PER_SG})
    (root / "ack" / "tables").mkdir()
    (root / "ack" / "tables" / "data.json").write_text('{\n  "rows": [1,\n}\n')
    with pytest.raises(EngineError, match=r"tables/data.json:3"):
        load_policy_set(root)


def test_fresh_interpreter_after_an_error(tmp_path: Path) -> None:
    rule = _rule("""
        findings contains finding.make("CKV_ACK_16", "pass", c, sprintf("%v", [to_number(c.name)]), null) if {
            some c in input.clusters
        }
    """)
    engine = Engine(load_policy_set(_policies(tmp_path, {"probe": rule})))
    with pytest.raises(EngineError):
        engine.evaluate(_document([_cluster("c1", "sg1", name="not-a-number")], [_sg("sg1")]))
    findings = engine.evaluate(_document([_cluster("c1", "sg1", name="12")], [_sg("sg1")]))
    assert [f["message"] for f in findings] == ["12"]


def test_policy_print_does_not_reach_stdout(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    rule = _rule("""
        findings contains finding.make("CKV_ACK_13", "pass", sg, "seen", null) if {
            some sg in input.security_groups
            print("NOISE-FROM-POLICY", sg.key)
        }
    """)
    findings = Engine(load_policy_set(_policies(tmp_path, {"probe": rule}))).evaluate(
        _document([], [_sg("a")])
    )
    out, _ = capfd.readouterr()
    assert findings and "NOISE-FROM-POLICY" not in out


def test_stdout_stays_json_in_a_real_process(tmp_path: Path) -> None:
    # fd-level check in a separate process: C stdio buffers are flushed into the sink, not later.
    rule = _rule("""
        findings contains finding.make("CKV_ACK_13", "pass", sg, "seen", null) if {
            some sg in input.security_groups
            print("NOISE-FROM-POLICY")
        }
    """)
    root = _policies(tmp_path, {"probe": rule})
    script = textwrap.dedent(f"""
        import json
        from checkov_ack.engine import Engine, load_policy_set, regopy_engine
        doc = json.loads({json.dumps(json.dumps(_document([], [_sg("a")])))})
        findings = Engine(load_policy_set(__import__("pathlib").Path({str(root)!r}))).evaluate(doc)
        print(json.dumps(findings))
    """)
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert [f["message"] for f in json.loads(done.stdout)] == ["seen"]


def test_big_integers_reach_the_policies_exactly(tmp_path: Path) -> None:
    big = 2**70
    rule = _rule(f"""
        findings contains finding.make("CKV_ACK_13", "pass", r, "exact", null) if {{
            some sg in input.security_groups
            some r in sg.rules
            r.priority == {big}
        }}
    """)
    r = make_rule(
        RuleInput(
            key="sg1/r0",
            address="alicloud_security_group_rule.r",
            file="main.tf",
            line=3,
            direction="ingress",
            protocol="tcp",
            port_range="22/22",
            cidr_ip="10.0.0.0/8",
            priority=big,
        )
    )
    findings = Engine(load_policy_set(_policies(tmp_path, {"probe": rule}))).evaluate(
        _document([], [_sg("sg1", [r])])
    )
    assert [f["resource"] for f in findings] == ["alicloud_security_group_rule.r"]


def test_units_and_deduplication(tmp_path: Path) -> None:
    # Two clusters share one SG: the SG is in both units, its finding must appear once.
    doc = _document([_cluster("c1", "shared"), _cluster("c2", "shared")], [_sg("shared"), _sg("alone")])
    assert len(unit_documents(doc)) == 3
    engine = Engine(load_policy_set(_policies(tmp_path, {"probe": PER_SG})))
    findings = engine.evaluate(doc)
    assert sorted(f["resource_key"] for f in findings) == ["alone", "shared"]
    assert engine.stats.units == 3


def test_parallel_units_give_the_same_findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(regopy_engine, "_SPLIT_UNITS", 0)  # a pool of workers, not split units
    doc = _document(
        [_cluster("c1", "shared"), _cluster("c2", "shared"), _cluster("c3", "own")],
        [_sg("shared"), _sg("own"), _sg("alone")],
    )
    policies = load_policy_set(_policies(tmp_path, {"probe": PER_SG}))
    serial = Engine(policies).evaluate(doc)
    parallel = Engine(policies)
    assert parallel.evaluate(doc, jobs=2) == serial
    assert parallel.stats.units == len(unit_documents(doc)) == 4


def test_parallel_engine_error_is_an_engine_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(regopy_engine, "_SPLIT_UNITS", 0)
    engine = Engine(
        load_policy_set(_policies(tmp_path, {"broken": _rule(BROKEN["missing builtin (strict)"], "broken")}))
    )
    with pytest.raises(EngineError, match="policy evaluation failed"):
        engine.evaluate(_document([_cluster("c1", "a"), _cluster("c2", "b")], [_sg("a"), _sg("b")]), jobs=2)


def test_preflight_turns_a_crash_into_an_engine_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from checkov_ack.engine import preflight

    # The child dies the way a regopy crash kills it (regopy aborts on some builds).
    monkeypatch.setattr(preflight, "CHILD_CODE", "import os; os.abort()")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    policies = load_policy_set(_policies(tmp_path, {"probe": PER_SG}))
    with pytest.raises(EngineError, match=r"crashed \(SIGABRT\) while compiling"):
        Engine(policies).evaluate(_document([], [_sg("a")]))


def test_preflight_works_for_callers_without_a_main_guard(tmp_path: Path) -> None:
    # A script calling the API at top level (no `if __name__ == "__main__"`) must not be re-run.
    root = _policies(tmp_path, {"probe": PER_SG})
    script = tmp_path / "unguarded.py"
    script.write_text(
        textwrap.dedent(f"""
            import os
            from pathlib import Path
            os.environ["XDG_CACHE_HOME"] = {str(tmp_path / "cache")!r}
            from checkov_ack.engine import Engine, load_policy_set, regopy_engine
            Engine(load_policy_set(Path({str(root)!r}))).compile()
            print("compiled once")
        """)
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "compiled once\n"


def test_preflight_reports_a_failed_compile_and_caches_success(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from checkov_ack.engine import preflight
    from checkov_ack.engine.regopy_engine import bundle_cache_path

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    bad = load_policy_set(_policies(tmp_path / "bad", {"bad": "package ack.rules.bad\n\nfindings := := 1\n"}))
    with pytest.raises(EngineError, match="policies/ack/rules/bad.rego"):
        preflight.ensure_compiles(bad)
    good = load_policy_set(_policies(tmp_path / "good", {"probe": PER_SG}))
    preflight.ensure_compiles(good)
    cached = tmp_path / "cache" / "checkov-ack"
    assert len(list(cached.glob("compiled-*"))) == 1
    # The child's build is kept for the caller to load; the bad policies left no bundle.
    assert [p.name for p in cached.glob("bundle-*")] == [bundle_cache_path(good).name]

    def no_child(*_: object) -> None:
        raise AssertionError("a cached check must not start a child")

    monkeypatch.setattr(preflight, "_run_child", no_child)
    preflight.ensure_compiles(good)


def test_policy_print_goes_to_stderr_when_asked(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    rule = _rule("""
        findings contains finding.make("CKV_ACK_13", "pass", sg, "seen", null) if {
            some sg in input.security_groups
            print("DEBUG", sg.key)
        }
    """)
    Engine(load_policy_set(_policies(tmp_path, {"probe": rule})), echo=True).evaluate(
        _document([], [_sg("a")])
    )
    out, err = capfd.readouterr()
    assert "DEBUG" not in out and "DEBUG a" in err


def test_shared_engine_compiles_once_per_process() -> None:
    from checkov_ack.engine import shared_engine

    first = shared_engine()
    first.compile()
    again = shared_engine(echo=True)
    assert again is first and again.echo is True
    assert again._interp is not None  # the compiled bundle is kept, not rebuilt
