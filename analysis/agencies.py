"""The agencies the warehouse holds, read from its registry views (`agreements`,
`step_rules`, `survey_agencies`): which there are, which print a salary table, how each moves
employees through its steps, and the defaults a page or command starts from. Nothing here
names an agency: published agreements come from etl/registry.py, imported ones from the
user's data, and both arrive through the same views.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from analysis.warehouse import memo, query
from etl.agency_names import ambiguous, clean, same_agency, typed_matches
from etl.errors import BargainError
from etl.records import StepRule
from etl.registry import PALETTE


class UnknownAgencyError(BargainError, ValueError):
    """A name that is not an agency of the warehouse."""


class NoSalaryTableError(BargainError, ValueError):
    """The agency's agreements print no salary table, so there is no step pay to show."""


AGENCIES_SQL = """
SELECT agency,
       bool_or(has_salary_table) AS has_salary_table,
       string_agg(DISTINCT kind, ', ' ORDER BY kind) AS kind,
       count(*) AS agreements,
       coalesce(min(term_start) FILTER (WHERE has_salary_table), min(term_start)) AS term_start,
       coalesce(max(term_end) FILTER (WHERE has_salary_table), max(term_end)) AS term_end,
       first(color ORDER BY has_salary_table DESC, term_start) AS color,
       string_agg(DISTINCT no_table_reason, '; ') FILTER (WHERE NOT has_salary_table)
           AS no_table_reason
FROM agreements
GROUP BY agency
ORDER BY min(ordinal)
"""

STEP_RULES_SQL = """
SELECT r.*, a.term_start, a.term_end FROM step_rules r JOIN agreements a USING (agreement_id)
WHERE r.agency = ? ORDER BY a.term_start NULLS LAST
"""

SCHEDULE_DATES_SQL = """
SELECT effective_date, bool_and(is_derived) AS all_derived
FROM salary_schedule WHERE agency = ? GROUP BY effective_date ORDER BY effective_date
"""

SURVEY_LIST_SQL = (
    "SELECT DISTINCT survey_agency FROM survey_agencies WHERE agency = ? ORDER BY survey_agency"
)


def agencies(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per agency: has_salary_table, kind ('published', 'imported'), agreements,
    term_start/term_end (of the agreements with a salary table, else of all), color,
    no_table_reason. Agencies without a colour of their own get one from the palette."""
    return memo(con, "agencies", lambda: _agencies(con))


def _agencies(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    df = query(con, AGENCIES_SQL)
    missing = df["color"].isna()
    df.loc[missing, "color"] = [PALETTE[i % len(PALETTE)] for i in range(int(missing.sum()))]
    return df


def names(con: duckdb.DuckDBPyConnection, salary_table: bool | None = None) -> list[str]:
    """Agency names, all or only those with (True) or without (False) a salary table."""

    def compute() -> list[str]:
        df = agencies(con)
        if salary_table is not None:
            df = df[df["has_salary_table"] == salary_table]
        return df["agency"].tolist()

    # Kept per connection: asked several times on every page run (each asking copied the table).
    return memo(con, f"agency_names:{salary_table}", compute)


def colors(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(zip(*(agencies(con)[c] for c in ("agency", "color")), strict=True))


def resolve(con: duckdb.DuckDBPyConnection, name: object) -> str:
    """The agency a typed name denotes (etl.agency_names.typed_matches: " sonoma ", "SONOMA"
    and "County of Sonoma" are Sonoma); UnknownAgencyError listing the agencies, or naming
    the candidates of an ambiguous name, otherwise. The rule the CLI, the app, the scenario
    reader and every upload apply."""
    known = names(con)
    hits = typed_matches(name, known)
    if len(hits) > 1:
        raise UnknownAgencyError(f"ambiguous agency: {ambiguous(name, hits)}")
    if not hits:
        raise UnknownAgencyError(
            f"unknown agency {clean(name)!r}: the warehouse has {', '.join(known) or 'no agencies'}"
        )
    return hits[0]


def require_salary_table(con: duckdb.DuckDBPyConnection, agency: str) -> str:
    """The agency, checked to have a salary table (NoSalaryTableError saying why not)."""
    agency = resolve(con, agency)
    has, reason = _salary_tables(con)[agency]
    if not has:
        why = reason or "its agreements print no salary table"
        raise NoSalaryTableError(f"{agency} has no salary table: {why}")
    return agency


def _salary_tables(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[bool, str | None]]:
    """agency -> (has a salary table, why not), kept per connection."""

    def compute() -> dict[str, tuple[bool, str | None]]:
        df = agencies(con)
        return {
            a: (bool(has), None if pd.isna(why) else str(why))
            for a, has, why in zip(
                df["agency"], df["has_salary_table"], df["no_table_reason"], strict=True
            )
        }

    return memo(con, "salary_tables", compute)


def _rule(row: pd.Series) -> StepRule:
    return StepRule(
        agency=row["agency"],
        agreement_id=row["agreement_id"],
        steps=tuple(row["steps"]),
        step_pct=None if pd.isna(row["step_pct"]) else float(row["step_pct"]),
        hire_step=row["hire_step"],
        first_advance_hours=int(row["first_advance_hours"]),
        advance_hours=int(row["advance_hours"]),
        steps_per_advance=int(row["steps_per_advance"]),
        automatic=bool(row["automatic"]),
        condition=row["condition"],
        citations=tuple(zip(row["citation_refs"], row["citation_quotes"], strict=True)),
        notes=tuple(row["notes"]),
        stated=bool(row["stated"]),
    )


def step_rule(con: duckdb.DuckDBPyConnection, agency: str, as_of: date | None = None) -> StepRule:
    """How the agency's agreement moves employees through its steps: the agreement in force
    on `as_of` when several have rules (a next cycle imported beside a published one), else
    the latest. NoSalaryTableError / UnknownAgencyError with the reason otherwise."""
    agency = require_salary_table(con, agency)
    # Kept per warehouse connection: a page run reads one agency's rules many times over
    # (pay by step, the trajectory, the class figures), about 6 ms a query.
    rules = memo(con, f"step_rules:{agency}", lambda: query(con, STEP_RULES_SQL, [agency]))
    if rules.empty:
        raise NoSalaryTableError(f"{agency} has a salary table but no step rule")
    if as_of is not None and len(rules) > 1:
        ts = pd.Timestamp(as_of)
        started = rules[rules["term_start"].isna() | (rules["term_start"] <= ts)]
        if not started.empty:
            return _rule(started.iloc[-1])
    return _rule(rules.iloc[-1])


def rules(con: duckdb.DuckDBPyConnection) -> list[StepRule]:
    """Every agency's step rule (the latest agreement's), in name order."""
    return [step_rule(con, a) for a in names(con, salary_table=True)]


def schedule_dates(con: duckdb.DuckDBPyConnection, agency: str) -> list[date]:
    return [d.date() for d in query(con, SCHEDULE_DATES_SQL, [agency])["effective_date"]]


def default_as_of(con: duckdb.DuckDBPyConnection, agency: str) -> date:
    """A date inside the agency's term to start a page on: its latest printed (not derived)
    schedule inside the term, else its latest schedule inside the term, else the term's
    start (an agency without a salary table), else today."""
    row = agencies(con).set_index("agency").loc[resolve(con, agency)]
    start, end = row["term_start"], row["term_end"]
    dates = query(con, SCHEDULE_DATES_SQL, [row.name])

    def inside(ts: pd.Timestamp) -> bool:
        return (pd.isna(start) or ts >= start) and (pd.isna(end) or ts <= end)

    if not dates.empty:
        dates = dates[[inside(ts) for ts in dates["effective_date"]]]
        printed = dates[~dates["all_derived"].astype(bool)]
        for pick in (printed, dates):
            if not pick.empty:
                return pick["effective_date"].max().date()
    if pd.notna(start):
        return start.date()
    return date.today()


def survey_list(con: duckdb.DuckDBPyConnection, agency: str) -> list[str]:
    """The agencies the agency's agreement surveys, as its text names them."""
    return query(con, SURVEY_LIST_SQL, [agency])["survey_agency"].tolist()


