"""Survey titles matched to the subject agency's classes: the rows of a user's survey
template uploads and the positions of imported State Controller (GCC) exports.

Automatic matching uses the crosswalk's rules (normalization, weighted similarity,
FUZZY_THRESHOLD, level and rank guards): template rows through crosswalk.match_titles (a few
hundred titles), GCC positions through analysis.crosswalk.title_match.match_many (tens of thousands,
each title weighed as if matched alone). Then the user's decisions (userdata.class_matches,
keyed by subject agency, subject class and comparator agency) win, as they do for warehouse
comparators: for a survey agency the decision's comparator_class_code is the survey title
(the GCC Position or the template class_title), so
- 'rejected': the subject class has no comparable title at that agency;
- 'confirmed' / 'manual': the rows with that title (any case and spacing) stand for the class,
  whatever the automatic match said; a title may so stand for two classes.
A pair is one survey row x the subject class it stands for (`pairs`).
"""

from __future__ import annotations

from functools import lru_cache

import duckdb
import pandas as pd

from analysis.crosswalk import match as crosswalk
from analysis.crosswalk import title_match

MATCH_OUT = ["subject_class_code", "subject_title", "method", "score", "reason"]
METHOD_RANK = {"user_confirmed": 0, "user_manual": 0, "exact": 1, "fuzzy": 2}


def title_key(title: object) -> str:
    """A title as compared with a decision's title: spaces collapsed, case folded."""
    return " ".join(str(title or "").split()).casefold()


def subject_classes(con: duckdb.DuckDBPyConnection, subject: str) -> pd.DataFrame:
    classes = crosswalk.agency_classes(con, subject)
    return classes[classes["class_title"].notna()].reset_index(drop=True)


@lru_cache(maxsize=16)
def _match_many(titles: tuple, codes: tuple, class_titles: tuple) -> pd.DataFrame:
    return title_match.match_many(list(titles), list(codes), list(class_titles))


def _matched_frame(titles: list[str], m: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "title": titles,
            "subject_class_code": m["class_code"].tolist(),
            "subject_title": m["class_title"].tolist(),
            "method": m["method"].tolist(),
            "score": m["score"].astype(float).tolist(),
            "reason": m["reason"].tolist(),
        }
    )


def auto_titles(
    con: duckdb.DuckDBPyConnection, subject: str, titles: list[str], *, many: bool = True
) -> pd.DataFrame:
    """One row per distinct title: title + MATCH_OUT (the automatic match, or none)."""
    titles = sorted({str(t) for t in titles})
    classes = subject_classes(con, subject)
    if classes.empty:
        out = pd.DataFrame({"title": titles})
        out["subject_class_code"] = None
        out["subject_title"] = None
        out["method"] = "none"
        out["score"] = 0.0
        out["reason"] = crosswalk.no_classes_reason(subject)
        return out
    codes, names = tuple(classes["class_code"]), tuple(classes["class_title"])
    if many:
        m = _match_many(tuple(titles), codes, names).copy()
    else:
        m = crosswalk.match_titles(titles, list(codes), list(names))
    return crosswalk.with_none(_matched_frame(titles, m), ["subject_class_code", "subject_title"])


def match_uploaded(
    con: duckdb.DuckDBPyConnection,
    subject_agency: str,
    uploaded: pd.DataFrame,
    threshold: float = crosswalk.FUZZY_THRESHOLD,
) -> pd.DataFrame:
    """Each uploaded template row with the subject agency's class its title matches
    automatically: the uploaded columns plus MATCH_OUT (method 'exact' | 'fuzzy' | 'none')."""
    if uploaded is None or uploaded.empty:
        given = list(uploaded.columns) if uploaded is not None else []
        return pd.DataFrame(columns=[*given, *MATCH_OUT])
    auto = auto_titles(con, subject_agency, uploaded["class_title"].tolist(), many=False)
    base = uploaded.drop(columns=[c for c in MATCH_OUT if c in uploaded.columns])
    base = base.assign(class_title=base["class_title"].astype(str))
    out = base.merge(auto.rename(columns={"title": "class_title"}), on="class_title", how="left")
    return crosswalk.with_none(out, ["subject_class_code", "subject_title"])


def _decisions(user_decisions: pd.DataFrame | None, subject: str, agencies: set) -> pd.DataFrame:
    if user_decisions is None or user_decisions.empty:
        return pd.DataFrame(columns=["comparator_agency", "subject_class_code", "decision"])
    d = user_decisions[
        (user_decisions["subject_agency"] == subject)
        & user_decisions["comparator_agency"].isin(agencies)
    ]
    return d.reset_index(drop=True)


