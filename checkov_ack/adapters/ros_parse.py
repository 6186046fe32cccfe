"""Reading ROS templates (YAML and JSON) into plain data that remembers where things are.

Mappings become `LDict` and sequences `LList`: ordinary dict/list subclasses carrying the 1-based
line of the node itself, of each key (mappings) and the line span of each item (sequences). The
adapter needs those lines for `loc.line` and to find `#checkov:skip` comments inside a resource.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import yaml

from checkov_ack.adapters.common import MAX_DEPTH, LineIndex, check_yaml_bounds, load_json
from checkov_ack.errors import InputError


class LDict(dict[Any, Any]):
    """A mapping with its own line, each key's line, and each value's last line."""

    line: int | None = None
    end_line: int | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.key_lines: dict[Any, int] = {}
        self.value_ends: dict[Any, int] = {}


class LList(list[Any]):
    """A sequence with its own line and each item's (first line, last line)."""

    line: int | None = None
    end_line: int | None = None

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.item_spans: list[tuple[int, int]] = []


def line_of(value: Any) -> int | None:
    return value.line if isinstance(value, (LDict, LList)) else None


# --- YAML -----------------------------------------------------------------------------------------

# Short tags ROS accepts, mapped to the long form a JSON template would write.
_SHORT_TAGS = {
    "Ref": "Ref",
    "Condition": "Condition",
    **{
        name: f"Fn::{name}"
        for name in (
            "GetAtt",
            "Join",
            "Sub",
            "Select",
            "If",
            "Equals",
            "And",
            "Or",
            "Not",
            "FindInMap",
            "Split",
            "Base64Encode",
            "Base64Decode",
            "GetAZs",
            "Replace",
            "Str",
            "Indent",
            "Index",
            "Length",
            "ListMerge",
            "GetJsonValue",
            "MergeMapToList",
            "Avg",
            "SelectMapList",
            "Add",
            "Calculate",
            "Max",
            "Min",
            "GetStackOutput",
            "Jq",
            "FormatTime",
            "MarketplaceImage",
            "Any",
            "Contains",
            "EachMemberIn",
            "MatchPattern",
            "Cidr",
            "Base64",
        )
    },
}


def _start(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _end(node: yaml.Node) -> int:
    # A block collection's end mark is where the next token starts, so its last line is its last
    # child's; a scalar ending at column 0 (block scalars) ends on the previous line.
    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.value and not node.flow_style:
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    mark = node.end_mark
    line = int(mark.line) + 1
    return line - 1 if mark.column == 0 and line > _start(node) else line


class _RosLoader(yaml.SafeLoader):
    """SafeLoader that builds LDict/LList and understands ROS short tags; constructs no objects."""


def _construct_map(loader: _RosLoader, node: yaml.MappingNode) -> Iterator[LDict]:
    data = LDict()
    data.line, data.end_line = _start(node), _end(node)
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise InputError("", "a mapping key is not a scalar", _start(key_node)) from None
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_lines[key] = _start(key_node)
        data.value_ends[key] = _end(value_node)


def _construct_seq(loader: _RosLoader, node: yaml.SequenceNode) -> Iterator[LList]:
    data = LList()
    data.line, data.end_line = _start(node), _end(node)
    yield data
    for child in node.value:
        data.append(loader.construct_object(child, deep=True))
        data.item_spans.append((_start(child), _end(child)))


def _exhaust(gen: Iterator[Any]) -> Any:
    # The two-step constructors yield the empty container first, then fill it.
    value = next(gen)
    for _ in gen:
        pass
    return value


def _short_tag(long_name: str) -> Any:
    def construct(loader: _RosLoader, node: yaml.Node) -> LDict:
        if isinstance(node, yaml.ScalarNode):
            value: Any = loader.construct_scalar(node)
            if long_name == "Fn::GetAtt" and isinstance(value, str):
                # `!GetAtt Sg.SecurityGroupId` is the dotted short form of [Sg, SecurityGroupId].
                value = LList(value.split(".", 1))
        elif isinstance(node, yaml.SequenceNode):
            value = _exhaust(_construct_seq(loader, node))
        elif isinstance(node, yaml.MappingNode):
            value = _exhaust(_construct_map(loader, node))
        else:
            raise InputError("", f"unexpected node under {long_name}", _start(node))
        out = LDict({long_name: value})
        out.line, out.end_line = _start(node), _end(node)
        out.key_lines[long_name] = out.line
        out.value_ends[long_name] = out.end_line
        return out

    return construct


_LOADERS: list[type[Any]] = [_RosLoader]
if getattr(yaml, "__with_libyaml__", False):

    class _RosCLoader(yaml.CSafeLoader):
        """The same loader on libyaml's parser: ten times faster on big templates."""

    _LOADERS.append(_RosCLoader)

for _loader in _LOADERS:
    _loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
    _loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
    for _tag, _long in _SHORT_TAGS.items():
        _loader.add_constructor(f"!{_tag}", _short_tag(_long))

# libyaml composes recursively in C and crashes the process past ~25,000 nesting levels, where the
# Python parser raises RecursionError. It is used only when the text cannot nest that deep.
_C_NESTING_LIMIT = 10_000


def _nesting_bound(text: str) -> int:
    """An upper bound of the YAML nesting depth: flow brackets, plus block levels (each needs more
    indentation or a compact `- ` on the same line, so never more than twice the longest line)."""
    depth = deepest = 0
    for ch in text:
        if ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}" and depth > 0:
            depth -= 1
    longest = max((len(line) for line in text.splitlines()), default=0)
    return deepest + 2 * longest + 2


