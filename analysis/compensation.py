"""Premiums and benefits side by side: each premium as $/hour and % of a chosen base rate,
benefit shares across agencies, and total compensation where the data allows."""

from __future__ import annotations

import re
from datetime import date

import duckdb
import numpy as np
import pandas as pd

from analysis.warehouse import memo, query
from etl.pay import HOURS_PER_DAY, HOURS_PER_PAY_PERIOD, HOURS_PER_YEAR, MONTHS_PER_YEAR

# The divisors as the derivations say them
_PERIOD_H = f"{HOURS_PER_PAY_PERIOD} h"
_YEAR_H = f"{HOURS_PER_YEAR:,} h"
_DAY_H = f"{HOURS_PER_DAY} h"

# Categories so different agreements' premiums can be compared ("who pays what for what").
# First matching pattern wins; matched against the premium name and its eligibility text.
CATEGORIES: list[tuple[str, str]] = [
    ("tool allowance", r"tool"),
    ("housing", r"housing"),
    ("safety boots / shoes allowance", r"boot|shoe"),
    ("uniform / work clothing allowance", r"clothing|clothes|uniform"),
    ("special assignment / facility", r"exam_|specimen"),
    ("standby / on-call", r"standby|on-call|on call"),
    (
        "overtime / holiday / callback",
        r"overtime|holiday|schedule.change|callback|call.back|minimum_work",
    ),
    ("shift differential", r"shift|swing|graveyard|evening|night"),
    ("bilingual", r"bilingual"),
    ("hazard", r"hazard|no_rest_break"),
    (
        "out-of-class / acting",
        r"out-of-class|acting|higher.class|temporary_assignment|underfill",
    ),
    ("lead / charge", r"\blead|charge|supervis"),
    ("equipment / vehicle", r"equipment|truck|crane|loader|vehicle|animal_removal"),
    ("education / certification", r"degree|bsn|msn|master|certif|training|tuition|wellness"),
    ("mileage / transit / moving", r"mileage|transit|moving"),
    ("special assignment / facility", r".*"),
]

_REF_CLASS = re.compile(r"class (\w{4})")
_DERIVED_SUFFIX = r";\s*derived from .*$"

PREMIUMS_SQL = """
SELECT agency, agreement_id, premium, basis, value, effective_date, eligibility, source_ref
FROM premiums WHERE (? IS NULL OR agency = ?)
ORDER BY agency, premium, effective_date NULLS FIRST
"""

RATE_SQL = """
SELECT hourly, effective_date, step, is_derived, source_ref FROM salary_schedule
WHERE agency = ? AND class_code = ? AND step = ?
ORDER BY (effective_date <= ?) DESC, abs(date_diff('day', effective_date, ?::DATE)) LIMIT 1
"""

TOP_RATE_SQL = """
SELECT hourly, effective_date, step, source_ref FROM salary_schedule
WHERE agency = ? AND class_code = ?
ORDER BY (effective_date <= ?) DESC, abs(date_diff('day', effective_date, ?::DATE)),
         length(step) DESC, step DESC LIMIT 1
"""

BENEFITS_SQL = """
SELECT agency, benefit, plan, tier, employer_pct, employee_pct, employee_amount, amount_period,
       effective_date, note, source_ref
FROM benefit_shares ORDER BY benefit, agency, effective_date NULLS FIRST, plan, tier
"""


def category(premium: str, eligibility: str | None = "") -> str:
    text = f"{premium}".lower()
    for name, pattern in CATEGORIES:
        if re.search(pattern, text):
            return name
    return CATEGORIES[-1][0]


def base_rate(
    con: duckdb.DuckDBPyConnection, agency: str, class_code: str, step: str, as_of: date
) -> dict:
    """The hourly rate of a class and step in force on `as_of` (or the nearest schedule)."""
    df = query(con, RATE_SQL, [agency, class_code, step, as_of, as_of])
    if df.empty:
        raise ValueError(f"{agency} has no rate for class {class_code} step {step}")
    return df.iloc[0].to_dict()


def premiums_normalized(
    con: duckdb.DuckDBPyConnection,
    base_hourly: float,
    as_of: date,
    agency: str | None = None,
    current_only: bool = True,
) -> pd.DataFrame:
    """Every premium as $/hour and as % of `base_hourly`.

    pct_of_reference_rate (and the other reference-rate bases) are priced at the top step of
    the class their eligibility names, in the schedule nearest `as_of`. Per-pay-period amounts
    are over 80 hours, per-year over 2,080, per-month over 2,080/12, per-day and per-shift over
    8 hours; overtime hours per pay period at the agency's own overtime rate over 80 hours.
    Amounts with no hourly equivalent (per event, per mile, caps, minimum hours, a share of a
    cost, a percent already in the range) get NaN and `computed_as` says why. With
    `current_only`, a premium with dated rates keeps only the rate in force on `as_of` (or its
    first rate if `as_of` precedes it).
    """
    df = query(con, PREMIUMS_SQL, [agency, agency])
    if df.empty:  # an agency that pays no premium: the same columns, no rows
        return df.assign(category="", usd_per_hour=0.0, pct_of_base=0.0, computed_as="")
    overtime = _overtime_rates(df)
    if current_only:
        df = _in_force(df, as_of)
    return price(con, df, base_hourly, as_of, overtime)


