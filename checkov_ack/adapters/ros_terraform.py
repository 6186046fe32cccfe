"""ROS templates that embed Terraform (`Transform: Aliyun::Terraform-v1.x`), read by the HCL adapter.

The `Workspace` mapping holds the Terraform files as text. They are written to a private temporary
directory, read by `terraform_hcl.load`, and the result is renamed back to the template: keys become
`tf:<template>#Workspace:<address>`, locations point at the template lines of the embedded code,
and the input is the template itself.

ROS parameters become Terraform `-var` values: `--param` first, then the parameter's Default. A
parameter with neither leaves the variable's own default in force (ROS would ask the user for it).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path, PurePosixPath
from typing import Any

from checkov_ack.adapters.common import AdapterOptions
from checkov_ack.adapters.ros_parse import LDict
from checkov_ack.errors import InputError
from checkov_ack.model.document import Json

_MAX_FILES = 200


def _cli_text(value: Any) -> str | None:
    """A parameter value as Terraform's -var would take it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return str(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value)  # JSON lists and objects are HCL literals too
    return None


def _var_values(template: LDict, params: dict[str, str]) -> dict[str, str]:
    values: dict[str, str] = {}
    specs = template.get("Parameters")
    specs = specs if isinstance(specs, dict) else {}
    for name, spec in specs.items():
        if not isinstance(spec, dict):
            continue
        value: Any = params.get(str(name), spec.get("Default"))
        if spec.get("Type") == "CommaDelimitedList" and isinstance(value, str):
            value = [item.strip() for item in value.split(",")]  # as ROS passes it: a list
        text = _cli_text(value)
        if text is not None:
            values[str(name)] = text
    values.update({k: v for k, v in params.items() if k not in specs})
    return values


def _files(file: str, template: LDict, text: str) -> dict[str, tuple[str, int | None, int]]:
    """Embedded file name -> (content, line of its entry, offset from content line to template line)."""
    workspace = template.get("Workspace")
    line = template.key_lines.get("Workspace")
    if not isinstance(workspace, dict) or not workspace:
        raise InputError(file, "embedded Terraform template without a Workspace mapping of files", line)
    if len(workspace) > _MAX_FILES:
        raise InputError(file, f"Workspace holds more than {_MAX_FILES} files", line)
    lines = text.splitlines()
    out: dict[str, tuple[str, int | None, int]] = {}
    for name, content in workspace.items():
        entry_line = workspace.key_lines.get(name) if isinstance(workspace, LDict) else None
        path = PurePosixPath(str(name))
        if path.is_absolute() or ".." in path.parts or not path.parts:
            raise InputError(file, f"Workspace file name {name!r} leaves the workspace", entry_line)
        if not isinstance(content, str):
            raise InputError(file, f"Workspace file {name} is not text", entry_line)
        # A literal block scalar (`main.tf: |`) starts on the next line: its lines map one to one.
        first = next((t for t in content.splitlines() if t.strip()), "")
        offset = 0
        if entry_line is not None:
            skipped = len(content.splitlines()) - len(content.lstrip("\n").splitlines())
            below = entry_line + skipped
            if below < len(lines) and first and lines[below].strip() == first.strip():
                offset = entry_line
        out[str(path)] = (content, entry_line, offset)
    return out


def _relocate(value: Any, file: str, root: str, files: dict[str, tuple[str, int | None, int]]) -> Any:
    if isinstance(value, list):
        return [_relocate(v, file, root, files) for v in value]
    if isinstance(value, str):
        return value.replace(root, f"{file}#Workspace") if root in value else value
    if not isinstance(value, dict):
        return value
    out = {k: _relocate(v, file, root, files) for k, v in value.items() if k not in ("loc", "skips")}
    if "loc" in value and isinstance(value["loc"], dict):
        shown, line = value["loc"].get("file"), value["loc"].get("line")
        out["loc"] = _location(str(shown), line, file, root, files)
        if "skips" in value:
            # Skip comments sit in the same embedded file as their entity.
            out["skips"] = [
                {**skip, "line": _location(str(shown), skip.get("line"), file, root, files)["line"]}
                for skip in value["skips"]
            ]
    elif "skips" in value:
        out["skips"] = value["skips"]
    return out


def _location(
    shown: str, line: Any, file: str, root: str, files: dict[str, tuple[str, int | None, int]]
) -> Json:
    name = shown[len(root) :].lstrip("/") if shown.startswith(root) else ""
    entry = files.get(name)
    if entry is None:
        return {"file": file, "line": None}
    _, entry_line, offset = entry
    if isinstance(line, int) and offset:
        return {"file": file, "line": line + offset}
    return {"file": file, "line": entry_line}


def load_embedded(
    file: str, template: LDict, text: str, params: dict[str, str]
) -> tuple[Json, list[InputError]]:
    """The document part of the embedded Terraform, and the HCL adapter's errors mapped to the template."""
    files = _files(file, template, text)
    with tempfile.TemporaryDirectory(prefix="checkov-ack-ros-tf-") as tmp:
        root = str(Path(tmp) / "workspace")
        for name, (content, _, _) in files.items():
            target = Path(root) / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
        options = AdapterOptions(params=_var_values(template, params))
        # Imported here: the HCL adapter brings lark and the hcl2 grammar (~0.15 s), which only
        # templates that embed Terraform need.
        from checkov_ack.adapters import terraform_hcl

        try:
            parts, errors = terraform_hcl.load([Path(root)], options)
        except RecursionError:
            raise InputError(file, "embedded Terraform nested too deeply to evaluate") from None
        except Exception as exc:  # the HCL adapter's own failure must still name this file
            raise InputError(file, f"embedded Terraform could not be read: {exc}") from None
    moved_errors = []
    for error in errors:
        where = _location(error.file, error.line, file, root, files)
        moved_errors.append(InputError(file, f"embedded Terraform: {error.message}", where["line"]))
    part: Json = {"inputs": [{"file": file, "kind": "ros"}], "clusters": [], "security_groups": []}
    for sub in parts:
        moved = _relocate(sub, file, root, files)
        part["clusters"].extend(moved["clusters"])
        part["security_groups"].extend(moved["security_groups"])
    return part, moved_errors
