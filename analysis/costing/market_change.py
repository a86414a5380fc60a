"""The bring-to-market change of the Costing page's builder, filled from a market comparison
(analysis/market/gap.py): its gaps, threshold, date or stages, and which classes it moves."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pandas as pd

from analysis.costing.tables import (
    _number,
    _to_date,
    code_map_to_table,
    date_text,
    table_to_code_map,
)
from analysis.scenario import ToMarket

# Bring to market -----------------------------------------------------------------------------


def to_market_from_gaps(
    table: pd.DataFrame,
    threshold: float,
    staged: bool,
    effective: Any,
    old: dict,
    as_of: date,
    comparators: tuple[str, ...],
) -> tuple[dict, int]:
    """The bring-to-market change filled from a market comparison (its gaps as % below
    market), keeping what the builder's widgets hold (threshold, all at once or staged, the
    date, the label), and how many classes it moves."""
    new = to_market_change(
        gaps_from_market(table),
        float(threshold),
        "below_market",
        effective=None if staged else date_text(effective or old.get("effective") or as_of),
        stages=(old.get("stages") or [{"effective": as_of.isoformat(), "share": 0.5}])
        if staged
        else None,
        label=old.get("label") or f"to market vs {', '.join(comparators)} on {as_of}",
    )
    moved = int((table["pct_below_market"] > new.get("threshold", 0)).sum())
    return new, moved


def gaps_from_market(table: pd.DataFrame) -> dict[str, float]:
    """Class code -> % below market ((market - own) / market), the convention of "more than
    X% below market" (gap_basis "below_market"); classes without a market value are left out."""
    out = {}
    for code, gap in zip(table["subject_class_code"], table["pct_below_market"], strict=True):
        if gap is not None and not (isinstance(gap, float) and math.isnan(gap)):
            out[str(code)] = round(float(gap), 2)
    return out


def gaps_to_table(gaps: dict) -> pd.DataFrame:
    return code_map_to_table(gaps, "gap_pct")


def table_to_gaps(df: pd.DataFrame) -> dict:
    return table_to_code_map(df, "gap_pct", "")


def stages_to_table(stages: list[dict]) -> pd.DataFrame:
    """Stages as rows: effective (date), share_pct (percent of the gap closed at that stage)."""
    rows = []
    for s in stages or []:
        share = _number(s.get("share"))
        rows.append(
            (
                _to_date(s.get("effective")) or s.get("effective"),
                share * 100 if isinstance(share, float) else share,
            )
        )
    df = pd.DataFrame(rows, columns=["effective", "share_pct"])
    return df.astype({"effective": "object", "share_pct": "float64"})


def table_to_stages(df: pd.DataFrame) -> list[dict]:
    out = []
    for r in df.to_dict("records"):
        eff, pct = date_text(r.get("effective")), _number(r.get("share_pct"))
        if eff is None and pct is None:
            continue
        share = round(pct / 100, 10) if isinstance(pct, float) else pct
        out.append({"effective": eff, "share": share})
    return out


def to_market_change(
    gaps: dict,
    threshold: float,
    gap_basis: str,
    effective: str | None = None,
    stages: list[dict] | None = None,
    label: str | None = None,
) -> dict:
    """A to_market change in its JSON form: all at once on `effective`, or in `stages`."""
    c: dict[str, Any] = {"type": "to_market", "gaps": gaps}
    if threshold:
        c["threshold"] = threshold
    if gap_basis != "increase_to_market":
        c["gap_basis"] = gap_basis
    if stages is not None:
        c["stages"] = stages
    else:
        c["effective"] = effective
    if label:
        c["label"] = label
    return c


def market_moves(gaps: dict, threshold: float, gap_basis: str) -> pd.DataFrame:
    """Which classes a bring-to-market change moves and by how much: class_code, gap_pct (in
    the gap_basis convention), increase_pct (the raise that reaches market), moved."""
    clean = {
        str(k): float(v)
        for k, v in (gaps or {}).items()
        if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
    }
    if gap_basis == "below_market":
        clean = {k: v for k, v in clean.items() if v < 100}
    inc = ToMarket(clean, (), threshold or 0.0, gap_basis).increase_to_market()
    df = pd.DataFrame(
        {
            "class_code": list(clean),
            "gap_pct": list(clean.values()),
            "increase_pct": [round(inc[k] * 100, 2) if k in inc else 0.0 for k in clean],
            "moved": [k in inc for k in clean],
        }
    )
    return df.sort_values(["moved", "gap_pct"], ascending=[False, False]).reset_index(drop=True)
