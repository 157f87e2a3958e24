"""The one error type a user sees: a file, a line, a key, and what is wrong."""

from __future__ import annotations


class PlannerError(Exception):
    """Bad input or usage. Printed as one line; the CLI exits with code 2."""

    def __init__(self, message: str, file: str | None = None, line: int | None = None,
                 key: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.key = key

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = self.file + (f":{self.line}" if self.line is not None else "") + ": "
        key = f"{self.key}: " if self.key else ""
        return f"{where}{key}{self.message}"
