"""A small, safe evaluator for HCL expressions (no eval/exec, bounded sizes).

Values are plain Python (None, bool, int/float, str, list, dict) plus:
- `UNKNOWN` (model/document.py): what a plan could not know either; it propagates through every
  operation instead of being guessed;
- `Ref`: the computed ID of a resource declared in the sources (an SG, vSwitch, VPC, cluster), so
  that rules and clusters can be tied to the SG they name even though its ID only exists after apply;
- lazy objects (`attr(name)`): resources and module calls, evaluated only when referenced.
Anything that would be an error in Terraform raises EvalError; callers turn it into UNKNOWN.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from checkov_ack.adapters.hcl import syntax as s
from checkov_ack.adapters.hcl.functions import FUNCTIONS
from checkov_ack.adapters.hcl.values import MAX_STRING, EvalError, Lazy, Ref, check_size, is_opaque, to_str
from checkov_ack.model.document import UNKNOWN

__all__ = ["EvalError", "Ref", "Lazy", "Scope", "evaluate", "evaluate_or_unknown"]


class Scope:
    """Names visible to an expression: iteration variables over the module's namespaces."""

    def __init__(self, resolve: Callable[[str], Any], names: dict[str, Any] | None = None) -> None:
        self.resolve = resolve
        self.names = names or {}

    def lookup(self, name: str) -> Any:
        if name in self.names:
            return self.names[name]
        return self.resolve(name)

    def child(self, names: dict[str, Any]) -> Scope:
        return Scope(self.resolve, {**self.names, **names})


def evaluate_or_unknown(expr: s.Expr, scope: Scope) -> Any:
    try:
        return evaluate(expr, scope)
    except EvalError:
        return UNKNOWN


def evaluate(expr: s.Expr, scope: Scope) -> Any:
    handler = _HANDLERS.get(type(expr))
    if handler is None:
        raise EvalError(f"unsupported expression {type(expr).__name__}")
    return handler(expr, scope)


def _lit(expr: s.Lit, scope: Scope) -> Any:
    return expr.value


def _template(expr: s.Template, scope: Scope) -> Any:
    single = expr.parts[0] if len(expr.parts) == 1 else None
    if single is not None and not isinstance(single, (str, s.TemplateIf, s.TemplateFor)):
        # "${x}" alone keeps x's type, as in Terraform.
        return evaluate(single, scope)
    out: list[str] = []
    if not _render(expr.parts, scope, out, [0]):
        return UNKNOWN
    return check_size("".join(out))


def _render(parts: tuple[Any, ...], scope: Scope, out: list[str], size: list[int]) -> bool:
    """Appends the rendered parts to `out` (`size` tracks its length); False when something is unknown."""
    for part in parts:
        if isinstance(part, s.TemplateIf):
            cond = evaluate(part.cond, scope)
            branch = part.then if not is_opaque(cond) and _bool(cond) else part.otherwise
            if is_opaque(cond) or not _render(branch, scope, out, size):
                return False
            continue
        if isinstance(part, s.TemplateFor):
            collection = evaluate(part.collection, scope)
            if is_opaque(collection):
                return False
            for k, v in _iterate(collection):
                names = {part.value_var: v, **({part.key_var: k} if part.key_var else {})}
                if not _render(part.body, scope.child(names), out, size):
                    return False
            continue
        if isinstance(part, str):
            text = part
        else:
            value = evaluate(part, scope)
            if is_opaque(value):
                return False
            text = to_str(value)
        out.append(text)
        size[0] += len(text)
        if size[0] > MAX_STRING:
            raise EvalError("string too long")
    return True


def _name(expr: s.Name, scope: Scope) -> Any:
    return scope.lookup(expr.name)


def get_attr(value: Any, name: str) -> Any:
    if value is UNKNOWN or isinstance(value, Ref):
        return UNKNOWN
    if isinstance(value, Lazy):
        return value.attr(name)
    if isinstance(value, dict):
        if name in value:
            return value[name]
        raise EvalError(f"no attribute {name!r}")
    raise EvalError(f"cannot read attribute {name!r} of a {type(value).__name__}")


