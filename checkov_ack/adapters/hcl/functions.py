"""The Terraform functions real ACK modules use. Unknown in -> unknown out; misuse -> EvalError.

A function that is not listed here is not guessed: the evaluator returns UNKNOWN for its result.
"""

from __future__ import annotations

import ipaddress
import json
import math
import re
from collections.abc import Callable
from typing import Any

from checkov_ack.adapters.hcl.values import MAX_ITEMS, EvalError, Ref, is_opaque, to_json, to_str
from checkov_ack.model.document import UNKNOWN


def _deep_opaque(value: Any) -> bool:
    if is_opaque(value):
        return True
    if isinstance(value, list):
        return any(_deep_opaque(v) for v in value)
    if isinstance(value, dict):
        return any(_deep_opaque(v) for v in value.values())
    return False


def _known_args(func: Callable[..., Any]) -> Callable[..., Any]:
    """Most functions: any unknown argument makes the result unknown."""

    def wrapper(*args: Any) -> Any:
        if any(is_opaque(a) for a in args):
            return UNKNOWN
        return func(*args)

    return wrapper


def _list(value: Any, what: str) -> list[Any]:
    if isinstance(value, list):
        return value
    raise EvalError(f"{what}: expected a list")


def _map(value: Any, what: str) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    raise EvalError(f"{what}: expected a map or object")


def _int(value: Any, what: str) -> int:
    if isinstance(value, bool):
        raise EvalError(f"{what}: expected a number")
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    if isinstance(value, (int, float)) and int(value) == value:
        return int(value)
    raise EvalError(f"{what}: expected a whole number")


_VERB = re.compile(r"%(?:%|([-+# 0]*)(\d*)(?:\.(\d+))?([a-zA-Z]))")


def _format(fmt: Any, *args: Any) -> Any:
    if is_opaque(fmt):
        return UNKNOWN
    if not isinstance(fmt, str):
        raise EvalError("format: the format must be a string")
    out: list[str] = []
    pos = 0
    arg_i = 0
    for match in _VERB.finditer(fmt):
        out.append(fmt[pos : match.start()])
        pos = match.end()
        if match.group(0) == "%%":
            out.append("%")
            continue
        flags, width, precision, verb = match.groups()
        if arg_i >= len(args):
            raise EvalError("format: not enough arguments")
        value = args[arg_i]
        arg_i += 1
        if is_opaque(value):
            return UNKNOWN
        spec = f"%{flags}{width}" + (f".{precision}" if precision else "")
        if verb in ("s", "v"):
            text = to_json(value) if isinstance(value, (list, dict)) else to_str(value)
            out.append((spec + "s") % text)
        elif verb == "q":
            out.append(json.dumps(to_str(value)))
        elif verb in ("d", "x", "X", "o", "b"):
            number = _int(value, "format")
            out.append(format(number, "b") if verb == "b" else (spec + verb) % number)
        elif verb in ("f", "e", "E", "g", "G"):
            if isinstance(value, bool) or not isinstance(value, (int, float, str)):
                raise EvalError("format: expected a number")
            out.append((spec + verb) % float(value))
        elif verb == "t":
            if not isinstance(value, bool):
                raise EvalError("format: %t needs a bool")
            out.append(to_str(value))
        else:
            raise EvalError(f"format: unsupported verb %{verb}")
    out.append(fmt[pos:])
    return "".join(out)


def _network(prefix: Any) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    if not isinstance(prefix, str):
        raise EvalError("expected a CIDR string")
    try:
        return ipaddress.ip_network(prefix, strict=False)
    except ValueError:
        raise EvalError(f"invalid CIDR {prefix!r}") from None


@_known_args
def _cidrsubnet(prefix: Any, newbits: Any, netnum: Any) -> str:
    net = _network(prefix)
    bits, num = _int(newbits, "cidrsubnet"), _int(netnum, "cidrsubnet")
    new_len = net.prefixlen + bits
    if bits < 0 or new_len > net.max_prefixlen or not 0 <= num < 2**bits:
        raise EvalError("cidrsubnet: out of range")
    base = int(net.network_address) + (num << (net.max_prefixlen - new_len))
    return f"{ipaddress.ip_address(base) if net.version == 4 else ipaddress.IPv6Address(base)}/{new_len}"


