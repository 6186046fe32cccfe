"""Terraform plan JSON (`terraform show -json <planfile>`) -> document parts.

What a plan tells, and how it is read:
- `planned_values` (child modules nested, absolute addresses) give the values after apply, and
  `resource_changes[].change.after_unknown` marks the leaves that are unknown until apply; those
  leaves become UNKNOWN, never absent.
- `resource_changes[].change.actions` give each resource's planned change. A resource the plan
  deletes is only in `before` / `prior_state`; it is kept with change `delete` so that the
  policies can see an SG that disappears under a cluster (CKV_ACK_11).
- `configuration` (module-relative addresses) ties a value that is unknown to what it refers to:
  `security_group_id = alicloud_security_group.sg.id` links a rule to its SG before the SG has an
  ID, through `var.*` (module call arguments, root variables) and `module.x.output` when needed.

One choice applies to every computed attribute: an attribute unknown in the plan that the
configuration does not set at all is one the provider fills on apply, so it is read as "not set"
(exactly what the HCL adapter sees). Hence an SG without `security_group_type` gets the API default
(type normal, provenance default), a cluster without `security_group_id` gets an ACK-created SG,
and a node pool without SGs inherits the cluster's. An unknown attribute that the configuration
does set (a reference, a function) stays UNKNOWN. Without a `configuration` section nothing can
be told apart and every unknown stays UNKNOWN.

Terraform schema defaults that the provider materializes in the plan (`priority = 1`, `policy =
"accept"`, `port_range = "-1/-1"`) are reported with provenance `default` when the configuration
does not set them, `given` when it does (or when there is no configuration to tell).

Keys: an SG's real `sg-...` ID when the plan knows it, else `plan:<file>:<address>`; rules,
clusters and node pools always `plan:<file>:<address>`. A replaced SG is keyed like a new one, and
a literal that still names its old ID is read as naming it. Nothing read is dropped: a rule whose
SG cannot be told sits under an SG of unknown identity, a rule on an SG outside the plan under a
`referenced` SG, a node pool of a cluster outside the plan under a cluster of kind `unknown`, and
an object that is only in `prior_state` (a `-target` or refresh-only plan) counts as `no-op`.
"""

from __future__ import annotations

import bisect
import ipaddress
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from checkov_ack.adapters.common import AdapterOptions, LineIndex, load_json, read_text
from checkov_ack.errors import InputError
from checkov_ack.model.document import (
    UNKNOWN,
    ClusterInput,
    Json,
    NodePoolInput,
    RuleInput,
    SecurityGroupInput,
    VSwitchInput,
    empty_part,
    external_cluster,
    is_unknown,
    make_cluster,
    make_rule,
    make_security_group,
)

KIND = "terraform_plan"

SG = "alicloud_security_group"
SG_RULE = "alicloud_security_group_rule"
CLUSTER_KINDS = {"alicloud_cs_managed_kubernetes": "managed", "alicloud_cs_kubernetes": "dedicated"}
NODE_POOL = "alicloud_cs_kubernetes_node_pool"
VPC = "alicloud_vpc"
VPC_CIDR = "alicloud_vpc_ipv4_cidr_block"
VSWITCH = "alicloud_vswitch"
TYPES = {SG, SG_RULE, NODE_POOL, VPC, VPC_CIDR, VSWITCH, *CLUSTER_KINDS}

# Schema defaults the alicloud provider writes into planned values for a rule (domain reference §3.2).
RULE_SCHEMA_DEFAULTS = {"port_range": "port_range", "policy": "action", "priority": "priority"}

_SNIFF_HEAD = 65536
_FORMAT_KEY = re.compile(r'"format_version"\s*:')
_PLAN_KEY = re.compile(r'"(planned_values|resource_changes|configuration)"\s*:')

# `module.a[0].module.b["x"]` -> ("a", "0"), ("b", '"x"')
_MODULE_STEP = re.compile(r'module\.([A-Za-z0-9_-]+)(?:\[(\d+|"(?:[^"\\]|\\.)*")\])?')
# A module-relative reference: `type.name`, `type.name[0]`, `type.name["k"].attr...`
_RESOURCE_REF = re.compile(r'^([A-Za-z0-9_]+)\.([A-Za-z0-9_-]+)(?:\[(\d+|"(?:[^"\\]|\\.)*")\])?(?:\.(.+))?$')
_MODULE_REF = re.compile(r'^module\.([A-Za-z0-9_-]+)(?:\[(\d+|"(?:[^"\\]|\\.)*")\])?(?:\.([A-Za-z0-9_-]+))?')
_ADDRESS_KEY = re.compile(r'"address"\s*:\s*("(?:[^"\\]|\\.)*")')
_INSTANCE_KEY = re.compile(r'(?:\[(?:\d+|"(?:[^"\\]|\\.)*")\])?')
_VAR_REF = re.compile(r"^var\.([A-Za-z0-9_-]+)(.*)$")
_INDEX_HINTS = {"count.index", "each.key", "each.value"}
_IGNORED_ROOTS = ("count.", "each.", "path.", "terraform.", "self.")


