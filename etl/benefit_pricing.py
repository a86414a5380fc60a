"""Employer benefit costs priced from the user's benefit rates: the agreement's share of a
premium the user imported (a county's plan rate sheet), and an employer rate in % of pay (a
retirement system's normal cost). Pure functions over frames: the benefit_shares rows of one
agency and the user's rate rows of that agency (RATE_COLUMNS, as userdata stores them).

How one benefit is priced on a date (each priced benefit's note says all of it):
- the rates in force: per plan and tier, the row dated latest on or before the date (between
  two imports of the same plan, tier and date, the later import);
- the agreement's share in force (rows for every regular employee only: `employee_group`
  NULL): for the rate's plan (the same words, ignoring case, punctuation and the words
  'plan', 'the', 'of', 'program'; or the only plan the agreement names) and tier (the same
  coverage tier, or a share stated for every tier). Medical, dental and vision premiums take
  a share stated for the three together (`health_combined`, Mendocino 11.1) when the
  agreement states no share of their own;
- the employer's cost a year: premium × 12 × employer_pct / 100, or premium × 12 − the
  employee's stated amount × its periods a year (Sonoma 12.5 dental: $9.00 a pay period);
- tier: the one chosen, else the only coverage tier the agreement's shares name, else Family;
  plan: the one chosen (when the benefit has it), else the plan with the largest employer
  cost at that tier (ties: the first by name);
- a rate in % of pay is the employer's rate itself (no share applied): × the pay compared.

What cannot be priced is said, never guessed: a premium for a plan the agreement states no
share of, a tier the rate file does not give, a premium dated after the date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pandas as pd

from etl import labels, pay
from etl.rounding import decimal_of, round_half_up
from etl.vocabulary_words import COVERAGE_TIERS, TIER_WORDS

HEALTH = ("medical", "dental", "vision", "health_combined")
COMBINED_PARTS = ("medical", "dental", "vision")  # what a health_combined share covers
OTHER_INSURANCE = ("life_insurance", "long_term_disability", "eap")
RETIREMENT = ("retirement",)
# The benefit words a rate file may use (the others are priced by the agreement itself, or
# are co-pays and shares of increases, not premiums).
PRICEABLE = (*HEALTH, *OTHER_INSURANCE, *RETIREMENT)
DEFAULT_TIER = "family"
# Which item of the total-compensation gap a priced benefit belongs to.
ITEM_OF = {
    **dict.fromkeys(HEALTH, "health"),
    **dict.fromkeys(OTHER_INSURANCE, "other_benefits"),
    "retirement": "retirement",
}
# A rate file's columns (etl/uploads/benefit_rates.py reads them), the row it came from, and
# the stored file and import (userdata/benefit_rates.py keeps them): the rows priced here.
RATE_FILE_COLUMNS = [
    "agency",
    "benefit",
    "plan",
    "tier",
    "monthly_premium",
    "pct_of_pay",
    "effective_date",
    "source",
]
RATE_ROW_COLUMNS = [*RATE_FILE_COLUMNS, "row_no", "sheet"]
RATE_COLUMNS = [*RATE_ROW_COLUMNS, "file_name", "import_id"]
_PERIODS_A_YEAR = {
    "pay_period": pay.PAY_PERIODS_PER_YEAR,
    "month": pay.MONTHS_PER_YEAR,
    "year": 1,
    "hour": pay.HOURS_PER_YEAR,
}
_GENERIC = {"plan", "plans", "the", "of", "program"}
_TIER_DROP = re.compile(r"[^a-z0-9+]+")
_ANY_TIER = {"", "all", "any", "alltiers", "anytier", "every"}


def fold_tier(text: object) -> str:
    """A tier as compared: 'Employee + Child(ren)' -> 'employee+children'."""
    s = str(text or "").casefold().replace("&", "+").replace("(ren)", "ren")
    s = re.sub(r"\bplus\b", "+", s)
    return _TIER_DROP.sub("", s)


def tier_code(text: object) -> str | None:
    """The coverage tier a text names ('Family', 'Employee + 1', 'Two Party' ...), None for
    a blank or 'all'. ValueError for words that are no coverage tier."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return None
    folded = fold_tier(text)
    if folded in _ANY_TIER:
        return None
    if folded in TIER_WORDS:
        return TIER_WORDS[folded]
    if str(text).strip().casefold() in (v.casefold() for v in COVERAGE_TIERS.values()):
        return next(k for k, v in COVERAGE_TIERS.items() if v.casefold() == str(text).casefold())
    raise ValueError(f"{str(text).strip()!r} is not a coverage tier")


