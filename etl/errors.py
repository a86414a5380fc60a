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


MAX_LISTED_PROBLEMS = 10


class GccImportError(BargainError):
    """A State Controller GCC export that cannot be imported: `problems` are (row, column,
    message) with the row as a spreadsheet shows it (header = row 1, counting any disclaimer
    lines above it) or None when the problem is the whole file; at most MAX_LISTED_PROBLEMS
    are kept, `total` counts them all."""

    def __init__(
        self,
        file: str,
        problems: list[tuple[int | None, str | None, str]],
        total: int | None = None,
    ):
        self.file = file
        self.problems = list(problems[:MAX_LISTED_PROBLEMS])
        self.total = max(total or 0, len(problems))
        lines = []
        for row, column, message in self.problems:
            where = ", ".join(
                p
                for p in (f"row {row}" if row else "", f"column {column!r}" if column else "")
                if p
            )
            lines.append(f"{where}: {message}" if where else message)
        more = self.total - len(self.problems)
        if more > 0:
            lines.append(f"and {more} more")
        head = f"{file}: " if len(lines) == 1 else f"{file}: {self.total} problems:\n  "
        super().__init__(head + "\n  ".join(lines))