ERA_YEARS = 2  # a comparator's term within this many years of the date is of the same era


def same_era(con: duckdb.DuckDBPyConnection, agency: str, when: date) -> bool:
    """True when `when` falls within ERA_YEARS of the agency's agreement term (pay of another
    era is only comparable through an inflation index)."""
    row = agencies(con).set_index("agency").loc[agency]
    ts, pad = pd.Timestamp(when), pd.DateOffset(years=ERA_YEARS)
    start = row["term_start"] if pd.notna(row["term_start"]) else ts
    end = row["term_end"] if pd.notna(row["term_end"]) else ts
    return start - pad <= ts <= end + pad


def default_comparators(
    con: duckdb.DuckDBPyConnection,
    subject: str,
    with_pay: list[str] | None = None,
    as_of: date | None = None,
    *,
    always: list[str] | None = None,
) -> list[str]:
    """The comparators a page starts with: the subject's survey list among the agencies that
    have pay data (the warehouse's salary tables plus `with_pay`, e.g. uploaded or imported
    survey agencies) — the agreement itself names them — else every other agency with a
    salary table, and when `as_of` is given only those of the same era (like with like: an
    agreement of another era is a choice the user makes, then brought to the date by CPI);
    then `always` (agencies imported for this subject or for none in particular, e.g. State
    Controller employers), added to either. An agency is a default once: not under the
    subject's own name, and not twice under two names (a warehouse agency and its State
    Controller report: the warehouse's)."""
    subject = resolve(con, subject)
    tables = [a for a in names(con, salary_table=True) if a != subject]
    candidates = tables + [a for a in (with_pay or []) if a not in tables and a != subject]
    listed = survey_list(con, subject)
    picked = [a for a in candidates if any(same_agency(a, s) for s in listed)]
    if not picked:
        # No survey agency has pay data: the same-era agreements stand in, so that an import
        # for no subject in particular does not become a subject's only comparator.
        picked = [a for a in tables if as_of is None or same_era(con, a, as_of)]
    out: list[str] = []
    for a in picked + [a for a in (always or []) if a not in picked]:
        if same_agency(a, subject) or any(same_agency(a, b) for b in out):
            continue
        out.append(a)
    return out