def share_tier(text: object) -> str | None:
    """The coverage tier of an agreement's share row, None when its tier is not one (blank,
    'all', or words such as 'employees scheduled 60+ hours': the share holds for every tier)."""
    try:
        return tier_code(text)
    except ValueError:
        return None


def tier_label(code: object) -> str:
    return COVERAGE_TIERS.get(code, "every tier") if isinstance(code, str) else "every tier"


def _tokens(plan: object) -> frozenset[str]:
    words = re.findall(r"[a-z0-9]+", str(plan or "").casefold())
    return frozenset(w for w in words if w not in _GENERIC)


def plan_matches(share_plan: object, rate_plan: object) -> bool:
    """True when an agreement's plan and a rate file's plan name the same plan: one's words
    within the other's ('County Health Plan' and 'Sonoma County Health Plan')."""
    a, b = _tokens(share_plan), _tokens(rate_plan)
    return bool(a) and bool(b) and (a <= b or b <= a)


def _general(shares: pd.DataFrame) -> pd.DataFrame:
    if "employee_group" not in shares.columns:
        return shares
    return shares[shares["employee_group"].isna()]


def in_force(df: pd.DataFrame, when: date, keys: list[str]) -> pd.DataFrame:
    """Rows dated on or before `when` (undated rows hold for the whole term), the latest of
    each `keys` group (a later import wins a tie)."""
    if df.empty:
        return df
    eff = pd.to_datetime(df["effective_date"])
    ok = df[eff.isna() | (eff <= pd.Timestamp(when))].assign(_eff=eff)
    order = ["_eff", "import_id"] if "import_id" in ok.columns else ["_eff"]
    ok = ok.sort_values(order, na_position="first", kind="stable")
    return ok.groupby(keys, dropna=False).tail(1).drop(columns="_eff")


def rate_ref(r) -> str:
    """Where a rate row comes from: the user's file, sheet and row, the import, the source."""
    sheet = f", sheet {r.sheet}" if isinstance(r.sheet, str) and r.sheet else ""
    source = str(r.source).replace(";", ",")  # '; ' separates refs
    return (
        f"{r.file_name}{sheet}, row {int(r.row_no)} (benefit rates #{int(r.import_id)}: {source})"
    )


@dataclass(frozen=True)
class Choice:
    """The tier and plan priced: tier a COVERAGE_TIERS code (None: the default rule), plan a
    plan name as the rate file writes it (None: the largest employer cost)."""

    tier: str | None = None
    plan: str | None = None


def make_choice(tier: str | None = None, plan: str | None = None) -> Choice:
    """The tier and plan a page or command chose, as `price` takes them: a tier in words
    ('Employee + 1', 'Two Party') or a code; ValueError naming the tiers for other words."""
    code = None
    if tier and tier in COVERAGE_TIERS:
        code = tier
    elif tier:
        try:
            code = tier_code(tier)
        except ValueError:
            words = ", ".join(COVERAGE_TIERS.values())
            raise ValueError(f"tier {tier!r} is not a coverage tier: {words}") from None
    return Choice(tier=code, plan=" ".join(plan.split()) if plan else None)


@dataclass
class Priced:
    """What the rates price for one agency on one date: per gap item, dollars a year and %
    of pay; the notes and refs of each priced benefit; `priced` the benefit words priced;
    `unpriced` why a benefit with an imported rate was not priced."""

    dollars: dict[str, Decimal] = field(default_factory=dict)
    pct: dict[str, Decimal] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)
    priced: set[str] = field(default_factory=set)
    unpriced: dict[str, str] = field(default_factory=dict)


