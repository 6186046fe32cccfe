"""Safe, bounded reading shared by the adapters: size limits, UTF-8, JSON/YAML depth and alias bombs."""

from __future__ import annotations

import bisect
import json
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checkov_ack.errors import InputError

if TYPE_CHECKING:
    import yaml

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 200
MAX_YAML_NODES = 2_000_000  # after alias expansion: a billion-laughs file stops here


@dataclass
class AdapterOptions:
    """What the command line passes to adapters."""

    var_files: list[Path] = field(default_factory=list)
    params: dict[str, str] = field(default_factory=dict)  # ROS parameters and Terraform -var
    follow_symlinks: bool = False


def read_text(path: Path) -> str:
    """The file as text, or an InputError that names it (too big, binary, not UTF-8, unreadable)."""
    name = str(path)
    try:
        info = path.stat()
        # A FIFO or device in a scanned tree would block the scan forever or never end (/dev/zero).
        if not stat.S_ISREG(info.st_mode):
            raise InputError(name, "not a regular file (a FIFO, socket or device)")
        if info.st_size > MAX_FILE_BYTES:
            raise InputError(name, f"file is {info.st_size} bytes, over the {MAX_FILE_BYTES}-byte limit")
        with path.open("rb") as handle:
            # Read one byte past the limit: a file that grows after stat() is still bounded.
            data = handle.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise InputError(name, f"file is over the {MAX_FILE_BYTES}-byte limit")
    except OSError as exc:
        raise InputError(name, f"cannot read: {exc.strerror or exc}") from None
    if b"\x00" in data[:8192]:
        raise InputError(name, "binary file (NUL bytes), not a text input")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(name, "not valid UTF-8", line) from None


def _depth_ok(value: Any, limit: int = MAX_DEPTH) -> bool:
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return False
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return True


def load_json(text: str, file: str) -> Any:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(file, f"invalid JSON: {exc.msg}", exc.lineno) from None
    except RecursionError:
        raise InputError(file, f"JSON nested deeper than {MAX_DEPTH} levels") from None
    if not _depth_ok(value):
        raise InputError(file, f"JSON nested deeper than {MAX_DEPTH} levels")
    return value


def check_yaml_bounds(node: yaml.Node, file: str) -> None:
    """Refuse documents whose alias expansion or nesting would explode later traversals."""
    import yaml  # here: only YAML inputs need it

    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, int, bool]] = [(node, 0, False)]
    while stack:
        current, depth, done = stack.pop()
        if depth > MAX_DEPTH:
            line = current.start_mark.line + 1 if current.start_mark else None
            raise InputError(file, f"YAML nested deeper than {MAX_DEPTH} levels", line)
        if id(current) in sizes:
            continue
        children: list[yaml.Node] = []
        if isinstance(current, yaml.SequenceNode):
            children = list(current.value)
        elif isinstance(current, yaml.MappingNode):
            children = [n for pair in current.value for n in pair]
        if done or not children:
            sizes[id(current)] = 1 + sum(sizes.get(id(c), 1) for c in children)
            if sizes[id(current)] > MAX_YAML_NODES:
                raise InputError(file, "YAML alias expansion too large (alias bomb?)")
            continue
        stack.append((current, depth, True))
        stack.extend((c, depth + 1, False) for c in children if id(c) not in sizes)


class LineIndex:
    """Line numbers of text offsets, for inputs whose parser gives none (JSON)."""

    def __init__(self, text: str) -> None:
        self.text = text
        # re scans in C; a per-character Python loop dominated loading of multi-MB plans.
        self.starts = [0]
        self.starts.extend(m.end() for m in re.finditer("\n", text))

    def line_at(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)

    def find(self, *needles: str, start: int = 0) -> int | None:
        """Line of the first needle found (tried in order), or None."""
        for needle in needles:
            pos = self.text.find(needle, start)
            if pos >= 0:
                return self.line_at(pos)
        return None
