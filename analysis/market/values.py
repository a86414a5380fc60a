"""Each comparator's pay at one step, brought to the as-of date: a warehouse agency's step
pay by its own known schedules when the date falls in its term, otherwise its nearest schedule
carried by CPI (or left nominal), and the row says which. (analysis.market.gap computes the gap;
analysis.market.gcc does the same for imported State Controller positions.)
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from analysis import inflation
from analysis.warehouse import query

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


def cpi_factor(from_date: date, as_of: date, cpi_series: str, notes: list[str], who: str) -> float:
    """The CPI factor that carries dollars of `from_date` to `as_of`. CPI is published with a
    lag: past its latest month, to that month, and a note says so."""
    target = as_of
    latest = inflation.latest_month(cpi_series)
    if pd.Timestamp(as_of) > pd.Timestamp(latest):
        target = latest
        note = f"CPI is published to {latest:%b %Y}; {who} is carried to that month."
        if note not in notes:
            notes.append(note)
    return inflation.adjust(1.0, from_date, target, cpi_series)


def comparator_values(
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
        factor = cpi_factor(eff, as_of, cpi_series, notes, comparator)
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
