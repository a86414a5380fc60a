"""Market gap: where each benchmark class stands against the comparator agencies.

Conventions (DOMAIN.md, bargaining practice): compare top step to top step, in annual dollars;
"% below market" = (market - own) / market; "% increase to reach market" = (market - own) / own.
A comparator's top step is brought to the as-of date by its own known schedules when the date
falls in its term; otherwise its nearest schedule is carried by CPI (or left nominal), and the
row says which.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import duckdb
import pandas as pd

from analysis import agencies, inflation
from analysis.warehouse import query
from etl import defaults

DEFAULT_THRESHOLD_PCT = defaults.DEFAULT_THRESHOLD_PCT

# One step of every class at every schedule date: the first, the middle (of an odd number of
# steps the centre one, of an even number the lower of the two centre ones) or the top.
STEP_AT_SQL = """
WITH steps AS (
    SELECT agency, class_code, any_value(class_title) AS class_title, effective_date, step,
           max(annual) AS annual, bool_or(is_derived) AS is_derived,
           any_value(source_ref) AS source_ref, bool_or(payroll_only) AS payroll_only
    FROM salary_schedule WHERE agency = ?
    GROUP BY agency, class_code, effective_date, step
), ranked AS (
    SELECT *, row_number() OVER w AS rk, count(*) OVER (PARTITION BY class_code, effective_date)
           AS n
    FROM steps
    WINDOW w AS (PARTITION BY class_code, effective_date ORDER BY length(step), step)
)
SELECT agency, class_code, class_title, effective_date, step AS top_step, annual, is_derived,
       source_ref, payroll_only
FROM ranked
WHERE rk = CASE ? WHEN 'first' THEN 1 WHEN 'middle' THEN (n + 1) // 2 ELSE n END
"""

STEP_POSITIONS = ("top", "middle", "first")

TERMS_SQL = (
    "SELECT agency, min(term_start) AS term_start, max(term_end) AS term_end "
    "FROM agreements WHERE agency = ? GROUP BY agency"
)

RANGE_SQL = """
SELECT class_code, class_title, effective_date, hourly FROM salary_schedule
WHERE agency = ? AND step IN ('A', '1') AND NOT coalesce(payroll_only, false)
"""

WHAT_IT_HAS_SQL = """
SELECT 'wage increases' AS what, count(*) AS n,
       string_agg(strftime(effective_date, '%m/%d/%Y') || ' ' || kind || ' '
                  || coalesce(pct::VARCHAR || '%', '$' || amount::VARCHAR), '; '
                  ORDER BY effective_date) AS detail