def sniff(path: Path, text: str) -> bool:
    """A JSON object whose head has `format_version` and a plan section (ROS uses
    `ROSTemplateFormatVersion`, API exports have neither)."""
    head = text[:_SNIFF_HEAD]
    if not head.lstrip().startswith("{") or "ROSTemplateFormatVersion" in head:
        return False
    # Terraform prints format_version first; a big `variables` block may push the sections down.
    return bool(_FORMAT_KEY.search(head) and (_PLAN_KEY.search(head) or _PLAN_KEY.search(text)))


# --------------------------------------------------------------------------------------------
# Reading the plan into resources


@dataclass
class _Res:
    """One managed resource instance of the plan, with UNKNOWN at its unknown leaves."""

    address: str  # absolute, as Terraform prints it
    module: str  # module instance address ("" for the root module)
    type: str
    name: str
    index: Any  # None, an int (count) or a str (for_each)
    values: dict[str, Any]
    action: str | None
    line: int | None
    config: dict[str, Any] | None = None  # its `configuration` resource entry
    prior_id: Any = None  # the ID before a replacement

    @property
    def expressions(self) -> dict[str, Any]:
        exprs = (self.config or {}).get("expressions")
        return exprs if isinstance(exprs, dict) else {}

    def configured(self, name: str) -> bool | None:
        """Whether the configuration sets `name`; None when there is no configuration to tell."""
        if self.config is None:
            return None
        return name in self.expressions


def _action(actions: Any) -> str | None:
    if not isinstance(actions, list):
        return None
    if "delete" in actions and "create" in actions:
        return "replace"
    if len(actions) == 1 and actions[0] in ("create", "update", "delete", "no-op", "read"):
        return str(actions[0])
    return None  # e.g. "forget": the object is not changed by the plan


def _has_unknown(marks: Any) -> bool:
    if marks is True:
        return True
    if isinstance(marks, dict):
        return any(_has_unknown(v) for v in marks.values())
    if isinstance(marks, list):
        return any(_has_unknown(v) for v in marks)
    return False


def _overlay_unknown(value: Any, marks: Any) -> Any:
    """`value` with UNKNOWN at every leaf `after_unknown` marks true (Terraform omits those)."""
    if not _has_unknown(marks):
        return value
    if marks is True:
        return UNKNOWN
    if isinstance(marks, dict):
        base = dict(value) if isinstance(value, dict) else {}
        for key, sub in marks.items():
            base[key] = _overlay_unknown(base.get(key), sub)
        return base
    base_list = list(value) if isinstance(value, list) else []
    for i, sub in enumerate(marks):
        if i < len(base_list):
            base_list[i] = _overlay_unknown(base_list[i], sub)
        else:
            base_list.append(_overlay_unknown(None, sub))
    return base_list


class _Reader:
    """Checks the plan's shape while walking it; a malformed section is an InputError."""

    def __init__(self, file: str, text: str) -> None:
        self.file = file
        self.lines = LineIndex(text)
        self.text = text
        self._changes_at = max(text.find('"resource_changes"'), 0)
        self._planned_at = max(text.find('"planned_values"'), 0)
        # Every `"address": "..."` once, so that finding lines stays linear in big plans.
        self._addresses: dict[str, list[int]] = {}
        for match in _ADDRESS_KEY.finditer(text):
            try:
                address = json.loads(match.group(1))
            except ValueError:
                continue
            self._addresses.setdefault(address, []).append(match.start())

    def fail(self, message: str, address: str | None = None) -> InputError:
        return InputError(self.file, message, self.line_of(address) if address else None)

    def obj(self, value: Any, what: str, address: str | None = None) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.fail(f"{what} must be a JSON object, not {type(value).__name__}", address)
        return value

    def arr(self, value: Any, what: str, address: str | None = None) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(f"{what} must be a JSON array, not {type(value).__name__}", address)
        return value

    def line_of(self, address: str) -> int | None:
        """Line of the resource's `"address": "<addr>"`, preferring resource_changes (configuration
        addresses are module-relative, so a root address may also appear there)."""
        positions = self._addresses.get(address)
        if not positions:
            return None
        for start in (self._changes_at, self._planned_at, 0):
            at = bisect.bisect_left(positions, start)
            if at < len(positions):
                return self.lines.line_at(positions[at])
        return None

    def module_resources(self, module: Any, what: str) -> Iterator[tuple[str, dict[str, Any]]]:
        """(module instance address, resource) for a values module and its child modules."""
        stack = [(self.obj(module, what), what)]
        while stack:
            mod, where = stack.pop()
            mod_address = mod.get("address", "")
            if not isinstance(mod_address, str):
                raise self.fail(f"{where}.address must be a string")
            for i, res in enumerate(self.arr(mod.get("resources"), f"{where}.resources")):
                res = self.obj(res, f"{where}.resources[{i}]")
                if not isinstance(res.get("address"), str):
                    raise self.fail(f"{where}.resources[{i}] has no address")
                yield mod_address, res
            children = self.arr(mod.get("child_modules"), f"{where}.child_modules")
            for i, child in reversed(list(enumerate(children))):
                stack.append((self.obj(child, f"{where}.child_modules[{i}]"), f"{where}.child_modules[{i}]"))


def _managed(res: dict[str, Any]) -> bool:
    kind = res.get("type")
    return res.get("mode", "managed") == "managed" and isinstance(kind, str) and kind in TYPES


