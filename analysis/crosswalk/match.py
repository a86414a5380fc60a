"""Benchmark matching between the job classes of two agencies (the class crosswalk).

A survey compares "comparable classifications", but agencies spell the same class differently
(SR / SENIOR, SUPV / SUPERVISING, roman or arabic level numbers, abbreviations) and Sonoma's
Appendix A cut every title at 30 characters ("COMMUNITY DEVELOPMENT SPECIALI"). Matching runs
on normalized titles, and each subject class gets one answer, decided in this order:

1. a user decision (analysis.class_matches.listing): confirmed, manual pick or rejected;
2. a curated override in data/reference/class_matches.csv (an empty comparator_class_code
   says the comparator has no comparable class); an override stated for the other direction
   is used in reverse when it is the only one naming that class;
3. exact: the normalized titles are equal;
4. fuzzy: the best candidate scores at least FUZZY_THRESHOLD, has the same level number and
   the same rank words (SENIOR, SUPERVISOR, TRAINEE, ...), and no runner-up also passing the
   threshold comes within TIE_MARGIN points of it;
5. none: no candidate qualifies; `reason` names the best one and why it was not taken.

The score (0-100) is a weighted overlap of the titles' words, each word weighing its inverse
document frequency over the two class lists, with rapidfuzz deciding which spellings are the
same word (see analysis/crosswalk/scoring.py for why not plain token_sort_ratio).
FUZZY_THRESHOLD was chosen by reading every Mendocino -> Sonoma and Sonoma -> Mendocino best
candidate; tests/analysis/test_crosswalk.py keeps the hand-checked pairs and their verdicts.

The parts: title normalization (analysis/crosswalk/titles.py), scoring and the automatic
answer (analysis/crosswalk/scoring.py), overrides and user decisions
(analysis/crosswalk/overrides.py); this module puts them together for two agencies.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from analysis.crosswalk.overrides import (
    OVERRIDE_COLUMNS,
    OVERRIDES_CSV,
    _decided,
    _decisions_for,
    _overridden,
    _overrides_for,
    load_overrides,
)
from analysis.crosswalk.scoring import (
    FUZZY_THRESHOLD,
    LEVEL_WEIGHT,
    TIE_MARGIN,
    TOKEN_RATIO,
    _automatic,
    guard,
    score_matrix,
    title_score,
    token_weights,
)
from analysis.crosswalk.titles import (
    TRUNCATED_TITLE_LENGTH,
    ParsedTitle,
    is_truncated,
    normalize_title,
    parse_title,
)
from analysis.warehouse import query

__all__ = [
    # the crosswalk
    "CANDIDATE_COLUMNS",
    "CROSSWALK_COLUMNS",
    "METHODS",
    "NULLABLE_TEXT",
    "OVERRIDE_COLUMNS",
    "OVERRIDES_CSV",
    "agency_classes",
    "candidates",
    "crosswalk",
    "load_overrides",
    "match_titles",
    "no_classes_reason",
    "rank_titles",
    "summary",
    "with_none",
    # titles and scoring (analysis/crosswalk/titles.py, analysis/crosswalk/scoring.py)
    "FUZZY_THRESHOLD",
    "LEVEL_WEIGHT",
    "TIE_MARGIN",
    "TOKEN_RATIO",
    "TRUNCATED_TITLE_LENGTH",
    "ParsedTitle",
    "guard",
    "is_truncated",
    "normalize_title",
    "parse_title",
    "score_matrix",
    "title_score",
    "token_weights",
]

METHODS = ("user_confirmed", "user_manual", "override", "exact", "fuzzy", "none")

CROSSWALK_COLUMNS = [
    "subject_agency",
    "subject_class_code",
    "subject_title",
    "comparator_agency",
    "comparator_class_code",
    "comparator_title",
    "method",
    "score",
    "reason",
]
CANDIDATE_COLUMNS = ["comparator_class_code", "comparator_title", "score", "note"]

CLASSES_SQL = """
SELECT class_code,
       min(class_title) AS class_title,
       bool_and(payroll_only) AS payroll_only,
       string_agg(DISTINCT bargaining_unit, ', ' ORDER BY bargaining_unit) AS bargaining_units
