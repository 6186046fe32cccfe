"""Inline suppressions: the HCL parser drops comments, so the resource's source lines are scanned."""

from __future__ import annotations

import re
from typing import Any

_SKIP = re.compile(r"(?:#|//|/\*)\s*checkov:skip=(CKV_ACK_\d+)(?::([^\n]*?))?\s*(?:\*/)?\s*$")


def find_skips(lines: list[str], start: int, end: int) -> list[dict[str, Any]]:
    """`checkov:skip=CKV_ACK_n[:reason]` comments on lines start..end (1-based, inclusive)."""
    out = []
    for number in range(max(start, 1), min(end, len(lines)) + 1):
        match = _SKIP.search(lines[number - 1])
        if match:
            reason = (match.group(2) or "").strip() or None
            out.append({"rule_id": match.group(1), "reason": reason, "line": number})
    return out
