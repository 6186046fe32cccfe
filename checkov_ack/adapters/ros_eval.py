"""ROS template functions: parameters, conditions, mappings, `Count`, and the intrinsic functions.

`Evaluator.resolve` turns a raw property value into plain data. What the scan cannot know (a
parameter with no default, a pseudo parameter, an attribute known only after creation, an
unsupported function) becomes `UNKNOWN`; a reference to a resource of the template becomes a
`ResRef` so the adapter can tie rules, clusters and node pools to it. Nothing is guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from checkov_ack.adapters.common import load_json
from checkov_ack.adapters.ros_parse import LDict, line_of
from checkov_ack.errors import InputError
from checkov_ack.model.document import UNKNOWN, is_unknown

# ALIYUN::NoValue: the property (or list item) it stands for is removed.
NOVALUE: Any = type("NoValue", (), {"__repr__": lambda self: "NOVALUE"})()

PSEUDO_PARAMETERS = {
    "ALIYUN::StackName",
    "ALIYUN::StackId",
    "ALIYUN::Region",
    "ALIYUN::AccountId",
    "ALIYUN::TenantId",
    "ALIYUN::ResourceGroupId",
    "ALIYUN::NoValue",
    "ALIYUN::Index",
}
MAX_COUNT = 1000  # ROS caps Count far lower; this only stops a typo from exploding memory


@dataclass(frozen=True)
class ResRef:
    """`Ref`/`Fn::GetAtt` to a template resource whose value is an ID known only after creation."""

    logical_id: str
    type: str


@dataclass
class Resource:
    """One resource of the template after `Count` expansion (`Sg[0]`, `Sg[1]`, ...)."""

    logical_id: str
    base_id: str
    type: str
    properties: Any
    condition: Any  # the raw `Condition` value, or None
    index: Any  # ALIYUN::Index: an int for Count copies, UNKNOWN when Count is unknown, else None
    line: int | None
    end_line: int | None
    raw: Any = field(repr=False, default=None)


def contains_unknown(value: Any) -> bool:
    if is_unknown(value) or isinstance(value, ResRef):
        return True
    if isinstance(value, dict):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_unknown(v) for v in value)
    return False


def _as_text(value: Any) -> str | None:
    """A scalar as ROS would splice it into a string; None when that is not knowable."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float, str)):
        return str(value)
    return None


