"""Premiums and benefits side by side: each premium as $/hour and % of a chosen base rate,
benefit shares across agencies, and total compensation where the data allows."""

from __future__ import annotations

import re
from datetime import date

import duckdb
import numpy as np
import pandas as pd

from analysis.warehouse import query

HOURS_PER_DAY = 8.0  # a per-day or per-shift amount is spread over an 8-hour day (stated)

# Categories so different agreements' premiums can be compared ("who pays what for what").
# First matching pattern wins; matched against the premium name and its eligibility text.
CATEGORIES: list[tuple[str, str]] = [
    ("tool allowance", r"tool"),
    ("safety boots / shoes allowance", r"boot|shoe"),
    ("uniform / work clothing allowance", r"clothing|clothes|uniform"),
    ("special assignment / facility", r"exam_|specimen"),
    ("standby / on-call", r"standby|on-call|on call"),
    ("overtime / holiday / callback", r"overtime|holiday|schedule.change|callback|call.back"),
    ("shift differential", r"shift|swing|graveyard|evening|night"),
    ("bilingual", r"bilingual"),
    ("hazard", r"hazard|no_rest_break"),
    ("out-of-class / acting", r"out-of-class|acting|higher.class|temporary_assignment"),
    ("lead / charge", r"\blead|charge|supervis"),
    ("equipment / vehicle", r"equipment|truck|crane|loader|vehicle|animal_removal"),
    ("education / certification", r"degree|bsn|msn|master|certif|training"),
    ("special assignment / facility", r".*"),
]

_REF_CLASS = re.compile(r"class (\w{4})")

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

    pct_of_reference_rate premiums are priced at the top step of the class their eligibility
    names, in the schedule nearest `as_of`. Per-pay-period amounts are over 80 hours, per-year
    over 2,080, per-month over 2,080/12, per-day and per-shift over 8 hours; one-time (per-event)
    payments have no hourly equivalent and say so. With `current_only`, a premium with dated
    rates keeps only the rate in force on `as_of` (or its first rate if `as_of` precedes it).
    """
    df = query(con, PREMIUMS_SQL, [agency, agency])
    if df.empty:
        return df
    if current_only:
        df = _in_force(df, as_of)
    usd_h, how = [], []
    for r in df.itertuples():
        v = float(r.value)
        if r.basis == "pct_of_base":
            usd_h.append(base_hourly * v / 100)
            how.append(f"{v:g}% × base ${base_hourly:,.2f}/h")
        elif r.basis == "usd_per_hour":
            usd_h.append(v)
            how.append("as stated, per hour")
        elif r.basis == "usd_per_pay_period":
            usd_h.append(v / 80)
            how.append(f"${v:,.2f} per pay period ÷ 80 h")
        elif r.basis == "usd_per_month":
            usd_h.append(v * 12 / 2080)
            how.append(f"${v:,.2f} per month × 12 ÷ 2,080 h")
        elif r.basis == "usd_per_year":
            usd_h.append(v / 2080)
            how.append(f"${v:,.2f} per year ÷ 2,080 h")
        elif r.basis in ("usd_per_day", "usd_per_shift"):
            usd_h.append(v / HOURS_PER_DAY)
            how.append(f"${v:,.2f} per {r.basis.split('_')[-1]} ÷ 8 h")
        elif r.basis == "pct_of_reference_rate":
            ref = _reference_rate(con, r.agency, r.eligibility or "", as_of)
            if ref is None:
                usd_h.append(np.nan)
                how.append("reference rate not identified")
            else:
                usd_h.append(ref["hourly"] * v / 100)
                how.append(
                    f"{v:g}% × {ref['step']} step of class {ref['class_code']} "
                    f"(${ref['hourly']:,.2f}/h, schedule {ref['effective_date']:%m/%d/%Y})"
                )
        else:  # usd_one_time and any per-event payment
            usd_h.append(np.nan)
            how.append(f"${v:,.2f} per event; no hourly equivalent")
    df = df.assign(
        category=[category(p, e) for p, e in zip(df["premium"], df["eligibility"], strict=True)],
        usd_per_hour=np.round(usd_h, 4),
        pct_of_base=np.round(np.array(usd_h) / base_hourly * 100, 3),
        computed_as=how,
    )
    return df.reset_index(drop=True)


def _in_force(df: pd.DataFrame, as_of: date) -> pd.DataFrame:
    key = ["agency", "premium", "eligibility", "basis"]
    ts = pd.Timestamp(as_of)
    eff = pd.to_datetime(df["effective_date"])
    df = df.assign(_eff=eff, _ok=eff.isna() | (eff <= ts))

    def pick(g: pd.DataFrame) -> pd.DataFrame:
        ok = g[g["_ok"]]
        return ok.sort_values("_eff", na_position="first").tail(1) if not ok.empty else g.head(1)

    keep = [pick(g) for _, g in df.groupby(key, dropna=False, sort=False)]
    # Premiums stated as several tiers (e.g. by number of examiners available) have distinct
    # eligibility text, so they stay separate rows.
    return pd.concat(keep).drop(columns=["_eff", "_ok"]).sort_values(["agency", "premium"])


def _reference_rate(
    con: duckdb.DuckDBPyConnection, agency: str, eligibility: str, as_of: date
) -> dict | None:
    m = _REF_CLASS.search(eligibility)
    if not m:
        return None
    df = query(con, TOP_RATE_SQL, [agency, m.group(1), as_of, as_of])
    if df.empty:
        return None
    out = df.iloc[0].to_dict()
    out["class_code"] = m.group(1)
    return out


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


def total_compensation(
    base_annual: float, benefits: pd.DataFrame, agency: str, as_of: date
) -> tuple[pd.DataFrame, list[str]]:
    """Base pay plus employer benefit contributions that the data states in dollars or as a
    percent of salary. Health premiums are stated only as shares (no dollar premium in the
    text), so they are named as missing rather than guessed."""
    rows = [{"component": "base salary (top step)", "annual": base_annual, "basis": "schedule"}]
    missing: list[str] = []
    b = benefits[benefits["agency"] == agency].copy()
    b["_eff"] = pd.to_datetime(b["effective_date"])
    b = b[b["_eff"].isna() | (b["_eff"] <= pd.Timestamp(as_of))]
    for benefit, g in b.groupby("benefit"):
        g = g.sort_values("_eff", na_position="first")
        last = g.iloc[-1]
        if benefit in ("deferred_comp",) and pd.notna(last["employer_pct"]):
            rows.append(
                {
                    "component": f"{benefit} ({last['tier'] or 'all'})",
                    "annual": base_annual * float(last["employer_pct"]) / 100,
                    "basis": f"{last['employer_pct']:g}% of salary, {last['source_ref']}",
                }
            )
        elif pd.notna(last["employer_pct"]):
            missing.append(
                f"{benefit}: employer pays {last['employer_pct']:g}% of the premium, but the "
                "premium in dollars is not in the agreement"
            )
        else:
            missing.append(f"{benefit}: no employer amount stated")
    return pd.DataFrame(rows), missing