def _name_of(res: dict[str, Any], address: str) -> str:
    name = res.get("name")
    if isinstance(name, str):
        return name
    match = re.search(r"\.([A-Za-z0-9_-]+)(?:\[[^\]]*\])?$", address)
    return match.group(1) if match else address


def _collect(plan: dict[str, Any], reader: _Reader) -> list[_Res]:
    """Every relevant resource instance, from planned values, changes and prior state."""
    found: dict[str, _Res] = {}
    planned = reader.obj(plan.get("planned_values"), "planned_values")
    for module, res in reader.module_resources(planned.get("root_module"), "planned_values.root_module"):
        if _managed(res):
            values = reader.obj(res.get("values"), f"values of {res['address']}", res["address"])
            found[res["address"]] = _Res(
                res["address"],
                module,
                res["type"],
                _name_of(res, res["address"]),
                res.get("index"),
                dict(values),
                None,
                reader.line_of(res["address"]),
            )
    prior_values = reader.obj(plan.get("prior_state"), "prior_state").get("values")
    prior: dict[str, tuple[str, dict[str, Any]]] = {}
    for module, res in reader.module_resources(
        reader.obj(prior_values, "prior_state.values").get("root_module"), "prior_state.values.root_module"
    ):
        if _managed(res):
            prior[res["address"]] = (module, res)

    changed: set[str] = set()
    for i, rc in enumerate(reader.arr(plan.get("resource_changes"), "resource_changes")):
        rc = reader.obj(rc, f"resource_changes[{i}]")
        address = rc.get("address")
        if not isinstance(address, str):
            raise reader.fail(f"resource_changes[{i}] has no address")
        if not _managed(rc):
            continue
        changed.add(address)
        change = reader.obj(rc.get("change"), f"change of {address}", address)
        action = _action(change.get("actions"))
        before = reader.obj(change.get("before"), f"change.before of {address}", address)
        module = rc.get("module_address") or ""
        if not isinstance(module, str):
            raise reader.fail(f"module_address of {address} must be a string", address)
        item = found.get(address)
        if action == "delete":
            # Gone after apply: what is deleted is what exists now.
            values = before or reader.obj(prior.get(address, ("", {}))[1].get("values"), "values")
            found[address] = _Res(
                address,
                module,
                rc["type"],
                _name_of(rc, address),
                rc.get("index"),
                dict(values),
                action,
                reader.line_of(address),
            )
            continue
        after = reader.obj(change.get("after"), f"change.after of {address}", address)
        if item is None:
            item = _Res(
                address,
                module,
                rc["type"],
                _name_of(rc, address),
                rc.get("index"),
                dict(after),
                None,
                reader.line_of(address),
            )
            found[address] = item
        item.module = module
        item.action = action
        item.values = _overlay_unknown(item.values, change.get("after_unknown"))
        if not isinstance(item.values, dict):
            raise reader.fail(f"change.after_unknown of {address} must be a JSON object", address)
        if action == "replace":
            item.prior_id = before.get("id")

    for address, (module, res) in prior.items():
        if address not in found and address not in changed:
            # In state but not in this plan's changes (-target, refresh-only): it stays as is.
            values = reader.obj(res.get("values"), f"values of {address}", address)
            found[address] = _Res(
                address,
                module,
                res["type"],
                _name_of(res, address),
                res.get("index"),
                dict(values),
                "no-op",
                reader.line_of(address),
            )
    return list(found.values())


# --------------------------------------------------------------------------------------------
# Configuration: module-relative addresses and references


def _module_steps(module_address: str) -> list[tuple[str, str | None]]:
    return [(m.group(1), m.group(2)) for m in _MODULE_STEP.finditer(module_address or "")]


def _index_text(index: Any) -> str | None:
    if index is None:
        return None
    if isinstance(index, int) and not isinstance(index, bool):
        return str(index)
    return json.dumps(str(index))


def _parse_index(text: str | None) -> Any:
    if text is None:
        return None
    if text.isdigit():
        return int(text)
    return json.loads(text)


def _module_instance(parent: str, name: str, index_text: str | None) -> str:
    step = f"module.{name}" + (f"[{index_text}]" if index_text is not None else "")
    return f"{parent}.{step}" if parent else step


def _parent_instance(module: str) -> tuple[str, str, str | None]:
    """`module.a[0].module.b` -> ("module.a[0]", "b", None)."""
    steps = _module_steps(module)
    parent = ""
    for name, idx in steps[:-1]:
        parent = _module_instance(parent, name, idx)
    name, idx = steps[-1]
    return parent, name, idx


@dataclass
class _Target:
    """What one reference resolves to: a plan resource or a literal value."""

    res: _Res | None = None
    literal: Any = None