def get_index(value: Any, key: Any) -> Any:
    if value is UNKNOWN or key is UNKNOWN or isinstance(value, Ref):
        return UNKNOWN
    if isinstance(value, list):
        if isinstance(key, str) and key.lstrip("-").isdigit():
            key = int(key)
        if isinstance(key, bool) or not isinstance(key, (int, float)) or int(key) != key:
            raise EvalError("list index must be a whole number")
        if not 0 <= int(key) < len(value):
            raise EvalError("list index out of range")
        return value[int(key)]
    if isinstance(value, dict):
        k = to_str(key)
        if k in value:
            return value[k]
        raise EvalError(f"no element {k!r}")
    if isinstance(value, Lazy):
        return value.attr(to_str(key))
    raise EvalError(f"cannot index a {type(value).__name__}")


def _get_attr(expr: s.GetAttr, scope: Scope) -> Any:
    return get_attr(evaluate(expr.obj, scope), expr.name)


def _index(expr: s.Index, scope: Scope) -> Any:
    return get_index(evaluate(expr.obj, scope), evaluate(expr.key, scope))


def _splat(expr: s.Splat, scope: Scope) -> Any:
    value = evaluate(expr.obj, scope)
    if value is UNKNOWN:
        return UNKNOWN
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        for kind, arg in expr.steps:
            item = get_attr(item, arg) if kind == "attr" else get_index(item, evaluate(arg, scope))
        out.append(item)
    return out


def _call(expr: s.Call, scope: Scope) -> Any:
    if expr.name in ("try", "can"):
        return _try(expr, scope)
    func = FUNCTIONS.get(expr.name)
    if func is None:
        return UNKNOWN  # an unsupported function: its result cannot be known, never guessed
    args = [evaluate(a, scope) for a in expr.args]
    if expr.expand_last and args:
        last = args.pop()
        if last is UNKNOWN:
            return UNKNOWN
        if not isinstance(last, list):
            raise EvalError("only a list can be expanded with ...")
        args.extend(last)
    return check_size(func(*args))


def _try(expr: s.Call, scope: Scope) -> Any:
    for arg in expr.args:
        try:
            value = evaluate(arg, scope)
        except EvalError:
            continue
        if expr.name == "can":
            return UNKNOWN if value is UNKNOWN else True
        return value
    if expr.name == "can":
        return False
    raise EvalError("no expression given to try() succeeded")


def _tuple(expr: s.TupleExpr, scope: Scope) -> Any:
    return check_size([evaluate(i, scope) for i in expr.items])


def _object(expr: s.ObjectExpr, scope: Scope) -> Any:
    out: dict[str, Any] = {}
    for key_expr, value_expr in expr.items:
        key = evaluate(key_expr, scope)
        if is_opaque(key):
            return UNKNOWN
        out[to_str(key)] = evaluate(value_expr, scope)
    return check_size(out)


def _number(value: Any) -> int | float:
    if isinstance(value, bool):
        raise EvalError("a bool is not a number")
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        try:
            num = float(value)
        except ValueError:
            raise EvalError(f"{value!r} is not a number") from None
        return int(num) if num.is_integer() and "." not in value and "e" not in value.lower() else num
    raise EvalError(f"a {type(value).__name__} is not a number")


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise EvalError("a condition must be a bool")


def _unary(expr: s.Unary, scope: Scope) -> Any:
    value = evaluate(expr.operand, scope)
    if is_opaque(value):
        return UNKNOWN
    if expr.op == "!":
        return not _bool(value)
    return -_number(value)


def equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) != isinstance(b, bool):
        return False
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(equal(a[k], b[k]) for k in a)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    return type(a) is type(b) and bool(a == b)


