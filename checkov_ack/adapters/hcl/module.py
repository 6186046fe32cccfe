"""Terraform modules: reading a directory, variables, locals, count/for_each, local child modules.

Evaluation is lazy and memoized: a value is computed when something references it, so the order
of declarations does not matter, and a reference cycle becomes UNKNOWN instead of a hang.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checkov_ack.adapters.common import load_json, read_text
from checkov_ack.adapters.hcl import syntax as s
from checkov_ack.adapters.hcl.evaluate import Scope, evaluate, evaluate_or_unknown
from checkov_ack.adapters.hcl.values import EvalError, Lazy, Ref, is_opaque, to_str
from checkov_ack.errors import InputError
from checkov_ack.model.document import UNKNOWN

# Computed IDs we can tie back to the resource that declares them.
REF_KINDS = {
    "alicloud_security_group": "sg",
    "alicloud_vswitch": "vswitch",
    "alicloud_vpc": "vpc",
    "alicloud_cs_managed_kubernetes": "cluster",
    "alicloud_cs_kubernetes": "cluster",
}
MAX_INSTANCES = 10_000  # per count / for_each
MAX_MODULE_DEPTH = 16
MAX_MODULE_INSTANCES = 2_000  # per root: a module calling itself twice would double per level
MAX_RESOURCE_INSTANCES = 200_000  # per root
_MODULE_META = {"source", "version", "count", "for_each", "providers", "depends_on"}
UNKNOWN_INDEX = "?"  # count / for_each that cannot be known: one instance addressed `x[?]`


def is_local_source(source: Any) -> bool:
    return isinstance(source, str) and (source.startswith("./") or source.startswith("../"))


def child_dir(parent: str, source: str) -> str:
    return os.path.normpath(os.path.join(parent, source))


# ---------------------------------------------------------------- configuration


@dataclass
class ModuleConfig:
    dir: str
    variables: dict[str, s.Block] = field(default_factory=dict)
    locals: dict[str, s.Attribute] = field(default_factory=dict)
    resources: dict[tuple[str, str], s.Block] = field(default_factory=dict)
    modules: dict[str, s.Block] = field(default_factory=dict)
    outputs: dict[str, s.Block] = field(default_factory=dict)
    lines: dict[str, list[str]] = field(default_factory=dict)
    has_files: bool = False  # at least one .tf file parsed
    empty: bool = False  # the directory exists and holds no .tf file

    def local_calls(self) -> list[str]:
        """Directories this module calls as local modules."""
        out = []
        for block in self.modules.values():
            attr = block.body.attributes.get("source")
            source = attr.expr.value if attr and isinstance(attr.expr, s.Lit) else None
            if isinstance(source, str) and is_local_source(source):
                out.append(child_dir(self.dir, source))
        return out


def _add_block(config: ModuleConfig, block: s.Block, errors: list[InputError]) -> None:
    def dup(what: str) -> None:
        errors.append(InputError(block.file, f"duplicate {what}", block.line))

    if block.type == "resource" and len(block.labels) == 2:
        key = (block.labels[0], block.labels[1])
        if key in config.resources:
            dup(f"resource {key[0]}.{key[1]}")
        config.resources[key] = block
    elif block.type == "variable" and len(block.labels) == 1:
        if block.labels[0] in config.variables:
            dup(f"variable {block.labels[0]}")
        config.variables[block.labels[0]] = block
    elif block.type == "module" and len(block.labels) == 1:
        config.modules[block.labels[0]] = block
    elif block.type == "output" and len(block.labels) == 1:
        config.outputs[block.labels[0]] = block
    elif block.type == "locals":
        for name, attr in block.body.attributes.items():
            if name in config.locals:
                errors.append(InputError(block.file, f"duplicate local {name}", attr.line))
            config.locals[name] = attr


def parse_file(path: Path, shown: str) -> tuple[s.Body, list[str]]:
    """A .tf file's body and its lines. Raises InputError."""
    text = read_text(path)
    try:
        return s.parse_body(text, shown), text.splitlines()
    except s.HclSyntaxError as exc:
        raise InputError(shown, exc.message, exc.line) from None
    except RecursionError:
        raise InputError(shown, "HCL nested too deeply") from None
    except Exception as exc:  # the parser library's internals: still an input error, never a traceback
        raise InputError(shown, f"cannot parse HCL ({exc.__class__.__name__})") from None