class _Config:
    """The `configuration` section: resources and module calls per module path."""

    def __init__(self, plan: dict[str, Any], reader: _Reader, resources: list[_Res]) -> None:
        self.present = isinstance(plan.get("configuration"), dict)
        self.modules: dict[tuple[str, ...], dict[str, Any]] = {}
        self._config_resources: dict[int, dict[str, dict[str, Any]]] = {}
        self.variables = reader.obj(plan.get("variables"), "variables")
        config = reader.obj(plan.get("configuration"), "configuration")
        stack: list[tuple[tuple[str, ...], Any]] = [((), config.get("root_module"))]
        while stack:
            path, module = stack.pop()
            where = "configuration" + "".join(f".module_calls.{p}.module" for p in path)
            module = reader.obj(module, where)
            reader.arr(module.get("resources"), f"{where}.resources")
            for part in ("variables", "outputs"):
                reader.obj(module.get(part), f"{where}.{part}")
            self.modules[path] = module
            for name, call in reader.obj(module.get("module_calls"), f"{where}.module_calls").items():
                call = reader.obj(call, f"{where}.module_calls.{name}")
                stack.append(((*path, name), call.get("module")))
        self.by_instance: dict[tuple[str, str, str], list[_Res]] = {}
        self.by_index: dict[tuple[str, str, str, str], _Res] = {}
        self.module_instances: set[str] = set()
        for res in resources:
            self.by_instance.setdefault((res.module, res.type, res.name), []).append(res)
            self.by_index.setdefault((res.module, res.type, res.name, json.dumps(res.index)), res)
            steps = _module_steps(res.module)
            parent = ""
            for name, idx in steps:
                parent = _module_instance(parent, name, idx)
                self.module_instances.add(parent)
            res.config = self.resource_config(res)

    def module_config(self, module_instance: str) -> dict[str, Any] | None:
        return self.modules.get(tuple(name for name, _ in _module_steps(module_instance)))

    def resource_config(self, res: _Res) -> dict[str, Any] | None:
        module = self.module_config(res.module)
        if module is None:
            return None
        by_address = self._config_resources.get(id(module))
        if by_address is None:
            by_address = {}
            for entry in module.get("resources") or []:
                if isinstance(entry, dict) and entry.get("mode", "managed") == "managed":
                    address = entry.get("address")
                    if isinstance(address, str):
                        by_address.setdefault(address, entry)
            self._config_resources[id(module)] = by_address
        return by_address.get(f"{res.type}.{res.name}")

    def module_call(self, module_instance: str) -> dict[str, Any] | None:
        """The call that created a module instance (in its parent's configuration)."""
        parent, name, _ = _parent_instance(module_instance)
        parent_config = self.module_config(parent)
        if parent_config is None:
            return None
        call = (parent_config.get("module_calls") or {}).get(name)
        return call if isinstance(call, dict) else None

    # -- references ---------------------------------------------------------------------

    def resolve(self, expr: Any, module: str, self_index: Any, depth: int = 0) -> list[_Target] | None:
        """What an expression points to, in order; None when any part of it cannot be told."""
        if depth > 20 or not isinstance(expr, dict):
            return None
        if "constant_value" in expr:
            return _literals(expr["constant_value"])
        refs = expr.get("references")
        if not isinstance(refs, list) or not refs:
            return None
        refs = [r for r in refs if isinstance(r, str)]
        by_own_index = any(r in _INDEX_HINTS for r in refs)
        out: list[_Target] = []
        for ref in refs:
            if ref in _INDEX_HINTS or ref.startswith(_IGNORED_ROOTS) or _shadowed(ref, refs):
                continue
            targets = self._resolve_ref(ref, module, self_index, by_own_index, depth)
            if targets is None:
                return None
            out.extend(t for t in targets if not any(_same_target(t, o) for o in out))
        # Only `each.value...` and the like: what they hold is not in the configuration.
        return out or None

    def _resolve_ref(
        self, ref: str, module: str, self_index: Any, by_own_index: bool, depth: int
    ) -> list[_Target] | None:
        var = _VAR_REF.match(ref)
        if var:
            got = self._resolve_var(var.group(1), var.group(2), module, depth)
            if got is not None and by_own_index and len(got) > 1:
                # `var.ids[count.index]`: Terraform keeps `var.ids`; pick this instance's element.
                if isinstance(self_index, int) and not isinstance(self_index, bool) and self_index < len(got):
                    return [got[self_index]]
                return None
            return got
        if ref.startswith("module."):
            return self._resolve_output(ref, module, depth)
        if ref.startswith(("local.", "data.")):
            return None  # locals are not in the plan; data sources are read at apply time
        match = _RESOURCE_REF.match(ref)
        if not match or match.group(1) not in TYPES:
            return None
        if match.group(4) is not None and match.group(4) != "id":
            return None  # another attribute (a CIDR, a name...): not the object's ID
        which = (module, match.group(1), match.group(2))
        if match.group(3) is not None:
            found = self.by_index.get((*which, json.dumps(_parse_index(match.group(3)))))
            chosen = [found] if found else []
        elif by_own_index and self_index is not None:
            # `x[count.index]` / `x[each.key]`: Terraform keeps only the unindexed step.
            found = self.by_index.get((*which, json.dumps(self_index)))
            chosen = [found] if found else []
        else:
            chosen = sorted(self.by_instance.get(which, []), key=_index_order)
        if not chosen:
            return None
        return [_Target(res=r) for r in chosen]

    def _resolve_var(self, name: str, rest: str, module: str, depth: int) -> list[_Target] | None:
        if not module:
            entry = self.variables.get(name)
            if not isinstance(entry, dict) or "value" not in entry:
                return None
            return _literals(_walk_path(entry["value"], rest))
        call = self.module_call(module)
        if call is None:
            return None
        exprs = call.get("expressions")
        if not isinstance(exprs, dict):
            exprs = {}
        if name in exprs:
            if rest:
                expr = exprs[name]
                if not isinstance(expr, dict) or "constant_value" not in expr:
                    return None  # an attribute of a computed object: not resolved
                return _literals(_walk_path(expr["constant_value"], rest))
            parent, _, idx = _parent_instance(module)
            return self.resolve(exprs[name], parent, _parse_index(idx), depth + 1)
        declared = (self.module_config(module) or {}).get("variables") or {}
        var_decl = declared.get(name) if isinstance(declared, dict) else None
        if isinstance(var_decl, dict) and "default" in var_decl:
            return _literals(_walk_path(var_decl["default"], rest))
        return None

    def _resolve_output(self, ref: str, module: str, depth: int) -> list[_Target] | None:
        match = _MODULE_REF.match(ref)
        if not match or match.group(3) is None:
            return None
        name, idx_text, output = match.groups()
        if idx_text is not None:
            child = _module_instance(module, name, idx_text)
            if child not in self.module_instances:
                return None
        else:
            prefix = _module_instance(module, name, None)
            options = [
                m
                for m in self.module_instances
                if m.startswith(prefix) and _INSTANCE_KEY.fullmatch(m[len(prefix) :])
            ]
            if len(options) != 1:
                return None
            child = options[0]
        outputs = (self.module_config(child) or {}).get("outputs") or {}
        out = outputs.get(output) if isinstance(outputs, dict) else None
        if not isinstance(out, dict):
            return None
        _, _, child_idx = _parent_instance(child)
        return self.resolve(out.get("expression"), child, _parse_index(child_idx), depth + 1)