def _employer_annual(share, premium: Decimal) -> tuple[Decimal, str] | None:
    """(employer dollars a year, how) of a monthly premium under one share row."""
    year = premium * 12
    if pd.notna(share.employer_pct):
        pct = decimal_of(share.employer_pct)
        return round_half_up(year * pct / 100), f"× 12 × {share.employer_pct:g}%"
    periods = _PERIODS_A_YEAR.get(share.amount_period)
    if pd.notna(share.employee_amount) and periods:
        employee = decimal_of(share.employee_amount) * periods
        per = labels.label("amount_period", share.amount_period)
        how = f"× 12 − the employee's ${share.employee_amount:,.2f} {per} × {periods:g}"
        return max(round_half_up(year - employee), Decimal(0)), how
    return None


def _shares_for(shares: pd.DataFrame, benefit: str) -> tuple[pd.DataFrame, str]:
    """The share rows that price `benefit`: its own, else a health_combined share."""
    own = shares[shares["benefit"] == benefit]
    if not own.empty or benefit not in COMBINED_PARTS:
        return own, benefit
    return shares[shares["benefit"] == "health_combined"], "health_combined"


def _share_of(shares: pd.DataFrame, plan: str, tier: str | None):
    """The share row for a rate's plan and tier, or None."""
    named = {p for p in shares["plan"].dropna() if _tokens(p)}
    mine = shares[[plan_matches(p, plan) for p in shares["plan"]]]
    if mine.empty and len(named) <= 1:
        mine = shares  # the agreement names one plan (or none): its share is the plan's
    if mine.empty:
        return None
    codes = [share_tier(t) for t in mine["tier"]]
    exact = mine[[c == tier for c in codes]]
    anyt = mine[[c is None for c in codes]]
    pick = exact if not exact.empty else anyt
    return None if pick.empty else pick.iloc[-1]


def _default_tier(shares: pd.DataFrame) -> str:
    named = {c for c in (share_tier(t) for t in shares["tier"]) if c}
    return named.pop() if len(named) == 1 else DEFAULT_TIER


def _premium_options(rows, shares, tier):
    """Per plan of one benefit's premium rows at `tier`: (plan, employer dollars, how, share,
    rate row) or the reason it cannot be priced."""
    options, why = [], []
    for plan, g in rows.groupby("plan", sort=True):
        named = plan or "the premium with no plan named"
        at = g[[not isinstance(t, str) or t == tier for t in g["_tier"]]]  # blank: every tier
        if at.empty:
            given = ", ".join(sorted({tier_label(t) for t in g["_tier"]}))
            why.append(f"{named}: no {tier_label(tier)} premium (the file gives {given})")
            continue
        r = at.sort_values("_tier", key=lambda s: s.isna()).iloc[0]  # the tier's own row first
        share = _share_of(shares, str(plan), tier)
        if share is None:
            why.append(f"{named}: the agreement states no share for this plan and tier")
            continue
        got = _employer_annual(share, decimal_of(r.monthly_premium))
        if got is None:
            why.append(f"{named}: the agreement's share states no employer part")
            continue
        options.append((str(plan), got[0], got[1], share, r))
    return options, why


def _pick(options: list, wanted: str | None, tier: str | None = None):
    """The option of the plan chosen, else the largest employer cost (ties: by name); and
    how it was picked, in words."""
    if wanted:
        chosen = [o for o in options if plan_matches(wanted, o[0]) or o[0] == wanted]
        if chosen:
            return chosen[0], "the plan chosen"
    best = sorted(options, key=lambda o: (-o[1], o[0]))[0]
    if len(options) == 1:
        return best, "the only plan" + (" in the rate files" if tier else "")
    at = f" at {tier_label(tier)}" if tier else ""
    return best, f"the plan with the largest employer cost{at}, of {len(options)}"


