"""What a roster may name: the (agency, class_code, step) with a salary in the warehouse, and
the check of a roster's agency, class and step columns against them, one distinct value (or
pair, or triple) at a time and spread back to the rows with numpy.

Agencies are matched with etl.agency_names.resolve_typed, the rule the CLI and the app apply
(" sonoma ", "SONOMA" and "Sonoma County" are Sonoma; an ambiguous name is unknown). A
numeric class code shorter than 4 digits is retried zero-padded: a spreadsheet that stored
0401 as a number shows 401.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from analysis.warehouse import memo, query
from etl.agency_names import resolve_typed
from etl.columns import Column, first_rows
from etl.records import step_order

VALID_POSITIONS_SQL = """
SELECT agency, class_code, any_value(class_title) AS class_title, step
FROM salary_schedule
WHERE ? IS NULL OR agency = ?
GROUP BY agency, class_code, step
ORDER BY agency, class_code, length(step), step
"""


def valid_positions(con: duckdb.DuckDBPyConnection, agency: str | None = None) -> pd.DataFrame:
    """Every (agency, class_code, step) with a salary in the warehouse: what a roster may name.
    Kept per warehouse connection: every costing of a page run checks its roster against it."""
    return memo(
        con, f"valid_positions:{agency}", lambda: query(con, VALID_POSITIONS_SQL, [agency, agency])
    )


def class_options(con: duckdb.DuckDBPyConnection, agency: str) -> tuple[list[str], dict[str, str]]:
    """The classes a costing of `agency` may name: their codes, sorted, and their titles."""
    valid = valid_positions(con)
    cl = valid[valid["agency"] == agency].drop_duplicates("class_code")
    titles = dict(zip(cl["class_code"], cl["class_title"], strict=True))
    return sorted(titles), titles


@dataclass(frozen=True)
class PositionCheck:
    """The checked columns, per row: the agency as the warehouse spells it (None: unknown or
    blank), the class code as the warehouse spells it, and which rows name an unknown agency,
    an unknown class, or a step outside the class's range; `steps[i]` is the range of row
    i's class (for the messages)."""

    agency: np.ndarray
    class_code: np.ndarray
    unknown_agency: np.ndarray
    unknown_class: np.ndarray
    step_outside: np.ndarray
    steps: np.ndarray


def _codes(values: np.ndarray | Column) -> tuple[np.ndarray, list]:
    """Codes of a column of text or None (None -> -1), and the distinct values (a Column's
    own: several codes may stand for one text, which only repeats a check)."""
    if isinstance(values, Column):
        n = len(values.distinct_values) - 1
        return np.where(values.ok, values.at, -1), list(values.distinct_values[:n])
    codes, uniques = pd.factorize(pd.Series(values, dtype=object))
    return codes.astype(np.int64), list(uniques)


def _pairs(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(first row of each distinct (a, b) with both present, the pair index of each row or -1)."""
    key = np.where((a >= 0) & (b >= 0), a * (int(b.max(initial=0)) + 1) + b, -1)
    pair, _ = pd.factorize(key, use_na_sentinel=False)
    if (key < 0).any():  # the missing pairs: number them -1, the others from 0
        missing = pair[np.flatnonzero(key < 0)[0]]
        pair = np.where(key < 0, -1, pair - (pair > missing))
    return first_rows(pair), pair.astype(np.int64)


@dataclass(frozen=True)
class Positions:
    agencies: list[str]  # as the warehouse spells them
    steps: dict[tuple[str, str], tuple[str, ...]]  # (agency, class_code) -> steps, bottom to top

    @classmethod
    def of(cls, valid: pd.DataFrame) -> Positions:
        missing = {"agency", "class_code", "step"} - set(valid.columns)
        if missing:
            raise ValueError(f"valid positions lack columns {sorted(missing)}")
        triples = valid[["agency", "class_code", "step"]].astype(str).drop_duplicates()
        # Steps ordered once per distinct step, then grouped in one pass (no Python loop
        # over the rows: the valid positions are thousands, read on every validation).
        rank = {s: i for i, s in enumerate(sorted(triples["step"].unique(), key=step_order))}
        ordered = triples.assign(_o=triples["step"].map(rank)).sort_values(
            ["agency", "class_code", "_o"], kind="stable"
        )
        grouped = ordered.groupby(["agency", "class_code"], sort=False)["step"].agg(tuple)
        return cls(agencies=list(dict.fromkeys(triples["agency"])), steps=grouped.to_dict())

    @property
    def known(self) -> str:
        return ", ".join(sorted(self.agencies))

    def resolve(self, agency: str, code: str) -> tuple[str, tuple[str, ...] | None]:
        """The class code as the warehouse spells it, and its steps (None: unknown class)."""
        steps = self.steps.get((agency, code))
        if steps is None and code.isdigit() and len(code) < 4:
            padded = code.zfill(4)
            if (agency, padded) in self.steps:
                return padded, self.steps[(agency, padded)]
        return code, steps

    def check(
        self,
        agency: np.ndarray | Column,
        code: np.ndarray | Column,
        step: np.ndarray | Column,
    ) -> PositionCheck:
        """Check columns of text (None where blank; or read Columns): agencies, then classes
        of known agencies, then steps of known classes."""
        a_codes, a_uniques = _codes(agency)
        canon_of = np.array([resolve_typed(a, self.agencies) for a in a_uniques] + [None], object)
        a_at = np.where(a_codes >= 0, a_codes, len(a_uniques))
        canon = canon_of[a_at]
        canon_codes, _ = pd.factorize(pd.Series(canon_of[:-1], dtype=object))
        k_codes = np.append(canon_codes, -1).astype(np.int64)[a_at]  # -1: blank or unknown
        unknown_agency = (a_codes >= 0) & (k_codes < 0)
        c_codes, _ = _codes(code)
        code = code.values if isinstance(code, Column) else code
        step_col, step = step, step.values if isinstance(step, Column) else step
        first, pair = _pairs(k_codes, c_codes)
        resolved = [self.resolve(canon[r], code[r]) for r in first]
        spelled = np.array([c for c, _ in resolved] + [None], dtype=object)
        ranges = np.empty(len(resolved) + 1, dtype=object)  # tuples: filled one by one
        for k, (_, steps_k) in enumerate(resolved):
            ranges[k] = steps_k
        unknown_of = np.array([s is None for _, s in resolved] + [False], dtype=bool)
        at = np.where(pair >= 0, pair, len(resolved))
        class_code = np.where(pair >= 0, spelled[at], code)
        steps = ranges[at]
        unknown_class = unknown_of[at]
        s_codes, _ = _codes(step_col)
        known_pair = np.where(unknown_class, -1, pair)
        first3, triple = _pairs(known_pair, s_codes)
        outside_of = np.array([step[r] not in steps[r] for r in first3] + [False], dtype=bool)
        step_outside = outside_of[np.where(triple >= 0, triple, len(first3))]
        return PositionCheck(canon, class_code, unknown_agency, unknown_class, step_outside, steps)