def _index_order(res: _Res) -> tuple[str, Any]:
    # count indexes sort as numbers, for_each keys as strings; one resource never mixes them
    return (type(res.index).__name__, res.index if res.index is not None else 0)


# Attributes the provider's schema types; anything else in a plan means a damaged file. (Other
# attributes go to the builders as read, which record what they cannot use as invalid.)
_TEXT = (str, "a string")
_FIELD_TYPES: dict[str, tuple[type | tuple[type, ...], str]] = {
    **dict.fromkeys(
        ("name", "security_group_name", "node_pool_name", "security_group_type", "inner_access_policy"), _TEXT
    ),
    **dict.fromkeys(("type", "ip_protocol", "policy", "nic_type", "description"), _TEXT),
    "inner_access": (bool, "true or false"),
    "secondary_cidr_blocks": (list, "a list"),
}


def _literals(value: Any) -> list[_Target] | None:
    if isinstance(value, str) and value.strip():
        return [_Target(literal=value)]
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return [_Target(literal=v) for v in value]
    return None  # a bool, a number, null or a structure: not an ID this adapter can use


def _walk_path(value: Any, rest: str) -> Any:
    for step in re.findall(r'\.([A-Za-z0-9_-]+)|\[(\d+|"(?:[^"\\]|\\.)*")\]', rest):
        key = step[0] or _parse_index(step[1])
        if isinstance(value, dict) and isinstance(key, str):
            value = value.get(key)
        elif isinstance(value, list) and isinstance(key, int) and key < len(value):
            value = value[key]
        else:
            return None
    return value


def _shadowed(ref: str, refs: list[str]) -> bool:
    """Terraform lists every traversal prefix (`sg[0].id`, `sg[0]`, `sg`); only the longest counts."""
    return any(other.startswith((ref + ".", ref + "[")) for other in refs)


def _same_target(a: _Target, b: _Target) -> bool:
    if a.res is not None or b.res is not None:
        return a.res is b.res
    return bool(a.literal == b.literal)


# --------------------------------------------------------------------------------------------
# From resources to document inputs


