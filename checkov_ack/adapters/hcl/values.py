"""Value kinds the HCL evaluator passes around besides plain JSON-like Python values."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from checkov_ack.model.document import UNKNOWN

# Bounds so that a hostile module (string doubling through locals, range(1e9)) fails cleanly.
MAX_ITEMS = 100_000
MAX_STRING = 1_000_000


class EvalError(Exception):
    """What Terraform would reject; the caller turns it into UNKNOWN."""


@dataclass(frozen=True)
class Ref:
    """The (apply-time) ID of a resource declared in the sources."""

    kind: str  # sg | vswitch | vpc | cluster | other
    key: str  # the document key of that resource instance


class Lazy:
    """A resource or module instance: attributes are evaluated when referenced."""

    def attr(self, name: str) -> Any:
        raise NotImplementedError


def is_opaque(value: Any) -> bool:
    """Values whose content the scan cannot see: unknown, computed IDs, whole resources."""
    return value is UNKNOWN or isinstance(value, (Ref, Lazy))


def check_size(value: Any) -> Any:
    if isinstance(value, str) and len(value) > MAX_STRING:
        raise EvalError("string too long")
    if isinstance(value, (list, dict)) and len(value) > MAX_ITEMS:
        raise EvalError("collection too large")
    return value


def to_str(value: Any) -> str:
    """Terraform's string conversion of a primitive."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if value is None:
        raise EvalError("null cannot be used as a string")
    raise EvalError(f"a {type(value).__name__} cannot be used as a string")


def to_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))
