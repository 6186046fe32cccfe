"""Heavy libraries load only when a scan needs them: lark and the hcl2 grammar (~0.15 s) when a
Terraform HCL file is read, jsonschema (~0.1 s) when a document is validated, regopy when policies
are evaluated. Checked in a fresh process, since this test session has imported everything."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from helpers import FIXTURES, ROOT

SCENARIO = FIXTURES / "scenarios" / "basic-flannel"
HEAVY = ("lark", "hcl2", "jsonschema", "regopy", "checkov")

SCRIPT = textwrap.dedent(f"""
    import json, sys
    HEAVY = {HEAVY!r}
    seen = {{}}
    def note(step):
        seen[step] = sorted(m for m in HEAVY if m in sys.modules)
    import checkov_ack.cli
    note("cli imported")
    from checkov_ack.scan import normalize_paths
    for kind in ("terraform_plan", "ros", "api_export"):
        document, load = normalize_paths([{str(SCENARIO)!r} + "/" + kind])
        assert document["clusters"] and not load.errors, (kind, load.errors)
    note("plan, ROS and API export normalized")
    normalize_paths([{str(SCENARIO)!r} + "/terraform_hcl"])
    note("HCL normalized")
    print(json.dumps(seen))
""")


def test_heavy_imports_wait_for_the_files_that_need_them() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "cli imported": [],
        "plan, ROS and API export normalized": ["jsonschema"],
        "HCL normalized": ["hcl2", "jsonschema", "lark"],
    }


def test_each_kind_names_the_adapter_that_reads_it() -> None:
    from checkov_ack.adapters import KINDS

    assert {kind: KINDS[kind].KIND for kind in KINDS} == {kind: kind for kind in KINDS}