@_known_args
def _cidrsubnets(prefix: Any, *newbits: Any) -> list[str]:
    net = _network(prefix)
    out = []
    current = int(net.network_address)
    for nb in newbits:
        length = net.prefixlen + _int(nb, "cidrsubnets")
        if length > net.max_prefixlen:
            raise EvalError("cidrsubnets: out of range")
        size = 1 << (net.max_prefixlen - length)
        current = (current + size - 1) // size * size
        if current + size > int(net.broadcast_address) + 1:
            raise EvalError("cidrsubnets: not enough space")
        address = ipaddress.ip_address(current) if net.version == 4 else ipaddress.IPv6Address(current)
        out.append(f"{address}/{length}")
        current += size
    return out


@_known_args
def _cidrhost(prefix: Any, hostnum: Any) -> str:
    net = _network(prefix)
    num = _int(hostnum, "cidrhost")
    if num < 0:
        num += net.num_addresses
    if not 0 <= num < net.num_addresses:
        raise EvalError("cidrhost: out of range")
    return str(net.network_address + num)


@_known_args
def _cidrnetmask(prefix: Any) -> str:
    return str(_network(prefix).netmask)


def _concat(*lists: Any) -> Any:
    if any(is_opaque(x) for x in lists):
        return UNKNOWN
    out: list[Any] = []
    for item in lists:
        out.extend(_list(item, "concat"))
    return out


def _lookup(mapping: Any, key: Any, *default: Any) -> Any:
    if is_opaque(mapping) or is_opaque(key):
        return UNKNOWN
    m = _map(mapping, "lookup")
    k = to_str(key)
    if k in m:
        return m[k]
    if default:
        return default[0]
    raise EvalError(f"lookup: no key {k!r}")


@_known_args
def _element(lst: Any, index: Any) -> Any:
    items = _list(lst, "element")
    if not items:
        raise EvalError("element: empty list")
    return items[_int(index, "element") % len(items)]


@_known_args
def _length(value: Any) -> int:
    if isinstance(value, (str, list, dict)):
        return len(value)
    raise EvalError("length: expected a string or collection")


def _jsonencode(value: Any) -> Any:
    if _deep_opaque(value):
        return UNKNOWN
    return to_json(value)


@_known_args
def _jsondecode(text: Any) -> Any:
    try:
        return json.loads(to_str(text))
    except (json.JSONDecodeError, RecursionError):
        raise EvalError("jsondecode: invalid JSON") from None


def _merge(*maps: Any) -> Any:
    if any(is_opaque(m) for m in maps):
        return UNKNOWN
    out: dict[str, Any] = {}
    for m in maps:
        if m is not None:
            out.update(_map(m, "merge"))
    return out


def _tolist(value: Any) -> Any:
    if is_opaque(value):
        return UNKNOWN
    return list(_list(value, "tolist"))


def _toset(value: Any) -> Any:
    items = _tolist(value)
    if items is UNKNOWN or any(is_opaque(i) and not isinstance(i, Ref) for i in items):
        return UNKNOWN  # duplicates among unknowns cannot be told apart
    out: list[Any] = []
    for item in items:
        if item not in out:
            out.append(item)
    # Terraform orders sets of strings lexically.
    return sorted(out) if all(isinstance(i, str) for i in out) else out


@_known_args
def _tomap(value: Any) -> dict[str, Any]:
    return dict(_map(value, "tomap"))


@_known_args
def _tostring(value: Any) -> Any:
    return None if value is None else to_str(value)


@_known_args
def _tonumber(value: Any) -> Any:
    if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return value
    try:
        num = float(to_str(value))
    except ValueError:
        raise EvalError("tonumber: not a number") from None
    return int(num) if num.is_integer() else num


