"""Terraform HCL adapter on bad input: an InputError naming the file (and line), never a traceback or hang."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from checkov_ack.adapters import terraform_hcl
from checkov_ack.adapters.common import AdapterOptions
from checkov_ack.errors import InputError

SG = """
resource "alicloud_security_group" "ok" {
  security_group_name = "still-read"
}
"""


def write(directory: Path, files: dict[str, str | bytes]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = directory / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    return directory


def load(*dirs: Path, options: AdapterOptions | None = None) -> tuple[list[dict], list[InputError]]:
    return terraform_hcl.load(list(dirs), options or AdapterOptions())


def names(parts: list[dict]) -> list[str]:
    return [sg["name"] for part in parts for sg in part["security_groups"]]


def test_syntax_error_names_file_and_line_and_the_rest_is_read(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad", {"a.tf": SG, "b.tf": 'resource "x" "y" {\n  a = 1\n  b = = 2\n}\n'})
    good = write(tmp_path / "good", {"main.tf": SG})
    parts, errors = load(bad, good)
    (error,) = errors
    assert error.file == str(bad / "b.tf") and error.line == 3
    assert "syntax" in error.message
    assert names(parts) == ["still-read", "still-read"]


@pytest.mark.parametrize(
    "text, line",
    [
        ('resource "a" "b" {\n  x = "unterminated\n}\n', 2),
        ('resource "a" "b" {\n  x = 1\n', None),
        ("locals {\n  x = [1, 2\n}\n", 3),
    ],
)
def test_broken_files(tmp_path: Path, text: str, line: int | None) -> None:
    parts, errors = load(write(tmp_path, {"main.tf": text}))
    (error,) = errors
    assert error.file.endswith("main.tf")
    if line is not None:
        assert error.line == line
    assert parts == []  # no file of that module could be read


def test_binary_and_non_utf8_files(tmp_path: Path) -> None:
    one = write(tmp_path / "one", {"main.tf": b"\x00\x01binary"})
    two = write(tmp_path / "two", {"main.tf": b'locals {\n  x = "\xff"\n}\n'})
    _, errors = load(one, two)
    assert sorted(e.message for e in errors) == [
        "binary file (NUL bytes), not a text input",
        "not valid UTF-8",
    ]


def test_deeply_nested_expression_fails_cleanly(tmp_path: Path) -> None:
    depth = 5000
    text = "locals {\n  x = " + "[" * depth + "1" + "]" * depth + "\n}\n" + SG
    parts, errors = load(write(tmp_path, {"main.tf": text}))
    assert len(errors) == 1 and errors[0].file.endswith("main.tf")
    assert "nested" in errors[0].message or "parse" in errors[0].message


def test_deep_reference_chain_fails_cleanly(tmp_path: Path) -> None:
    chain = "\n".join(f"  a{i} = local.a{i + 1}" for i in range(3000))
    text = f'locals {{\n{chain}\n  a3000 = "22/22"\n}}\n' + SG.replace(
        'security_group_name = "still-read"', "security_group_name = local.a0"
    )
    parts, errors = load(write(tmp_path, {"main.tf": text}))
    # Either evaluated (deep stacks allowed) or a clean error for that directory; never a traceback.
    if errors:
        assert errors[0].message == "expressions nested too deeply to evaluate"
    else:
        assert names(parts) == ["22/22"]


def test_exponential_strings_and_huge_counts_are_bounded(tmp_path: Path) -> None:
    doubling = "\n".join(f'  s{i + 1} = "${{local.s{i}}}${{local.s{i}}}"' for i in range(64))
    text = f"""
