"""A roster table while it is checked (analysis/roster/check.py): its columns by header name,
each column's cells prepared once for etl/columns.py, the spreadsheet row of each data row;
and what the checks found, kept as masks per check until it is known which problems are
shown (the first MAX_PROBLEMS in row order, the rest counted)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from analysis.roster.model import RosterError
from etl import cells, columns
from etl.errors import Problem, Problems

Message = Callable[[int], str]  # data row index -> message


def header_name(value: Any) -> str:
    """A header cell as a roster column name: lower case, spaces as underscores."""
    return "" if cells.is_blank(value) else re.sub(r"\s+", "_", str(value).strip().lower())


@dataclass
class Table:
    """The table being checked: column names (by position; '' = no header), the cells of
    each column, and the spreadsheet row of each data row."""

    names: list[str]
    cells: list[columns.Values]
    rows: np.ndarray

    def __post_init__(self) -> None:
        self.cells = [columns.prepare(c) for c in self.cells]
        self.index: dict[str, int] = {}
        for j, n in enumerate(self.names):
            if n:
                self.index.setdefault(n, j)

    def has(self, name: str) -> bool:
        return name in self.index

    def column(self, name: str) -> columns.Values:
        return self.cells[self.index[name]]

    def cell(self, name: str, i: int) -> Any:
        return self.column(name).series.iloc[i]

    def take(self, keep: np.ndarray) -> Table:
        kept = [c.series[keep].reset_index(drop=True) for c in self.cells]
        return Table(self.names, kept, self.rows[keep])


class Found:
    """The problems found, kept as (rows, column, message) per check until reported: sorting
    and writing the messages waits until it is known which are shown."""

    def __init__(self, table: Table, initial: list[Problem]):
        self.table = table
        self.fixed: list[tuple[int, int, Problem]] = []  # (row, position, problem)
        self.checks: list[tuple[np.ndarray, str, int, Message]] = []
        self.reported: dict[str, set[int]] = {}
        for p in initial:
            self.fixed.append((p.row or 0, self._position(p.column), p))
            if p.row is not None and p.column:
                self.reported.setdefault(p.column, set()).add(p.row)

    def _position(self, column: str | None) -> int:
        return self.table.index.get(column or "", 10**6)

    def add(self, row: int | None, column: str | None, message: str, position: int = -1) -> None:
        at = position if position >= 0 else self._position(column)
        self.fixed.append((row or 0, at, Problem(row, column or None, message)))

    def cells(self, mask: np.ndarray, column: str, message: Message, position: int = -1) -> None:
        """A problem in every row of `mask` (data rows), except cells already reported."""
        idx = np.flatnonzero(mask)
        seen = self.reported.get(column)
        if seen and len(idx):
            idx = idx[~np.isin(self.table.rows[idx], list(seen))]
        if len(idx):
            at = position if position >= 0 else self._position(column)
            self.checks.append((idx, column, at, message))

    def raise_if_any(self, source: str) -> None:
        total = len(self.fixed) + sum(len(c[0]) for c in self.checks)
        if not total:
            return
        rows = [np.array([r for r, _, _ in self.fixed], dtype=np.int64)]
        pos = [np.array([q for _, q, _ in self.fixed], dtype=np.int64)]
        which = [np.full(len(self.fixed), -1, dtype=np.int64)]
        item = [np.arange(len(self.fixed), dtype=np.int64)]
        for k, (idx, _, at, _) in enumerate(self.checks):
            rows.append(self.table.rows[idx].astype(np.int64))
            pos.append(np.full(len(idx), at, dtype=np.int64))
            which.append(np.full(len(idx), k, dtype=np.int64))
            item.append(idx.astype(np.int64))
        r, q, w, i = (np.concatenate(x) for x in (rows, pos, which, item))
        order = np.lexsort((i, w, q, r))
        problems = Problems()
        shown_items = 0
        for o in order:
            if problems.full:
                break
            shown_items += 1
            if w[o] < 0:
                problems.append(self.fixed[i[o]][2])
            else:
                _, column, _, message = self.checks[w[o]]
                problems.add(int(r[o]), column, message(int(i[o])))
        problems.count_more(total - shown_items)
        problems.raise_if_any(RosterError, source)