def _decided_pairs(con, subject, rows, title_col, decisions, auto) -> list[pd.DataFrame]:
    classes = subject_classes(con, subject).set_index("class_code")["class_title"]
    keys = rows[title_col].map(title_key)
    added = []
    for d in decisions.itertuples(index=False):
        if d.decision == "rejected" or d.subject_class_code not in classes.index:
            continue
        code = d.comparator_class_code
        hit = rows[(rows["agency"] == d.comparator_agency) & (keys == title_key(code))]
        if hit.empty:
            continue
        subject_title = classes.loc[d.subject_class_code]
        same = auto[
            (auto["title"].map(title_key) == title_key(code))
            & (auto["subject_class_code"] == d.subject_class_code)
        ]
        if not same.empty:
            score = float(same["score"].iloc[0])
        else:
            score = crosswalk.title_score(
                crosswalk.parse_title(str(code)), crosswalk.parse_title(subject_title)
            )
        why = d.reason.strip() if isinstance(d.reason, str) and d.reason.strip() else ""
        added.append(
            hit.assign(
                subject_class_code=d.subject_class_code,
                subject_title=subject_title,
                method="user_confirmed" if d.decision == "confirmed" else "user_manual",
                score=round(float(score), 1),
                reason=f"{d.decision} by the user" + (f" ({why})" if why else ""),
            )
        )
    return added