def _loader_for(text: str) -> Any:
    if len(_LOADERS) > 1 and _nesting_bound(text) < _C_NESTING_LIMIT:
        return _LOADERS[1](text)
    return _RosLoader(text)


def load_yaml(text: str, file: str, fast: bool = True) -> Any:
    """The single YAML document in `text`, bounded (depth, alias expansion) before construction.

    Both loaders only build plain data (SafeConstructor plus the ROS tags): no object construction."""
    loader = _loader_for(text) if fast else _RosLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise InputError(file, "empty YAML document")
        check_yaml_bounds(node, file)
        return loader.construct_document(node)
    except InputError as exc:
        raise InputError(file, exc.message, exc.line) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = int(mark.line) + 1 if mark is not None else None
        raise InputError(file, f"invalid YAML: {exc.problem or exc.context}", line) from None
    except yaml.YAMLError as exc:
        raise InputError(file, f"invalid YAML: {exc}") from None
    except RecursionError:
        raise InputError(file, f"YAML nested deeper than {MAX_DEPTH} levels") from None
    finally:
        loader.dispose()


# --- JSON -----------------------------------------------------------------------------------------

_WS = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null|NaN|-?Infinity")
_DECODER = json.JSONDecoder()


class _Locator:
    """Re-reads JSON already validated by `load_json`, building LDict/LList with line numbers."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = LineIndex(text)

    def skip(self, pos: int) -> int:
        match = _WS.match(self.text, pos)
        return match.end() if match else pos

    def value(self, pos: int) -> tuple[Any, int]:
        pos = self.skip(pos)
        ch = self.text[pos]
        if ch == "{":
            return self.obj(pos)
        if ch == "[":
            return self.arr(pos)
        if ch == '"':
            return json.decoder.scanstring(self.text, pos + 1)  # type: ignore[attr-defined]
        match = _SCALAR.match(self.text, pos)
        if not match:
            raise ValueError(f"unexpected JSON at offset {pos}")
        return _DECODER.decode(match.group(0)), match.end()

    def obj(self, pos: int) -> tuple[LDict, int]:
        out = LDict()
        out.line = self.lines.line_at(pos)
        pos = self.skip(pos + 1)
        while self.text[pos] != "}":
            key_line = self.lines.line_at(pos)
            key, pos = json.decoder.scanstring(self.text, pos + 1)  # type: ignore[attr-defined]
            pos = self.skip(self.skip(pos) + 1)  # past ':'
            out[key], pos = self.value(pos)
            out.key_lines[key] = key_line
            out.value_ends[key] = self.lines.line_at(max(pos - 1, 0))
            pos = self.skip(pos)
            if self.text[pos] == ",":
                pos = self.skip(pos + 1)
        out.end_line = self.lines.line_at(pos)
        return out, pos + 1

    def arr(self, pos: int) -> tuple[LList, int]:
        out = LList()
        out.line = self.lines.line_at(pos)
        pos = self.skip(pos + 1)
        while self.text[pos] != "]":
            start = self.lines.line_at(pos)
            item, pos = self.value(pos)
            out.append(item)
            out.item_spans.append((start, self.lines.line_at(max(pos - 1, 0))))
            pos = self.skip(pos)
            if self.text[pos] == ",":
                pos = self.skip(pos + 1)
        out.end_line = self.lines.line_at(pos)
        return out, pos + 1


def load_json_located(text: str, file: str) -> Any:
    """JSON parsed safely by `load_json`, then re-read for line numbers."""
    load_json(text, file)  # errors, depth limit
    try:
        value, _ = _Locator(text).value(0)
    except (ValueError, IndexError, RecursionError) as exc:
        raise InputError(file, f"invalid JSON: {exc}") from None
    return value


# --- Comments -------------------------------------------------------------------------------------

_SKIP = re.compile(r"(?:^|\s)#\s*checkov:skip=\s*([A-Za-z0-9_]+)\s*(?::\s*(.*?))?\s*$")


def skip_comments(text: str) -> list[tuple[int, str, str | None]]:
    """Every `#checkov:skip=ID:reason` comment as (line, rule ID, reason or None)."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if "checkov:skip" not in line:
            continue
        match = _SKIP.search(line)
        if match:
            found.append((number, match.group(1), match.group(2) or None))
    return found