def premiums_in_force(
    con: duckdb.DuckDBPyConnection, as_of: date, agency: str | None = None
) -> tuple[pd.DataFrame, dict[str, float]]:
    """The premiums in force on `as_of` (premiums_normalized's `current_only` rows, not yet
    priced) and each agency's overtime rate, for pricing many base rates with `price`."""
    df = query(con, PREMIUMS_SQL, [agency, agency])
    return (_in_force(df, as_of) if not df.empty else df), _overtime_rates(df)


def price(
    con: duckdb.DuckDBPyConnection,
    df: pd.DataFrame,
    base_hourly: float,
    as_of: date,
    overtime: dict[str, float],
) -> pd.DataFrame:
    """Premium rows (PREMIUMS_SQL columns) as $/hour and % of `base_hourly`: the conversion
    premiums_normalized documents."""
    if df.empty:
        return df.assign(category="", usd_per_hour=0.0, pct_of_base=0.0, computed_as="")
    usd_h, how = [], []
    for r in df.itertuples():
        hourly, text = _to_hourly(con, r, base_hourly, as_of, overtime.get(r.agency))
        usd_h.append(hourly)
        how.append(text)
    df = df.assign(
        category=[category(p, e) for p, e in zip(df["premium"], df["eligibility"], strict=True)],
        usd_per_hour=np.round(usd_h, 4),
        pct_of_base=np.round(np.array(usd_h) / base_hourly * 100, 3),
        computed_as=how,
    )
    return df.reset_index(drop=True)


# Bases with no hourly equivalent, and the words that say why (value is the stated number).
_NO_HOURLY = {
    "usd_per_event": "${v:,.2f} per event; no hourly equivalent",
    "usd_one_time": "${v:,.2f} one time; no hourly equivalent",
    "usd_per_mile": "${v:,.3f} per mile driven; no hourly equivalent",
    "usd_cap": "a ceiling of ${v:,.2f}, not a payment; no hourly equivalent",
    "pct_of_cost_reimbursed": "{v:g}% of a cost the agreement does not state; no hourly equivalent",
    "min_hours_per_event": "a minimum of {v:g} hours per occurrence (hours, not money); no "
    "hourly equivalent",
    "pct_of_base_in_range": "{v:g}% already built into the salary range, not paid on top of it",
}


# Bases converted by a fixed rule: value, base -> ($ per hour, how it was computed).
_PER_HOUR = {
    "pct_of_base": lambda v, base: (base * v / 100, f"{v:g}% × base ${base:,.2f}/h"),
    "usd_per_hour": lambda v, base: (v, "as stated, per hour"),
    "usd_per_pay_period": lambda v, base: (
        v / HOURS_PER_PAY_PERIOD,
        f"${v:,.2f} per pay period ÷ {_PERIOD_H}",
    ),
    "usd_per_month": lambda v, base: (
        v * MONTHS_PER_YEAR / HOURS_PER_YEAR,
        f"${v:,.2f} per month × {MONTHS_PER_YEAR} ÷ {_YEAR_H}",
    ),
    "usd_per_year": lambda v, base: (v / HOURS_PER_YEAR, f"${v:,.2f} per year ÷ {_YEAR_H}"),
    "usd_per_day": lambda v, base: (v / HOURS_PER_DAY, f"${v:,.2f} per day ÷ {_DAY_H}"),
    "usd_per_shift": lambda v, base: (v / HOURS_PER_DAY, f"${v:,.2f} per shift ÷ {_DAY_H}"),
    "hours_of_base_pay_per_event": lambda v, base: (
        np.nan,
        f"{v:g} h × base = ${v * base:,.2f} per occurrence; no hourly equivalent",
    ),
}


def _to_hourly(
    con: duckdb.DuckDBPyConnection, r, base: float, as_of: date, overtime: float | None
) -> tuple[float, str]:
    """One premium row as ($ per hour, how it was computed); NaN when there is no honest
    hourly equivalent."""
    v, basis = float(r.value), r.basis
    if basis in _PER_HOUR:
        return _PER_HOUR[basis](v, base)
    if basis == "overtime_hours_per_pay_period":
        if overtime is None:
            return np.nan, f"{v:g} overtime hours per pay period; the overtime rate is not stated"
        return v * overtime * base / HOURS_PER_PAY_PERIOD, (
            f"{v:g} overtime h × {overtime:g} (the agreement's overtime rate) × base "
            f"${base:,.2f}/h ÷ {_PERIOD_H} per pay period"
        )
    if basis in _NO_HOURLY:
        return np.nan, _NO_HOURLY[basis].format(v=v)
    return _reference_hourly(con, r, v, base, as_of)


