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
same word (see "Scoring" below for why not plain token_sort_ratio). FUZZY_THRESHOLD was chosen
by reading every Mendocino -> Sonoma and Sonoma -> Mendocino best candidate;
tests/analysis/test_crosswalk.py keeps the hand-checked pairs and their verdicts.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process
from scipy import sparse

from analysis.warehouse import query
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

# A best candidate is accepted as a fuzzy match from this score up. Chosen by reading every
# best candidate between Mendocino and Sonoma, both directions (tests/analysis/test_crosswalk.py
# keeps the hand-checked pairs): the scores have a gap between 75.2 and 75.8. At 75.8 and up,
# 37 of 42 pairs are the same job (SOCIAL WORKER I ~ SOCIAL SERVICE WORKER I, CHILD SUPPORT
# SPECIALIST I ~ CHILD SUPPORT OFFICER I); at 75.0-75.2 sit PARK PLANNER I/II ~ PLANNER I/II
# and PUBLIC HEALTH (LAB) ASSISTANT, and below, mostly different jobs (SR ANALYST ~ SENIOR
# PROGRAMMER ANALYST 72.1, VICTIM / WITNESS COORDINATOR ~ VICTIM WITNESS ADVOCATE 70.9).
FUZZY_THRESHOLD = 75.5
# When the runner-up also reaches the threshold within this many points, the choice is left to
# the user (Mendocino EMPLOYMENT & TRAINING SUPERVISOR: Sonoma's supervising E&T specialist 90,
# supervising E&T counselor 83).
TIE_MARGIN = 10.0
# Sonoma's Appendix A printed titles in a 30-character field; the last word may be cut short.
TRUNCATED_TITLE_LENGTH = 30

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

# Title normalization -------------------------------------------------------------------------

# Abbreviations as they occur in the Sonoma and Mendocino class lists (and common in survey
# files). ADMIN, SUPV, ACCT, REG and GUARD depend on their neighbours: see _expand().
ABBREVIATIONS: dict[str, str] = {
    "SR": "SENIOR",
    "SNR": "SENIOR",
    "SUPVR": "SUPERVISOR",
    "SUPVG": "SUPERVISING",
    "ASST": "ASSISTANT",
    "ASSIST": "ASSISTANT",
    "ASSOC": "ASSOCIATE",
    "TECH": "TECHNICIAN",
    "SPEC": "SPECIALIST",
    "SPC": "SPECIALIST",
    "COORD": "COORDINATOR",
    "MAINT": "MAINTENANCE",
    "WKR": "WORKER",
    "ENGR": "ENGINEER",
    "INFO": "INFORMATION",
    "EMPL": "EMPLOYMENT",
    "EMP": "EMPLOYMENT",
    "TRNG": "TRAINING",
    "TRG": "TRAINING",
    "COUNS": "COUNSELOR",
    "COUN": "COUNSELOR",
    "DEPT": "DEPARTMENT",
    "DEP": "DEPUTY",
    "PUB": "PUBLIC",
    "SVCS": "SERVICES",
    "SVC": "SERVICES",
    "MGMT": "MANAGEMENT",
    "MGR": "MANAGER",
    "PRACT": "PRACTITIONER",
    "PHYS": "PHYSICIAN",
    "FAM": "FAMILY",
    "EMER": "EMERGENCY",
    "MED": "MEDICAL",
    "HLTH": "HEALTH",
    "REHAB": "REHABILITATION",
    "REHABIL": "REHABILITATION",
    "BLDG": "BUILDING",
    "AG": "AGRICULTURAL",
    "AGRIC": "AGRICULTURAL",
    "PREM": "PREMIUM",
    "EXHBT": "EXHIBIT",
    "PROJ": "PROJECT",
    "SUPT": "SUPERINTENDENT",
    "FAIRGRDS": "FAIRGROUNDS",
    "OFF": "OFFICER",
    "OFCR": "OFFICER",
    "CONSERV": "CONSERVATOR",
    "LVN": "LICENSED VOCATIONAL NURSE",
    "RN": "REGISTERED NURSE",
    "GIS": "GEOGRAPHIC INFORMATION SYSTEMS",
    "IT": "INFORMATION TECHNOLOGY",
    "AOD": "ALCOHOL AND OTHER DRUG",
    "AODS": "ALCOHOL AND OTHER DRUG SERVICES",
    "WA": "WATER AGENCY",
    "PROG": "PROGRAM",
    "SYS": "SYSTEMS",
    "ANLST": "ANALYST",
    "OPER": "OPERATOR",
    "OPS": "OPERATIONS",
    "EQUIP": "EQUIPMENT",
    "INSP": "INSPECTOR",
    "LIC": "LICENSED",
    "VOC": "VOCATIONAL",
    "PSYCH": "PSYCHIATRIC",
    "ENV": "ENVIRONMENTAL",
    "ENVIRON": "ENVIRONMENTAL",
    "CLK": "CLERK",
    "SECY": "SECRETARY",
    "ACCTG": "ACCOUNTING",
    "REP": "REPRESENTATIVE",
    "DIR": "DIRECTOR",
    "ADMR": "ADMINISTRATOR",
    # misspellings printed in Sonoma's Appendix A
    "ENVIROMENTAL": "ENVIRONMENTAL",
    "TECHICIAN": "TECHNICIAN",
    "AGRICULTRUAL": "AGRICULTURAL",
}

