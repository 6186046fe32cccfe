"""Keep regopy's writes to the C-level stdout (fd 1) out of our output.

regopy prints parse errors and policy `print()` calls straight to file descriptor 1, below Python's
sys.stdout; a JSON or SARIF report on stdout would be corrupted. Around each engine call fd 1 points
at a temporary file, and what was written there is kept so errors can quote it.
"""

from __future__ import annotations

import ctypes
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

try:
    _LIBC: ctypes.CDLL | None = ctypes.CDLL(None)
except OSError:  # no C library handle on this platform: nothing buffered to flush
    _LIBC = None


def _flush_c_stdio() -> None:
    # std::cout goes through C stdio, fully buffered when fd 1 is not a TTY: flush it while fd 1
    # still points at the sink, or the text reaches the real stdout later.
    if _LIBC is not None:
        _LIBC.fflush(None)


class Captured:
    """What the engine wrote to fd 1 during one `quiet_stdout` block."""

    def __init__(self) -> None:
        self.text = ""


@contextmanager
def quiet_stdout() -> Iterator[Captured]:
    captured = Captured()
    # Anything Python buffered must reach the real stdout before fd 1 moves.
    sys.stdout.flush()
    saved = os.dup(1)
    with tempfile.TemporaryFile(mode="w+b") as sink:
        os.dup2(sink.fileno(), 1)
        try:
            yield captured
        finally:
            _flush_c_stdio()
            os.dup2(saved, 1)
            os.close(saved)
            sink.seek(0)
            captured.text = sink.read(65536).decode("utf-8", "replace")