def _as_index(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _scalar_key(value: Any) -> Any:
    # Fn::Equals compares what ROS would see as text: 1 == "1", true == "true".
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return value


class Evaluator:
    """Evaluates one template's functions; raises InputError for templates ROS itself would reject."""

    def __init__(self, file: str, template: LDict, params: dict[str, str]) -> None:
        self.file = file
        self.template = template
        self.mappings = self._section("Mappings")
        self.condition_defs = self._section("Conditions")
        self.locals = self._section("Locals")
        self._locals_stack: set[str] = set()
        self.unset_params: set[str] = set()
        self.parameters = self._parameters(self._section("Parameters"), params)
        self._conditions: dict[str, Any] = {}
        self._evaluating: set[str] = set()
        self._attr_stack: set[tuple[str, str]] = set()
        self.resources: dict[str, Resource] = {}
        self.counted: dict[str, list[str]] = {}  # base logical ID -> its copies
        self.declared: dict[str, Any] = {}  # base logical ID -> raw declaration
        self._expand_resources(self._section("Resources"))

    # --- sections ---------------------------------------------------------------------------------

    def _section(self, name: str) -> LDict:
        value = self.template.get(name)
        if value is None:
            return LDict()
        if not isinstance(value, dict):
            raise InputError(self.file, f"{name} must be a mapping", self.template.key_lines.get(name))
        return value if isinstance(value, LDict) else LDict(value)

    def _parameters(self, specs: LDict, given: dict[str, str]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name, spec in specs.items():
            if not isinstance(spec, dict):
                raise InputError(self.file, f"parameter {name} must be a mapping", specs.key_lines.get(name))
            ptype = str(spec.get("Type", "String"))
            if name in given:
                values[name] = self._coerce(ptype, given[name])
            elif "Default" in spec and spec["Default"] is not None:
                values[name] = self._coerce(ptype, spec["Default"])
            else:
                values[name] = UNKNOWN
                self.unset_params.add(str(name))
        return values

    def _coerce(self, ptype: str, value: Any) -> Any:
        """A parameter value as `Ref` returns it, per the parameter's declared Type."""
        if not isinstance(value, str):
            return value
        if ptype == "CommaDelimitedList":
            return [item.strip() for item in value.split(",")]
        if ptype == "Number":
            try:
                return int(value)
            except ValueError:
                try:
                    return float(value)
                except ValueError:
                    return value
        if ptype == "Boolean" and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
        if ptype == "Json":
            try:
                return load_json(value, self.file)
            except InputError:
                return value
        return value

    def _expand_resources(self, section: LDict) -> None:
        for base_id, decl in section.items():
            line, end = section.key_lines.get(base_id), section.value_ends.get(base_id)
            if not isinstance(decl, dict) or not isinstance(decl.get("Type"), str):
                raise InputError(self.file, f"resource {base_id} has no Type", line)
            base_id = str(base_id)
            self.declared[base_id] = decl
            props = decl.get("Properties")
            if props is None:
                props = LDict()
            copies: list[tuple[str, Any]] = [(base_id, None)]
            if "Count" in decl:
                count = self.resolve(decl["Count"])
                n = _as_index(count)
                if n is None or not 0 <= n <= MAX_COUNT:
                    if not contains_unknown(count) or n is not None:
                        raise InputError(self.file, f"resource {base_id}: Count must be 0..{MAX_COUNT}", line)
                    # An unknown Count: one copy stands for all of them, its index unknown.
                    copies = [(base_id, UNKNOWN)]
                else:
                    copies = [(f"{base_id}[{i}]", i) for i in range(n)]
                    self.counted[base_id] = [c for c, _ in copies]
            for logical_id, index in copies:
                self.resources[logical_id] = Resource(
                    logical_id, base_id, decl["Type"], props, decl.get("Condition"), index, line, end, decl
                )

    # --- conditions -------------------------------------------------------------------------------

    def condition(self, name: Any, line: int | None = None) -> Any:
        """True, False or UNKNOWN for a condition name."""
        if not isinstance(name, str) or name not in self.condition_defs:
            raise InputError(self.file, f"unknown condition {name!r}", line)
        if name in self._conditions:
            return self._conditions[name]
        if name in self._evaluating:
            raise InputError(self.file, f"condition {name} refers to itself", line)
        self._evaluating.add(name)
        try:
            result = self._truth(self.condition_defs[name], self.condition_defs.key_lines.get(name))
        finally:
            self._evaluating.discard(name)
        self._conditions[name] = result
        return result

    def _truth(self, value: Any, line: int | None, index: Any = None) -> Any:
        """A condition operand: a condition name, {"Condition": name}, a function, or a boolean."""
        if isinstance(value, str) and value in self.condition_defs:
            return self.condition(value, line)
        if isinstance(value, dict) and list(value) == ["Condition"]:
            return self.condition(value["Condition"], line_of(value) or line)
        result = self.resolve(value, index)
        if isinstance(result, bool):
            return result
        if isinstance(result, str) and result.lower() in ("true", "false"):
            return result.lower() == "true"
        return UNKNOWN

    # --- values -----------------------------------------------------------------------------------

    def resolve(self, value: Any, index: Any = None) -> Any:
        """`value` with every function evaluated; NOVALUE items and keys removed."""
        if isinstance(value, dict):
            if len(value) == 1:
                (name,) = value
                if name == "Ref" or (isinstance(name, str) and name.startswith("Fn::")):
                    return self._function(name, value[name], line_of(value), index)
            out = {}
            for key, item in value.items():
                resolved = self.resolve(item, index)
                if resolved is not NOVALUE:
                    out[key] = resolved
            return out
        if isinstance(value, list):
            items = [self.resolve(item, index) for item in value]
            return [item for item in items if item is not NOVALUE]
        return value

    def _function(self, name: str, arg: Any, line: int | None, index: Any) -> Any:
        handler = _FUNCTIONS.get(name)
        if handler is None:
            return UNKNOWN  # a function this scanner does not evaluate
        return handler(self, arg, line, index)

    def ref(self, name: Any, line: int | None, index: Any) -> Any:
        if not isinstance(name, str):
            raise InputError(self.file, "Ref needs a name", line)
        if name in self.parameters:
            return self.parameters[name]
        if name == "ALIYUN::NoValue":
            return NOVALUE
        if name == "ALIYUN::Index":
            return UNKNOWN if index is None else index
        if name in PSEUDO_PARAMETERS or name.startswith("ALIYUN::"):
            return UNKNOWN
        if name in self.locals:
            return self._local(name, line)
        if name in self.counted:
            return [self._resource_ref(copy) for copy in self.counted[name]]
        if name in self.resources:
            return self._resource_ref(name)
        raise InputError(self.file, f"Ref to {name}, which is neither a parameter nor a resource", line)

    def _local(self, name: str, line: int | None) -> Any:
        """A `Locals` entry: a plain or `Eval` value is evaluated; data sources are unknown."""
        spec = self.locals[name]
        if not isinstance(spec, dict) or "Value" not in spec or spec.get("Type", "Eval") != "Eval":
            return UNKNOWN
        if name in self._locals_stack:
            raise InputError(self.file, f"local {name} refers to itself", line)
        self._locals_stack.add(name)
        try:
            return self.resolve(spec["Value"])
        finally:
            self._locals_stack.discard(name)

    def _resource_ref(self, logical_id: str) -> Any:
        res = self.resources[logical_id]
        if res.condition is not None and self.resource_present(res) is False:
            return UNKNOWN  # ROS would refuse this reference; never invent a value for it
        return ResRef(logical_id, res.type)

    def get_att(self, arg: Any, line: int | None, index: Any) -> Any:
        resolved = self.resolve(arg, index)
        if not isinstance(resolved, list) or len(resolved) < 2:
            raise InputError(self.file, "Fn::GetAtt needs [resource, attribute]", line)
        target, attr = resolved[0], resolved[1]
        if not isinstance(target, str) or not isinstance(attr, str):
            return UNKNOWN
        if target in self.counted:
            return [self._attribute(copy, attr, line) for copy in self.counted[target]]
        if target in self.locals:
            return UNKNOWN  # attributes of data sources are read at deployment
        if target not in self.resources:
            raise InputError(self.file, f"Fn::GetAtt on {target}, which is not a resource", line)
        return self._attribute(target, attr, line)

    def _attribute(self, logical_id: str, attr: str, line: int | None) -> Any:
        res = self.resources[logical_id]
        rtype = res.type
        id_attrs = {
            "ALIYUN::ECS::SecurityGroup": "SecurityGroupId",
            "ALIYUN::ECS::SecurityGroupClone": "SecurityGroupId",
            "ALIYUN::ECS::VPC": "VpcId",
            "ALIYUN::ECS::VSwitch": "VSwitchId",
            "ALIYUN::CS::ManagedKubernetesCluster": "ClusterId",
            "ALIYUN::CS::KubernetesCluster": "ClusterId",
        }
        if id_attrs.get(rtype) == attr:
            return self._resource_ref(logical_id)
        if rtype == "ALIYUN::ECS::VSwitch" and attr == "CidrBlock":
            return self.property_of(res, "CidrBlock", line)
        return UNKNOWN

    def property_of(self, res: Resource, prop: str, line: int | None) -> Any:
        """A resolved property of another resource (a vSwitch's CIDR), guarding against cycles."""
        if res.condition is not None and self.resource_present(res) is False:
            return UNKNOWN
        key = (res.logical_id, prop)
        if key in self._attr_stack:
            raise InputError(self.file, f"{res.logical_id}.{prop} refers to itself", line)
        if not isinstance(res.properties, dict) or prop not in res.properties:
            return None
        self._attr_stack.add(key)
        try:
            value = self.resolve(res.properties[prop], res.index)
        finally:
            self._attr_stack.discard(key)
        return None if value is NOVALUE else value

    def resource_present(self, res: Resource) -> Any:
        """True, False, or UNKNOWN from the resource's `Condition`."""
        if res.condition is None:
            return True
        return self.condition(res.condition, res.line)

    def find_in_map(self, arg: Any, line: int | None, index: Any) -> Any:
        resolved = self.resolve(arg, index)
        if not isinstance(resolved, list) or len(resolved) != 3:
            raise InputError(self.file, "Fn::FindInMap needs [map, key, key]", line)
        if contains_unknown(resolved):
            return UNKNOWN
        table: Any = self.mappings
        for key in resolved:
            if not isinstance(table, dict):
                return UNKNOWN
            found = next((v for k, v in table.items() if _scalar_key(k) == _scalar_key(key)), NOVALUE)
            if found is NOVALUE:
                raise InputError(self.file, f"Fn::FindInMap: no key {key!r} in the mapping", line)
            table = found
        return self.resolve(table, index)


_SUB_VAR = re.compile(r"\$\{([^}]*)\}")


def _join(ev: Evaluator, arg: Any, line: int | None, index: Any) -> Any:
    resolved = ev.resolve(arg, index)
    if contains_unknown(resolved):
        return UNKNOWN
    if not isinstance(resolved, list) or len(resolved) != 2 or not isinstance(resolved[1], list):
        raise InputError(ev.file, "Fn::Join needs [delimiter, [values]]", line)
    texts = [_as_text(item) for item in resolved[1]]
    delimiter = _as_text(resolved[0])
    if delimiter is None or any(t is None for t in texts):
        return UNKNOWN
    return delimiter.join(t for t in texts if t is not None)


def _sub(ev: Evaluator, arg: Any, line: int | None, index: Any) -> Any:
    template, variables = arg, {}
    if isinstance(arg, list):
        if len(arg) != 2 or not isinstance(arg[1], dict):
            raise InputError(ev.file, "Fn::Sub needs a string or [string, {variables}]", line)
        template, variables = arg
    template = ev.resolve(template, index)
    if is_unknown(template) or not isinstance(template, str):
        return UNKNOWN

    unknown = False

    def substitute(match: re.Match[str]) -> str:
        nonlocal unknown
        name = match.group(1).strip()
        if name.startswith("!"):
            return "${" + name[1:] + "}"  # ${!Literal} is written out as ${Literal}
        if name in variables:
            value = ev.resolve(variables[name], index)
        elif "." in name and not name.startswith("ALIYUN::"):
            value = ev.get_att(name.split(".", 1), line, index)
        else:
            value = ev.ref(name, line, index)
        text = _as_text(value)
        if text is None:
            unknown = True
            return ""
        return text

    result = _SUB_VAR.sub(substitute, template)
    return UNKNOWN if unknown else result


def _select(ev: Evaluator, arg: Any, line: int | None, index: Any) -> Any:
    if not isinstance(arg, list) or len(arg) != 2:
        raise InputError(ev.file, "Fn::Select needs [index, list]", line)
    position = ev.resolve(arg[0], index)
    container = ev.resolve(arg[1], index)
    if is_unknown(position) or is_unknown(container):
        return UNKNOWN
    if isinstance(container, dict):
        return container.get(str(position), UNKNOWN)
    i = _as_index(position)
    if not isinstance(container, list) or i is None:
        return UNKNOWN
    return container[i] if 0 <= i < len(container) else UNKNOWN


def _split(ev: Evaluator, arg: Any, line: int | None, index: Any) -> Any:
    resolved = ev.resolve(arg, index)
    if contains_unknown(resolved):
        return UNKNOWN
    if not isinstance(resolved, list) or len(resolved) != 2:
        raise InputError(ev.file, "Fn::Split needs [delimiter, string]", line)
    delimiter, text = resolved
    if not isinstance(delimiter, str) or not delimiter or not isinstance(text, str):
        return UNKNOWN
    return text.split(delimiter)


def _if(ev: Evaluator, arg: Any, line: int | None, index: Any) -> Any:
    if not isinstance(arg, list) or len(arg) != 3:
        raise InputError(ev.file, "Fn::If needs [condition, value if true, value if false]", line)
    truth = ev.condition(arg[0], line) if isinstance(arg[0], str) else ev._truth(arg[0], line, index)
    if truth is True:
        return ev.resolve(arg[1], index)
    if truth is False:
        return ev.resolve(arg[2], index)
    # Unknown condition: only a value both branches agree on is known.
    when_true, when_false = ev.resolve(arg[1], index), ev.resolve(arg[2], index)
    if when_true == when_false and not contains_unknown(when_true):
        return when_true
    return UNKNOWN


def _equals(ev: Evaluator, arg: Any, line: int | None, index: Any) -> Any:
    resolved = ev.resolve(arg, index)
    if not isinstance(resolved, list) or len(resolved) != 2:
        raise InputError(ev.file, "Fn::Equals needs two values", line)
    if contains_unknown(resolved):
        return UNKNOWN
    return _scalar_key(resolved[0]) == _scalar_key(resolved[1])


def _operands(ev: Evaluator, arg: Any, line: int | None, index: Any) -> list[Any]:
    items = arg if isinstance(arg, list) else [arg]
    return [ev._truth(item, line, index) for item in items]


def _and(ev: Evaluator, arg: Any, line: int | None, index: Any) -> Any:
    values = _operands(ev, arg, line, index)
    if any(v is False for v in values):
        return False
    return True if all(v is True for v in values) else UNKNOWN


def _or(ev: Evaluator, arg: Any, line: int | None, index: Any) -> Any:
    values = _operands(ev, arg, line, index)
    if any(v is True for v in values):
        return True
    return False if all(v is False for v in values) else UNKNOWN


def _not(ev: Evaluator, arg: Any, line: int | None, index: Any) -> Any:
    values = _operands(ev, arg, line, index)
    if len(values) != 1:
        raise InputError(ev.file, "Fn::Not needs one condition", line)
    return UNKNOWN if is_unknown(values[0]) else not values[0]


def _replace(ev: Evaluator, arg: Any, line: int | None, index: Any) -> Any:
    resolved = ev.resolve(arg, index)
    if contains_unknown(resolved):
        return UNKNOWN
    if not isinstance(resolved, list) or len(resolved) != 2 or not isinstance(resolved[0], dict):
        raise InputError(ev.file, "Fn::Replace needs [{old: new}, string]", line)
    text = resolved[1]
    if not isinstance(text, str):
        return UNKNOWN
    for old, new in resolved[0].items():
        new_text = _as_text(new)
        if new_text is None:
            return UNKNOWN
        text = text.replace(str(old), new_text)
    return text


def _str(ev: Evaluator, arg: Any, line: int | None, index: Any) -> Any:
    value = ev.resolve(arg, index)
    text = _as_text(value)
    return UNKNOWN if text is None else text


def _length(ev: Evaluator, arg: Any, line: int | None, index: Any) -> Any:
    value = ev.resolve(arg, index)
    if is_unknown(value) or not isinstance(value, (list, dict, str)):
        return UNKNOWN
    return len(value)


def _list_merge(ev: Evaluator, arg: Any, line: int | None, index: Any) -> Any:
    value = ev.resolve(arg, index)
    if not isinstance(value, list) or not all(isinstance(v, list) for v in value):
        return UNKNOWN
    return [item for sub in value for item in sub]


_FUNCTIONS: dict[str, Any] = {
    "Ref": lambda ev, arg, line, index: ev.ref(ev.resolve(arg, index), line, index),
    "Fn::GetAtt": Evaluator.get_att,
    "Fn::FindInMap": Evaluator.find_in_map,
    "Fn::Join": _join,
    "Fn::Sub": _sub,
    "Fn::Select": _select,
    "Fn::Split": _split,
    "Fn::If": _if,
    "Fn::Equals": _equals,
    "Fn::And": _and,
    "Fn::Or": _or,
    "Fn::Not": _not,
    "Fn::Replace": _replace,
    "Fn::Str": _str,
    "Fn::Length": _length,
    "Fn::ListMerge": _list_merge,
}