FROM job_classes
WHERE agency = ?
GROUP BY class_code
ORDER BY class_code
"""

# Text columns that hold None for "no match" (object dtype, so None stays None, not NaN).
NULLABLE_TEXT = [
    "subject_title",
    "comparator_class_code",
    "comparator_title",
    "class_code",
    "class_title",
]


def with_none(df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """`df` with the named columns (those present) as object dtype holding None for missing."""
    for c in columns:
        if c in df.columns:
            values = [v if isinstance(v, str) else None for v in df[c]]
            df[c] = pd.Series(values, index=df.index, dtype=object)
    return df


# Warehouse classes and overrides -------------------------------------------------------------


def agency_classes(
    con: duckdb.DuckDBPyConnection, agency: str, include_payroll_only: bool = False
) -> pd.DataFrame:
    """One row per class code of an agency (class_code, class_title, payroll_only,
    bargaining_units). Payroll-only variants (Sonoma '*' rows) are left out by default."""
    df = query(con, CLASSES_SQL, [agency])
    df = with_none(df, ["class_code", "class_title", "bargaining_units"])
    if not include_payroll_only:
        df = df[~df["payroll_only"].astype(bool)]
    return df.reset_index(drop=True)


# The crosswalk -------------------------------------------------------------------------------


def no_classes_reason(agency: str) -> str:
    return (
        f"{agency} has no job classes in the warehouse (its agreement prints no class list), "
        "so there is nothing to match"
    )


def _empty(reason: str) -> pd.DataFrame:
    df = pd.DataFrame(columns=CROSSWALK_COLUMNS)
    df["score"] = df["score"].astype(float)
    df.attrs["reason"] = reason
    return df


def crosswalk(
    con: duckdb.DuckDBPyConnection,
    subject_agency: str,
    comparator_agency: str,
    *,
    user_decisions: pd.DataFrame | None = None,
    overrides_path: Path | None = OVERRIDES_CSV,
    include_payroll_only: bool = False,
    threshold: float = FUZZY_THRESHOLD,
) -> pd.DataFrame:
    """One row per subject class (CROSSWALK_COLUMNS): its comparable class at the comparator,
    how it was found (METHODS) and why. Payroll-only variants are left out of both sides unless
    `include_payroll_only`. An agency with no classes gives an empty frame whose
    `attrs['reason']` says so (subject side) or rows with method 'none' (comparator side).
    `overrides_path=None` ignores the curated overrides."""
    subj = agency_classes(con, subject_agency, include_payroll_only)
    if subj.empty:
        return _empty(no_classes_reason(subject_agency))
    comp = agency_classes(con, comparator_agency, include_payroll_only)
    parsed_a = [parse_title(t) for t in subj["class_title"]]
    parsed_b = [parse_title(t) for t in comp["class_title"]]
    scores = score_matrix(parsed_a, parsed_b)
    codes = comp["class_code"].tolist()
    codes_b = {c: j for j, c in enumerate(codes)}
    curated = (
        load_overrides(overrides_path)
        if overrides_path is not None
        else pd.DataFrame(columns=OVERRIDE_COLUMNS)
    )
    overrides = _overrides_for(curated, subject_agency, comparator_agency)
    decisions = _decisions_for(user_decisions, subject_agency, comparator_agency)

    rows = []
    for i, (code, a) in enumerate(zip(subj["class_code"], parsed_a, strict=True)):
        if comp.empty:
            answer = (None, "none", 0.0, no_classes_reason(comparator_agency))
        else:
            answer = _automatic(i, a, codes, parsed_b, scores, threshold)
        ignored: list[str] = []
        if code in overrides:
            answer = _overridden(answer, overrides[code], codes_b, comparator_agency, ignored)
        if code in decisions:
            answer = _decided(
                answer, decisions[code], codes_b, scores[i], comparator_agency, ignored
            )
        j, method, score, reason = answer
        if ignored:
            reason = f"{reason}; {'; '.join(ignored)}"
        rows.append(
            {
                "subject_agency": subject_agency,
                "subject_class_code": code,
                "subject_title": subj["class_title"].iloc[i],
                "comparator_agency": comparator_agency,
                "comparator_class_code": None if j is None else comp["class_code"].iloc[j],
                "comparator_title": None if j is None else comp["class_title"].iloc[j],
                "method": method,
                "score": float(score),
                "reason": reason,
            }
        )
    df = with_none(pd.DataFrame(rows, columns=CROSSWALK_COLUMNS), NULLABLE_TEXT)
    df.attrs["reason"] = no_classes_reason(comparator_agency) if comp.empty else ""
    return df


def match_titles(
    titles: list[str | None],
    codes: list[str],
    class_titles: list[str | None],
    threshold: float = FUZZY_THRESHOLD,
) -> pd.DataFrame:
    """Automatic matching (exact, fuzzy or none, no overrides) of free titles, e.g. from an
    uploaded survey, against a class list: one row per title with class_code, class_title,
    method, score and reason. Word weights are computed over the distinct titles and the
    class list (a repeated title counts once). For tens of thousands of titles (a State
    Controller file) use analysis.crosswalk.title_match.match_many."""
    distinct = list(dict.fromkeys(titles))  # a title repeated is matched once
    at = {t: k for k, t in enumerate(distinct)}
    parsed_a = [parse_title(t) for t in distinct]
    parsed_b = [parse_title(t) for t in class_titles]
    scores = score_matrix(parsed_a, parsed_b)
    decided = []
    for i, a in enumerate(parsed_a):
        if not parsed_b:
            j, method, score, reason = None, "none", 0.0, "no classes to match against"
        else:
            j, method, score, reason = _automatic(i, a, codes, parsed_b, scores, threshold)
        decided.append(
            {
                "class_code": None if j is None else codes[j],
                "class_title": None if j is None else class_titles[j],
                "method": method,
                "score": float(score),
                "reason": reason,
            }
        )
    rows = [decided[at[t]] for t in titles]
    return with_none(
        pd.DataFrame(rows, columns=["class_code", "class_title", "method", "score", "reason"]),
        NULLABLE_TEXT,
    )


def candidates(
    con: duckdb.DuckDBPyConnection,
    subject_agency: str,
    class_code: str,
    comparator_agency: str,
    limit: int = 5,
    include_payroll_only: bool = False,
) -> pd.DataFrame:
    """The comparator classes most like one subject class, best first (CANDIDATE_COLUMNS);
    `note` says when a candidate would not be taken automatically (level or rank differs)."""
    subj = agency_classes(con, subject_agency, include_payroll_only=True)
    hit = subj[subj["class_code"] == class_code]
    comp = agency_classes(con, comparator_agency, include_payroll_only)
    if hit.empty or comp.empty:
        return pd.DataFrame(columns=CANDIDATE_COLUMNS)
    a = parse_title(hit["class_title"].iloc[0])
    return rank_titles(a, comp["class_code"].tolist(), comp["class_title"].tolist(), limit)


def rank_titles(
    a: ParsedTitle, codes: list[str], titles: list[str | None], limit: int = 5
) -> pd.DataFrame:
    """Rank (code, title) pairs by similarity to a parsed title (CANDIDATE_COLUMNS)."""
    parsed = [parse_title(t) for t in titles]
    if not a.key or not parsed:
        return pd.DataFrame(columns=CANDIDATE_COLUMNS)
    row = score_matrix([a], parsed)[0]
    out = pd.DataFrame(
        {
            "comparator_class_code": codes,
            "comparator_title": titles,
            "score": row,
            "note": [
                "exact" if b.normalized == a.normalized else (guard(a, b) or "") for b in parsed
            ],
        }
    )
    out = out[out["score"] > 0].sort_values(
        ["score", "comparator_class_code"], ascending=[False, True], kind="stable"
    )
    return out.head(limit).reset_index(drop=True)


def summary(xwalk: pd.DataFrame) -> dict[str, int]:
    """How many subject classes each method decided (for the page header and the report)."""
    counts = xwalk["method"].value_counts()
    return {m: int(counts.get(m, 0)) for m in METHODS}
