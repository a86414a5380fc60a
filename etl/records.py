"""Plain row types every parser returns; the build loads them into the tables of schema.sql."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from etl.citations import SourceRef, join_refs
from etl.pay import hours_to_months

# Controlled vocabularies of the public views (README.md documents them). Curated files are
# checked against these when loaded, and the build checks every parsed row again.
PREMIUM_BASES = frozenset(
    {
        "pct_of_base",
        "usd_per_hour",
        "usd_per_pay_period",
        "usd_per_month",
        "usd_per_year",
        "usd_per_day",
        "usd_per_shift",
        "usd_per_event",  # per exam, per removal...: no hourly equivalent
        "usd_one_time",
        "pct_of_reference_rate",  # eligibility names the reference rate
        "usd_per_mile",  # mileage reimbursement: no hourly equivalent
        "usd_cap",  # a ceiling (most reimbursed, most carried over), not a payment
        "pct_of_cost_reimbursed",  # share of a cost the text does not price (transit fares)
        "hours_of_base_pay_per_event",  # e.g. one hour of base pay per night of calls
        "min_hours_per_event",  # minimum hours worked/credited per occurrence (callback)
        "overtime_hours_per_pay_period",  # paid as N overtime hours each pay period
        "hours_of_reference_rate_per_day",  # N hours of the reference rate for each day
        "pct_of_gap_to_reference_rate",  # N% of the way from own wage to a reference class
        "pct_of_base_in_range",  # already built into the salary range, not paid on top
    }
)
PROVISION_TOPICS = frozenset(
    {
        "merit",
        "survey_methodology",
        "reopener",
        "telework",
        "step_placement",
        "probation",
        "leave",
        "other",
    }
)
BENEFITS = frozenset(
    {
        "medical",
        "dental",
        "vision",
        "health_combined",  # medical, dental and vision stated together (Mendocino 11.1)
        "medical_copay",
        "medical_premium_increase",
        "deferred_comp",
        "pst_457",
        "life_insurance",
        "long_term_disability",
        "eap",
        "retirement",
        "housing_assistance",  # per-hour deductions into a housing fund (Sonoma 17.9)
    }
)
# Who a benefit share is for when it is not every regular employee of the agreement's units:
# total compensation counts only the rows for every regular employee (employee_group NULL).
EMPLOYEE_GROUPS = frozenset(
    {
        "extra_help",  # temporary / extra-help employees (Sonoma 12.20)
        "part_time",  # part-time employees not covered by Social Security (Sonoma 8.21.3)
        "leave_without_pay",  # employees on leave without pay (Mendocino 16.2)
        "vdt_users",  # employees who use a video display terminal (Sonoma 18.7.3, Contra Costa)
    }
)
AMOUNT_PERIODS = frozenset(
    {"hour", "pay_period", "month", "year", "one_time", "visit", "office_visit", "prescription"}
)
WAGE_KINDS = frozenset({"general", "market", "one_time", "level"})
TIME_OFF_KINDS = frozenset(
    {
        "vacation",
        "sick",
        "holiday",
        "floating_holiday",  # compensatory hours granted in lieu of a holiday
        "personal",
        "bereavement",
        "wellness",  # sick leave usable for a wellness program, not extra hours
        "pto",  # paid time off that is not split into vacation and sick
        "compensatory_time",  # earned by overtime; the row gives the cap
        "flexible_time_off",  # exempt employees' hour-for-hour time off
        "voluntary_time_off",  # unpaid, with benefits kept
        "jury_duty",
        "witness",
        "voting",
        "blood_donation",
        "moving",
    }
)


@dataclass(frozen=True)
class Agreement:
    """One agreement; the build adds what the registry says of it (kind, salary table...)."""

    agreement_id: str
    agency: str
    union: str
    title: str
    doc: str
    units: str
    term_start: date | None
    term_end: date | None
    kind: str = "published"  # 'published' | 'imported'
    has_salary_table: bool = False
    no_table_reason: str | None = None
    color: str | None = None


def step_order(step: str) -> tuple[int, str]:
    """Step labels in range order: 'A' < 'B' < ... and '1' < '2' < ... < '10' (shorter labels
    first, then by text; the views sort the same way with ORDER BY length(step), step)."""
    return (len(step), step)


@dataclass(frozen=True)
class StepRule:
    """How employees of one agreement move through the steps of their range: the registry's
    rule with each quote located (`citations` = (source_ref, quote)), or an imported
    agreement's rule as given at import (`stated` False when it is the importer's default)."""

    agency: str
    agreement_id: str
    steps: tuple[str, ...]  # the range, bottom to top
    step_pct: float | None  # nominal percent between adjacent steps (None: not stated)
    hire_step: str  # where a new hire starts
    first_advance_hours: int  # in-service hours in the class before the first advance
    advance_hours: int  # in-service hours at each later step before the next advance
    steps_per_advance: int  # steps gained per advance (capped at the top step)
    automatic: bool  # False: each advance needs an approved evaluation
    condition: str  # what besides time the advance needs
    citations: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()
    stated: bool = True

    @property
    def top_step(self) -> str:
        return self.steps[-1]

    def path(self, start_step: str | None = None) -> tuple[tuple[str, float, float], ...]:
        """The fastest path the rule allows from `start_step` (default: the hire step), the one
        walk of the steps: (step, months from hire to reach it, in-service hours at it before
        the next advance; NaN at the top, where the employee stays)."""
        start = self.hire_step if start_step is None else str(start_step)
        if start not in self.steps:
            raise ValueError(f"{self.agency} steps are {', '.join(self.steps)}; got {start_step!r}")
        idx, top = self.steps.index(start), len(self.steps) - 1
        out, months, hours = [], 0.0, float(self.first_advance_hours)
        while idx < top:
            out.append((self.steps[idx], months, hours))
            months += hours_to_months(hours)
            idx, hours = min(idx + self.steps_per_advance, top), float(self.advance_hours)
        out.append((self.top_step, months, math.nan))
        return tuple(out)

    @property
    def source_ref(self) -> str:
        """The distinct cited lines, in order, as one citation (etl.citations.join_refs)."""
        return join_refs(ref for ref, _ in self.citations)


@dataclass(frozen=True)
class JobClass:
    agency: str
    agreement_id: str
    bargaining_unit: str | None
    class_code: str
    class_title: str | None
    payroll_only: bool  # Sonoma '*' rows: coded for payroll administration only
    grade: str | None
    source: SourceRef


@dataclass(frozen=True)
class SalaryRate:
    """One class x effective date x step, hourly. Conversions are done in the views."""

    agency: str
    agreement_id: str
    bargaining_unit: str | None
    class_code: str
    effective_date: date
    step: str
    hourly: float
    is_derived: bool
    derivation: str | None  # how a derived value was computed; None when printed
    source: SourceRef


@dataclass(frozen=True)
class WageIncrease:
    agency: str
    agreement_id: str
    effective_date: date | None
    kind: str  # 'general' | 'market' | 'one_time' | 'level'
    class_code: str | None
    pct: float | None  # percent, e.g. 3.5 for 3.5%
    amount: float | None  # dollars, for one-time payments
    note: str | None
    source: SourceRef


@dataclass(frozen=True)
class Premium:
    agency: str
    agreement_id: str
    premium: str
    basis: str
    value: float
    effective_date: date | None
    eligibility: str
    source: SourceRef
    # The class code every employee of which is paid it (an allowance of the class, counted in
    # its total compensation, e.g. Sonoma 18.8); None: paid only when `eligibility` is met.
    paid_to_class: str | None = None


@dataclass(frozen=True)
class BenefitShare:
    agency: str
    agreement_id: str
    benefit: str
    plan: str | None
    tier: str | None
    employer_pct: float | None
    employee_pct: float | None
    employee_amount: float | None
    amount_period: str | None
    effective_date: date | None
    note: str | None
    source: SourceRef
    employee_group: str | None = None  # EMPLOYEE_GROUPS; None: every regular employee


@dataclass(frozen=True)
class SurveyAgency:
    agency: str
    agreement_id: str
    survey_agency: str
    purpose: str
    source: SourceRef


@dataclass(frozen=True)
class Provision:
    agency: str
    agreement_id: str
    topic: str
    summary: str
    source: SourceRef


@dataclass(frozen=True)
class AuditRow:
    """One arithmetic check of a printed table value against what the text says it should be."""

    agency: str
    agreement_id: str
    check: str  # 'a_step_change' | 'step_ratio' | 'biweekly_80x' | ...
    class_code: str | None  # Mendocino grade checks put the grade here, e.g. 'S24B'
    effective_date: date | None
    expected: float | None
    actual: float | None
    explained_by: str | None  # e.g. '8.1 general 3.5% x Appendix B 1.50%'
    status: str  # 'explained' | 'unexplained'
    detail: str | None
    source: SourceRef


@dataclass(frozen=True)
class TimeOff:
    """One time-off entitlement (one row per service band where the text tabulates bands).

    hours_per_year: hours credited or accrued in a year by a full-time employee (derived ones
    say so in `note`); None when the entitlement is not a yearly amount. cap_hours: the most
    that may be held (accruals) or used (per event / per year), as the note says. Service
    years: min inclusive, max exclusive (None = no upper bound)."""

    agency: str
    agreement_id: str
    bargaining_unit: str | None  # None: every unit of the agreement
    kind: str
    service_years_min: float | None
    service_years_max: float | None
    hours_per_year: float | None
    cap_hours: float | None
    effective_date: date | None  # None: the whole term
    note: str
    source: SourceRef


@dataclass
class ParseResult:
    """Everything one source document contributes to the warehouse."""

    agreements: list[Agreement] = field(default_factory=list)
    classes: list[JobClass] = field(default_factory=list)
    salary_rates: list[SalaryRate] = field(default_factory=list)
    wage_increases: list[WageIncrease] = field(default_factory=list)
    premiums: list[Premium] = field(default_factory=list)
    benefit_shares: list[BenefitShare] = field(default_factory=list)
    survey_agencies: list[SurveyAgency] = field(default_factory=list)
    provisions: list[Provision] = field(default_factory=list)
    audit: list[AuditRow] = field(default_factory=list)
    step_rules: list[StepRule] = field(default_factory=list)
    time_off: list[TimeOff] = field(default_factory=list)

    def extend(self, other: ParseResult) -> None:
        for name in self.__dataclass_fields__:
            getattr(self, name).extend(getattr(other, name))


@dataclass
class ImportedDocs:
    """What the user's files add to one build (imported agreements, values recorded from
    imported texts): rows, the documents they cite, and notes on what was left out."""

    result: ParseResult = field(default_factory=ParseResult)
    # (doc, agency, agreement_id, description, lines) of each file read
    documents: list[tuple[str, str, str, str, list[str]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
