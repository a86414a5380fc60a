"""Words for the codes of the warehouse's vocabularies, so tables read the way people speak:
`usd_per_pay_period` is "per pay period", `health_combined` is "medical, dental and vision",
`is_derived` True is "derived (…)". The words of each vocabulary are in etl/vocabulary_words.py
(a test checks that every vocabulary value of etl/records.py has them), and `readable` turns
a view's rows into the table a page shows and exports: codes as words, booleans as yes/blank,
None as blank, column names as headers.
"""

from __future__ import annotations

import functools
import math
import re
from datetime import date, datetime

import pandas as pd

from etl.vocabulary_words import (  # noqa: F401  (callers read them as labels.*)
    AMOUNT_PERIODS,
    AUDIT_CHECKS,
    BASES,
    BENEFITS,
    MATCH_METHODS,
    PARTS,
    TIME_OFF_KINDS,
    TOPICS,
    VOCABULARIES,
    WAGE_KINDS,
)

# Words that stay in capitals when a code is turned into words.
_ACRONYMS = {
    "erp",
    "isd",
    "aro",
    "ht",
    "bsn",
    "msn",
    "lvn",
    "rn",
    "it",
    "gis",
    "vdt",
    "pto",
    "ot",
    "cpi",
    "eap",
    "hmo",
    "ppo",
    "ccpp",
    "cchp",
    "pst",
}
COLUMNS = {
    "agency": "Agency",
    "priced_from": "Priced from",
    "agreement_id": "Agreement",
    "bargaining_unit": "Unit",
    "class_code": "Class code",
    "class_title": "Class title",
    "effective_date": "Effective",
    "schedule_date": "Schedule of",
    "class_label": "Class",
    "month_index": "Month since hire",
    "step": "Step",
    "hourly": "Hourly",
    "biweekly": "Biweekly",
    "monthly": "Monthly",
    "annual": "Annual",
    "is_derived": "Derived",
    "derivation": "How derived",
    "payroll_only": "Payroll code only",
    "source_ref": "Source",
    "premium": "Premium",
    "basis": "Basis",
    "value": "Rate",
    "eligibility": "Who gets it",
    "benefit": "Benefit",
    "plan": "Plan",
    "tier": "Tier",
    "employer_pct": "Employer %",
    "employee_pct": "Employee %",
    "employee_amount": "Employee pays ($)",
    "amount_period": "Per",
    "note": "Note",
    "survey_agency": "Surveyed agency",
    "purpose": "Purpose",
    "topic": "Topic",
    "summary": "Provision",
    "kind": "Kind",
    "pct": "%",
    "amount": "Amount ($)",
    "expected": "Expected",
    "actual": "Printed",
    "explained_by": "Explained by",
    "status": "Result",
    "check": "Check",
    "detail": "Detail",
    "grade": "Grade",
    "union_name": "Union",
    "title": "Title",
    "units": "Units",
    "term_start": "Term from",
    "term_end": "Term to",
    "method": "Matched by",
    "score": "Similarity",
    "reason": "Why",
    "printed_dates": "Printed schedule dates",
    "schedule_dates": "All schedule dates",
    "classes": "Classes",
    "wage_increases": "Wage increases",
    "premiums": "Premiums",
    "benefit_shares": "Benefit shares",
    "provisions": "Provisions",
    "doc": "Document",
    "has_salary_table": "Salary table",
    "no_table_reason": "Why no salary table",
    "has_derived_steps": "Derived steps",
    "category": "Kind",
    "usd_per_hour": "$ per hour",
    "pct_of_base": "% of base",
    "computed_as": "Computed as",
    "comparators_with_pay": "Comparators with pay",
    "subject_class_code": "Class code",
    "subject_title": "Class title",
    "comparator_agency": "Comparator",
    "comparator_class_code": "Comparator class",
    "comparator_title": "Comparator title",
    "subject_agency": "Subject",
    # survey uploads and State Controller (GCC) imports
    "file": "File",
    "size_mb": "Size (MB)",
    "modified": "Modified",
    "import_id": "Import",
    "upload_id": "Upload",
    "file_name": "File",
    "years": "Years",
    "latest_year": "Latest year",
    "employer_type": "Employer type",
    "employer_types": "Employer types",
    "employer_name": "Employer (as the file names it)",
    "employer_county": "County",
    "requested": "Asked for as",
    "agencies": "Agencies",
    "n_positions": "Positions",
    "positions": "Positions",
    "incumbents": "Incumbents",
    "unmatched": "Asked for, matched no employer",
    "rows_skipped": "Rows skipped",
    "records": "Rows in the file",
    "rows": "Rows",
    "example_rows": "Example rows",
    "imported_at": "Imported",
    "imported_by": "Imported by",
    "uploaded_at": "Uploaded",
    "uploaded_by": "Uploaded by",
    "files": "Files",
    "position": "Position",
    "department": "Department",
    "min_salary": "Bottom of range ($ a year)",
    "max_salary": "Top of range ($ a year)",
    "retirement_median": "Retirement, median incumbent ($ a year)",
    "health_dental_vision_median": "Health, dental, vision, median incumbent ($ a year)",
    "health_median": "Health, dental, vision, median incumbent ($ a year)",
    "deferred_comp_median": "Deferred compensation, median incumbent ($ a year)",
    "retirement_market_median": "Retirement: market median ($ a year)",
    "retirement_n": "Retirement: comparators",
    "health_market_median": "Health: market median ($ a year)",
    "health_n": "Health: comparators",
    "deferred_comp_market_median": "Deferred compensation: market median ($ a year)",
    "deferred_comp_n": "Deferred compensation: comparators",
    "comparators": "Comparators",
    "label": "Reported as",
    "node": "Agency",
    "surveyed_by": "Surveyed by",
    "has_salary_data": "Salary table",
    "uploaded": "Survey upload",
    "gcc": "State Controller import",
    "source": "Source (file, position, row)",
    "automatic_title": "Automatic match",
    "decision": "Your saved decision",
    # costing
    "fiscal_year": "Fiscal year",
    "year": "Year",
    "first_period_start": "First pay period starts",
    "last_period_end": "Last pay period ends",
    "pay_periods": "Pay periods",
    "baseline_cost": "Baseline ($)",
    "proposal_cost": "Proposal ($)",
    "incremental_cost": "Increment ($)",
    "cumulative_increment": "Cumulative increment ($)",
    "increment_pct": "Increment (% of baseline)",
    "value_of_1pct": "Value of 1% ($)",
    "heads": "Employees",
    "fte": "FTE",
    "part": "Part",
    "baseline": "Baseline ($)",
    "proposal": "Proposal ($)",
    "increment": "Increment ($)",
    "wage_increment": "Wage increment ($)",
    "carried_forward": "Carried forward ($)",
    "new_this_year": "New this year ($)",
    "rate_factor_end": "Proposal / baseline rate at year end",
    "period": "Pay period",
    "period_start": "Period starts",
    "scenario": "Scenario",
    "increment_over_term": "Increment over the term ($)",
    "baseline_over_term": "Baseline over the term ($)",
    "value_of_1pct_year1": "Value of 1% in year 1 ($)",
    "lines": "Roster lines",
    "base_annual": "Base pay",
    "employer_benefits_annual": "Employer benefits",
    "time_off_value_annual": "Paid time off (value)",
    "total_annual": "Total compensation",
    "time_off_hours": "Paid time off (hours)",
    "missing": "Not priced",
    "matched_by": "Matched by",
    "years_of_service": "Years of service",
    "service_years_min": "From years",
    "service_years_max": "To years",
    "hours_per_year": "Hours a year",
    "cap_hours": "Cap (hours)",
    "classes_costed": "Classes",
    **{f"increment_{k}": f"Increment: {v} ($)" for k, v in PARTS.items()},
}


