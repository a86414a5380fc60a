"""Exceptions with messages a person can act on, and the one way problems are collected.

Every error a user can cause (a file, a cell, a typed value, a scenario) is a `BargainError`:
the CLI prints it without a traceback (exit code 2) and the app shows it as text. Errors about
something the user supplied are `InputError`s: they name the source (file, or "scenario"),
and list each `Problem` with where it is (sheet, spreadsheet row with the header as row 1,
column or field) and what to fix. `Problems` collects them while a file is read, so the user
sees every problem at once, capped at `MAX_PROBLEMS` with a count of the rest; each message is
cut at `MAX_MESSAGE` characters (a quoted cell can be long; the row and column say where it is).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from etl.defaults import MAX_MESSAGE, MAX_PROBLEMS


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


def cap(message: str, limit: int = MAX_MESSAGE) -> str:
    """A message cut to `limit` characters, an ellipsis marking the cut."""
    return message if len(message) <= limit else message[: limit - 1] + "…"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a user's input. `row` is the spreadsheet row (header = 1; None =
    the whole file), `column` a column name or letter (for JSON, the field path), `sheet` the
    workbook sheet when the file has several, `file` the file when an input has several (an
    error about one file names it once, as its source). For a PDF, `page` is the page and
    `row` the line of text on that page, counted from the top."""

    row: int | None
    column: str | None
    message: str
    sheet: str | None = None
    file: str | None = None
    page: int | None = None

    @classmethod
    def of(cls, value: Problem | tuple) -> Problem:
        """A Problem, or one from a (row, column, message[, sheet]) tuple."""
        return value if isinstance(value, Problem) else cls(*value)

    def where(self, source: str | None = None) -> str:
        """Where the problem is; the file is left out when it is `source` (already named)."""
        parts = []
        if self.file and self.file != source:
            parts.append(self.file)
        if self.sheet:
            parts.append(f"sheet {self.sheet!r}")
        if self.page is not None:
            parts.append(f"p. {self.page}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        return f"{where}: {cap(self.message)}" if where else cap(self.message)


class Problems:
    """Collects the problems of one input; `raise_if_any` raises them as one error."""

    def __init__(self, initial: Iterable[Problem] = (), limit: int = MAX_PROBLEMS):
        self.limit = limit
        self.items: list[Problem] = []
        self.total = 0
        self._seen: set[tuple] = set()
        for p in initial:
            self.append(p)

    def append(self, problem: Problem) -> None:
        # One cell reported once (an XLSX formula is not reported again as "missing").
        key = (problem.file, problem.sheet, problem.page, problem.row, problem.column)
        if problem.row is not None and problem.column and key in self._seen:
            return
        self._seen.add(key)
        self.total += 1
        if len(self.items) < self.limit:
            self.items.append(problem)

    def add(
        self,
        row: int | None,
        column: str | None,
        message: str,
        sheet: str | None = None,
        file: str | None = None,
    ) -> None:
        self.append(Problem(row, column or None, message, sheet, file))

    def extend(self, problems: Iterable[Problem]) -> None:
        for p in problems:
            self.append(p)

    @property
    def full(self) -> bool:
        """The cap is reached: further problems are only counted."""
        return len(self.items) >= self.limit

    def count_more(self, n: int) -> None:
        """Count `n` further problems, distinct cells, without building them: a caller that
        checks a whole column at once knows how many cells failed once the cap is reached."""
        if n and not self.full:
            raise ValueError("count_more is for problems beyond the cap; append them instead")
        self.total += n

    def __len__(self) -> int:
        return self.total

    def __bool__(self) -> bool:
        return self.total > 0

    def raise_if_any(self, error: type[InputError], source: str, **kwargs) -> None:
        if self.total:
            raise error(source, self.items, total=self.total, **kwargs)


class InputError(BargainError):
    """Something a user supplied that cannot be used; nothing from it was kept."""

    consequence = "nothing from it was stored"

    def __init__(self, source: str, problems: Iterable[Problem | tuple], total: int | None = None):
        self.source = source
        self.problems: list[Problem] = [Problem.of(p) for p in problems][:MAX_PROBLEMS]
        self.total = max(total or 0, len(self.problems))
        super().__init__(self._render())

    @property
    def file(self) -> str:
        return self.source

    @property
    def truncated(self) -> bool:
        return self.total > len(self.problems)

    def where(self, problem: Problem) -> str:
        return problem.where(self.source)

    def line(self, problem: Problem) -> str:
        where = self.where(problem)
        return f"{where}: {cap(problem.message)}" if where else cap(problem.message)

    def _render(self) -> str:
        if len(self.problems) == 1 and self.total == 1:
            return f"{self.source}: {self.line(self.problems[0])}"
        head = f"{self.source}: {self.total} problems; {self.consequence}"
        lines = [f"  {self.line(p)}" for p in self.problems]
        if self.truncated:
            lines.append(f"  ... and {self.total - len(self.problems)} more")
        return "\n".join([head, *lines])

    @classmethod
    def one(cls, source: str, message: str, row: int | None = None, column: str | None = None):
        """An error with a single problem."""
        return cls(source, [Problem(row, column, message)])


class GccImportError(InputError):
    """A State Controller GCC export that cannot be imported (etl/gcc/reader.py)."""

    consequence = "nothing was imported"