class ConfigLoader:
    """Parses each module directory once; parse errors are collected, not raised."""

    def __init__(self, errors: list[InputError], follow_symlinks: bool = False) -> None:
        self.errors = errors
        self.cache: dict[str, ModuleConfig] = {}
        self.follow_symlinks = follow_symlinks

    def load(self, directory: str) -> ModuleConfig:
        key = os.path.realpath(directory)
        if key in self.cache:
            return self.cache[key]
        config = ModuleConfig(dir=directory)
        self.cache[key] = config
        try:
            names = sorted(p for p in os.listdir(directory) if p.endswith(".tf"))
        except OSError as exc:
            self.errors.append(InputError(directory, f"cannot read module directory: {exc.strerror or exc}"))
            return config
        config.empty = not names
        for name in names:
            path = Path(directory) / name
            if path.is_dir():
                continue  # a folder named x.tf; a FIFO or dangling link goes on to a clean read error
            if path.is_symlink() and not self.follow_symlinks:
                continue  # as the folder walk does: a linked file may point anywhere (out of the root)
            shown = name if directory in (".", "") else os.path.join(directory, name)
            try:
                body, lines = parse_file(path, shown)
            except InputError as exc:
                self.errors.append(exc)
                continue
            config.has_files = True
            config.lines[shown] = lines
            for block in body.blocks:
                _add_block(config, block, self.errors)
        return config


# ---------------------------------------------------------------- variable values


def _no_refs(name: str) -> Any:
    raise EvalError(f"{name}: references are not allowed here")


LITERAL_SCOPE = Scope(_no_refs)


def read_var_file(path: Path, shown: str) -> dict[str, Any]:
    """Values of a .tfvars / .tfvars.json file. Raises InputError."""
    if shown.endswith(".json"):
        data = load_json(read_text(path), shown)
        if not isinstance(data, dict):
            raise InputError(shown, "a .tfvars.json file must hold an object")
        return data
    body, _ = parse_file(path, shown)
    if body.blocks:
        raise InputError(shown, "a variables file holds only assignments", body.blocks[0].line)
    return {name: evaluate_or_unknown(attr.expr, LITERAL_SCOPE) for name, attr in body.attributes.items()}


def auto_var_files(directory: str) -> list[str]:
    try:
        names = os.listdir(directory)
    except OSError:
        return []
    found: list[str] = [n for n in ("terraform.tfvars", "terraform.tfvars.json") if n in names]
    found += sorted(n for n in names if n.endswith(".auto.tfvars") or n.endswith(".auto.tfvars.json"))
    return [os.path.join(directory, n) for n in found]


_SCALAR_LITERAL = re.compile(r"^\s*(-?\d+(\.\d+)?|true|false|null)\s*$")


def parse_cli_value(raw: str, type_expr: s.Expr | None) -> Any:
    """A -var value, as Terraform reads it: HCL for collection types, else the text.

    Untyped variables also take collection and scalar literals (`["a"]`, `{...}`, `5`, `true`), so
    that list parameters passed as JSON work; `22/22` or `10.0.0.0/8` stay text, never arithmetic.
    """
    collection = isinstance(type_expr, s.Call) or (
        isinstance(type_expr, s.Name) and type_expr.name in ("list", "map", "set", "object", "tuple")
    )
    untyped = type_expr is None or (isinstance(type_expr, s.Name) and type_expr.name == "any")
    literal = raw.lstrip().startswith(("[", "{")) or _SCALAR_LITERAL.match(raw) is not None
    if not (collection or (untyped and literal)):
        return raw  # string, number and bool variables convert from text (see convert)
    try:
        value = evaluate(s.parse_expression(raw), LITERAL_SCOPE)
    except (s.HclSyntaxError, EvalError, RecursionError):
        return raw
    return raw if value is UNKNOWN else value


def convert(type_expr: s.Expr | None, value: Any) -> Any:
    """Terraform's automatic conversion for primitive-typed variables."""
    if not isinstance(type_expr, s.Name) or is_opaque(value) or value is None:
        return value
    try:
        if type_expr.name == "string" and isinstance(value, (bool, int, float)):
            return to_str(value)
        if type_expr.name == "number" and isinstance(value, str):
            num = float(value)
            return int(num) if num.is_integer() else num
        if type_expr.name == "bool" and value in ("true", "false"):
            return value == "true"
    except ValueError:
        return UNKNOWN
    return value


# ---------------------------------------------------------------- instances


class Namespace(Lazy):
    def __init__(self, getter: Callable[[str], Any]) -> None:
        self.getter = getter

    def attr(self, name: str) -> Any:
        return self.getter(name)


class _Failed:
    def __init__(self, error: EvalError) -> None:
        self.error = error


