"""What the match editor offers for one benchmark class: the current match first, then the
best candidates, then every other class of the comparator."""

from __future__ import annotations

import duckdb
import pandas as pd

from analysis import warehouse
from analysis.crosswalk import match as crosswalk


def options(
    con: duckdb.DuckDBPyConnection,
    subject: str,
    class_code: str,
    comparator: str,
    current: pd.Series,
    limit: int = 8,
) -> dict[str, str]:
    """comparator class code -> the label the picker shows, best first."""
    out: dict[str, str] = {}
    code = current.get("comparator_class_code")
    if isinstance(code, str):
        out[code] = f"{current['comparator_title']} ({code}) — current match"
    cands = crosswalk.candidates(con, subject, class_code, comparator, limit=limit)
    for r in cands.itertuples():
        if r.comparator_class_code in out:
            continue
        note = f" · {r.note}" if isinstance(r.note, str) and r.note else ""
        out[r.comparator_class_code] = (
            f"{r.comparator_title} ({r.comparator_class_code}) — score {r.score:.0f}{note}"
        )
    for r in warehouse.classes(con, comparator).itertuples():
        out.setdefault(r.class_code, f"{r.class_title} ({r.class_code})")
    return out


def decision_for(choice: str, current: pd.Series) -> str:
    """'confirmed' when the user keeps the current match, else 'manual'."""
    return "confirmed" if choice == current.get("comparator_class_code") else "manual"