def _reference_hourly(
    con: duckdb.DuckDBPyConnection, r, v: float, base: float, as_of: date
) -> tuple[float, str]:
    """Bases priced at the top step of the class the eligibility names."""
    if r.basis not in _REFERENCE_BASES:
        return np.nan, f"basis {r.basis!r} has no conversion"
    ref = _reference_rate(con, r.agency, r.eligibility or "", as_of)
    if ref is None:
        return np.nan, "reference rate not identified"
    rate, step, code = ref["hourly"], ref["step"], ref["class_code"]
    named = (
        f"{step} step of class {code} (${rate:,.2f}/h, schedule {ref['effective_date']:%m/%d/%Y})"
    )
    if r.basis == "pct_of_reference_rate":
        return rate * v / 100, f"{v:g}% × {named}"
    if r.basis == "hours_of_reference_rate_per_day":
        return v * rate / HOURS_PER_DAY, f"{v:g} h × {named} per day ÷ {_DAY_H}"
    # pct_of_gap_to_reference_rate: part of the way from the base up to the reference rate
    gap = max(rate - base, 0.0)
    return gap * v / 100, f"{v:g}% × ({named} − base ${base:,.2f}/h), not below 0"


_REFERENCE_BASES = (
    "pct_of_reference_rate",
    "hours_of_reference_rate_per_day",
    "pct_of_gap_to_reference_rate",
)


def _overtime_rates(df: pd.DataFrame) -> dict[str, float]:
    """Each agency's overtime rate as a multiple of base (its 'overtime' row, 150% -> 1.5)."""
    ot = df[(df["premium"] == "overtime") & (df["basis"] == "pct_of_base")]
    return {a: float(v) / 100 for a, v in zip(ot["agency"], ot["value"], strict=True)}


def _in_force(df: pd.DataFrame, as_of: date) -> pd.DataFrame:
    key = ["agency", "premium", "_tier", "basis"]
    ts = pd.Timestamp(as_of)
    eff = pd.to_datetime(df["effective_date"])
    # A derived later-year rate says how it was derived at the end of its eligibility
    # ("...; derived from Art. 8.1: ..."); it is the same premium as the printed rate.
    tier = df["eligibility"].fillna("").str.replace(_DERIVED_SUFFIX, "", regex=True)
    df = df.assign(_eff=eff, _ok=eff.isna() | (eff <= ts), _tier=tier, _pos=range(len(df)))
    # Per premium: the latest row in force (undated rows hold for the whole term), else the
    # first row (the premium starts later: shown with its date). Premiums stated as several
    # tiers (e.g. by number of examiners available) have distinct eligibility text, so they
    # stay separate rows.
    groups = df.groupby(key, dropna=False, sort=False)
    any_ok = groups["_ok"].transform("any")
    latest = (
        df[df["_ok"]]
        .sort_values(["_eff", "_pos"], na_position="first", kind="stable")
        .groupby(key, dropna=False, sort=False)
        .tail(1)
    )
    first = df[~any_ok].groupby(key, dropna=False, sort=False).head(1)
    out = pd.concat([latest, first]).sort_values("_pos", kind="stable")
    out = out.drop(columns=["_eff", "_ok", "_tier", "_pos"])
    return out.sort_values(["agency", "premium"], kind="stable")


def _reference_rate(
    con: duckdb.DuckDBPyConnection, agency: str, eligibility: str, as_of: date
) -> dict | None:
    m = _REF_CLASS.search(eligibility)
    if not m:
        return None
    code = m.group(1)
    # the same reference class serves many premiums: read once per connection and date
    found = memo(
        con, f"reference_rate:{agency}:{code}:{as_of}", lambda: _top(con, agency, code, as_of)
    )
    return found or None


def _top(con: duckdb.DuckDBPyConnection, agency: str, code: str, as_of: date) -> dict:
    df = query(con, TOP_RATE_SQL, [agency, code, as_of, as_of])
    return {**df.iloc[0].to_dict(), "class_code": code} if not df.empty else {}


def premium_matrix(normalized: pd.DataFrame) -> pd.DataFrame:
    """Category x agency: which premiums each agency pays (count of premium rows, and the
    range of $/hour where comparable). Answers 'which premiums does A pay that B does not'."""
    if normalized.empty:
        return pd.DataFrame()
    g = normalized.groupby(["category", "agency"])
    out = g.agg(
        premiums=("premium", lambda s: "; ".join(sorted(set(s)))),
        min_usd_per_hour=("usd_per_hour", "min"),
        max_usd_per_hour=("usd_per_hour", "max"),
    ).reset_index()
    return out


def paid_by_only(normalized: pd.DataFrame, agency: str, other: str) -> pd.DataFrame:
    """Premium categories `agency` pays and `other` does not."""
    cats = normalized.groupby("agency")["category"].apply(set)
    mine = cats.get(agency, set())
    theirs = cats.get(other, set())
    only = sorted(mine - theirs)
    return normalized[(normalized["agency"] == agency) & normalized["category"].isin(only)]


def benefit_shares(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return query(con, BENEFITS_SQL)