class Root:
    """What every module instance of one root module shares."""

    def __init__(self, shown: str, loader: ConfigLoader, var_values: dict[str, Any], params: dict[str, str]):
        self.shown = shown
        self.loader = loader
        self.var_values = var_values
        self.params = params
        self.active: set[tuple[Any, ...]] = set()
        self.errors: list[InputError] = []  # blocks that cannot be expanded (count over the limit...)
        self.module_count = 0
        self.resource_count = 0

    def key(self, address: str) -> str:
        return f"tf:{self.shown}:{address}"


def _index_suffix(index: Any) -> str:
    if index is None:
        return ""
    if index == UNKNOWN_INDEX:
        return "[?]"
    if isinstance(index, int):
        return f"[{index}]"
    return f"[{json.dumps(index)}]"


def expand(block: s.Block, scope: Scope) -> tuple[str, list[tuple[Any, Scope]]]:
    """count / for_each: the mode and one (index, scope) per instance."""
    attrs = block.body.attributes
    if "count" in attrs:
        count = evaluate_or_unknown(attrs["count"].expr, scope)
        if isinstance(count, str) and count.strip().isdigit():
            count = int(count)  # Terraform converts "3" to a number here
        if is_opaque(count) or isinstance(count, bool) or not isinstance(count, (int, float)):
            return "unknown", [(UNKNOWN_INDEX, scope.child({"count": {"index": UNKNOWN}}))]
        n = int(count)
        if n > MAX_INSTANCES:
            raise EvalError(f"count {n} is over the limit of {MAX_INSTANCES}")
        return "count", [(i, scope.child({"count": {"index": i}})) for i in range(max(n, 0))]
    if "for_each" in attrs:
        each = evaluate_or_unknown(attrs["for_each"].expr, scope)
        pairs: list[tuple[str, Any]] = []
        if isinstance(each, dict):
            pairs = [(k, each[k]) for k in sorted(each)]
        elif isinstance(each, list) and all(isinstance(v, str) for v in each):
            pairs = [(v, v) for v in sorted(set(each))]
        else:
            unknown = {"key": UNKNOWN, "value": UNKNOWN}
            return "unknown", [(UNKNOWN_INDEX, scope.child({"each": unknown}))]
        if len(pairs) > MAX_INSTANCES:
            raise EvalError(f"for_each over the limit of {MAX_INSTANCES}")
        return "for_each", [(k, scope.child({"each": {"key": k, "value": v}})) for k, v in pairs]
    return "single", [(None, scope)]


def _shape(mode: str, items: list[tuple[Any, Any]]) -> Any:
    """How Terraform exposes an expanded block to references."""
    if mode == "single":
        return items[0][1]
    if mode == "count":
        return [obj for _, obj in items]
    if mode == "for_each":
        return {k: obj for k, obj in items}
    return UNKNOWN