def _contains_opaque(value: Any) -> bool:
    if is_opaque(value):
        return True
    if isinstance(value, list):
        return any(_contains_opaque(v) for v in value)
    if isinstance(value, dict):
        return any(_contains_opaque(v) for v in value.values())
    return False


def _arith(op: str, a: Any, b: Any) -> Any:
    x, y = _number(a), _number(b)
    if op == "+":
        result: int | float = x + y
    elif op == "-":
        result = x - y
    elif op == "*":
        result = x * y
    elif y == 0:
        raise EvalError("division by zero")
    elif op == "/":
        result = x / y
    else:
        result = x % y
    if isinstance(result, float) and result.is_integer() and abs(result) < 2**53:
        return int(result)
    return result


def _binary(expr: s.Binary, scope: Scope) -> Any:
    left = evaluate(expr.left, scope)
    op = expr.op
    if op in ("&&", "||"):
        # Short-circuit on a known deciding left operand; unknown otherwise.
        if not is_opaque(left) and _bool(left) == (op == "||"):
            return op == "||"
        right = evaluate(expr.right, scope)
        if not is_opaque(right) and _bool(right) == (op == "||"):
            return op == "||"
        if is_opaque(left) or is_opaque(right):
            return UNKNOWN
        return op == "&&"  # neither operand decided it: both true (&&) or both false (||)
    right = evaluate(expr.right, scope)
    if op in ("==", "!="):
        if _contains_opaque(left) or _contains_opaque(right):
            return UNKNOWN
        return equal(left, right) == (op == "==")
    if is_opaque(left) or is_opaque(right):
        return UNKNOWN
    if op in ("<", ">", "<=", ">="):
        x, y = _number(left), _number(right)
        return {"<": x < y, ">": x > y, "<=": x <= y, ">=": x >= y}[op]
    return _arith(op, left, right)


def _cond(expr: s.Cond, scope: Scope) -> Any:
    cond = evaluate(expr.cond, scope)
    if is_opaque(cond):
        return UNKNOWN
    return evaluate(expr.true if _bool(cond) else expr.false, scope)


def _iterate(collection: Any) -> list[tuple[Any, Any]]:
    if isinstance(collection, list):
        return list(enumerate(collection))
    if isinstance(collection, dict):
        return [(k, collection[k]) for k in sorted(collection)]
    raise EvalError(f"cannot iterate over a {type(collection).__name__}")


def _for(expr: s.For, scope: Scope) -> Any:
    collection = evaluate(expr.collection, scope)
    if collection is UNKNOWN or isinstance(collection, Ref):
        return UNKNOWN
    items: list[Any] = []
    keyed: dict[str, Any] = {}
    for k, v in _iterate(collection):
        names = {expr.value_var: v}
        if expr.key_var:
            names[expr.key_var] = k
        inner = scope.child(names)
        if expr.cond is not None:
            keep = evaluate(expr.cond, inner)
            if is_opaque(keep):
                return UNKNOWN  # which elements remain cannot be known
            if not _bool(keep):
                continue
        value = evaluate(expr.value, inner)
        if expr.key is None:
            items.append(value)
            continue
        key = evaluate(expr.key, inner)
        if is_opaque(key):
            return UNKNOWN
        key = to_str(key)
        if expr.group:
            keyed.setdefault(key, []).append(value)
        elif key in keyed:
            raise EvalError(f"duplicate key {key!r} in for expression")
        else:
            keyed[key] = value
        check_size(keyed)
    return check_size(items) if expr.key is None else keyed


_HANDLERS: dict[type, Callable[[Any, Scope], Any]] = {
    s.Lit: _lit,
    s.Template: _template,
    s.Name: _name,
    s.GetAttr: _get_attr,
    s.Index: _index,
    s.Splat: _splat,
    s.Call: _call,
    s.TupleExpr: _tuple,
    s.ObjectExpr: _object,
    s.Unary: _unary,
    s.Binary: _binary,
    s.Cond: _cond,
    s.For: _for,
}
