"""Benchmark coverage: which comparators have pay data for each of the subject's classes,
from the warehouse (a loaded agreement, matched through the crosswalk), the user's survey
template uploads, or imported State Controller positions (both matched by title,
analysis.market.survey_matches, the user's decisions applying to all three)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from analysis import agencies
from analysis.crosswalk import match as crosswalk
from analysis.market import gcc as gcc_market
from analysis.market import survey_matches
from analysis.warehouse import query
from etl.agency_names import resolve_typed, same_agency

PAID_CLASSES_SQL = "SELECT DISTINCT class_code FROM salary_schedule WHERE agency = ?"
DETAIL_COLUMNS = [
    "subject_class_code",
    "subject_title",
    "comparator",
    "has_pay",
    "where",
    "comparator_class_code",
    "comparator_title",
    "method",
    "score",
]


def _from_warehouse(con, subject, comparator, known, user_decisions, overrides_path) -> dict:
    found: dict[str, dict] = {}
    loaded = resolve_typed(comparator, known)
    if loaded is None or loaded == subject:
        return found
    paid = set(query(con, PAID_CLASSES_SQL, [loaded])["class_code"])
    xw = crosswalk.crosswalk(
        con, subject, loaded, user_decisions=user_decisions, overrides_path=overrides_path
    )
    for r in xw.itertuples(index=False):
        if r.comparator_class_code is not None and r.comparator_class_code in paid:
            found[r.subject_class_code] = {
                "where": "warehouse",
                "comparator_class_code": r.comparator_class_code,
                "comparator_title": r.comparator_title,
                "method": r.method,
                "score": r.score,
            }
    return found


def _from_pairs(pairs: pd.DataFrame, title_col: str, where: str, found: dict) -> None:
    if pairs.empty:
        return
    best = pairs.assign(_r=survey_matches.method_rank(pairs["method"]))
    best = best.sort_values(["_r", "score"], ascending=[True, False], kind="stable")
    for r in best.to_dict("records"):
        if r["subject_class_code"] not in found:
            found[r["subject_class_code"]] = {
                "where": where,
                "comparator_class_code": None,
                "comparator_title": r[title_col],
                "method": r["method"],
                "score": r["score"],
            }


def _mine(rows: pd.DataFrame | None, comparator: str) -> pd.DataFrame:
    if rows is None or rows.empty:
        return pd.DataFrame()
    return rows[[same_agency(a, comparator) for a in rows["agency"]]]


def coverage_detail(
    con: duckdb.DuckDBPyConnection,
    subject_agency: str,
    comparators: list[str],
    uploaded: pd.DataFrame | None = None,
    *,
    gcc_rows: pd.DataFrame | None = None,
    user_decisions: pd.DataFrame | None = None,
    overrides_path: Path | None = crosswalk.OVERRIDES_CSV,
) -> pd.DataFrame:
    """Long form of `coverage`: one row per subject class x comparator with has_pay, where
    ('warehouse' | 'upload' | 'State Controller' | None), the matched comparator class (or
    uploaded title, or GCC position), method and score. A comparator that is a loaded
    agreement is matched through the crosswalk; uploaded rows and GCC positions whose agency
    names the comparator (any spelling) are matched by title."""
    classes = survey_matches.subject_classes(con, subject_agency)
    rows: list[dict] = []
    known = agencies.names(con)
    gcc = gcc_market.latest_rows(gcc_rows)
    for comparator in dict.fromkeys(comparators):
        found = _from_warehouse(
            con, subject_agency, comparator, known, user_decisions, overrides_path
        )
        mine = _mine(uploaded, comparator)
        if not mine.empty:
            mine = mine.assign(agency=comparator)
            p = survey_matches.uploaded_pairs(con, subject_agency, mine, user_decisions)
            _from_pairs(p, "class_title", "upload", found)
        g = _mine(gcc, comparator)
        if not g.empty:
            p = survey_matches.gcc_pairs(con, subject_agency, g, user_decisions)
            _from_pairs(p, "position", "State Controller", found)
        for c in classes.itertuples(index=False):
            hit = found.get(c.class_code)
            rows.append(
                {
                    "subject_class_code": c.class_code,
                    "subject_title": c.class_title,
                    "comparator": comparator,
                    "has_pay": hit is not None,
                    "where": None,
                    "comparator_class_code": None,
                    "comparator_title": None,
                    "method": None,
                    "score": None,
                    **(hit or {}),
                }
            )
    return crosswalk.with_none(
        pd.DataFrame(rows, columns=DETAIL_COLUMNS),
        ["where", "comparator_class_code", "comparator_title"],
    )


def coverage(
    con: duckdb.DuckDBPyConnection,
    subject_agency: str,
    comparators: list[str],
    uploaded: pd.DataFrame | None = None,
    *,
    gcc_rows: pd.DataFrame | None = None,
    user_decisions: pd.DataFrame | None = None,
    overrides_path: Path | None = crosswalk.OVERRIDES_CSV,
) -> pd.DataFrame:
    """Benchmark coverage: one row per subject class (code and title), one boolean column per
    comparator (True = pay data for the matched class, from the warehouse, an upload or a
    State Controller import), and `comparators_with_pay`."""
    detail = coverage_detail(
        con,
        subject_agency,
        comparators,
        uploaded,
        gcc_rows=gcc_rows,
        user_decisions=user_decisions,
        overrides_path=overrides_path,
    )
    base = survey_matches.subject_classes(con, subject_agency)[["class_code", "class_title"]]
    out = base.rename(
        columns={"class_code": "subject_class_code", "class_title": "subject_title"}
    ).reset_index(drop=True)
    comparators = list(dict.fromkeys(comparators))
    for comparator in comparators:
        d = detail[detail["comparator"] == comparator].set_index("subject_class_code")["has_pay"]
        out[comparator] = out["subject_class_code"].map(d).fillna(False).astype(bool)
    out["comparators_with_pay"] = out[comparators].sum(axis=1).astype(int)
    if out.empty:
        out.attrs["reason"] = crosswalk.no_classes_reason(subject_agency)
    return out
