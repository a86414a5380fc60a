"""Who pays what: each kind of premium two agencies pay, side by side, each stated as its
agreement states it (flat dollars or a percent of a base) and priced in $ per hour on that
agency's own base rate, plus the benefit-share bars' labels."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from analysis import agencies, compensation
from analysis.crosswalk import match as crosswalk
from etl import labels


def terms(row: pd.Series) -> str:
    """How the agreement states one premium: '5% of base pay', '$1.00 per hour', ..."""
    v, basis = float(row["value"]), row["basis"]
    if basis.startswith("pct_"):
        return f"{v:g}{labels.label('basis', basis)}"
    return f"${v:,.2f} {labels.label('basis', basis).removeprefix('$ ')}"


def base_for(
    con: duckdb.DuckDBPyConnection,
    agency: str,
    subject: str,
    class_code: str,
    step_index: int,
    as_of: date,
) -> dict | None:
    """The base rate one agency's premiums are priced on: the chosen class itself for the
    subject, its matched class (the crosswalk) for another agency, at the same step position
    (0 = first, -1 = top), on that agency's own date. None when there is no comparable class
    or the agency has no salary table."""
    if not agencies.agencies(con).set_index("agency").loc[agency, "has_salary_table"]:
        return None
    code = class_code
    if agency != subject:
        xw = crosswalk.crosswalk(con, subject, agency)
        hit = xw[(xw["subject_class_code"] == class_code) & xw["comparator_class_code"].notna()]
        if hit.empty:
            return None
        code = hit["comparator_class_code"].iloc[0]
    rule = agencies.step_rule(con, agency, as_of)
    step = rule.steps[step_index] if -len(rule.steps) <= step_index < len(rule.steps) else None
    step = step or rule.top_step
    rate = compensation.base_rate(con, agency, code, step, as_of)
    return {**rate, "class_code": code, "agency": agency, "as_of": as_of}


def who_pays_what(norm_a: pd.DataFrame, norm_b: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    """One row per premium category either agency pays: for each side the premiums, their
    terms as stated and $ per hour on that side's base; `paid_by` says who pays it."""
    rows = []
    cats = sorted(set(norm_a["category"]) | set(norm_b["category"]))
    for cat in cats:
        row: dict = {"category": cat}
        for side, norm in ((a, norm_a), (b, norm_b)):
            g = norm[norm["category"] == cat]
            row[f"{side}: premiums"] = "; ".join(
                dict.fromkeys(labels.words(p) for p in g["premium"])
            )
            row[f"{side}: terms"] = "; ".join(dict.fromkeys(terms(r) for _, r in g.iterrows()))
            usd = g["usd_per_hour"].dropna()
            row[f"{side}: $ per hour"] = (
                f"${usd.min():,.2f}"
                if len(usd) and usd.min() == usd.max()
                else f"${usd.min():,.2f}–${usd.max():,.2f}"
                if len(usd)
                else ""
            )
        pays_a, pays_b = bool(row[f"{a}: premiums"]), bool(row[f"{b}: premiums"])
        row["paid_by"] = "both" if pays_a and pays_b else a if pays_a else b
        rows.append(row)
    return pd.DataFrame(rows)


def share_labels(share: pd.DataFrame) -> list[str]:
    """Bar labels for benefit shares: agency · benefit · plan · tier · date."""
    out = []
    for r in share.itertuples():
        when = "" if pd.isna(r.effective_date) else f"{pd.Timestamp(r.effective_date):%m/%d/%Y}"
        parts = (r.agency, labels.label("benefit", r.benefit), r.plan, r.tier, when)
        out.append(" · ".join(str(x) for x in parts if isinstance(x, str) and x))
    return out