# Two-word abbreviations (Sonoma: "SUPV E H SPECIALIST", "SENIOR M H REHABILITATION SPEC").
PHRASES: dict[tuple[str, ...], str] = {
    ("E", "H"): "ENVIRONMENTAL HEALTH",
    ("M", "H"): "MENTAL HEALTH",
    ("IN", "TRAINING"): "TRAINEE",
}

_PHRASE_FIRST = frozenset(p[0] for p in PHRASES)

ROMAN_LEVELS = {"I": "1", "II": "2", "III": "3", "IV": "4", "V": "5"}

# ADMIN before one of these is ADMINISTRATIVE (ADMIN ASSISTANT); otherwise ADMINISTRATOR
# (Sonoma's DEP PUBLIC ADMIN/GUARD/CONSERV is the deputy public administrator).
_ADMINISTRATIVE_BEFORE = {
    "ASSISTANT",
    "ASST",
    "AIDE",
    "SECRETARY",
    "SECY",
    "ANALYST",
    "SERVICES",
    "SVCS",
    "SUPPORT",
    "CLERK",
    "TECHNICIAN",
    "TECH",
    "SPECIALIST",
    "SPEC",
    "OFFICER",
    "COORDINATOR",
    "MANAGER",
    "SUPERVISOR",
}

# Whole words a title cut at the 30-character field may have lost the end of. A cut last word
# ("SPECIALI", "NURS", "SUPERVI") is completed to the shortest of these it begins.
VOCABULARY: frozenset[str] = frozenset(
    {w for v in ABBREVIATIONS.values() for w in v.split()}
    | {
        "ADMINISTRATIVE",
        "ADMINISTRATOR",
        "ANALYST",
        "APPRAISER",
        "ASSISTANT",
        "ATTENDANT",
        "CLERK",
        "CLINICIAN",
        "COMMISSIONER",
        "CONSERVATOR",
        "COORDINATOR",
        "COUNSELOR",
        "DESIGNER",
        "DEVELOPMENT",
        "ENGINEER",
        "ENGINEERING",
        "EXAMINER",
        "GUARDIAN",
        "INSPECTOR",
        "INVESTIGATOR",
        "MAINTENANCE",
        "MANAGEMENT",
        "MANAGER",
        "NEGOTIATOR",
        "NURSE",
        "NURSING",
        "OFFICER",
        "OPERATOR",
        "PHOTOGRAPHER",
        "PLANNER",
        "PRACTITIONER",
        "PROGRAMMER",
        "REHABILITATION",
        "REPRESENTATIVE",
        "SECRETARY",
        "SPECIALIST",
        "SUPERVISING",
        "SUPERVISOR",
        "TECHNICIAN",
        "THERAPIST",
        "TRAINEE",
        "WORKER",
    }
)

