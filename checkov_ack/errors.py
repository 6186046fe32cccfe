"""Errors the user sees: always a file, a line where known, and a sentence; never a traceback."""

from __future__ import annotations


class CheckovAckError(Exception):
    """Base for errors reported to the user with exit code 2."""


class InputError(CheckovAckError):
    """An input file that cannot be read, parsed or understood."""

    def __init__(self, file: str, message: str, line: int | None = None) -> None:
        self.file = file
        self.line = line
        self.message = message
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {message}")

    def as_dict(self) -> dict[str, object]:
        return {"file": self.file, "line": self.line, "message": self.message}


class UsageError(CheckovAckError):
    """Bad command-line options or settings."""


class EngineError(CheckovAckError):
    """The policy engine failed; never turned into an empty result."""