class ModuleInstance:
    def __init__(
        self,
        root: Root,
        config: ModuleConfig,
        prefix: str,
        inputs: dict[str, Callable[[], Any]] | None,
        depth: int = 0,
    ) -> None:
        self.root = root
        self.config = config
        self.prefix = prefix
        self.inputs = inputs
        self.depth = depth
        self.memo: dict[tuple[Any, ...], Any] = {}
        self.scope = Scope(self.resolve)

    def memoized(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        if key in self.memo:
            value = self.memo[key]
            if isinstance(value, _Failed):
                raise value.error
            return value
        token = (id(self), *key)
        if token in self.root.active:
            raise EvalError("reference cycle")
        self.root.active.add(token)
        try:
            value = compute()
        except EvalError as exc:
            self.memo[key] = _Failed(exc)
            raise
        finally:
            self.root.active.discard(token)
        self.memo[key] = value
        return value

    # -- names visible in this module

    def resolve(self, name: str) -> Any:
        if name == "var":
            return Namespace(self.variable)
        if name == "local":
            return Namespace(self.local)
        if name == "module":
            return Namespace(self.module_value)
        if name in ("data", "self"):
            return UNKNOWN  # data sources are read at apply/refresh time
        if name == "path":
            return {"module": self.config.dir, "root": self.root.shown, "cwd": "."}
        if name == "terraform":
            return {"workspace": "default"}
        if any(rtype == name for rtype, _ in self.config.resources):
            return Namespace(lambda n: self.resource_value(name, n))
        raise EvalError(f"unknown name {name!r}")

    def variable(self, name: str) -> Any:
        return self.memoized(("var", name), lambda: self._variable(name))

    def _variable(self, name: str) -> Any:
        block = self.config.variables.get(name)
        if block is None:
            raise EvalError(f"undeclared variable {name!r}")
        type_attr = block.body.attributes.get("type")
        type_expr = type_attr.expr if type_attr else None
        if self.inputs is not None:
            given = self.inputs[name]() if name in self.inputs else None
            nullable = block.body.attributes.get("nullable")
            if given is not None or (name in self.inputs and not _is_false(nullable)):
                return convert(type_expr, given)
        elif name in self.root.params:
            return convert(type_expr, parse_cli_value(self.root.params[name], type_expr))
        elif name in self.root.var_values:
            return convert(type_expr, self.root.var_values[name])
        default = block.body.attributes.get("default")
        if default is None:
            return UNKNOWN  # no value anywhere: Terraform would prompt for it
        return convert(type_expr, evaluate_or_unknown(default.expr, LITERAL_SCOPE))

    def local(self, name: str) -> Any:
        attr = self.config.locals.get(name)
        if attr is None:
            raise EvalError(f"undeclared local {name!r}")
        return self.memoized(("local", name), lambda: evaluate(attr.expr, self.scope))

    def output(self, name: str) -> Any:
        block = self.config.outputs.get(name)
        if block is None or "value" not in block.body.attributes:
            raise EvalError(f"module has no output {name!r}")
        expr = block.body.attributes["value"].expr
        return self.memoized(("output", name), lambda: evaluate(expr, self.scope))

    # -- resources

    def resource_instances(self, rtype: str, name: str) -> tuple[str, list[tuple[Any, ResourceInstance]]]:
        block = self.config.resources.get((rtype, name))
        if block is None:
            raise EvalError(f"undeclared resource {rtype}.{name}")

        def build() -> tuple[str, list[tuple[Any, ResourceInstance]]]:
            mode, items = expand(block, self.scope)
            self.root.resource_count += len(items)
            if self.root.resource_count > MAX_RESOURCE_INSTANCES:
                raise EvalError(f"more than {MAX_RESOURCE_INSTANCES} resource instances")
            base = f"{self.prefix}{rtype}.{name}"
            return mode, [
                (idx, ResourceInstance(self, block, base + _index_suffix(idx), scope)) for idx, scope in items
            ]

        key = ("resource", rtype, name)
        result: tuple[str, list[tuple[Any, ResourceInstance]]] = self.memoized(key, build)
        return result

    def resource_value(self, rtype: str, name: str) -> Any:
        mode, items = self.resource_instances(rtype, name)
        return _shape(mode, items)

    # -- child modules

    def module_instances(self, name: str) -> tuple[str, list[tuple[Any, ModuleInstance]]]:
        block = self.config.modules.get(name)
        if block is None:
            raise EvalError(f"undeclared module {name!r}")
        source_attr = block.body.attributes.get("source")
        source = source_attr.expr.value if source_attr and isinstance(source_attr.expr, s.Lit) else None
        if not isinstance(source, str) or not is_local_source(source):
            raise _RemoteModule()

        def build() -> tuple[str, list[tuple[Any, ModuleInstance]]]:
            if self.depth >= MAX_MODULE_DEPTH:
                raise EvalError("local modules nested too deeply (a module calling itself?)")
            config = self.root.loader.load(child_dir(self.config.dir, source))
            if config.empty:
                raise EvalError(f"local module {source!r} has no .tf files")
            mode, items = expand(block, self.scope)
            self.root.module_count += len(items)
            if self.root.module_count > MAX_MODULE_INSTANCES:
                raise EvalError(f"more than {MAX_MODULE_INSTANCES} module instances")
            out = []
            for idx, scope in items:
                inputs = {
                    arg: _thunk(attr.expr, scope)
                    for arg, attr in block.body.attributes.items()
                    if arg not in _MODULE_META
                }
                prefix = f"{self.prefix}module.{name}{_index_suffix(idx)}."
                out.append((idx, ModuleInstance(self.root, config, prefix, inputs, self.depth + 1)))
            return mode, out

        result: tuple[str, list[tuple[Any, ModuleInstance]]] = self.memoized(("module", name), build)
        return result

    def module_value(self, name: str) -> Any:
        try:
            mode, items = self.module_instances(name)
        except _RemoteModule:
            return UNKNOWN  # a registry or git module: its outputs are not in the sources
        return _shape(mode, [(k, ModuleOutputs(m)) for k, m in items])

    # -- everything this module (and its local children) declares

    def walk(self) -> Iterator[ResourceInstance]:
        for (rtype, name), block in self.config.resources.items():
            try:
                _, items = self.resource_instances(rtype, name)
            except EvalError as exc:
                self.report(block, f"{self.prefix}{rtype}.{name}", exc)
                continue
            for _, instance in items:
                yield instance
        for name, block in self.config.modules.items():
            try:
                _, children = self.module_instances(name)
            except _RemoteModule:
                continue  # nothing of it is in the sources; references to it are unknown
            except EvalError as exc:
                self.report(block, f"{self.prefix}module.{name}", exc)
                continue
            for _, child in children:
                yield from child.walk()

    def report(self, block: s.Block, address: str, error: EvalError) -> None:
        self.root.errors.append(InputError(block.file, f"{address}: {error}", block.line))


class _RemoteModule(Exception):
    pass


def _is_false(attr: s.Attribute | None) -> bool:
    return attr is not None and isinstance(attr.expr, s.Lit) and attr.expr.value is False


def _thunk(expr: s.Expr, scope: Scope) -> Callable[[], Any]:
    return lambda: evaluate_or_unknown(expr, scope)


class ModuleOutputs(Lazy):
    def __init__(self, module: ModuleInstance) -> None:
        self.module = module

    def attr(self, name: str) -> Any:
        return self.module.output(name)


class ResourceInstance(Lazy):
    """One instance of a resource block (after count / for_each)."""

    def __init__(self, module: ModuleInstance, block: s.Block, address: str, scope: Scope) -> None:
        self.module = module
        self.block = block
        self.type, self.name = block.labels[0], block.labels[1]
        self.address = address
        self.key = module.root.key(address)
        self.scope = scope
        self.memo: dict[str, Any] = {}

    @property
    def file(self) -> str:
        return self.block.file

    @property
    def line(self) -> int:
        return self.block.line

    def attr(self, name: str) -> Any:
        """The value a reference `type.name.<attr>` sees."""
        if name == "id":
            return Ref(REF_KINDS.get(self.type, "other"), self.key)
        if name in self.block.body.attributes:
            return self.get(name)
        if any(b.type == name for b in self.block.body.blocks):
            return self.blocks(name)
        return UNKNOWN  # a computed attribute

    def get(self, name: str) -> Any:
        """A configured argument's value: None when absent, UNKNOWN when it cannot be known."""
        attr = self.block.body.attributes.get(name)
        if attr is None:
            return None
        if name not in self.memo:
            token = (id(self), "attr", name)
            if token in self.module.root.active:
                return UNKNOWN
            self.module.root.active.add(token)
            try:
                self.memo[name] = evaluate_or_unknown(attr.expr, self.scope)
            finally:
                self.module.root.active.discard(token)
        return self.memo[name]

    def blocks(self, name: str) -> Any:
        """Nested blocks `name { ... }` (static and `dynamic`) as dicts; UNKNOWN when not expandable."""
        out: list[dict[str, Any]] = []
        for block in self.block.body.blocks:
            if block.type == name:
                out.append(_block_values(block.body, self.scope))
            elif block.type == "dynamic" and block.labels == [name]:
                expanded = _dynamic(block, self.scope)
                if expanded is UNKNOWN:
                    return UNKNOWN
                out.extend(expanded)
        return out

    def skips(self) -> list[dict[str, Any]]:
        from checkov_ack.adapters.hcl.skips import find_skips

        lines = self.module.config.lines.get(self.file, [])
        return find_skips(lines, self.block.line, self.block.end_line)


def _block_values(body: s.Body, scope: Scope) -> dict[str, Any]:
    values = {name: evaluate_or_unknown(a.expr, scope) for name, a in body.attributes.items()}
    for nested in body.blocks:
        if nested.type != "dynamic":
            values.setdefault(nested.type, []).append(_block_values(nested.body, scope))
    return values


def _dynamic(block: s.Block, scope: Scope) -> Any:
    attrs = block.body.attributes
    iterator = block.labels[0]
    it_attr = attrs.get("iterator")
    if it_attr is not None and isinstance(it_attr.expr, s.Name):
        iterator = it_attr.expr.name
    collection = evaluate_or_unknown(attrs["for_each"].expr, scope) if "for_each" in attrs else UNKNOWN
    content = next((b for b in block.body.blocks if b.type == "content"), None)
    if content is None or is_opaque(collection):
        return UNKNOWN
    if isinstance(collection, dict):
        pairs = [(k, collection[k]) for k in sorted(collection)]
    elif isinstance(collection, list):
        pairs = list(enumerate(collection))
    else:
        return UNKNOWN
    return [_block_values(content.body, scope.child({iterator: {"key": k, "value": v}})) for k, v in pairs]