@_known_args
def _tobool(value: Any) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise EvalError("tobool: not a bool")


def _coalesce(*args: Any) -> Any:
    for arg in args:
        if arg is UNKNOWN:
            return UNKNOWN  # it may or may not be the first non-empty one
        if arg is not None and arg != "":
            return arg
    raise EvalError("coalesce: no non-null argument")


def _coalescelist(*args: Any) -> Any:
    for arg in args:
        if arg is UNKNOWN:
            return UNKNOWN
        if _list(arg, "coalescelist"):
            return arg
    raise EvalError("coalescelist: all lists empty")


def _join(sep: Any, *lists: Any) -> Any:
    if is_opaque(sep) or any(is_opaque(x) for x in lists):
        return UNKNOWN
    items = [i for lst in lists for i in _list(lst, "join")]
    if to_str(sep) == "":
        items = [i for i in items if i != ""]
    if len(items) == 1 and isinstance(items[0], Ref):
        return items[0]  # join("", aws_style.sg.*.id): the legacy idiom for "the one ID, if any"
    if any(is_opaque(i) for i in items):
        return UNKNOWN
    return to_str(sep).join(to_str(i) for i in items)


@_known_args
def _split(sep: Any, text: Any) -> list[str]:
    sep_s, text_s = to_str(sep), to_str(text)
    if sep_s == "":
        raise EvalError("split: empty separator")
    return [] if text_s == "" else text_s.split(sep_s)


@_known_args
def _replace(text: Any, old: Any, new: Any) -> Any:
    old_s = to_str(old)
    if len(old_s) > 1 and old_s.startswith("/") and old_s.endswith("/"):
        return UNKNOWN  # regular-expression replace: RE2 semantics are not reproduced
    return to_str(text).replace(old_s, to_str(new))


def _flatten(value: Any) -> Any:
    if is_opaque(value):
        return UNKNOWN
    out: list[Any] = []
    stack = [iter(_list(value, "flatten"))]
    while stack:
        item = next(stack[-1], _END)
        if item is _END:
            stack.pop()
        elif item is UNKNOWN:
            return UNKNOWN  # an unknown element might be a list
        elif isinstance(item, list):
            if len(stack) > 100:
                raise EvalError("flatten: nested too deeply")
            stack.append(iter(item))
        else:
            out.append(item)
        if len(out) > MAX_ITEMS:
            raise EvalError("flatten: too large")
    return out


_END = object()


def _distinct(value: Any) -> Any:
    items = _tolist(value)
    if items is UNKNOWN or any(i is UNKNOWN for i in items):
        return UNKNOWN
    out: list[Any] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


@_known_args
def _keys(value: Any) -> list[str]:
    return sorted(_map(value, "keys"))


@_known_args
def _values(value: Any) -> list[Any]:
    m = _map(value, "values")
    return [m[k] for k in sorted(m)]


def _contains(collection: Any, value: Any) -> Any:
    if is_opaque(collection) or value is UNKNOWN:
        return UNKNOWN
    items = _list(collection, "contains")
    if value in items:
        return True
    return UNKNOWN if any(is_opaque(i) for i in items) else False


@_known_args
def _compact(value: Any) -> Any:
    items = _list(value, "compact")
    if any(i is UNKNOWN for i in items):
        return UNKNOWN
    return [i for i in items if i not in (None, "")]


@_known_args
def _range(*args: Any) -> list[int]:
    nums = [_int(a, "range") for a in args]
    if not 1 <= len(nums) <= 3:
        raise EvalError("range: 1 to 3 arguments")
    r = range(*nums) if len(nums) < 3 or nums[2] != 0 else None
    if r is None or len(r) > MAX_ITEMS:
        raise EvalError("range: too large or zero step")
    return list(r)


@_known_args
def _zipmap(keys: Any, values: Any) -> dict[str, Any]:
    k, v = _list(keys, "zipmap"), _list(values, "zipmap")
    if len(k) != len(v):
        raise EvalError("zipmap: lists of different lengths")
    return {to_str(a): b for a, b in zip(k, v, strict=True)}