def header(column: str) -> str:
    """The header a table shows for a column."""
    return COLUMNS.get(column, column)


def words(code: object) -> str:
    """A code written as words: 'safety_boots_voucher_heavy_use' -> 'Safety boots voucher
    heavy use', 'standby_erp' -> 'Standby ERP'."""
    if not isinstance(code, str) or not code:
        return "" if code is None else str(code)
    parts = [p for p in re.split(r"[_\s]+", code) if p]
    out = [p.upper() if p.lower() in _ACRONYMS else p.lower() for p in parts]
    if out and out[0].islower():
        out[0] = out[0][0].upper() + out[0][1:]
    return " ".join(out)


def label(vocabulary: str, code: object) -> str:
    """The words for one code of a vocabulary ('basis', 'benefit', ...); a code the
    vocabulary does not know is written as words rather than shown raw."""
    if code is None or (isinstance(code, float) and math.isnan(code)):
        return ""
    table = VOCABULARIES.get(vocabulary, {})
    return table.get(code, words(code)) if isinstance(code, str) else str(code)


def derived_label(is_derived: object, derivation: object = None) -> str:
    """'derived (formula)' for a derived value, blank for a printed one."""
    if is_derived is True or (isinstance(is_derived, int | float) and bool(is_derived)):
        return f"derived: {derivation}" if isinstance(derivation, str) and derivation else "derived"
    return ""


