"""Imported State Controller "Government Compensation in California" (GCC) positions as
comparators, like any other agency: their pay at the as-of date and their reported benefits.

Rules (the detail rows say which applied):
- Positions: one per agency x position x year; a position imported twice (the same file, or
  two files holding the same year) is taken from the latest import (`latest_rows`).
- Matching: each position title is matched to the subject's classes (analysis.market.survey_matches:
  title_match.match_many, then the user's decisions); where several positions of one agency
  and year stand for one class, the user's decision wins, then an exact title, the highest
  score, the most incumbents.
- Pay: the top step is the top of the position's range (MaxPositionSalary), the first step
  its bottom (MinPositionSalary, when reported); GCC has no middle step, so a middle-step gap
  leaves GCC comparators out. A Year's range is dated July 1 of that year (the State
  Controller reports calendar years; July 1 is their middle).
- To the as-of date: from the agency's imported year whose July 1 is nearest the as-of date
  (a tie goes to the earlier year), its own figure as reported; the months between that July 1
  and the as-of date are bridged by CPI (or left nominal with adjust='none'). No
  interpolation between years: every figure is one the employer reported.
- Benefits: the employer's retirement (DefinedBenefitPlanContribution +
  EmployeesRetirementCostCovered, per incumbent), health (HealthDentalVision) and deferred
  compensation costs, median over the position's incumbents that report them, for the same
  nearest year, as reported for that calendar year: not audited and not aged by CPI.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from analysis.crosswalk import match as crosswalk
from analysis.market.survey_matches import (
    best_per_class,
    gcc_pairs,
    latest_rows,
    subject_classes,
)
from analysis.market.values import cpi_factor
from etl.citations import gcc_ref, join_refs

PAY_MONTH_DAY = (7, 1)
STEP_COLUMN = {"top": "max_salary", "first": "min_salary"}
STEP_WORDS = {
    "top": "top of range (MaxPositionSalary)",
    "first": "bottom of range (MinPositionSalary)",
}
BENEFIT_LABEL = (
    "as reported by the employer to the State Controller for calendar year {year}, not audited"
)
BENEFIT_COLUMNS = [
    "subject_class_code",
    "comparator_agency",
    "year",
    "retirement_median",
    "health_median",
    "deferred_comp_median",
    "incumbents",
    "source",
]


def pay_date(year: int) -> date:
    return date(int(year), *PAY_MONTH_DAY)


def agencies_summary(rows: pd.DataFrame | None) -> pd.DataFrame:
    """One row per imported agency: agency, employer_type, years, latest_year, positions (in
    the latest year), incumbents (latest year), files ('name (import #id)')."""
    cols = ["agency", "employer_type", "years", "latest_year", "positions", "incumbents", "files"]
    r = latest_rows(rows)
    if r.empty:
        return pd.DataFrame(columns=cols)
    out = []
    for agency, g in r.groupby("agency", sort=True):
        last = int(g["year"].max())
        at = g[g["year"] == last]
        files = g.drop_duplicates("import_id").sort_values("import_id")
        out.append(
            {
                "agency": agency,
                "employer_type": ", ".join(sorted(set(g["employer_type"].dropna().astype(str)))),
                "years": ", ".join(str(y) for y in sorted(set(g["year"].astype(int)))),
                "latest_year": last,
                "positions": int(len(at)),
                "incumbents": int(at["incumbents"].sum()),
                "files": join_refs(
                    gcc_ref(f, i)
                    for f, i in zip(files["file_name"], files["import_id"], strict=True)
                ),
            }
        )
    return pd.DataFrame(out, columns=cols)


def describe(summary_row) -> str:
    """'State Controller GCC 2016, 31 positions, 2016_SuperiorCourt.zip (import #1)'."""
    return (
        f"State Controller GCC {summary_row['years']}, {summary_row['positions']} positions in "
        f"{summary_row['latest_year']}, {summary_row['files']}"
    )


def _in(rows: pd.DataFrame | None, comparators: list[str] | None, subject: str) -> pd.DataFrame:
    r = latest_rows(rows)
    if r.empty:
        return r
    names = comparators if comparators is not None else sorted(set(r["agency"]) - {subject})
    return r[r["agency"].isin(names)].reset_index(drop=True)


def _nearest(chosen: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Per agency x class, the row whose year's July 1 is nearest `as_of` (ties: earlier)."""
    if chosen.empty:
        return chosen
    ts = pd.Timestamp(as_of)
    days = [abs((pd.Timestamp(pay_date(y)) - ts).days) for y in chosen["year"]]
    d = chosen.assign(_days=days).sort_values(
        ["comparator_agency", "subject_class_code", "_days", "year"], kind="stable"
    )
    d = d.groupby(["comparator_agency", "subject_class_code"], as_index=False).head(1)
    return d.drop(columns="_days").reset_index(drop=True)


