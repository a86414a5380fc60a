"""The answers a person gives the class crosswalk (analysis/crosswalk/match.py): curated overrides
in data/reference/class_matches.csv (an empty comparator_class_code says the comparator has no
comparable class; an override stated for the other direction is used in reverse when it is the
only one naming that class), and the user's own decisions (userdata.class_matches): confirmed,
manual pick or rejected. Each applies to one subject class's automatic answer.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

from etl import defaults
from etl.errors import SourceParseError

OVERRIDES_CSV = defaults.REFERENCE_DIR / "class_matches.csv"
OVERRIDE_COLUMNS = [
    "subject_agency",
    "subject_class_code",
    "comparator_agency",
    "comparator_class_code",
    "reason",
]


def load_overrides(path: Path | None = None) -> pd.DataFrame:
    """The curated overrides (OVERRIDE_COLUMNS, codes as text, '' = no comparable class).
    A missing file is no overrides; a malformed one raises SourceParseError."""
    path = Path(path or OVERRIDES_CSV)
    if not path.exists():
        return pd.DataFrame(columns=OVERRIDE_COLUMNS)
    name = f"data/reference/{path.name}" if path.parent == defaults.REFERENCE_DIR else str(path)
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in OVERRIDE_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise SourceParseError(name, 1, f"missing column(s): {', '.join(missing)}")
        rows = []
        seen: set[tuple[str, str, str]] = set()
        for row in reader:
            rec = {c: (row.get(c) or "").strip() for c in OVERRIDE_COLUMNS}
            for col in ("subject_agency", "subject_class_code", "comparator_agency", "reason"):
                if not rec[col]:
                    raise SourceParseError(name, reader.line_num, "empty cell", column=col)
            k = (rec["subject_agency"], rec["subject_class_code"], rec["comparator_agency"])
            if k in seen:
                raise SourceParseError(
                    name, reader.line_num, f"second override for {k[0]} {k[1]} vs {k[2]}"
                )
            seen.add(k)
            rows.append(rec)
    return pd.DataFrame(rows, columns=OVERRIDE_COLUMNS)


def _overrides_for(
    overrides: pd.DataFrame, subject_agency: str, comparator_agency: str
) -> dict[str, tuple[str | None, str]]:
    """subject code -> (comparator code or None, reason) for one direction; reverse-direction
    overrides fill in where they name a subject class only once."""
    out: dict[str, tuple[str | None, str]] = {}
    reverse = overrides[
        (overrides["subject_agency"] == comparator_agency)
        & (overrides["comparator_agency"] == subject_agency)
        & (overrides["comparator_class_code"] != "")
    ]
    counts = reverse["comparator_class_code"].value_counts()
    for r in reverse.itertuples(index=False):
        if counts[r.comparator_class_code] == 1:
            out[r.comparator_class_code] = (
                r.subject_class_code,
                f"{r.reason} (override stated for {comparator_agency} -> {subject_agency})",
            )
    direct = overrides[
        (overrides["subject_agency"] == subject_agency)
        & (overrides["comparator_agency"] == comparator_agency)
    ]
    for r in direct.itertuples(index=False):
        out[r.subject_class_code] = (r.comparator_class_code or None, r.reason)
    return out


def _decisions_for(
    user_decisions: pd.DataFrame | None, subject_agency: str, comparator_agency: str
) -> dict[str, dict]:
    if user_decisions is None or user_decisions.empty:
        return {}
    d = user_decisions[
        (user_decisions["subject_agency"] == subject_agency)
        & (user_decisions["comparator_agency"] == comparator_agency)
    ]
    out = {}
    for r in d.to_dict("records"):
        code = r.get("comparator_class_code")
        r["comparator_class_code"] = None if code is None or pd.isna(code) or code == "" else code
        out[str(r["subject_class_code"])] = r
    return out


_Answer = tuple[int | None, str, float, str]  # comparator row, method, score, reason


def _overridden(
    answer: _Answer,
    override: tuple[str | None, str],
    codes_b: dict[str, int],
    comparator_agency: str,
    ignored: list[str],
) -> _Answer:
    """The answer a curated override gives (an override to an unknown class is ignored, and
    `ignored` says so)."""
    o_code, o_reason = override
    if o_code is None:
        return None, "override", 100.0, f"override: {o_reason}"
    if o_code in codes_b:
        return codes_b[o_code], "override", 100.0, f"override: {o_reason}"
    ignored.append(f"override to {o_code} ignored: no such {comparator_agency} class")
    return answer


def _decided(
    answer: _Answer,
    d: dict,
    codes_b: dict[str, int],
    scores: np.ndarray,
    comparator_agency: str,
    ignored: list[str],
) -> _Answer:
    """The answer a user decision gives (a decision for an unknown class is ignored, and
    `ignored` says so). `scores` is the subject class's row of the score matrix."""
    why = d.get("reason")
    note = f" ({why.strip()})" if isinstance(why, str) and why.strip() else ""
    if d["decision"] == "rejected":
        return None, "none", 0.0, f"rejected by the user: no comparable class{note}"
    if d["comparator_class_code"] in codes_b:
        j = codes_b[d["comparator_class_code"]]
        method = "user_confirmed" if d["decision"] == "confirmed" else "user_manual"
        return j, method, float(scores[j]), f"{d['decision']} by the user{note}"
    ignored.append(
        f"user decision for {d['comparator_class_code']} ignored: no such {comparator_agency} class"
    )
    return answer