@_known_args
def _one(value: Any) -> Any:
    items = _list(value, "one")
    if len(items) > 1:
        raise EvalError("one: more than one element")
    return items[0] if items else None


@_known_args
def _substr(text: Any, offset: Any, length: Any) -> str:
    t, o, n = to_str(text), _int(offset, "substr"), _int(length, "substr")
    if o < 0:
        o += len(t)
    return t[o:] if n == -1 else t[o : o + n]


def _numeric(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    @_known_args
    def wrapper(*args: Any) -> Any:
        nums = []
        for a in args:
            if isinstance(a, bool) or not isinstance(a, (int, float)):
                raise EvalError(f"{name}: expected numbers")
            nums.append(a)
        if not nums:
            raise EvalError(f"{name}: no arguments")
        return func(*nums)

    return wrapper


def _str_func(func: Callable[[str], Any]) -> Callable[..., Any]:
    @_known_args
    def wrapper(value: Any) -> Any:
        return func(to_str(value))

    return wrapper


@_known_args
def _sort(value: Any) -> list[str]:
    return sorted(to_str(i) for i in _list(value, "sort"))


@_known_args
def _reverse(value: Any) -> list[Any]:
    return list(reversed(_list(value, "reverse")))


@_known_args
def _slice(value: Any, start: Any, end: Any) -> list[Any]:
    items = _list(value, "slice")
    a, b = _int(start, "slice"), _int(end, "slice")
    if not 0 <= a <= b <= len(items):
        raise EvalError("slice: out of range")
    return items[a:b]


@_known_args
def _startswith(text: Any, prefix: Any) -> bool:
    return to_str(text).startswith(to_str(prefix))


@_known_args
def _endswith(text: Any, suffix: Any) -> bool:
    return to_str(text).endswith(to_str(suffix))


@_known_args
def _trim(text: Any, chars: Any) -> str:
    return to_str(text).strip(to_str(chars))


@_known_args
def _trimprefix(text: Any, prefix: Any) -> str:
    return to_str(text).removeprefix(to_str(prefix))


@_known_args
def _trimsuffix(text: Any, suffix: Any) -> str:
    return to_str(text).removesuffix(to_str(suffix))


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "format": _format,
    "cidrsubnet": _cidrsubnet,
    "cidrsubnets": _cidrsubnets,
    "cidrhost": _cidrhost,
    "cidrnetmask": _cidrnetmask,
    "concat": _concat,
    "lookup": _lookup,
    "element": _element,
    "length": _length,
    "jsonencode": _jsonencode,
    "jsondecode": _jsondecode,
    "merge": _merge,
    "tolist": _tolist,
    "toset": _toset,
    "tomap": _tomap,
    "tostring": _tostring,
    "tonumber": _tonumber,
    "tobool": _tobool,
    "coalesce": _coalesce,
    "coalescelist": _coalescelist,
    "join": _join,
    "split": _split,
    "lower": _str_func(str.lower),
    "upper": _str_func(str.upper),
    "title": _str_func(str.title),
    "trimspace": _str_func(str.strip),
    "trim": _trim,
    "trimprefix": _trimprefix,
    "trimsuffix": _trimsuffix,
    "replace": _replace,
    "flatten": _flatten,
    "distinct": _distinct,
    "keys": _keys,
    "values": _values,
    "contains": _contains,
    "compact": _compact,
    "range": _range,
    "zipmap": _zipmap,
    "one": _one,
    "substr": _substr,
    "sort": _sort,
    "reverse": _reverse,
    "slice": _slice,
    "startswith": _startswith,
    "endswith": _endswith,
    "max": _numeric("max", max),
    "min": _numeric("min", min),
    "abs": _numeric("abs", abs),
    "ceil": _numeric("ceil", math.ceil),
    "floor": _numeric("floor", math.floor),
}