def matched(
    con: duckdb.DuckDBPyConnection,
    subject: str,
    rows: pd.DataFrame | None,
    comparators: list[str] | None = None,
    user_decisions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The position standing for each subject class per agency and year (latest import,
    decisions applied): the stored columns, comparator_agency, subject_class_code,
    subject_title, method, score, reason."""
    r = _in(rows, comparators, subject)
    p = gcc_pairs(con, subject, r, user_decisions)
    if p.empty:
        return p.assign(comparator_agency=None)
    p = p.assign(comparator_agency=p["agency"])
    by = ["comparator_agency", "subject_class_code", "year"]
    return best_per_class(p, by, title_col="position", size_col="incumbents")


def _agency_notes(subject, r, chosen, n_classes, notes) -> None:
    summary = agencies_summary(r).set_index("agency")
    for agency in summary.index:
        k = int(chosen.loc[chosen["comparator_agency"] == agency, "subject_class_code"].nunique())
        notes.append(
            f"{agency} ({describe(summary.loc[agency])}): {k} of {n_classes} {subject} classes "
            "matched a position (same title, similar title above the threshold with the same "
            "level and rank words, or your decisions)."
        )


def _brought(year: int, as_of: date, step: str, factor: float, adjust: str, cpi: str) -> str:
    when = pay_date(year)
    base = f"GCC {year} {STEP_WORDS[step]}, dated {when:%m/%d/%Y}"
    if when == as_of:
        return f"{base} (the as-of date)"
    if adjust != "cpi":
        return f"{base}, nominal (no adjustment)"
    way = "forward" if when < as_of else "back"
    return (
        f"{base} (the imported year nearest the as-of date), carried {way} to "
        f"{as_of:%m/%d/%Y} by CPI ({cpi}), x{factor:.4f}"
    )


def pay_at(
    con: duckdb.DuckDBPyConnection,
    subject: str,
    rows: pd.DataFrame | None,
    comparators: list[str],
    as_of: date,
    *,
    position: str = "top",
    adjust: str = "cpi",
    cpi_series: str,
    user_decisions: pd.DataFrame | None = None,
    notes: list[str] | None = None,
) -> pd.DataFrame:
    """GCC comparators' pay for each matched subject class at `as_of` (module docstring), in
    analysis.market.gap.DETAIL_COLUMNS plus year, incumbents, import_id, file_name, note."""
    notes = notes if notes is not None else []
    if position not in STEP_COLUMN:
        notes.append(
            f"{', '.join(comparators)}: the State Controller reports only the bottom and top "
            f"of each range, so there is no {position} step to compare; left out."
        )
        return pd.DataFrame()
    r = _in(rows, comparators, subject)
    chosen = matched(con, subject, r, comparators, user_decisions)
    _agency_notes(subject, r, chosen, len(subject_classes(con, subject)), notes)
    col = STEP_COLUMN[position]
    if chosen.empty:
        return pd.DataFrame()
    blank = chosen[col].isna()
    if blank.any():
        notes.append(
            f"{int(blank.sum())} matched GCC positions report no {STEP_WORDS[position]}; "
            "left out of this comparison."
        )
    d = _nearest(chosen[~blank], as_of)
    factors = {}
    for y in sorted(set(d["year"].astype(int))):
        same = pay_date(y) == as_of or adjust != "cpi"
        factors[y] = 1.0 if same else cpi_factor(pay_date(y), as_of, cpi_series, notes, "GCC")
    d["schedule_date"] = [pay_date(y) for y in d["year"]]
    d["annual"] = d[col].astype(float)
    d["factor"] = [factors[int(y)] for y in d["year"]]
    d["annual_as_of"] = (d["annual"] * d["factor"]).round(2)
    d["brought_by"] = [
        _brought(int(y), as_of, position, f, adjust, cpi_series)
        for y, f in zip(d["year"], d["factor"], strict=True)
    ]
    d["comparator_class_code"] = None
    d["comparator_title"] = d["position"]
    d["top_step"] = STEP_WORDS[position].split(" (")[0]
    d["source_ref"] = [gcc_ref(s, i) for s, i in zip(d["source"], d["import_id"], strict=True)]
    return crosswalk.with_none(d, ["comparator_class_code", "note"]).reset_index(drop=True)


# Benefits ------------------------------------------------------------------------------------


def gcc_benefits(
    con: duckdb.DuckDBPyConnection,
    subject: str,
    as_of: date,
    comparators: list[str] | None = None,
    *,
    gcc_rows: pd.DataFrame,
    user_decisions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The reported employer benefit costs of each GCC comparator's position matched to each
    subject class, from the imported year nearest `as_of`: BENEFIT_COLUMNS (retirement =
    defined benefit + employee's share covered, per incumbent; health = HealthDentalVision;
    each the median over the incumbents reporting it; dollars a year of calendar `year`, not
    aged), then comparator_title, subject_title, method, score, defined_benefit_median,
    retirement_covered_median, label. `comparators` None = every imported agency but the
    subject; `gcc_rows` the stored imports' positions (userdata.gcc.rows())."""
    extra = [
        "comparator_title",
        "subject_title",
        "method",
        "score",
        "defined_benefit_median",
        "retirement_covered_median",
        "label",
    ]
    chosen = _nearest(matched(con, subject, gcc_rows, comparators, user_decisions), as_of)
    if chosen.empty:
        return pd.DataFrame(columns=[*BENEFIT_COLUMNS, *extra])
    d = chosen.assign(
        comparator_title=chosen["position"],
        health_median=chosen["health_dental_vision_median"],
        source=[gcc_ref(s, i) for s, i in zip(chosen["source"], chosen["import_id"], strict=True)],
        label=[BENEFIT_LABEL.format(year=int(y)) for y in chosen["year"]],
    )
    d["year"] = d["year"].astype(int)
    d = d.sort_values(["subject_class_code", "comparator_agency"]).reset_index(drop=True)
    return d[[*BENEFIT_COLUMNS, *extra]]


def benefits_market(
    con: duckdb.DuckDBPyConnection,
    subject: str,
    as_of: date,
    comparators: list[str] | None = None,
    *,
    gcc_rows: pd.DataFrame,
    user_decisions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per matched subject class, the market's reported employer costs: the median across
    the GCC comparators of their positions' retirement, health and deferred compensation
    medians (`*_n`: how many comparators report each), the years and the label."""
    b = gcc_benefits(
        con, subject, as_of, comparators, gcc_rows=gcc_rows, user_decisions=user_decisions
    )
    cols = [
        "subject_class_code",
        "subject_title",
        "retirement_market_median",
        "retirement_n",
        "health_market_median",
        "health_n",
        "deferred_comp_market_median",
        "deferred_comp_n",
        "comparators",
        "years",
        "label",
    ]
    if b.empty:
        return pd.DataFrame(columns=cols)
    g = b.groupby(["subject_class_code", "subject_title"], sort=True)
    out = g.agg(
        retirement_market_median=("retirement_median", "median"),
        retirement_n=("retirement_median", "count"),
        health_market_median=("health_median", "median"),
        health_n=("health_median", "count"),
        deferred_comp_market_median=("deferred_comp_median", "median"),
        deferred_comp_n=("deferred_comp_median", "count"),
        comparators=("comparator_agency", lambda s: ", ".join(sorted(set(s)))),
        years=("year", lambda s: ", ".join(str(y) for y in sorted(set(s)))),
    ).reset_index()
    out["label"] = [
        "as reported by the employers to the State Controller for calendar year "
        f"{y}, not audited; median across comparators of each position's median incumbent"
        for y in out["years"]
    ]
    for c in ("retirement_market_median", "health_market_median", "deferred_comp_market_median"):
        out[c] = out[c].round(2)
    return out[cols]
