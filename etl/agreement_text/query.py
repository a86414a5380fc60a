"""A clause search as typed by a user, compiled into a SQLite FTS5 expression that cannot break
FTS5's syntax: every word goes in as a quoted string (so AND, OR, NEAR, quotes, "*", ":" or
parentheses in the text are words or nothing, never operators), words are all required, a
"quoted phrase" stays a phrase, `word*` is a prefix, and the spellings agreements use for one
thing are searched together: a hyphenated word ("call-back") also finds "call back" and
"callback", and the closed forms of VARIANTS find their open forms. Stemming is the index's
(porter): "premiums" finds "premium"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from etl import defaults

# Closed compounds agreements also print open or hyphenated ("call back", "call-back").
VARIANTS = {
    "callback": "call back",
    "standby": "stand by",
    "layoff": "lay off",
    "workweek": "work week",
    "overtime": "over time",
    "telework": "tele work",
    "timecard": "time card",
    "lunchtime": "lunch time",
}
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_PIECE = re.compile(r'"([^"]*)"|(\S+)')


class QueryError(ValueError):
    """A search that cannot be run; the message says what to type instead."""


@dataclass(frozen=True)
class Query:
    expression: str  # the FTS5 MATCH expression
    terms: tuple[str, ...]  # the words and phrases searched, for the page to say


def _quoted(words: list[str]) -> str:
    return '"' + " ".join(words) + '"'


def _term(token: str) -> tuple[str, str] | None:
    """(FTS5 expression, words) of one unquoted token, or None when it holds no word."""
    prefix = token.endswith("*")
    words = [w.lower() for w in _WORD.findall(token)]
    if not words:
        return None
    if len(words) > 1:  # call-back, call/back: the open, the closed and the hyphenated form
        closed = "".join(words)
        return f"({_quoted(words)} OR {_quoted([closed])})", " ".join(words)
    word = words[0]
    if prefix and len(word) >= 3:
        return f"{_quoted([word])}*", word + "*"
    if word in VARIANTS:
        return f"({_quoted([word])} OR {_quoted(VARIANTS[word].split())})", word
    return _quoted([word]), word


def compile_query(text: object) -> Query:
    """The FTS5 expression of a search box's text; QueryError when it cannot be searched."""
    raw = "" if text is None else str(text)
    if len(raw) > defaults.MAX_SEARCH_CHARS:
        raise QueryError(
            f"the search is {len(raw):,} characters long; type a few words or a phrase (at "
            f"most {defaults.MAX_SEARCH_CHARS} characters)"
        )
    parts: list[str] = []
    terms: list[str] = []
    for m in _PIECE.finditer(raw):
        if m.group(1) is not None:  # a "quoted phrase"
            words = [w.lower() for w in _WORD.findall(m.group(1))]
            if words:
                parts.append(_quoted(words))
                terms.append(f'"{" ".join(words)}"')
            continue
        got = _term(m.group(2))
        if got:
            parts.append(got[0])
            terms.append(got[1])
    if not parts:
        raise QueryError("type a word or a phrase to search for (letters or digits)")
    if len(parts) > defaults.MAX_SEARCH_TERMS:
        raise QueryError(
            f"the search has {len(parts)} words or phrases; use at most "
            f"{defaults.MAX_SEARCH_TERMS} (the clause's key words)"
        )
    return Query(" AND ".join(parts), tuple(terms))
