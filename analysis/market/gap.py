"""Market gap: where each benchmark class stands against the comparator agencies.

Conventions (DOMAIN.md, bargaining practice): compare top step to top step, in annual dollars;
"% below market" = (market - own) / market; "% increase to reach market" = (market - own) / own.
Comparators are of three kinds, each brought to the as-of date and saying how:
- an agency of the warehouse: its step pay by its own known schedules when the date falls in
  its term, otherwise its nearest schedule carried by CPI or left nominal
  (analysis.market.values);
- an agency of the user's survey template uploads: the value as reported (top steps only);
- an agency of an imported State Controller GCC export: the top (or bottom) of its positions'
  ranges, from the imported year nearest the date, carried the rest of the way by CPI
  (analysis.market.gcc).
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from analysis import agencies, inflation
from analysis.crosswalk import match as crosswalk
from analysis.market import gcc as gcc_market
from analysis.market import survey_matches
from analysis.market.comparators import ComparatorSources, comparator_sources  # noqa: F401
from analysis.market.result import (  # noqa: F401  (re-exported: pages and tests use market.*)
    DETAIL_COLUMNS,
    MATCH_COLUMNS,
    TABLE_COLUMNS,
    GapResult,
)
from analysis.market.tables import uploaded_comparators
from analysis.market.values import (  # noqa: F401  (re-exported: pages and tests use market.*)
    STEP_AT_SQL,
    STEP_POSITIONS,
    TERMS_SQL,
    WHAT_IT_HAS_SQL,
    comparator_values,
    schedule_at,
    top_steps,
    what_agency_has,
)
from analysis.warehouse import query
from etl import defaults

DEFAULT_THRESHOLD_PCT = defaults.DEFAULT_THRESHOLD_PCT

RANGE_SQL = """
SELECT class_code, class_title, effective_date, hourly FROM salary_schedule
WHERE agency = ? AND step IN ('A', '1') AND NOT coalesce(payroll_only, false)
"""


def pct_below_market(own, market):
    """(market - own) / market x 100: how far below the market the subject is."""
    return (market - own) / market * 100


def pct_increase_to_market(own, market):
    """(market - own) / own x 100: the raise that would bring the subject to the market."""
    return (market - own) / own * 100


def tied_classes(con: duckdb.DuckDBPyConnection, agency: str) -> dict[str, list[str]]:
    """Classes that share a range (same A-step / step-1 rate on every schedule date): a range
    adjustment to one carries the others along. Linked classes (a fixed differential) are not
    stated in the agreements, so they are not listed."""
    df = query(con, RANGE_SQL, [agency])
    if df.empty:
        return {}
    sig = (
        df.sort_values("effective_date")
        .groupby("class_code")["hourly"]
        .apply(lambda s: tuple(round(v, 2) for v in s))
    )
    groups: dict[tuple, list[str]] = {}
    for code, key in sig.items():
        groups.setdefault(key, []).append(code)
    return {c: sorted(x for x in g if x != c) for g in groups.values() for c in g if len(g) > 1}


# The gap -------------------------------------------------------------------------------------


def _own(con, subject: str, as_of: date, position: str, notes: list[str]):
    own_tops = top_steps(con, subject, position)
    if own_tops.empty:
        raise ValueError(
            f"{subject} has no salary table, so it cannot be the subject of a market gap; "
            f"it has {what_agency_has(con, subject)}."
        )
    own, own_eff, own_pos = schedule_at(own_tops, as_of)
    own = own[~own["payroll_only"].fillna(False)]
    if own_pos == "before":
        notes.append(f"{as_of:%m/%d/%Y} precedes {subject}'s first schedule; using {own_eff}.")
    notes.append(f"{subject} {position} steps from its schedule of {own_eff:%m/%d/%Y}.")
    own = own.rename(
        columns={
            "class_code": "subject_class_code",
            "class_title": "subject_title",
            "annual": "own_top_annual",
            "top_step": "own_top_step",
            "source_ref": "own_source_ref",
        }
    )
    return own, own_eff


def _uploaded_detail(uploaded: pd.DataFrame, position: str, notes: list[str]):
    if position != "top":
        notes.append(
            "Uploaded survey template values are top steps: left out of a "
            f"{position}-step comparison."
        )
        return None
    u = uploaded.copy()
    u["schedule_date"] = pd.to_datetime(u["effective_date"]).dt.date
    u["annual_as_of"] = u["annual"]
    u["factor"] = 1.0
    u["brought_by"] = "uploaded survey value, as reported"
    u["source_ref"] = u.get("source", "uploaded")
    u["method"] = u.get("method", "uploaded")
    u["top_step"] = "top"
    notes.append("Uploaded survey values are used as reported (not aged to the as-of date).")
    return u


def _comparator_detail(
    con, matches, comparators, as_of, adjust, cpi_series, notes, position, uploaded, aged
) -> pd.DataFrame:
    parts = []
    for comp in comparators:
        vals = comparator_values(con, comp, as_of, adjust, cpi_series, notes, position)
        if vals is None:
            continue
        m = matches[
            (matches["comparator_agency"] == comp) & matches["comparator_class_code"].notna()
        ]
        d = m.drop(columns=["comparator_title"], errors="ignore").merge(
            vals.rename(
                columns={"class_code": "comparator_class_code", "class_title": "comparator_title"}
            ),
            on=["comparator_agency", "comparator_class_code"],
            how="inner",
        )
        parts.append(d)
    if uploaded is not None and not uploaded.empty:
        u = _uploaded_detail(uploaded, position, notes)
        if u is not None:
            parts.append(u)
    if aged is not None and not aged.empty:
        parts.append(aged)
    parts = [p.reindex(columns=DETAIL_COLUMNS) for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=DETAIL_COLUMNS)
    return pd.concat(parts, ignore_index=True)


def _table(con, subject, own, own_eff, detail, as_of, stat, threshold_pct, position):
    # One value per comparator agency per benchmark: if a class matched several comparator
    # classes of one agency, their mean stands for that agency.
    per_agency = detail.groupby(["subject_class_code", "comparator_agency"], as_index=False)[
        "annual_as_of"
    ].mean()
    agg = per_agency.groupby("subject_class_code")["annual_as_of"].agg(
        market_mean="mean",
        market_median="median",
        market_n="count",
        market_min="min",
        market_max="max",
    )
    table = own[
        ["subject_class_code", "subject_title", "own_top_step", "own_top_annual", "own_source_ref"]
    ].merge(agg, on="subject_class_code", how="inner")
    table["market"] = table[f"market_{stat}"]
    table["pct_below_market"] = pct_below_market(table["own_top_annual"], table["market"])
    table["pct_increase_to_market"] = pct_increase_to_market(
        table["own_top_annual"], table["market"]
    )
    table["flag"] = table["pct_below_market"] > threshold_pct
    ties = tied_classes(con, subject)
    table["tied_classes"] = table["subject_class_code"].map(lambda c: ", ".join(ties.get(c, [])))
    table = table.sort_values("pct_below_market", ascending=False).reset_index(drop=True)
    table.insert(0, "as_of", as_of)
    table.insert(1, "subject_agency", subject)
    table["own_schedule_date"] = own_eff
    table["stat"] = stat
    table["threshold_pct"] = threshold_pct
    table["step_position"] = position
    for col in ("market_mean", "market_median", "market", "market_min", "market_max"):
        table[col] = table[col].round(2)
    for col in ("pct_below_market", "pct_increase_to_market"):
        table[col] = table[col].round(2)
    return table


def market_gap(
    con: duckdb.DuckDBPyConnection,
    subject: str,
    matches: pd.DataFrame,
    as_of: date,
    *,
    comparators: list[str],
    stat: str = "mean",
    threshold_pct: float = DEFAULT_THRESHOLD_PCT,
    adjust: str = "cpi",
    cpi_series: str = inflation.DEFAULT_SERIES,
    uploaded: pd.DataFrame | None = None,
    aged: pd.DataFrame | None = None,
    position: str = "top",
) -> GapResult:
    """Gap per benchmark class of `subject` on `as_of`, at the step `position` (top, middle
    or first step to the same step of the comparators).

    `matches` is a crosswalk: subject_class_code, comparator_agency, comparator_class_code,
    method, score (one row per subject class x comparator; unmatched rows have no code).
    `uploaded` optional outside survey data already matched to subject classes:
    subject_class_code, comparator_agency, comparator_title, annual, effective_date, source.
    `aged` optional rows already brought to the as-of date, in DETAIL_COLUMNS (imported
    State Controller positions, analysis.market.gcc.pay_at).
    """
    if stat not in ("mean", "median"):
        raise ValueError("stat must be 'mean' or 'median'")
    if adjust not in ("cpi", "none"):
        raise ValueError("adjust must be 'cpi' or 'none'")
    notes: list[str] = []
    own, own_eff = _own(con, subject, as_of, position, notes)
    detail = _comparator_detail(
        con, matches, comparators, as_of, adjust, cpi_series, notes, position, uploaded, aged
    )
    if detail.empty:
        return GapResult(pd.DataFrame(columns=TABLE_COLUMNS), detail, notes)
    table = _table(con, subject, own, own_eff, detail, as_of, stat, threshold_pct, position)
    return GapResult(table, detail, notes)


# Comparators of every kind (analysis.market.comparators resolves the names) -----------------


def _crosswalks(con, subject, comparators, user_decisions):
    parts, notes = [], []
    for comp in comparators:
        xw = crosswalk.crosswalk(con, subject, comp, user_decisions=user_decisions)
        reason = xw.attrs.get("reason")
        matched = int(xw["comparator_class_code"].notna().sum()) if not xw.empty else 0
        if matched:
            notes.append(
                f"{matched} of {len(xw)} {subject} classes matched a {comp} class "
                "(exact titles, curated overrides, your confirmations, or fuzzy above the "
                "threshold); the rest have no comparable class."
            )
        elif reason:
            notes.append(f"{comp}: {reason}")
        parts.append(xw)
    matches = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=MATCH_COLUMNS)
    return matches, notes


def run_gap(
    con: duckdb.DuckDBPyConnection,
    subject: str,
    comparators: list[str],
    as_of: date,
    *,
    stat: str = "mean",
    threshold_pct: float = DEFAULT_THRESHOLD_PCT,
    adjust: str = "cpi",
    cpi_series: str = inflation.DEFAULT_SERIES,
    user_decisions: pd.DataFrame | None = None,
    survey_rows: pd.DataFrame | None = None,
    gcc_rows: pd.DataFrame | None = None,
    position: str = "top",
) -> GapResult:
    """Match the subject's classes to each comparator, then compute the gap.

    `comparators` may name agencies of the warehouse (crosswalk), of the user's `survey_rows`
    (userdata.survey_data.rows()) and of `gcc_rows` (userdata.gcc.rows()); survey titles and
    GCC positions are matched to the subject's classes by analysis.market.survey_matches, the user's
    decisions applying to every kind. Each comparator is used from where it has pay."""
    subject = agencies.resolve(con, subject)
    src = comparator_sources(con, subject, comparators, survey_rows, gcc_rows)
    if not (src.warehouse or src.upload or src.gcc):
        raise ValueError("pick at least one comparator other than the subject agency")
    matches, notes = _crosswalks(con, subject, src.warehouse, user_decisions)
    up = pd.DataFrame()
    if src.upload:
        mine = survey_rows[survey_rows["agency"].isin(src.upload)]
        matched = survey_matches.uploaded_pairs(con, subject, mine, user_decisions)
        up = uploaded_comparators(matched, src.upload)
    aged = None
    if src.gcc:
        aged = gcc_market.pay_at(
            con,
            subject,
            gcc_rows,
            src.gcc,
            as_of,
            position=position,
            adjust=adjust,
            cpi_series=cpi_series,
            user_decisions=user_decisions,
            notes=notes,
        )
    result = market_gap(
        con,
        subject,
        matches,
        as_of,
        comparators=src.warehouse,
        stat=stat,
        threshold_pct=threshold_pct,
        adjust=adjust,
        cpi_series=cpi_series,
        uploaded=up,
        aged=aged,
        position=position,
    )
    result.notes = src.notes + notes + result.notes
    result.matches = matches  # type: ignore[attr-defined]
    return result