locals {{
  s0 = "xx"
{doubling}
}}
resource "alicloud_security_group" "big" {{
  security_group_name = local.s64
}}
resource "alicloud_security_group" "many" {{
  count               = 100000000
  security_group_name = "many"
}}
resource "alicloud_security_group" "range" {{
  security_group_name = length(range(1000000000))
}}
"""
    start = time.monotonic()
    parts, errors = load(write(tmp_path, {"main.tf": text}))
    assert time.monotonic() - start < 10
    (sg_big, sg_range) = parts[0]["security_groups"]
    assert sg_big["provenance"]["name"] == "unknown" and sg_range["provenance"]["name"] == "unknown"
    (error,) = errors
    many_line = text.splitlines().index('resource "alicloud_security_group" "many" {') + 1
    assert error.line == many_line
    assert "alicloud_security_group.many" in error.message and "limit" in error.message


def test_module_calling_itself_stops(tmp_path: Path) -> None:
    text = SG + 'module "me" {\n  source = "./"\n}\n'
    parts, errors = load(write(tmp_path, {"main.tf": text}))
    assert parts and errors
    assert all("nested too deeply" in e.message for e in errors)


def test_module_cycle_between_given_directories_is_still_evaluated(tmp_path: Path) -> None:
    a = write(tmp_path / "a", {"main.tf": SG + 'module "b" {\n  source = "../b"\n}\n'})
    b = write(tmp_path / "b", {"main.tf": 'module "a" {\n  source = "../a"\n}\n'})
    parts, errors = load(a, b)
    assert parts, "a directory reachable only through a cycle must still be scanned"
    assert all("nested too deeply" in e.message for e in errors)


def test_missing_local_module_directory(tmp_path: Path) -> None:
    text = SG + 'module "gone" {\n  source = "./nowhere"\n}\n'
    parts, errors = load(write(tmp_path, {"main.tf": text}))
    assert names(parts) == ["still-read"]
    (error,) = errors
    assert error.file == str(tmp_path / "nowhere") and "cannot read module directory" in error.message


def test_bad_var_files(tmp_path: Path) -> None:
    root = write(
        tmp_path / "root",
        {"main.tf": SG, "terraform.tfvars": "x = \n", "bad.auto.tfvars.json": "{not json"},
    )
    missing = tmp_path / "missing.tfvars"
    blocks = write(tmp_path, {"blocks.tfvars": 'resource "a" "b" {\n}\n'}) / "blocks.tfvars"
    parts, errors = load(root, options=AdapterOptions(var_files=[missing, blocks]))
    assert names(parts) == ["still-read"]
    by_file = {Path(e.file).name: e for e in errors}
    assert set(by_file) == {"terraform.tfvars", "bad.auto.tfvars.json", "missing.tfvars", "blocks.tfvars"}
    assert by_file["bad.auto.tfvars.json"].line == 1
    assert by_file["blocks.tfvars"].line == 1


def test_duplicate_declarations(tmp_path: Path) -> None:
    parts, errors = load(write(tmp_path, {"a.tf": SG, "b.tf": SG}))
    (error,) = errors
    assert error.file.endswith("b.tf") and "duplicate resource" in error.message and error.line == 2


def test_sniff_is_false() -> None:
    assert terraform_hcl.sniff(Path("main.tf"), SG) is False


def test_module_calling_itself_twice_is_capped(tmp_path: Path) -> None:
    text = SG + 'module "a" {\n  source = "./"\n}\nmodule "b" {\n  source = "./"\n}\n'
    start = time.monotonic()
    parts, errors = load(write(tmp_path, {"main.tf": text}))
    assert time.monotonic() - start < 30
    assert parts and errors
    assert all("nested too deeply" in e.message or "module instances" in e.message for e in errors)


def test_error_inside_an_interpolation_has_the_string_line(tmp_path: Path) -> None:
    text = SG + 'locals {\n  a = 1\n  b = "x-${var.a +}"\n}\n'
    parts, errors = load(write(tmp_path, {"main.tf": text}))
    (error,) = errors
    assert error.line == text.splitlines().index('  b = "x-${var.a +}"') + 1


def test_windows_line_endings(tmp_path: Path) -> None:
    doc = 'resource "alicloud_security_group" "doc" {\n  description = <<EOT\nhi\nEOT\n  name = "crlf"\n}\n'
    text = SG + doc
    parts, errors = load(write(tmp_path, {"main.tf": text.replace("\n", "\r\n").encode()}))
    assert errors == []
    assert names(parts) == ["still-read", "crlf"]
    assert [sg["loc"]["line"] for sg in parts[0]["security_groups"]] == [2, 5]


def test_local_module_without_tf_files(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    text = SG + 'module "nothing" {\n  source = "./empty"\n}\n'
    parts, errors = load(write(tmp_path, {"main.tf": text}))
    assert names(parts) == ["still-read"]
    (error,) = errors
    assert "module.nothing" in error.message and "no .tf files" in error.message and error.line == 5