def pairs(
    con: duckdb.DuckDBPyConnection,
    subject: str,
    matched: pd.DataFrame,
    *,
    title_col: str,
    user_decisions: pd.DataFrame | None = None,
    auto: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Survey rows (with `agency`, `title_col` and MATCH_OUT from the automatic match) x the
    subject class each stands for once the user's decisions apply; only matched pairs."""
    cols = list(matched.columns)
    decisions = _decisions(user_decisions, subject, set(matched["agency"]))
    keep = matched[matched["subject_class_code"].notna()]
    if not decisions.empty:
        decided = set(
            zip(decisions["comparator_agency"], decisions["subject_class_code"], strict=True)
        )
        hit = [
            (a, c) in decided
            for a, c in zip(keep["agency"], keep["subject_class_code"], strict=True)
        ]
        keep = keep[[not h for h in hit]]
        if auto is None:
            auto = matched[[title_col, "subject_class_code", "score"]].rename(
                columns={title_col: "title"}
            )
        base = matched.drop(columns=MATCH_OUT)
        added = _decided_pairs(con, subject, base, title_col, decisions, auto)
        keep = pd.concat([keep, *added], ignore_index=True) if added else keep
    return keep.reindex(columns=cols).reset_index(drop=True)


def uploaded_pairs(
    con: duckdb.DuckDBPyConnection,
    subject: str,
    uploaded: pd.DataFrame,
    user_decisions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Template rows x the subject classes they stand for (automatic, then decisions)."""
    matched = match_uploaded(con, subject, uploaded)
    if matched.empty:
        return matched
    return pairs(con, subject, matched, title_col="class_title", user_decisions=user_decisions)


def gcc_pairs(
    con: duckdb.DuckDBPyConnection,
    subject: str,
    rows: pd.DataFrame,
    user_decisions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """GCC positions x the subject classes they stand for (match_many, then decisions)."""
    if rows is None or rows.empty:
        return pd.DataFrame(columns=[*(rows.columns if rows is not None else []), *MATCH_OUT])
    auto = auto_titles(con, subject, rows["position"].tolist())
    base = rows.drop(columns=[c for c in MATCH_OUT if c in rows.columns])
    matched = base.merge(auto.rename(columns={"title": "position"}), on="position", how="left")
    return pairs(
        con, subject, matched, title_col="position", user_decisions=user_decisions, auto=auto
    )


def method_rank(methods: pd.Series) -> pd.Series:
    """0 for the user's decisions, 1 exact, 2 fuzzy, 3 anything else (lower is preferred)."""
    return methods.map(METHOD_RANK).fillna(3)


def best_per_class(
    pairs_df: pd.DataFrame, by: list[str], *, title_col: str, size_col: str | None = None
) -> pd.DataFrame:
    """One pair per `by` group (e.g. agency x subject class x year): the user's decision
    first, then an exact title, then the highest score, then the most incumbents
    (`size_col`), then the title in alphabetical order."""
    if pairs_df.empty:
        return pairs_df
    d = pairs_df.assign(_rank=method_rank(pairs_df["method"]), _title=pairs_df[title_col])
    order = ["_rank", "score"] + ([size_col] if size_col else []) + ["_title"]
    asc = [True, False] + ([False] if size_col else []) + [True]
    d = d.sort_values([*by, *order], ascending=[True] * len(by) + asc, kind="stable")
    return d.groupby(by, as_index=False, sort=False).head(1).drop(columns=["_rank", "_title"])


# Reviewing one survey agency's matches -------------------------------------------------------

REVIEW_COLUMNS = [
    "subject_class_code",
    "subject_title",
    "comparator_title",
    "automatic_title",
    "method",
    "score",
    "reason",
    "decision",
]


def latest_rows(rows: pd.DataFrame | None) -> pd.DataFrame:
    """One row per agency x position x year (the title compared as title_key),
    from the latest import that holds it."""
    if rows is None or rows.empty:
        return pd.DataFrame(columns=list(rows.columns) if rows is not None else ["agency"])
    r = rows.assign(_k=rows["position"].map(title_key))
    r = r.sort_values("import_id", kind="stable").groupby(["agency", "_k", "year"]).tail(1)
    return r.drop(columns="_k").sort_values(["agency", "position", "year"]).reset_index(drop=True)


def _agency_pairs(con, subject, agency, gcc_rows, survey_rows, user_decisions):
    """(title column, pairs) of one survey agency: its GCC positions (latest import) if it
    has any, else its template rows."""
    g = latest_rows(gcc_rows)
    g = g[g["agency"] == agency] if not g.empty else g
    if not g.empty:
        p = gcc_pairs(con, subject, g, user_decisions)
        by = ["subject_class_code"]
        p = p.sort_values("year", ascending=False, kind="stable") if not p.empty else p
        return "position", best_per_class(p, by, title_col="position", size_col="incumbents")
    s = survey_rows[survey_rows["agency"] == agency] if survey_rows is not None else None
    if s is None or s.empty:
        return "class_title", pd.DataFrame(columns=["subject_class_code", *MATCH_OUT])
    p = uploaded_pairs(con, subject, s, user_decisions)
    return "class_title", best_per_class(p, ["subject_class_code"], title_col="class_title")


def survey_titles(
    agency: str, gcc_rows: pd.DataFrame | None, survey_rows: pd.DataFrame | None
) -> list[str]:
    """The titles a survey agency reports (its GCC positions, else its template titles)."""
    for rows, col in ((gcc_rows, "position"), (survey_rows, "class_title")):
        if rows is not None and not rows.empty:
            mine = rows.loc[rows["agency"] == agency, col]
            if not mine.empty:
                return sorted({str(t) for t in mine}, key=str.casefold)
    return []


def review_rows(
    con: duckdb.DuckDBPyConnection,
    subject: str,
    agency: str,
    *,
    gcc_rows: pd.DataFrame | None = None,
    survey_rows: pd.DataFrame | None = None,
    user_decisions: pd.DataFrame | None = None,
    include_unmatched: bool = False,
) -> pd.DataFrame:
    """One row per subject class for reviewing one survey agency's matches (REVIEW_COLUMNS):
    the title that stands for it now (your decision, else the automatic match), the automatic
    match, how and why, and your saved decision ('' when none). Classes with neither, only
    with `include_unmatched`."""
    col, now = _agency_pairs(con, subject, agency, gcc_rows, survey_rows, user_decisions)
    _, auto = _agency_pairs(con, subject, agency, gcc_rows, survey_rows, None)
    classes = subject_classes(con, subject)[["class_code", "class_title"]]
    out = classes.rename(
        columns={"class_code": "subject_class_code", "class_title": "subject_title"}
    )
    cur = now.set_index("subject_class_code") if not now.empty else None
    aut = auto.set_index("subject_class_code") if not auto.empty else None
    d = _decisions(user_decisions, subject, {agency}).set_index("subject_class_code")

    def pick(frame, code, name, default=None):
        if frame is None or code not in frame.index:
            return default
        return frame.loc[code, name]

    codes = out["subject_class_code"]
    out["comparator_title"] = [pick(cur, c, col) for c in codes]
    out["automatic_title"] = [pick(aut, c, col) for c in codes]
    out["method"] = [pick(cur, c, "method", "none") for c in codes]
    out["score"] = [float(pick(cur, c, "score", pick(aut, c, "score", 0.0))) for c in codes]
    out["reason"] = [pick(cur, c, "reason", pick(aut, c, "reason", "")) for c in codes]
    out["decision"] = [str(d.loc[c, "decision"]) if c in d.index else "" for c in codes]
    rejected = out["decision"] == "rejected"
    out.loc[rejected, "reason"] = "rejected by the user: no comparable title"
    if not include_unmatched:
        out = out[out["comparator_title"].notna() | out["automatic_title"].notna() | rejected]
    out = crosswalk.with_none(out, ["comparator_title", "automatic_title"])
    return out[REVIEW_COLUMNS].reset_index(drop=True)


def review_decisions(
    subject: str, agency: str, edited: pd.DataFrame, reason: str = ""
) -> list[tuple]:
    """The rows of an edited review table marked 'confirm' or 'reject', as
    userdata.class_matches.save_many rows: confirming the automatic title is 'confirmed',
    another title 'manual'; a confirm without a title is skipped."""
    out = []
    for r in edited.to_dict("records"):
        action = r.get("action")
        title = r.get("comparator_title")
        title = title if isinstance(title, str) and title.strip() else None
        why = str(r.get("note") or "").strip() or reason
        if action == "reject":
            out.append((subject, r["subject_class_code"], agency, None, "rejected", why))
        elif action == "confirm" and title is not None:
            same = title_key(title) == title_key(r.get("automatic_title"))
            decision = "confirmed" if same else "manual"
            out.append((subject, r["subject_class_code"], agency, title, decision, why))
    return out
