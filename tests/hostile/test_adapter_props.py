"""Every adapter on damaged input: arbitrary bytes, truncated and mutated real inputs, wrong types in
every field. The only outcomes are parts that assemble into a valid document, or InputErrors that
name the file; never an exception, never a document that breaks the schema.
"""

from __future__ import annotations

import copy
import json
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hostile.inputs import data_files, module_dirs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checkov_ack.adapters import KINDS, load_paths
from checkov_ack.adapters.common import AdapterOptions
from checkov_ack.errors import InputError
from checkov_ack.model.assemble import assemble
from checkov_ack.model.schema import schema_errors
from checkov_ack.model.settings import Settings

PROPS = settings(max_examples=300, deadline=None, derandomize=True,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FILES = data_files()
TF_FILES = sorted(p for d in module_dirs() for p in d.glob("*.tf"))
SUFFIX = {"terraform_hcl": "main.tf", "terraform_plan": "plan.json", "ros": "template.yaml",
          "api_export": "export.json"}


def _check(path: Path, target: Path, kind: str | None) -> None:
    """Load target (a file or a module folder) and check the contract; path is the damaged file."""
    load = load_paths([target], AdapterOptions(), kind)
    for error in load.errors:
        assert isinstance(error, InputError)
        assert error.file and (error.file == str(path) or error.file.startswith(str(target))), error
    problems = schema_errors(assemble(load.parts, Settings()))
    assert problems == [], problems[:3]


def _load_bytes(name: str, data: bytes, kind: str | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        _check(path, Path(tmp) if name.endswith(".tf") else path, kind)


@PROPS
@given(st.sampled_from(sorted(KINDS)), st.binary(max_size=2048))
def test_arbitrary_bytes(kind: str, data: bytes) -> None:
    _load_bytes(SUFFIX[kind], data, kind)


@PROPS
@given(st.sampled_from(sorted(KINDS)), st.text(max_size=2048))
def test_arbitrary_text(kind: str, text: str) -> None:
    _load_bytes(SUFFIX[kind], text.encode("utf-8", "surrogatepass"), kind)


_edit = st.tuples(st.sampled_from(["flip", "insert", "delete", "duplicate", "truncate"]),
                  st.floats(0, 1), st.integers(1, 64), st.binary(min_size=1, max_size=8))


def _mutate(data: bytes, edits: list[tuple[str, float, int, bytes]]) -> bytes:
    for op, where, size, junk in edits:
        at = int(where * len(data))
        if op == "flip" and data:
            at = min(at, len(data) - 1)
            data = data[:at] + bytes([data[at] ^ (1 << (size % 8))]) + data[at + 1:]
        elif op == "insert":
            data = data[:at] + junk + data[at:]
        elif op == "delete":
            data = data[:at] + data[at + size:]
        elif op == "duplicate":
            data = data[:at] + data[at:at + size] * 2 + data[at + size:]
        else:
            data = data[:at]
    return data


@PROPS
@given(st.sampled_from(FILES + TF_FILES), st.lists(_edit, min_size=1, max_size=4), st.booleans())
def test_mutated_real_inputs(source: Path, edits: list[tuple[str, float, int, bytes]], forced: bool) -> None:
    data = _mutate(source.read_bytes(), edits)
    kind = "terraform_hcl" if source.suffix == ".tf" else None
    if forced and kind is None:
        kind = _kind_of(source)
    _load_bytes(source.name, data, kind)


def _kind_of(source: Path) -> str | None:
    load = load_paths([source], AdapterOptions())
    return str(load.parts[0]["inputs"][0]["kind"]) if load.parts else None


# ----------------------------------------------------------------- wrong types in every field

def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for key, sub in value.items():
            out.extend(_paths(sub, (*prefix, key)))
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            out.extend(_paths(sub, (*prefix, i)))
    return out


def _parsed(path: Path) -> Any:
    """The file as plain data; None for YAML with ROS short-form tags (!Ref), which safe_dump loses."""
    text = path.read_text(encoding="utf-8")
    try:
        return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except yaml.YAMLError:
        return None


STRUCTURED = [(p, _parsed(p)) for p in FILES if p.stat().st_size < 200_000]
STRUCTURED = [(p, v) for p, v in STRUCTURED if isinstance(v, dict)]
WRONG = st.one_of(
    st.none(), st.booleans(), st.integers(-2**70, 2**70), st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20), st.sampled_from(["", "-1/-1", "0.0.0.0/0", "sg-", "${x}", "1e400", "\u0000"]),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
    st.just([[[[[[]]]]]]), st.just({"Ref": "Nowhere"}), st.just({"Fn::GetAtt": [1, 2]}),
    st.just(list(range(5000))),
)


@st.composite
def wrong_typed(draw: st.DrawFn) -> tuple[Path, Any]:
    path, value = draw(st.sampled_from(STRUCTURED))
    doc = copy.deepcopy(value)
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.sampled_from(_paths(doc)[1:] or [()]))
        if not where:
            break
        node = doc
        for step in where[:-1]:
            node = node[step]
        if draw(st.booleans()) and isinstance(node, dict):
            del node[where[-1]]
        else:
            # A copy: st.just() hands out the same object every time, and later edits write into it.
            node[where[-1]] = copy.deepcopy(draw(WRONG))
    return path, doc


def _dump(path: Path, value: Any) -> bytes:
    if path.suffix == ".json":
        return json.dumps(value).encode()
    return yaml.safe_dump(value, allow_unicode=True).encode()


@PROPS
@given(wrong_typed())
def test_wrong_types_in_every_field(case: tuple[Path, Any]) -> None:
    path, value = case
    _load_bytes(path.name, _dump(path, value), _kind_of(path))


HCL_VALUES = ["null", "true", "[]", "{}", '"x"', "-1", "1e400", "[[[[1]]]]", '{a = {b = [1]}}', "var.nope",
              "module.nope.out", 'file("/etc/passwd")', '"${1/0}"', "local.loop", "count.index", "each.key",
              '"git::https://example.com/x.git"']


@PROPS
@given(st.sampled_from(TF_FILES), st.lists(st.tuples(st.floats(0, 1), st.sampled_from(HCL_VALUES)),
                                           min_size=1, max_size=4))
def test_wrong_types_in_terraform_attributes(source: Path, edits: list[tuple[float, str]]) -> None:
    lines = source.read_text(encoding="utf-8").splitlines()
    assigns = [i for i, line in enumerate(lines) if " = " in line]
    for where, value in edits:
        if assigns:
            i = assigns[int(where * (len(assigns) - 1))]
            lines[i] = lines[i].split(" = ", 1)[0] + " = " + value
    with tempfile.TemporaryDirectory() as tmp:
        # The whole module folder (child modules included), with the one file edited.
        folder = Path(tmp) / "m"
        _copy_module(source.parent, folder)
        (folder / source.name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        load = load_paths([folder], AdapterOptions())
        for error in load.errors:
            assert error.file.startswith(tmp), error
        assert schema_errors(assemble(load.parts, Settings())) == []


def _copy_module(src: Path, dst: Path) -> None:
    dst.mkdir(parents=True)
    for item in src.rglob("*"):
        if item.is_file() and item.suffix in (".tf", ".tfvars", ".json"):
            target = dst / item.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(item.read_bytes())