FROM wage_increases WHERE agency = ? AND kind <> 'market'
UNION ALL SELECT 'premiums', count(*), string_agg(DISTINCT premium, '; ')
FROM premiums WHERE agency = ?
UNION ALL SELECT 'benefit shares', count(*), string_agg(DISTINCT benefit, '; ')
FROM benefit_shares WHERE agency = ?
UNION ALL SELECT 'provisions', count(*), NULL FROM provisions WHERE agency = ?
"""


@dataclass
class GapResult:
    """`table`: one row per matched benchmark; `detail`: one row per benchmark x comparator."""

    table: pd.DataFrame
    detail: pd.DataFrame
    notes: list[str] = field(default_factory=list)


def pct_below_market(own, market):
    """(market - own) / market x 100: how far below the market the subject is."""
    return (market - own) / market * 100


def pct_increase_to_market(own, market):
    """(market - own) / own x 100: the raise that would bring the subject to the market."""
    return (market - own) / own * 100


def top_steps(con: duckdb.DuckDBPyConnection, agency: str, position: str = "top") -> pd.DataFrame:
    """Annual pay at one step (`position`: top, middle or first) of every class of `agency`
    at every schedule date; the step is in `top_step` (named for the usual case)."""
    if position not in STEP_POSITIONS:
        raise ValueError(f"step position must be one of {', '.join(STEP_POSITIONS)}")
    return query(con, STEP_AT_SQL, [agency, position])


def schedule_at(tops: pd.DataFrame, as_of: date) -> tuple[pd.DataFrame, date, str]:
    """The schedule in force on `as_of`: the latest effective date on or before it. Before the
    first schedule, the first one is used and the position says 'before'."""
    dates = sorted(tops["effective_date"].unique())
    as_of_ts = pd.Timestamp(as_of)
    on_or_before = [d for d in dates if pd.Timestamp(d) <= as_of_ts]
    if on_or_before:
        eff = on_or_before[-1]
        position = "after" if eff == dates[-1] else "within"
    else:
        eff, position = dates[0], "before"
    return tops[tops["effective_date"] == eff], pd.Timestamp(eff).date(), position


def what_agency_has(con: duckdb.DuckDBPyConnection, agency: str) -> str:
    df = query(con, WHAT_IT_HAS_SQL, [agency] * 4)
    parts = [
        f"{r.n} {r.what}" + (f" ({r.detail})" if isinstance(r.detail, str) and r.n <= 6 else "")
        for r in df.itertuples()
        if r.n
    ]
    return ", ".join(parts) if parts else "nothing loaded"


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


def _comparator_values(
    con: duckdb.DuckDBPyConnection,
    comparator: str,
    as_of: date,
    adjust: str,
    cpi_series: str,
    notes: list[str],
    position: str = "top",
) -> pd.DataFrame | None:
    """Comparator pay at the step position brought to `as_of`, with how it was brought."""
    tops = top_steps(con, comparator, position)
    if tops.empty:
        notes.append(
            f"{comparator} has no salary table in its agreement, so it cannot be a pay "
            f"comparator; it has {what_agency_has(con, comparator)}."
        )
        return None
    sched, eff, position = schedule_at(tops, as_of)
    terms = query(con, TERMS_SQL, [comparator])
    term_end = terms["term_end"].iloc[0] if not terms.empty else None
    in_term = position == "within" or (
        position == "after" and term_end is not None and pd.Timestamp(as_of) <= term_end
    )
    out = sched.copy()
    out["schedule_date"] = eff
    if in_term:
        out["factor"] = 1.0
        out["brought_by"] = f"own schedule of {eff:%m/%d/%Y} (as-of date within its term)"
    elif adjust == "cpi":
        target = as_of
        latest = inflation.latest_month(cpi_series)
        if pd.Timestamp(as_of) > pd.Timestamp(latest):
            # CPI is published with a lag: carry to the latest published month and say so.
            target = latest
            notes.append(
                f"CPI is published to {latest:%b %Y}; {comparator} is carried to that month."
            )
        factor = inflation.adjust(1.0, eff, target, cpi_series)
        out["factor"] = factor
        out["brought_by"] = (
            f"{eff:%m/%d/%Y} schedule carried {'forward' if position == 'after' else 'back'} "
            f"to {as_of:%m/%d/%Y} by CPI ({cpi_series}), x{factor:.4f}"
        )
        notes.append(
            f"{comparator}: the as-of date is outside its agreement term; its {eff:%m/%d/%Y} "
            f"schedule is adjusted by CPI {cpi_series} (factor {factor:.4f})."
        )
    else:
        out["factor"] = 1.0
        out["brought_by"] = f"{eff:%m/%d/%Y} schedule, nominal (no adjustment)"
        notes.append(
            f"{comparator}: the as-of date is outside its agreement term; its {eff:%m/%d/%Y} "
            "schedule is compared in nominal dollars, unadjusted."
        )
    out["annual_as_of"] = (out["annual"] * out["factor"]).round(2)
    out["comparator_agency"] = comparator
    return out


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
    position: str = "top",
) -> GapResult:
    """Gap per benchmark class of `subject` on `as_of`, at the step `position` (top, middle
    or first step to the same step of the comparators).

    `matches` is a crosswalk: subject_class_code, comparator_agency, comparator_class_code,
    method, score (one row per subject class x comparator; unmatched rows have no code).
    `uploaded` optional outside survey data already matched to subject classes:
    subject_class_code, comparator_agency, comparator_title, annual, effective_date, source.
    """
    if stat not in ("mean", "median"):
        raise ValueError("stat must be 'mean' or 'median'")
    if adjust not in ("cpi", "none"):
        raise ValueError("adjust must be 'cpi' or 'none'")
    notes: list[str] = []
    own, own_eff = _own_steps(con, subject, as_of, position, notes)
    parts = [
        _matched_values(con, comp, matches, as_of, adjust, cpi_series, notes, position)
        for comp in comparators
    ]
    parts = [d for d in parts if d is not None]
    if uploaded is not None and not uploaded.empty:
        parts.append(_uploaded_values(uploaded))
        notes.append("Uploaded survey values are used as reported (not aged to the as-of date).")
    detail = (
        pd.concat(parts, ignore_index=True).reindex(columns=_DETAIL_COLUMNS)
        if parts
        else pd.DataFrame(columns=_DETAIL_COLUMNS)
    )
    if detail.empty:
        return GapResult(pd.DataFrame(columns=_EMPTY_TABLE_COLUMNS), detail, notes)
    table = _gap_table(own, detail, stat, threshold_pct)
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
    return GapResult(table, detail, notes)


_DETAIL_COLUMNS = [
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
_EMPTY_TABLE_COLUMNS = [
    "subject_class_code",
    "subject_title",
    "own_top_annual",
    "market",
    "market_n",
    "pct_below_market",
    "pct_increase_to_market",
    "flag",
]


def _own_steps(
    con: duckdb.DuckDBPyConnection, subject: str, as_of: date, position: str, notes: list[str]
) -> tuple[pd.DataFrame, date]:
    """The subject's benchmark steps on `as_of` (payroll-only classes left out), renamed for
    the gap table, and the date of the schedule they come from."""
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


def _matched_values(
    con: duckdb.DuckDBPyConnection,
    comp: str,
    matches: pd.DataFrame,
    as_of: date,
    adjust: str,
    cpi_series: str,
    notes: list[str],
    position: str,
) -> pd.DataFrame | None:
    """One comparator's values on `as_of`, joined to the crosswalk rows that match them."""
    vals = _comparator_values(con, comp, as_of, adjust, cpi_series, notes, position)
    if vals is None:
        return None
    m = matches[(matches["comparator_agency"] == comp) & matches["comparator_class_code"].notna()]
    return m.drop(columns=["comparator_title"], errors="ignore").merge(
        vals.rename(
            columns={"class_code": "comparator_class_code", "class_title": "comparator_title"}
        ),
        on=["comparator_agency", "comparator_class_code"],
        how="inner",
    )