class _Builder:
    def __init__(self, file: str, resources: list[_Res], config: _Config) -> None:
        self.file = file
        self.resources = resources
        self.config = config
        self.by_id: dict[str, _Res] = {}
        for res in resources:
            rid = res.values.get("id")
            if isinstance(rid, str) and rid:
                self.by_id.setdefault(rid, res)
            if isinstance(res.prior_id, str) and res.prior_id:
                # Something still naming the old ID names the object being replaced.
                self.by_id.setdefault(res.prior_id, res)

    def key(self, res: _Res) -> str:
        rid = res.values.get("id")
        if res.type == SG and isinstance(rid, str) and rid.strip():
            return rid
        return f"plan:{self.file}:{res.address}"

    def of_type(self, *types: str) -> list[_Res]:
        return [r for r in self.resources if r.type in types]

    def targets(self, res: _Res, name: str) -> Any:
        """The value of `name` as plan resources / literals: known value, else configuration.

        Returns a list of _Target, UNKNOWN, or None (not set at all)."""
        value = res.values.get(name)
        if value is None or (isinstance(value, (str, list)) and not value):
            return None
        if not is_unknown(value) and not (isinstance(value, list) and any(is_unknown(v) for v in value)):
            items = value if isinstance(value, list) else [value]
            return [self._known(v) for v in items]
        if res.configured(name) is False:
            return None  # computed by the provider; see the module docstring
        resolved = self.config.resolve(res.expressions.get(name), res.module, res.index)
        if resolved is None:
            return UNKNOWN
        if not isinstance(value, list):
            return resolved
        # A list with some unknown elements: the references fill the unknown slots in order, or
        # all of them when there is one (`[vsw.a.id, vsw.a.id, vsw.a.id]` lists `vsw.a` once).
        known_ids = {v for v in value if isinstance(v, str)}
        pending = [t for t in resolved if self._target_id(t) not in known_ids]
        slots = sum(1 for v in value if is_unknown(v))
        if len(pending) != slots and len(pending) != 1:
            return UNKNOWN
        out = []
        for item in value:
            if not is_unknown(item):
                out.append(self._known(item))
            elif len(pending) == 1:
                out.append(pending[0])
            else:
                out.append(pending.pop(0))
        return out

    def _known(self, value: Any) -> _Target:
        res = self.by_id.get(value) if isinstance(value, str) else None
        return _Target(res=res) if res is not None else _Target(literal=value)

    @staticmethod
    def _target_id(target: _Target) -> Any:
        return target.res.values.get("id") if target.res is not None else target.literal

    def sg_ref(self, target: _Target) -> Any:
        """The document key of an SG a value points to; UNKNOWN when it is not an SG."""
        if target.res is not None:
            return self.key(target.res) if target.res.type == SG else UNKNOWN
        return str(target.literal) if isinstance(target.literal, str) else UNKNOWN

    def single_sg(self, res: _Res, name: str) -> Any:
        got = self.targets(res, name)
        if got is None or is_unknown(got):
            return got
        return self.sg_ref(got[0]) if len(got) == 1 else UNKNOWN

    # -- security groups and rules -----------------------------------------------------------

    def security_groups(self) -> list[Json]:
        rules: dict[str, list[Json]] = {}
        extra: dict[str, SecurityGroupInput] = {}
        for res in self.of_type(SG_RULE):
            sg_key = self.single_sg(res, "security_group_id")
            if sg_key is None or is_unknown(sg_key):
                # The rule exists but its SG cannot be told: keep it under an SG of its own.
                sg_key = f"plan:{self.file}:{res.address}#security_group"
                extra[sg_key] = SecurityGroupInput(
                    key=sg_key,
                    address=f"{res.address} (security group unknown)",
                    file=self.file,
                    line=res.line,
                    id=UNKNOWN,
                    origin="referenced",
                )
            rules.setdefault(sg_key, []).append(make_rule(self.rule(res)))
        out: dict[str, Json] = {}
        for res in self.of_type(SG):
            key = self.key(res)
            out[key] = make_security_group(self.security_group(res, key), rules.pop(key, []))
        for key, sg_rules in rules.items():
            # Rules added to an SG the plan does not declare (a literal or variable ID).
            sg_input = extra.get(key) or SecurityGroupInput(
                key=key,
                address=key,
                file=self.file,
                line=sg_rules[0]["loc"]["line"],
                id=key if key.startswith("sg-") else UNKNOWN,
                origin="referenced",
            )
            out[key] = make_security_group(sg_input, sg_rules)
        return list(out.values())

    def value(self, res: _Res, name: str) -> Any:
        """A plain value; an unknown attribute the configuration does not set reads as unset."""
        value = res.values.get(name)
        if is_unknown(value) and name != "id" and res.configured(name) is False:
            return None  # an object's own ID is never configured, yet unknown is all it is
        if value is None or is_unknown(value):
            return value
        expected = _FIELD_TYPES.get(name)
        if expected is not None and not isinstance(value, expected[0]):
            raise InputError(self.file, f"{res.address}: {name} must be {expected[1]}", res.line)
        if name == "inner_access_policy" and value.strip().lower() not in ("accept", "drop"):
            message = f"{res.address}: inner_access_policy must be Accept or Drop"
            raise InputError(self.file, message, res.line)
        return value

    def first_set(self, res: _Res, *names: str) -> Any:
        """The first of several spellings (new name, deprecated name) that has a value."""
        values = [self.value(res, n) for n in names]
        for value in values:
            if value is not None and not is_unknown(value) and value != "":
                return value
        return UNKNOWN if any(is_unknown(v) for v in values) else None

    def security_group(self, res: _Res, key: str) -> SecurityGroupInput:
        vpc = self.targets(res, "vpc_id")
        return SecurityGroupInput(
            key=key,
            address=res.address,
            file=self.file,
            line=res.line,
            id=self.value(res, "id"),
            name=self.first_set(res, "security_group_name", "name"),
            sg_type=self.value(res, "security_group_type"),
            inner_access_policy=self.first_set(res, "inner_access_policy", "inner_access"),
            vpc_id=self._text_id(res, "vpc_id", self._id_of(vpc)),
            action=res.action,
        )

    def _text_id(self, res: _Res, name: str, value: Any) -> Any:
        if value is None or is_unknown(value) or isinstance(value, str):
            return value
        raise InputError(self.file, f"{res.address}: {name} must be a string", res.line)

    def _id_of(self, got: Any) -> Any:
        if got is None or is_unknown(got):
            return got
        if len(got) != 1:
            return UNKNOWN
        target = got[0]
        if target.res is None:
            return target.literal
        rid = target.res.values.get("id")
        return rid if isinstance(rid, str) and rid else UNKNOWN

    def rule(self, res: _Res) -> RuleInput:
        defaults = {
            doc_name for tf_name, doc_name in RULE_SCHEMA_DEFAULTS.items() if res.configured(tf_name) is False
        }
        return RuleInput(
            key=f"plan:{self.file}:{res.address}",
            address=res.address,
            file=self.file,
            line=res.line,
            direction=self.value(res, "type"),
            protocol=self.value(res, "ip_protocol"),
            port_range=self.value(res, "port_range"),
            cidr_ip=self.value(res, "cidr_ip"),
            ipv6_cidr_ip=self.value(res, "ipv6_cidr_ip"),
            peer_sg_id=self.single_sg(res, "source_security_group_id"),
            prefix_list_id=self.value(res, "prefix_list_id"),
            policy=self.value(res, "policy"),
            priority=self.value(res, "priority"),
            nic_type=self.value(res, "nic_type"),
            description=self.value(res, "description"),
            action=res.action,
            defaults=defaults,
        )

    # -- clusters and node pools ------------------------------------------------------------

    def vswitches(self, res: _Res, *names: str) -> Any:
        """vSwitches of one or more list attributes, each once (masters often repeat one)."""
        seen: list[_Target] = []
        for name in names:
            got = self.targets(res, name)
            if is_unknown(got):
                return UNKNOWN
            for target in got or []:
                if target.res is not None and target.res.type != VSWITCH:
                    return UNKNOWN
                if not any(_same_target(target, s) for s in seen):
                    seen.append(target)
        out = []
        for target in seen:
            vsw = target.res
            if vsw is None:
                out.append(VSwitchInput(id=target.literal, cidr=None))
            else:
                out.append(VSwitchInput(id=self.value(vsw, "id"), cidr=self.value(vsw, "cidr_block")))
        return out

    def _vpc_of(self, cluster: _Res) -> tuple[Any, _Res | None]:
        """The cluster's VPC ID and, when the plan has it, its resource (via its vSwitches)."""
        got = self.targets(cluster, "vpc_id")
        if got and not is_unknown(got) and len(got) == 1 and (got[0].res is None or got[0].res.type == VPC):
            return self._id_of(got), got[0].res
        for name in ("vswitch_ids", "worker_vswitch_ids", "master_vswitch_ids"):
            vsws = self.targets(cluster, name)
            if not vsws or is_unknown(vsws):
                continue
            for target in vsws:
                if target.res is not None and target.res.type == VSWITCH:
                    vpc = self.targets(target.res, "vpc_id")
                    if vpc and not is_unknown(vpc) and len(vpc) == 1:
                        vpc_res = vpc[0].res if vpc[0].res is not None and vpc[0].res.type == VPC else None
                        return self._id_of(vpc), vpc_res
        return UNKNOWN, None

    def _secondary_cidrs(self, vpc: _Res) -> Any:
        cidrs = self.value(vpc, "secondary_cidr_blocks")
        if is_unknown(cidrs):
            return UNKNOWN
        out = list(cidrs or [])
        for block in self.of_type(VPC_CIDR):
            owner = self.targets(block, "vpc_id")
            if owner is None or is_unknown(owner):
                return UNKNOWN  # a secondary CIDR of some VPC: it may be this one
            if any(t.res is vpc for t in owner) and block.action != "delete":
                out.append(self.value(block, "secondary_cidr_block"))
        return out

    def _api_server_address(self, cluster: _Res) -> Any:
        """The intranet API server IP of a cluster that exists (`connections`), else UNKNOWN: the
        SLB is created with the cluster."""
        connections = cluster.values.get("connections")
        url = connections.get("api_server_intranet") if isinstance(connections, dict) else None
        if not isinstance(url, str) or not url:
            return UNKNOWN
        try:
            return str(ipaddress.ip_address(urlsplit(url).hostname or ""))
        except ValueError:
            return UNKNOWN  # a host name is not an address

    @staticmethod
    def _network_plugin(addons: Any, pod_vswitches: Any, pod_cidr: Any, legacy: Any = None) -> Any:
        """From the CNI addon, else the removed `cluster_network_type` of old plans, else from
        which of pod vSwitches (Terway) or a pod CIDR (Flannel) is set; None when none tells."""
        if isinstance(addons, list):
            names = [a.get("name") for a in addons if isinstance(a, dict)]
            if "flannel" in names:
                return "flannel"
            if any(isinstance(n, str) and n.startswith("terway") for n in names):
                return "terway"
        if isinstance(legacy, str) and legacy.strip().lower() in ("flannel", "terway"):
            return legacy.strip().lower()
        if isinstance(pod_vswitches, list) and pod_vswitches:
            return "terway"
        if isinstance(pod_cidr, str) and pod_cidr:
            return "flannel"
        return None

    def clusters(self) -> list[Json]:
        clusters: dict[str, ClusterInput] = {}
        by_target: dict[int, ClusterInput] = {}
        for res in self.of_type(*CLUSTER_KINDS):
            vpc_id, vpc = self._vpc_of(res)
            pod_vswitches = self.vswitches(res, "pod_vswitch_ids")
            node_names = ["vswitch_ids", "worker_vswitch_ids"]
            if res.type == "alicloud_cs_kubernetes":
                node_names.append("master_vswitch_ids")  # dedicated masters are nodes in the SG too
            pod_cidr = self.value(res, "pod_cidr")
            cluster = ClusterInput(
                key=f"plan:{self.file}:{res.address}",
                address=res.address,
                file=self.file,
                line=res.line,
                kind=CLUSTER_KINDS[res.type],
                cluster_id=self.value(res, "id"),
                name=self.value(res, "name"),
                security_group=self.single_sg(res, "security_group_id"),
                is_enterprise_security_group=self.value(res, "is_enterprise_security_group"),
                network_plugin=self._network_plugin(
                    self.value(res, "addons"),
                    pod_vswitches,
                    pod_cidr,
                    self.value(res, "cluster_network_type"),
                ),
                pod_cidr=pod_cidr,
                service_cidr=self.value(res, "service_cidr"),
                vpc_id=vpc_id,
                vpc_cidr=self.value(vpc, "cidr_block") if vpc else UNKNOWN,
                vpc_secondary_cidrs=self._secondary_cidrs(vpc) if vpc else UNKNOWN,
                node_vswitches=self.vswitches(res, *node_names),
                pod_vswitches=pod_vswitches,
                api_server_address=self._api_server_address(res),
                action=res.action,
            )
            clusters[res.address] = cluster
            by_target[id(res)] = cluster
        for pool in self.of_type(NODE_POOL):
            owner = self._pool_cluster(pool, by_target, clusters)
            owner.node_pools.append(self.node_pool(pool))
        return [make_cluster(c) for c in clusters.values()]

    def _pool_cluster(
        self, pool: _Res, by_target: dict[int, ClusterInput], clusters: dict[str, ClusterInput]
    ) -> ClusterInput:
        got = self.targets(pool, "cluster_id")
        if got and not is_unknown(got) and len(got) == 1:
            target = got[0]
            if target.res is not None and id(target.res) in by_target:
                return by_target[id(target.res)]
            label = str(target.literal) if target.res is None else target.res.address
        else:
            label = f"{pool.address} (cluster unknown)"
        # A pool of a cluster the plan does not hold: keep it, under a cluster we know nothing of.
        key = f"plan:{self.file}:{label}"
        if key not in clusters:
            clusters[key] = external_cluster(
                key=key,
                address=label,
                file=self.file,
                line=pool.line,
                cluster_id=label if got and not is_unknown(got) and got[0].res is None else None,
            )
        return clusters[key]

    def node_pool(self, pool: _Res) -> NodePoolInput:
        groups = self.targets(pool, "security_group_ids")
        if groups is None:
            groups = self.targets(pool, "security_group_id")  # deprecated single form
        if groups is None or is_unknown(groups):
            sgs: Any = groups
        else:
            sgs = [self.sg_ref(t) for t in groups]
            if any(is_unknown(s) for s in sgs):
                sgs = UNKNOWN
        return NodePoolInput(
            key=f"plan:{self.file}:{pool.address}",
            address=pool.address,
            file=self.file,
            line=pool.line,
            name=self.first_set(pool, "node_pool_name", "name"),
            security_groups=sgs,
            vswitches=self.vswitches(pool, "vswitch_ids"),
            action=pool.action,
        )


