"""Tables built on a market gap result: the wide export with every comparator's figures, the
uploaded survey rows in the form the gap takes, and a class across agencies (the dot plot)."""

from __future__ import annotations

import pandas as pd

from analysis.market.result import DETAIL_COLUMNS, GapResult
from analysis.market.survey_matches import method_rank


def wide_table(result: GapResult) -> pd.DataFrame:
    """The gap table with, per comparator agency, the matched class, its top step as printed
    (or derived), the schedule date, the factor that brought it to the as-of date and the
    value used: enough to re-derive every figure by hand from the views."""
    table = result.table.copy()
    if table.empty or result.detail.empty:
        return table
    d = result.detail.copy()
    d["schedule_date"] = d["schedule_date"].astype(str)
    skip = ("subject_class_code", "comparator_agency", "brought_by")
    keep = [c for c in DETAIL_COLUMNS if c not in skip]
    for agency, g in d.groupby("comparator_agency", sort=False):
        # Several matched classes of one agency: list them, value = their mean (as used).
        agg = g.groupby("subject_class_code").agg(
            **{k: (k, lambda s: "; ".join(map(str, s))) for k in keep if k != "annual_as_of"},
            annual_as_of=("annual_as_of", "mean"),
        )
        agg.columns = [f"{agency}: {c}" for c in agg.columns]
        table = table.merge(agg, left_on="subject_class_code", right_index=True, how="left")
    return table


def uploaded_comparators(matched: pd.DataFrame | None, names: list[str]) -> pd.DataFrame:
    """Uploaded survey rows (already matched to subject classes by
    survey_matches.uploaded_pairs) in the form market_gap takes: only the chosen agencies, only
    matched rows, the latest effective date per agency and class."""
    cols = [
        "subject_class_code",
        "comparator_agency",
        "comparator_title",
        "annual",
        "effective_date",
        "source",
        "method",
        "score",
    ]
    if matched is None or matched.empty:
        return pd.DataFrame(columns=cols)
    m = matched[matched["agency"].isin(names) & matched["subject_class_code"].notna()].copy()
    m = m.rename(columns={"agency": "comparator_agency", "class_title": "comparator_title"})
    m["comparator_class_code"] = None
    # the latest date; on it, the user's decision, then an exact title, then the best score
    m["_best"] = -method_rank(m["method"])
    m = (
        m.sort_values(["effective_date", "_best", "score"], kind="stable")
        .groupby(["subject_class_code", "comparator_agency"], as_index=False)
        .tail(1)
    )
    return m[[*cols, "comparator_class_code"]].reset_index(drop=True)


def class_across(result: GapResult, codes: list[str]) -> pd.DataFrame:
    """One row per benchmark class and agency (the subject and each comparator): class_label,
    agency, annual (as brought to the as-of date), schedule_date, detail, source_ref."""
    rows = []
    table = result.table[result.table["subject_class_code"].isin(codes)]
    for r in table.itertuples():
        label = f"{r.subject_title} ({r.subject_class_code})"
        rows.append(
            {
                "class_label": label,
                "agency": r.subject_agency,
                "annual": r.own_top_annual,
                "schedule_date": r.own_schedule_date,
                "detail": f"own {r.step_position} step {r.own_top_step}",
                "source_ref": r.own_source_ref,
            }
        )
        for d in result.detail[
            result.detail["subject_class_code"] == r.subject_class_code
        ].itertuples():
            rows.append(
                {
                    "class_label": label,
                    "agency": d.comparator_agency,
                    "annual": d.annual_as_of,
                    "schedule_date": d.schedule_date,
                    "detail": f"{d.comparator_title}: {d.brought_by}",
                    "source_ref": d.source_ref,
                }
            )
    cols = ["class_label", "agency", "annual", "schedule_date", "detail", "source_ref"]
    return pd.DataFrame(rows, columns=cols)