def _uploaded_values(uploaded: pd.DataFrame) -> pd.DataFrame:
    """Uploaded survey values as detail rows, as reported."""
    u = uploaded.copy()
    u["schedule_date"] = pd.to_datetime(u["effective_date"]).dt.date
    u["annual_as_of"] = u["annual"]
    u["factor"] = 1.0
    u["brought_by"] = "uploaded survey value, as reported"
    u["source_ref"] = u.get("source", "uploaded")
    u["method"] = u.get("method", "uploaded")
    u["top_step"] = "top"
    return u


def _gap_table(
    own: pd.DataFrame, detail: pd.DataFrame, stat: str, threshold_pct: float
) -> pd.DataFrame:
    """The market statistics per benchmark class and its gap to the subject's own step."""
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
    return table


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
    position: str = "top",
) -> GapResult:
    """Crosswalk the subject's classes to each comparator, then compute the gap.

    `comparators` may name agencies of the warehouse and agencies of the user's `survey_rows`
    (userdata.survey_data.rows()); survey titles are matched to the subject's classes by
    analysis.surveys.match_uploaded. Each comparator is used from where it has pay."""
    from analysis import crosswalk, surveys
    from analysis.market_tables import uploaded_comparators

    subject = agencies.resolve(con, subject)
    comparators = [c for c in dict.fromkeys(comparators) if c != subject]
    known = agencies.names(con)
    rows = survey_rows if survey_rows is not None else pd.DataFrame(columns=["agency"])
    in_upload = set(rows["agency"])
    unknown = [c for c in comparators if c not in known and c not in in_upload]
    if unknown:
        raise agencies.UnknownAgencyError(
            f"no pay data for {', '.join(unknown)}: the warehouse has {', '.join(known)}"
            + (f"; your survey data has {', '.join(sorted(in_upload))}" if in_upload else "")
        )
    from_upload = [c for c in comparators if c not in known]
    mine = rows[rows["agency"].isin(from_upload)]
    matched = surveys.match_uploaded(con, subject, mine) if not mine.empty else None
    up = uploaded_comparators(matched, from_upload)
    comparators = [c for c in comparators if c in known]
    if not comparators and up.empty:
        raise ValueError("pick at least one comparator other than the subject agency")
    parts = []
    match_notes = []
    for comp in comparators:
        xw = crosswalk.crosswalk(con, subject, comp, user_decisions=user_decisions)
        reason = xw.attrs.get("reason")
        matched = int(xw["comparator_class_code"].notna().sum()) if not xw.empty else 0
        if matched:
            match_notes.append(
                f"{matched} of {len(xw)} {subject} classes matched a {comp} class "
                "(exact titles, curated overrides, your confirmations, or fuzzy above the "
                "threshold); the rest have no comparable class."
            )
        elif reason:
            match_notes.append(f"{comp}: {reason}")
        parts.append(xw)
    matches = (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame(
            columns=[
                "subject_class_code",
                "comparator_agency",
                "comparator_class_code",
                "method",
                "score",
            ]
        )
    )
    result = market_gap(
        con,
        subject,
        matches,
        as_of,
        comparators=comparators,
        stat=stat,
        threshold_pct=threshold_pct,
        adjust=adjust,
        cpi_series=cpi_series,
        uploaded=up,
        position=position,
    )
    result.notes = match_notes + result.notes
    result.matches = matches  # type: ignore[attr-defined]
    return result
