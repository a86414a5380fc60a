"""What a member of one class sees, at every step: the one definition that the My pay page
(app_pages/member.py) and the published member site (exports/site/, `bargain publish`) both
show.

For a class on a date: its pay at every step in the schedule in force (hourly, biweekly,
monthly, annual, printed or derived), the step after each and how long before it (the step
rule, quoted in the registry), every schedule of the agreement's term with the increases that
brought it (nominal and in real dollars of one month of a named CPI series), the premiums the
class can earn (analysis/premium_eligibility.py), the matched class in every other agency (the
crosswalk), and total compensation where the agreement prices it. Every row keeps its
`source_ref`. Member-specific views (from a hire date or a step) are analysis/member.py's,
built on the same functions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import duckdb
import pandas as pd

from analysis import agencies, compensation, inflation, premium_eligibility, steps
from analysis.member import data as member_data
from etl.labels import label
from etl.pay import hours_to_months
from etl.records import StepRule


@dataclass
class ClassFigures:
    agency: str
    class_code: str
    class_title: str
    unit: str | None
    as_of: date
    schedule_date: date  # the schedule in force on as_of
    rule: StepRule
    ladder: pd.DataFrame  # one row per step: pay_by_step columns + the next step
    increases: pd.DataFrame  # one row per schedule date of the term
    premiums: pd.DataFrame  # the premiums open to the class, priced at its first and top step
    elsewhere: pd.DataFrame  # the matched class elsewhere, first and top step
    total: pd.Series | None  # the total_compensation row of the schedule in force
    real_month: date
    cpi_series: str
    real_label: str
    notes: list[str] = field(default_factory=list)


def next_step(rule: StepRule, step: str) -> tuple[str | None, int | None]:
    """The step a merit moves `step` to under the rule, and the in-service hours at `step`
    before it (the first advance from the hire step, every later one from any other); (None,
    None) at the top."""
    if step not in rule.steps:
        raise ValueError(f"{rule.agency} steps are {', '.join(rule.steps)}; got {step!r}")
    idx, top = rule.steps.index(step), len(rule.steps) - 1
    if idx >= top:
        return None, None
    hours = rule.first_advance_hours if step == rule.hire_step else rule.advance_hours
    return rule.steps[min(idx + rule.steps_per_advance, top)], int(hours)


def ladder(by_step: pd.DataFrame, rule: StepRule) -> pd.DataFrame:
    """steps.pay_by_step rows with next_step, hours_to_next, months_to_next, next_hourly and
    next_pct (the rise to the next step's rate, computed from the two rates)."""
    out = by_step.reset_index(drop=True).copy()
    pairs = [next_step(rule, str(s)) for s in out["step"]]
    out["next_step"] = [n for n, _ in pairs]
    out["hours_to_next"] = [math.nan if h is None else float(h) for _, h in pairs]
    out["months_to_next"] = [math.nan if h is None else hours_to_months(h) for _, h in pairs]
    hourly = dict(zip(out["step"], out["hourly"], strict=True))
    out["next_hourly"] = [hourly.get(n, math.nan) if n else math.nan for n in out["next_step"]]
    out["next_pct"] = (out["next_hourly"] / out["hourly"] - 1) * 100
    return out


def increase_text(row) -> str:
    """One wage_increases row in words: '3.5% general increase', '$1,200.00 one-time
    payment'."""
    what = label("kind", row.kind)
    if isinstance(row.amount, float | int) and not math.isnan(row.amount):
        return f"${row.amount:,.2f} {what}"
    if isinstance(row.pct, float | int) and not math.isnan(row.pct):
        return f"{row.pct:g}% {what}"
    return what


def _raises_for(raises: pd.DataFrame, rule: StepRule, class_code: str) -> pd.DataFrame:
    """The agreement's increases for the class (general ones and its own), without the
    Appendix-style 0% rows that say "no adjustment"."""
    r = raises[raises["agreement_id"] == rule.agreement_id]
    r = r[r["class_code"].isna() | (r["class_code"] == class_code)]
    zero = r["pct"].fillna(1).eq(0) & r["amount"].isna()
    return r[~zero]


def increases_over_term(
    rates: pd.DataFrame,
    rule: StepRule,
    raises: pd.DataFrame,
    class_code: str,
    schedule_date: date,
) -> tuple[pd.DataFrame, list[str]]:
    """One row per schedule of the class in the rule's agreement: date, first and top step
    (hourly, annual), change_pct at the top step from the schedule before (computed from the
    two rates), what changed (the increases dated that day, in words, with their refs), basis,
    derivation and source_ref of the top step, in_force (the schedule of `schedule_date`).
    Notes name increases dated on no schedule of the class."""
    own = rates[rates["agreement_id"] == rule.agreement_id]
    mine = _raises_for(raises, rule, class_code)
    first, top = rule.steps[0], rule.top_step
    lo = own[own["step"] == first].drop_duplicates("effective_date").set_index("effective_date")
    hi = own[own["step"] == top].drop_duplicates("effective_date").set_index("effective_date")
    lo, hi = lo.to_dict("index"), hi.to_dict("index")
    by_date: dict[date, list] = {}
    for r in mine.itertuples():
        by_date.setdefault(r.effective_date, []).append(r)
    rows, prev = [], None
    for when in sorted(set(lo) & set(hi)):
        f, t, today = lo[when], hi[when], by_date.pop(when, [])
        rows.append(
            {
                "date": when,
                "first_step": first,
                "first_hourly": f["hourly"],
                "first_annual": f["annual"],
                "top_step": top,
                "top_hourly": t["hourly"],
                "top_annual": t["annual"],
                "change_pct": math.nan if prev is None else (t["hourly"] / prev - 1) * 100,
                "what": [increase_text(r) for r in today],
                "what_refs": [r.source_ref for r in today],
                "first_basis": steps._basis(f["is_derived"]),
                "basis": steps._basis(t["is_derived"]),
                "derivation": t["derivation"],
                "first_source_ref": f["source_ref"],
                "source_ref": t["source_ref"],
                "in_force": when == schedule_date,
            }
        )
        prev = t["hourly"]
    notes = [
        f"{r.effective_date:%m/%d/%Y}: {increase_text(r)} ({r.source_ref}) is dated on no "
        "schedule of this class."
        for left in by_date.values()
        for r in left
    ]
    return pd.DataFrame(rows), notes


def _real(df: pd.DataFrame, cols: list[str], date_col: str, month, series, notes) -> pd.DataFrame:
    """`<col>_real` in dollars of `month`, rounded to the dollar; NaN with a note when a date
    is outside the CPI data (an index is never extrapolated)."""
    if df.empty:
        return df.assign(**{f"{c}_real": pd.Series(dtype=float) for c in cols})
    try:
        out = inflation.adjust_series(df, cols, date_col, month, series)
    except ValueError as exc:
        notes.append(f"No real dollars: {exc}.")
        return df.assign(**{f"{c}_real": math.nan for c in cols})
    for c in cols:
        out[f"{c}_real"] = out[f"{c}_real"].round(0)
    return out


def class_premiums(
    con: duckdb.DuckDBPyConnection,
    agency: str,
    class_code: str,
    unit: str | None,
    by_step: pd.DataFrame,
    as_of: date,
) -> pd.DataFrame:
    """The premiums in force on `as_of` that the class can earn (premium_eligibility), each
    priced as $/hour at the class's first and top step (compensation.price)."""
    rows, overtime = member_data.premiums(con, agency, as_of)
    if rows.empty:
        return rows.assign(applies="", usd_per_hour_first=0.0, usd_per_hour_top=0.0)
    titles = member_data.titles(con, agency)
    mine = premium_eligibility.for_class(
        rows, class_code, unit, titles, member_data.units(con, agency)
    )
    lo = compensation.price(con, mine, float(by_step["hourly"].iloc[0]), as_of, overtime)
    hi = compensation.price(con, mine, float(by_step["hourly"].iloc[-1]), as_of, overtime)
    order = {premium_eligibility.THIS_CLASS: 0, premium_eligibility.ITS_UNIT: 1}
    out = hi.assign(usd_per_hour_first=lo["usd_per_hour"], usd_per_hour_top=hi["usd_per_hour"])
    out = out.assign(_o=out["applies"].map(order).fillna(2))
    return out.sort_values(["_o", "premium"], kind="stable").drop(columns="_o")


ELSEWHERE_COLUMNS = [
    "agency",
    "class_code",
    "class_title",
    "share",
    "step",
    "hourly",
    "annual",
    "schedule_date",
    "matched_by",
    "source_ref",
]


def elsewhere(
    con: duckdb.DuckDBPyConnection,
    agency: str,
    class_code: str,
    shares: tuple[float, ...],
    real_month: date,
    cpi_series: str,
    notes: list[str] | None = None,
) -> pd.DataFrame:
    """The matched class (the crosswalk) in every other agency with a salary table, at each
    place in its range of `shares` (0 = first step, 1 = top, between: the nearest step by
    share of the range), on that agency's own date (inside its term), with annual_real in
    dollars of `real_month` so different eras compare."""
    rows = []
    for other in agencies.names(con, salary_table=True):
        if other == agency:
            continue
        hit = member_data.matched(con, agency, other).get(str(class_code))
        if hit is None:
            continue
        code = hit["comparator_class_code"]
        when = member_data.default_as_of(con, other)
        o_rule = member_data.rule(con, other, when)
        o_rates = member_data.class_rows(con, other, code, None)
        pay = steps.steps_on(o_rates, o_rule, when).set_index("step")
        for share in shares:
            o_step = o_rule.steps[round(share * (len(o_rule.steps) - 1))]
            if o_step not in pay.index:
                continue
            p = pay.loc[o_step]
            rows.append(
                {
                    "agency": other,
                    "class_code": code,
                    "class_title": hit["comparator_title"],
                    "share": share,
                    "step": o_step,
                    "hourly": p["hourly"],
                    "annual": p["annual"],
                    "schedule_date": p["schedule_date"],
                    "matched_by": hit["method"],
                    "source_ref": p["source_ref"],
                }
            )
    df = pd.DataFrame(rows, columns=ELSEWHERE_COLUMNS)
    return _real(df, ["annual"], "schedule_date", real_month, cpi_series, notes or [])


def total_row(
    con: duckdb.DuckDBPyConnection,
    agency: str,
    class_code: str,
    unit: str | None,
    schedule_date: date,
) -> pd.Series | None:
    """The class's total_compensation row for the schedule of `schedule_date` (None where
    the warehouse prices none)."""
    t = member_data.totals(con, agency)
    same_unit = t["bargaining_unit"].isna() if unit is None else t["bargaining_unit"] == unit
    hit = t[(t["class_code"] == class_code) & same_unit & (t["effective_date"] == schedule_date)]
    return None if hit.empty else hit.iloc[0]


def class_figures(
    con: duckdb.DuckDBPyConnection,
    agency: str,
    class_code: str,
    unit: str | None = None,
    as_of: date | None = None,
    *,
    real_month: date | None = None,
    cpi_series: str = inflation.DEFAULT_SERIES,
) -> ClassFigures:
    """Everything a member of `class_code` sees on `as_of` (default: the agency's default
    date, inside its term). ValueError / NoSalaryTableError with the reason when there is
    no such class or no schedule on the date."""
    agency = agencies.require_salary_table(con, agency)
    as_of = as_of or member_data.default_as_of(con, agency)
    rule = member_data.rule(con, agency, as_of)
    rates = member_data.class_rows(con, agency, class_code, unit)
    by_step = steps.steps_on(rates, rule, as_of)
    sched = by_step["schedule_date"].iloc[0]
    month = real_month or inflation.latest_month(cpi_series)
    notes = [f"Step rule: {steps.describe_rule(rule)}."]
    notes += _term_note(con, agency, as_of)
    inc, more = increases_over_term(rates, rule, member_data.raises(con, agency), class_code, sched)
    notes += more
    inc = _real(inc, ["first_annual", "top_annual"], "date", month, cpi_series, notes)
    others = elsewhere(con, agency, class_code, (0.0, 1.0), month, cpi_series, notes)
    return ClassFigures(
        agency=agency,
        class_code=class_code,
        class_title=str(by_step["class_title"].iloc[0] or ""),
        unit=unit if unit is not None else _unit(rates),
        as_of=as_of,
        schedule_date=sched,
        rule=rule,
        ladder=ladder(by_step, rule),
        increases=inc,
        premiums=class_premiums(con, agency, class_code, unit or _unit(rates), by_step, as_of),
        elsewhere=others,
        total=total_row(con, agency, class_code, unit or _unit(rates), sched),
        real_month=month,
        cpi_series=cpi_series,
        real_label=inflation.label(cpi_series, month),
        notes=notes,
    )


def _unit(rates: pd.DataFrame) -> str | None:
    units = rates["bargaining_unit"].dropna().unique()
    return str(units[0]) if len(units) == 1 else None


def _term_note(con: duckdb.DuckDBPyConnection, agency: str, as_of: date) -> list[str]:
    row = agencies.agencies(con).set_index("agency").loc[agency]
    end = row["term_end"]
    if pd.notna(end) and pd.Timestamp(as_of) > end:
        return [
            f"{as_of:%m/%d/%Y} is after the agreement's term (to {end:%m/%d/%Y}): the last "
            "schedule is shown; pay after the term is not known."
        ]
    return []