# Words that make a class a different rank of the same series; both sides must have the same.
RANK_WORDS = {
    "SENIOR": "SENIOR",
    "SUPERVISOR": "SUPERVISOR",
    "SUPERVISING": "SUPERVISOR",
    "TRAINEE": "TRAINEE",
    "LEAD": "LEAD",
    "CHIEF": "CHIEF",
    "HEAD": "HEAD",
    "PRINCIPAL": "PRINCIPAL",
    "MANAGER": "MANAGER",
    "DEPUTY": "DEPUTY",
    "ASSISTANT": "ASSISTANT",
    "AIDE": "AIDE",
    "ASSOCIATE": "ASSOCIATE",
}

# Match keys: one word form for words that differ only in form, and no filler words.
_KEY_FORMS = {"SUPERVISING": "SUPERVISOR", "AGRICULTURE": "AGRICULTURAL"}
_KEY_STOPWORDS = {"AND", "OF", "THE", "FOR"}

_SPLIT = re.compile(r"[^A-Z0-9]+")


def _ascii_upper(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").upper()


def _raw_tokens(title: str) -> list[str]:
    text = _ascii_upper(title).replace("'", "").replace("&", " AND ")
    return [t for t in _SPLIT.split(text) if t]


def _expand(tokens: list[str]) -> list[str]:
    """Apply PHRASES, then the word-by-word table with its context rules."""
    joined: list[str] = []
    i = 0
    while i < len(tokens):
        if tokens[i] not in _PHRASE_FIRST:  # most words start no phrase: skip the table
            joined.append(tokens[i])
            i += 1
            continue
        for phrase, expansion in PHRASES.items():
            if tuple(tokens[i : i + len(phrase)]) == phrase:
                joined.extend(expansion.split())
                i += len(phrase)
                break
        else:
            joined.append(tokens[i])
            i += 1
    present = set(joined)
    out: list[str] = []
    for i, tok in enumerate(joined):
        nxt = joined[i + 1] if i + 1 < len(joined) else None
        if tok == "ADMIN":
            word = "ADMINISTRATIVE" if nxt in _ADMINISTRATIVE_BEFORE else "ADMINISTRATOR"
        elif tok == "SUPV":
            # leading SUPV is an adjective (SUPV CHILD SUPPORT OFFICER), trailing a noun
            word = "SUPERVISING" if i == 0 else "SUPERVISOR"
        elif tok == "ACCT":
            word = "ACCOUNT" if nxt in {"CLERK", "CLK", "SPECIALIST", "SPEC"} else "ACCOUNTING"
        elif tok == "REG":
            word = "REGISTERED" if nxt in {"NURSE", "VETERINARY"} else "REGULATION"
        elif tok == "GUARD":
            word = "GUARDIAN" if present & {"ADMIN", "CONSERV", "PUBLIC"} else "GUARD"
        elif tok in ROMAN_LEVELS:
            word = ROMAN_LEVELS[tok]
        else:
            word = ABBREVIATIONS.get(tok, tok)
        out.extend(word.split())
    return out


def is_truncated(title: str | None) -> bool:
    """True when a title fills the 30-character field Sonoma's Appendix A printed titles in,
    so its last word may be cut short ("COMMUNITY DEVELOPMENT SPECIALI")."""
    return isinstance(title, str) and len(title.strip()) == TRUNCATED_TITLE_LENGTH


def _complete(word: str, vocabulary: frozenset[str] | set[str]) -> str:
    """The shortest vocabulary word that `word` is a proper beginning of, else `word`."""
    if word in vocabulary or word.isdigit():
        return word
    longer = sorted((w for w in vocabulary if w.startswith(word) and w != word), key=len)
    return longer[0] if longer else word


def normalize_title(title: str | None) -> str:
    """A class title in one canonical spelling: upper case, punctuation as spaces, '&' as AND,
    abbreviations expanded (SR -> SENIOR, SUPV -> SUPERVISING ...), level numbers as digits
    (ACCOUNT CLERK III -> ACCOUNT CLERK 3), and the last word of a title cut at 30 characters
    completed (SUPERVISING PUBLIC HEALTH NURS -> ... NURSE)."""
    if not isinstance(title, str) or not title.strip():
        return ""
    tokens = _expand(_raw_tokens(title))
    if tokens and is_truncated(title):
        tokens[-1] = _complete(tokens[-1], VOCABULARY)
    return " ".join(tokens)


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("S") and not word.endswith(("SS", "US", "IS")):
        return word[:-1]
    return word


@dataclass(frozen=True)
class ParsedTitle:
    """A title with everything matching needs, computed once."""

    title: str
    normalized: str
    key: tuple[str, ...]  # match-key words in title order
    levels: tuple[str, ...]  # level numbers (ACCOUNT CLERK III -> ('3',))
    ranks: frozenset[str]  # SENIOR, SUPERVISOR, TRAINEE, ...
    truncated: bool


def parse_title(title: str | None) -> ParsedTitle:
    """Normalize a title once and keep its match key, level numbers and rank words."""
    normalized = normalize_title(title)
    words = normalized.split()
    key = tuple(_singular(_KEY_FORMS.get(w, w)) for w in words if w not in _KEY_STOPWORDS)
    levels = tuple(w for w in words if w.isdigit())
    ranks = frozenset(RANK_WORDS[w] for w in words if w in RANK_WORDS)
    text = title if isinstance(title, str) else ""
    return ParsedTitle(text, normalized, key, levels, ranks, is_truncated(title))


# Scoring -------------------------------------------------------------------------------------
#
# Plain rapidfuzz token_sort_ratio / token_set_ratio on the keys rated VETERANS SERVICES
# REPRESENTATIVE vs TENANT SERVICES REPRESENTATIVE at 92 and SUPERVISING CLERK vs SUPERVISING
# CLINIC CLERK at 91: the shared generic words outweigh the one word that names the job. The
# score is therefore a weighted token overlap (Dice): each match-key word weighs its inverse
# document frequency over the two class lists being compared, so SPECIALIST, SERVICES and
# WORKER count little and VETERANS or TENANT a lot. Words count as the same when rapidfuzz's
# ratio between them is at least TOKEN_RATIO (COUNSELOR / COUNSELLOR, LICENSE / LICENSED).

TOKEN_RATIO = 90.0
# Level numbers weigh the same whatever the level (2.5, about the IDF of a level number in the
# Sonoma and Mendocino lists), so ACCOUNT CLERK I and II score alike
# against their counterparts (the guard, not the score, keeps levels apart).
LEVEL_WEIGHT = 2.5
_MIN_FUZZY_TOKEN = 5  # shorter words must be spelled the same


def _token_groups(tokens: set[str]) -> dict[str, str]:
    """Each word -> a representative word of its group of near-identical spellings."""
    words = sorted(tokens)
    rep = {w: w for w in words}
    long = [w for w in words if len(w) >= _MIN_FUZZY_TOKEN and not w.isdigit()]
    if len(long) > 1:
        sim = process.cdist(long, long, scorer=fuzz.ratio, score_cutoff=TOKEN_RATIO)
        for i, w in enumerate(long):
            for j in np.nonzero(sim[i, :i])[0]:
                rep[w] = rep[long[int(j)]]
                break
    return rep


def token_weights(titles: list[ParsedTitle]) -> dict[str, float]:
    """Inverse document frequency, log(1 + N / df), of each match-key word over `titles`
    (near-identical spellings pooled); level numbers weigh LEVEL_WEIGHT."""
    groups = _token_groups({w for t in titles for w in t.key})
    df: dict[str, int] = {}
    for t in titles:
        for g in {groups[w] for w in t.key}:
            df[g] = df.get(g, 0) + 1
    n = max(len(titles), 1)
    return {w: LEVEL_WEIGHT if w.isdigit() else float(np.log1p(n / df[groups[w]])) for w in groups}


def _dice(ka: tuple[str, ...], kb: tuple[str, ...], weights: dict[str, float]) -> float:
    if not ka or not kb:
        return 0.0
    groups = _token_groups(set(ka) | set(kb))
    ga = {groups[w] for w in ka}
    gb = {groups[w] for w in kb}
    w = {groups[k]: weights.get(k, 1.0) for k in (*ka, *kb)}
    total = sum(w[g] for g in ga) + sum(w[g] for g in gb)
    return 100.0 * 2 * sum(w[g] for g in ga & gb) / total if total else 0.0


def _cut_key(t: ParsedTitle, other: ParsedTitle) -> tuple[str, ...]:
    """A truncated title's key with its last word completed from the other title's words."""
    if not t.truncated or not t.key or t.key[-1] in other.key:
        return t.key
    return (*t.key[:-1], _complete(t.key[-1], set(other.key)))


def title_score(a: ParsedTitle, b: ParsedTitle, weights: dict[str, float] | None = None) -> float:
    """Similarity 0-100 of two parsed titles: weighted Dice overlap of their match-key words
    (`weights` from token_weights; every word weighs 1 without). A title cut at 30 characters
    may also have lost whole words after the cut, so it is also compared with as many leading
    words of the other title, less 5 points, and the better score counts."""
    weights = weights or {}
    ka, kb = _cut_key(a, b), _cut_key(b, a)
    score = _dice(ka, kb, weights)
    if a.truncated and len(kb) > len(ka):
        score = max(score, _dice(ka, kb[: len(ka)], weights) - 5)
    if b.truncated and len(ka) > len(kb):
        score = max(score, _dice(ka[: len(kb)], kb, weights) - 5)
    return round(score, 1)


def score_matrix(
    subject: list[ParsedTitle],
    comparator: list[ParsedTitle],
    weights: dict[str, float] | None = None,
) -> np.ndarray:
    """title_score for every subject x comparator pair, with IDF weights over both lists
    unless given (vectorized; pairs with a truncated title are scored one by one)."""
    scores = np.zeros((len(subject), len(comparator)))
    if not subject or not comparator:
        return scores
    if weights is None:
        weights = token_weights(subject + comparator)
    groups = _token_groups({w for t in (*subject, *comparator) for w in t.key})
    index = {g: k for k, g in enumerate(sorted(set(groups.values())))}
    gw = np.zeros(len(index))
    for w, g in groups.items():
        gw[index[g]] = weights.get(w, 1.0)

    def incidence(titles: list[ParsedTitle]) -> sparse.csr_matrix:
        # sparse: a dense titles x vocabulary matrix of 50,000 GCC titles would take GBs
        cells = {(i, index[groups[w]]) for i, t in enumerate(titles) for w in t.key}
        rows = [i for i, _ in cells]
        cols = [j for _, j in cells]
        return sparse.csr_matrix(
            (np.ones(len(cells)), (rows, cols)), shape=(len(titles), len(index))
        )

    a, b = incidence(subject), incidence(comparator)
    shared = (a @ (b @ sparse.diags(gw)).T).toarray()
    total = np.asarray(a @ gw).ravel()[:, None] + np.asarray(b @ gw).ravel()[None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        scores = np.where(total > 0, np.round(100.0 * 2 * shared / total, 1), 0.0)
    for i, t in enumerate(subject):
        if t.truncated:
            scores[i, :] = [title_score(t, c, weights) for c in comparator]
    for j, c in enumerate(comparator):
        if c.truncated:
            scores[:, j] = [title_score(t, c, weights) for t in subject]
    return scores


def _levels_text(levels: tuple[str, ...]) -> str:
    return "/".join(levels) if levels else "none"


def guard(a: ParsedTitle, b: ParsedTitle) -> str | None:
    """Why two titles must not be matched automatically, or None: level numbers and rank
    words (SENIOR, SUPERVISOR, TRAINEE, ...) must agree."""
    if a.levels != b.levels:
        return f"level differs ({_levels_text(a.levels)} vs {_levels_text(b.levels)})"
    if a.ranks != b.ranks:
        only_a = sorted(a.ranks - b.ranks)
        only_b = sorted(b.ranks - a.ranks)
        parts = [", ".join(w) for w in (only_a, only_b)]
        return f"rank words differ ({parts[0] or 'none'} vs {parts[1] or 'none'})"
    return None


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


def _named(codes: list[str], parsed_b: list[ParsedTitle], j: int, row: np.ndarray) -> str:
    return f"{codes[j]} {parsed_b[j].title!r} ({row[j]:.1f})"


def _automatic(
    i: int,
    a: ParsedTitle,
    codes: list[str],
    parsed_b: list[ParsedTitle],
    scores: np.ndarray,
    threshold: float,
) -> tuple[int | None, str, float, str]:
    """(comparator row, method, score, reason) for one subject class without overrides."""
    if not a.key:
        return None, "none", 0.0, "the agreement prints this class code without a title"
    exact = [j for j, b in enumerate(parsed_b) if b.normalized == a.normalized]
    if exact:
        j = exact[0]
        note = ""
        if a.truncated or parsed_b[j].truncated:
            note = " (a title cut at 30 characters in the source, last word completed)"
        if len(exact) > 1:
            others = ", ".join(codes[k] for k in exact[1:])
            note += f"; the same title is also class {others}"
        return j, "exact", 100.0, f"normalized titles equal: {a.normalized!r}{note}"
    row = scores[i]
    order = [int(j) for j in np.argsort(-row, kind="stable") if row[j] > 0]
    if not order:
        return None, "none", 0.0, "no comparator title shares a word with this one"
    best = order[0]
    allowed = [j for j in order if guard(a, parsed_b[j]) is None]
    if not allowed or row[allowed[0]] < threshold:
        if row[best] < threshold:
            why = f"best candidate {_named(codes, parsed_b, best, row)} is below {threshold:.0f}"
        else:
            why = (
                f"best candidate {_named(codes, parsed_b, best, row)} not taken: "
                f"{guard(a, parsed_b[best])}"
            )
            if allowed:
                why += (
                    f"; best same-level candidate {_named(codes, parsed_b, allowed[0], row)} "
                    f"is below {threshold:.0f}"
                )
        return None, "none", 0.0, why
    j = allowed[0]
    ties = [k for k in allowed[1:] if row[k] >= threshold and row[j] - row[k] < TIE_MARGIN]
    if ties:
        named = ", ".join(_named(codes, parsed_b, k, row) for k in [j, *ties])
        return None, "none", 0.0, f"ambiguous, candidates within {TIE_MARGIN:.0f} points: {named}"
    return (
        j,
        "fuzzy",
        float(row[j]),
        f"{a.normalized!r} ~ {parsed_b[j].normalized!r}: {row[j]:.1f} >= {threshold:.0f}, "
        "same level and rank words",
    )


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
            j, method, score, reason = None, "none", 0.0, no_classes_reason(comparator_agency)
        else:
            j, method, score, reason = _automatic(i, a, codes, parsed_b, scores, threshold)
        ignored = []
        if code in overrides:
            o_code, o_reason = overrides[code]
            if o_code is None:
                j, method, score, reason = None, "override", 100.0, f"override: {o_reason}"
            elif o_code in codes_b:
                j, method, score = codes_b[o_code], "override", 100.0
                reason = f"override: {o_reason}"
            else:
                ignored.append(f"override to {o_code} ignored: no such {comparator_agency} class")
        if code in decisions:
            d = decisions[code]
            why = d.get("reason")
            note = f" ({why.strip()})" if isinstance(why, str) and why.strip() else ""
            if d["decision"] == "rejected":
                j, method, score = None, "none", 0.0
                reason = f"rejected by the user: no comparable class{note}"
            elif d["comparator_class_code"] in codes_b:
                j = codes_b[d["comparator_class_code"]]
                method = "user_confirmed" if d["decision"] == "confirmed" else "user_manual"
                score = float(scores[i, j])
                reason = f"{d['decision']} by the user{note}"
            else:
                ignored.append(
                    f"user decision for {d['comparator_class_code']} ignored: no such "
                    f"{comparator_agency} class"
                )
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
    Controller file) use analysis.title_match.match_many."""
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
