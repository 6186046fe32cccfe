"""Port-range parsing shared by every adapter. Judging a range (CKV_ACK_13) is the policies' job."""

from __future__ import annotations

import re

_RANGE = re.compile(r"^\s*(-?\d{1,6})\s*/\s*(-?\d{1,6})\s*$")


def parse_port_range(raw: object) -> tuple[int, int] | None:
    """`"22/22"` -> (22, 22); `"-1/-1"` -> (-1, -1). None when the text is not `int/int`.

    Reversed or out-of-range values are returned as written so that the policies can name them.
    """
    if isinstance(raw, bool) or raw is None:
        return None
    match = _RANGE.match(str(raw))
    if not match:
        return None
    return int(match.group(1)), int(match.group(2))
