"""What a market gap returns: the GapResult and the columns of its tables (gap computes it;
tables and total build on it)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

DETAIL_COLUMNS = [
    "subject_class_code",
    "comparator_agency",
    "comparator_class_code",
    "comparator_title",
    "method",
    "score",
    "top_step",
    "schedule_date",
    "annual",
    "factor",
    "annual_as_of",
    "brought_by",
    "source_ref",
]
TABLE_COLUMNS = [
    "subject_class_code",
    "subject_title",
    "own_top_annual",
    "market",
    "market_n",
    "pct_below_market",
    "pct_increase_to_market",
    "flag",
]
MATCH_COLUMNS = [
    "subject_class_code",
    "comparator_agency",
    "comparator_class_code",
    "method",
    "score",
]


@dataclass
class GapResult:
    """`table`: one row per matched benchmark; `detail`: one row per benchmark x comparator."""

    table: pd.DataFrame
    detail: pd.DataFrame
    notes: list[str] = field(default_factory=list)
