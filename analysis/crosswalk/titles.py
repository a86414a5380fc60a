"""Class titles in one canonical spelling, for the class crosswalk (analysis/crosswalk/match.py).

Agencies spell the same class differently (SR / SENIOR, SUPV / SUPERVISING, roman or arabic
level numbers, abbreviations) and Sonoma's Appendix A cut every title at 30 characters
("COMMUNITY DEVELOPMENT SPECIALI"). `normalize_title` writes a title one way; `parse_title`
keeps what matching needs (the match key, level numbers, rank words), computed once.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Sonoma's Appendix A printed titles in a 30-character field; the last word may be cut short.
TRUNCATED_TITLE_LENGTH = 30

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
    joined = _join_phrases(tokens)
    present = set(joined)
    out: list[str] = []
    for i, tok in enumerate(joined):
        nxt = joined[i + 1] if i + 1 < len(joined) else None
        out.extend(_expand_word(tok, i, nxt, present).split())
    return out


def _join_phrases(tokens: list[str]) -> list[str]:
    """The tokens with each two-word abbreviation of PHRASES replaced by its words."""
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
    return joined


def _expand_word(tok: str, i: int, nxt: str | None, present: set[str]) -> str:
    """One word written out, by its neighbours where they decide it (position `i`, the next
    word `nxt`, the title's words `present`)."""
    if tok == "ADMIN":
        return "ADMINISTRATIVE" if nxt in _ADMINISTRATIVE_BEFORE else "ADMINISTRATOR"
    if tok == "SUPV":
        # leading SUPV is an adjective (SUPV CHILD SUPPORT OFFICER), trailing a noun
        return "SUPERVISING" if i == 0 else "SUPERVISOR"
    if tok == "ACCT":
        return "ACCOUNT" if nxt in {"CLERK", "CLK", "SPECIALIST", "SPEC"} else "ACCOUNTING"
    if tok == "REG":
        return "REGISTERED" if nxt in {"NURSE", "VETERINARY"} else "REGULATION"
    if tok == "GUARD":
        return "GUARDIAN" if present & {"ADMIN", "CONSERV", "PUBLIC"} else "GUARD"
    if tok in ROMAN_LEVELS:
        return ROMAN_LEVELS[tok]
    return ABBREVIATIONS.get(tok, tok)


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
