"""Exceptions with messages a person can act on: which file, which line or row, what is wrong."""

from __future__ import annotations


class BargainError(Exception):
    """Base class for errors the CLI and app report without a traceback."""


class SourceParseError(BargainError):
    """A source document or curated file could not be read as expected."""

    def __init__(self, file: str, line: int | None, message: str, column: str | None = None):
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        where = file
        if line is not None:
            where += f", line {line}"
        if column:
            where += f", column {column!r}"
        super().__init__(f"{where}: {message}")