def _blank(v: object) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v))


def _text_date(v: object) -> object:
    """Dates inside text columns as ISO text (a column mixing dates and blanks)."""
    return f"{v:%Y-%m-%d}" if isinstance(v, date | datetime | pd.Timestamp) else v


@functools.lru_cache(maxsize=4096)
def _words_of(col: str, code: object) -> str:
    # Kept across runs: the same premium names and codes are shown on every run of a page.
    return label(col, code) if col != "premium" else words(code)


def _vocabulary(s: pd.Series, col: str) -> pd.Series:
    """Codes as words: one lookup per distinct code, not per cell."""
    codes = s.dropna().unique()
    words_of = {c: _words_of(col, c) for c in codes}
    return s.map(words_of).fillna("")


def _column(s: pd.Series, col: str) -> pd.Series | None:
    """A readable version of one column, or None to keep it as it is. Vectorized: tables of
    tens of thousands of rows are shown on every run."""
    if col in VOCABULARIES or col == "premium":
        return _vocabulary(s, col)
    # Typed columns are decided by their dtype; only object columns need infer_dtype's scan of
    # the values (every table of every page goes through here on each run).
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        return None
    if isinstance(s.dtype, pd.StringDtype):
        return s.where(s.notna(), "") if s.hasnans else None
    kind = pd.api.types.infer_dtype(s, skipna=True)
    if kind == "boolean":
        return s.map({True: "yes", False: ""}).fillna("")
    if pd.api.types.is_datetime64_any_dtype(s):
        clean = s.dropna()
        day = bool((clean.dt.normalize() == clean).all())
        # ISO text, blank when missing: a date column shows no "None"/"NaT" cells
        return s.dt.strftime("%Y-%m-%d" if day else "%Y-%m-%d %H:%M").fillna("")
    if kind in ("date", "datetime"):
        return pd.to_datetime(s).dt.strftime("%Y-%m-%d").fillna("")
    if s.dtype == object or pd.api.types.is_string_dtype(s):
        if kind == "mixed":  # text and dates together (a column of dates and blanks)
            return s.map(lambda v: "" if _blank(v) else _text_date(v))
        return s.where(s.notna(), "")
    return None


def readable(df: pd.DataFrame, rename: bool = True) -> pd.DataFrame:
    """A copy for people to read: vocabulary codes as words (premium names too), booleans as
    'yes' or blank, missing values blank, dates as ISO text, and column names as headers (when
    `rename`). `source_ref` stays as it is: it is the citation."""
    # Column by position, so that a name given twice is read as two columns (out[name] would
    # be a frame), and one new frame from them at once.
    derived = "is_derived" in df.columns and "derivation" in df.columns
    names, shown = [], []
    for col, s in df.items():  # (items() reads by position, as iloc does, but faster)
        if derived and col == "derivation":
            continue
        if derived and col == "is_derived":
            how = df["derivation"].where(df["derivation"].notna(), "").astype(str)
            text = ("derived: " + how).where(how != "", "derived")
            s = text.where(s.fillna(False).astype(bool), "")
        else:
            r = _column(s, col)
            s = s if r is None else r
        names.append(col)
        shown.append(s.array)  # the values, not the index: nothing to align
    if not shown:
        return df.copy()
    out = pd.DataFrame(dict(enumerate(shown)), index=df.index)
    # Headers set in place: rename() would build the frame a second time on every run.
    out.columns = [COLUMNS.get(c, c) for c in names] if rename else names
    out.attrs = dict(df.attrs)
    return out
