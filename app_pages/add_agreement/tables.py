"""The reader's preview tables (schedule_import.preview) as a bargaining analyst reads them:
plain column names, the sample class's pay with where each amount is printed, and the
classes to choose a sample from (pure: no Streamlit here)."""

from __future__ import annotations

import pandas as pd

NAMES = {
    "unit": "Bargaining unit",
    "class_code": "Class code",
    "class_title": "Class title",
    "grade": "Grade or range",
    "where": "Where it is printed",
    "step": "Step",
    "effective_date": "Effective",
    "hourly": "Hourly (unrounded)",
    "as_printed": "As printed",
    "source_ref": "Citation",
    "classes": "Classes",
    "rates": "Rates",
    "file": "File",
    "page/sheet": "Page or sheet",
    "row": "Row",
    "column": "Column",
    "message": "Problem",
}


def named(df: pd.DataFrame) -> pd.DataFrame:
    """A copy with plain column names, a unit left blank shown as '(one unit)' and any other
    missing text as blank (not 'None')."""
    out = df.copy()
    for col in ("unit",):
        if col in out.columns:
            out[col] = out[col].fillna("(one unit)").replace("", "(one unit)")
    for col in out.columns:  # a missing title, grade or unit shows blank (not "None")
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].fillna("")
    out.attrs = {}
    return out.rename(columns={c: NAMES.get(c, c) for c in out.columns})


def class_options(classes: pd.DataFrame) -> list[tuple[str | None, str]]:
    """(unit, class code) of every class, in the file's order: the sample's choices."""
    return list(dict.fromkeys(zip(classes["unit"], classes["class_code"], strict=True)))


def class_label(classes: pd.DataFrame, which: tuple[str | None, str]) -> str:
    """'General Government · 100A · Account Clerk 1' for a choice of class_options."""
    unit, code = which
    hit = classes[(classes["class_code"] == code) & (classes["unit"].fillna("") == (unit or ""))]
    title = hit["class_title"].iloc[0] if len(hit) else ""
    return " · ".join(str(x) for x in (unit, code, title) if x)


def sample_places(rates: pd.DataFrame, which: tuple[str | None, str]) -> pd.DataFrame:
    """Where each amount of the sample class is printed: a row per step and date (step,
    effective, as printed, where), in the file's order."""
    unit, code = which
    one = rates[(rates["class_code"] == code) & (rates["unit"].fillna("") == (unit or ""))]
    out = one[["step", "effective_date", "as_printed", "where"]].copy()
    out["effective_date"] = out["effective_date"].map(lambda d: d.isoformat())
    return named(out.reset_index(drop=True))