# --------------------------------------------------------------------------------------------
# Entry points


def _check_format(plan: Any, reader: _Reader) -> dict[str, Any]:
    if not isinstance(plan, dict):
        raise reader.fail("not a Terraform plan: the top level must be a JSON object")
    version = plan.get("format_version")
    if not isinstance(version, str):
        raise reader.fail("not a Terraform plan: no format_version string")
    if version.split(".", 1)[0] != "1":
        raise reader.fail(f"unsupported plan format_version {version!r} (this reader knows 1.x)")
    if not any(k in plan for k in ("planned_values", "resource_changes", "configuration")):
        raise reader.fail("not a Terraform plan: no planned_values, resource_changes or configuration")
    return plan


def load_one(path: Path) -> Json:
    file = str(path)
    text = read_text(path)
    reader = _Reader(file, text)
    plan = _check_format(load_json(text, file), reader)
    resources = _collect(plan, reader)
    config = _Config(plan, reader, resources)
    builder = _Builder(file, resources, config)
    part = empty_part(file, KIND)
    part["security_groups"] = builder.security_groups()
    part["clusters"] = builder.clusters()
    return part


def load(paths: list[Path], options: AdapterOptions) -> tuple[list[Json], list[InputError]]:
    parts: list[Json] = []
    errors: list[InputError] = []
    for path in paths:
        try:
            parts.append(load_one(path))
        except InputError as exc:
            errors.append(exc)
        except (TypeError, ValueError, AttributeError, KeyError, IndexError, RecursionError) as exc:
            # A shape this reader did not foresee: report the file instead of a traceback.
            errors.append(InputError(str(path), f"malformed Terraform plan: {type(exc).__name__}: {exc}"))
    return parts, errors