def _price_premiums(priced: Priced, benefit: str, rows, shares, choice: Choice) -> None:
    """One benefit's premium rows priced under the agreement's share (module docstring)."""
    mine, share_benefit = _shares_for(shares, benefit)
    name = labels.label("benefit", benefit)
    if mine.empty:
        priced.unpriced[benefit] = (
            f"{name}: a premium is imported but the agreement states no employer share of it"
        )
        return
    tier = choice.tier or _default_tier(mine)
    options, why = _premium_options(rows, mine, tier)
    if not options:
        priced.unpriced[benefit] = f"{name} at {tier_label(tier)}: " + "; ".join(why)
        return
    (plan, dollars, how, share, r), picked = _pick(options, choice.plan, tier)
    item = ITEM_OF[benefit]
    priced.dollars[item] = priced.dollars.get(item, Decimal(0)) + dollars
    priced.priced.add(benefit)
    via = "" if share_benefit == benefit else f" of {labels.label('benefit', share_benefit)}"
    section = str(share.source_ref).rsplit("§", 1)[-1]
    named = f"{plan}, " if plan else ""
    priced.notes.append(
        f"{name}: {named}{tier_label(r._tier)}, ${r.monthly_premium:,.2f} a month (rate of "
        f"{pd.Timestamp(r.effective_date):%m/%d/%Y}) {how} (§{section}{via}) = "
        f"${dollars:,.2f} a year; {picked}"
    )
    priced.refs += [share.source_ref, rate_ref(r)]


def _price_rates(priced: Priced, benefit: str, rows, choice: Choice) -> None:
    """One benefit's employer rates in % of pay (the largest plan's, or the one chosen)."""
    options = [
        (str(p), decimal_of(g.iloc[-1].pct_of_pay), "", None, g.iloc[-1])
        for p, g in rows.groupby("plan", sort=True)
    ]
    (plan, pct, _, _, r), picked = _pick(options, choice.plan)
    item = ITEM_OF[benefit]
    priced.pct[item] = priced.pct.get(item, Decimal(0)) + pct
    priced.priced.add(benefit)
    named = f", {plan}" if plan else ""
    priced.notes.append(
        f"{labels.label('benefit', benefit)}{named}: employer rate {r.pct_of_pay:g}% of pay "
        f"(rate of {pd.Timestamp(r.effective_date):%m/%d/%Y}); {picked.replace('cost', 'rate')}"
    )
    priced.refs.append(rate_ref(r))


def price(
    shares: pd.DataFrame, rates: pd.DataFrame | None, when: date, choice: Choice | None = None
) -> Priced:
    """What the user's `rates` (RATE_COLUMNS, one agency's) price on `when` under the
    agreement's `shares` (benefit_shares rows of the same agency): module docstring."""
    priced, choice = Priced(), choice or Choice()
    if rates is None or rates.empty:
        return priced
    general = in_force(_general(shares), when, ["benefit", "plan", "tier"])
    now = in_force(rates, when, ["benefit", "plan", "tier"])
    later = rates[~rates.index.isin(now.index)]
    now = now.assign(
        plan=now["plan"].fillna("").astype(str), _tier=[tier_code(t) for t in now["tier"]]
    )
    benefits = list(dict.fromkeys(now["benefit"]))
    if "health_combined" in benefits:  # the combined premium is the parts: not both
        for part in [b for b in COMBINED_PARTS if b in benefits]:
            benefits.remove(part)
            priced.unpriced[part] = (
                f"{labels.label('benefit', part)}: left out, the rate files also give a "
                "combined medical, dental and vision premium, which is priced instead"
            )
    for benefit in benefits:
        rows = now[now["benefit"] == benefit]
        if rows["pct_of_pay"].notna().any():
            _price_rates(priced, benefit, rows[rows["pct_of_pay"].notna()], choice)
        else:
            _price_premiums(priced, benefit, rows, general, choice)
    for benefit in dict.fromkeys(later["benefit"]):
        if benefit not in benefits and benefit not in priced.unpriced:
            first = pd.to_datetime(later[later["benefit"] == benefit]["effective_date"]).min()
            priced.unpriced[benefit] = (
                f"{labels.label('benefit', benefit)}: the imported rates start {first:%m/%d/%Y}, "
                f"after {when:%m/%d/%Y}"
            )
    return priced
