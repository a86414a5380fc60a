"""Which premiums a class can earn, read from the eligibility text the agreement writes.

A premium's `eligibility` is the agreement's own words: some name classes ("Maintenance
Worker I/II, Water Agency Maintenance Worker I/II ... operating heavy construction
equipment"), some name bargaining units ("Nursing Services Bargaining Unit (0080)"), most name
neither ("Employees working 50% or more of shift hours between 2:00 p.m. and 10:00 p.m.").
For one class this sorts each premium into

- `this class`: its eligibility names the class (its title, at its level, or its code);
- `its unit`: it names the class's bargaining unit;
- `any class`: it names no class and no unit, so any employee who meets its condition
  qualifies (the condition is the text itself, shown beside it);

and leaves out the premiums written for other classes or units. Titles are compared in the
crosswalk's one spelling (analysis.crosswalk.titles.normalize_title: abbreviations expanded,
levels as digits), plurals folded, a level range ("I-III") read as every level in it, and a
title named without a level as the whole series. The class a premium is priced on ("reference
rate: I step of Maintenance Supervisor I (class 5050)") is not a class it is paid to, so that
clause is not read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from analysis.crosswalk.titles import normalize_title

THIS_CLASS, ITS_UNIT, ANY_CLASS = "this class", "its unit", "any class"

_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9}
_ROMAN_RE = "|".join(sorted(_ROMAN, key=len, reverse=True))
_RANGE = re.compile(rf"\b({_ROMAN_RE})\s*[-–—]\s*({_ROMAN_RE})\b")
_REFERENCE = re.compile(r"reference rate:[^;]*", re.I)
_DERIVED = re.compile(r";\s*derived from .*$", re.I | re.S)
_UNITS = re.compile(r"\bunits?\s*\(?\s*(\w+(?:\s*(?:,|and|or)\s*\w+)*)", re.I)
_CODES = re.compile(r"\bclass(?:es)?\s+(\w+(?:\s*(?:,|and|or)\s*\w+)*)", re.I)
_LEVELS = r"((?:\s(?:OR\s)?[1-9]\b)*)"


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("S") and not word.endswith(("SS", "US", "IS")):
        return word[:-1]
    return word


def _words(text: str) -> str:
    """Text in the crosswalk's spelling, every word singular, without AND ('Parks & Grounds'
    and 'PARKS GROUNDS' are one title)."""
    return " ".join(_singular(w) for w in normalize_title(text).split() if w != "AND")


def _expand_ranges(text: str) -> str:
    """'Inspector I-III' -> 'Inspector I II III' (a range names every level in it)."""

    def levels(m: re.Match) -> str:
        lo, hi = _ROMAN[m.group(1)], _ROMAN[m.group(2)]
        names = {v: k for k, v in _ROMAN.items()}
        return " ".join(names[i] for i in range(lo, hi + 1)) if lo < hi else m.group(0)

    return _RANGE.sub(levels, text)


def _split_title(title: str) -> tuple[str, str | None]:
    """A class title as (base words, level digit or None): 'MAINTENANCE WORKER 2' ->
    ('MAINTENANCE WORKER', '2')."""
    words = _words(title).split()
    if len(words) > 1 and re.fullmatch(r"[1-9]", words[-1]):
        return " ".join(words[:-1]), words[-1]
    return " ".join(words), None


class Titles:
    """An agency's class titles, compiled once for reading many eligibility texts."""

    def __init__(self, classes: Iterable[tuple[str, str]]):
        self.by_base: dict[str, list[tuple[str, str | None]]] = {}
        self.codes: set[str] = set()
        for code, title in classes:
            self.codes.add(str(code))
            base, level = _split_title(str(title or ""))
            if base:
                self.by_base.setdefault(base, []).append((str(code), level))
        # Longest first: at one position the longer title wins ("WATER AGENCY MAINTENANCE
        # WORKER" over "MAINTENANCE WORKER"), and a match consumes its words.
        bases = sorted(self.by_base, key=len, reverse=True)
        alternatives = "|".join(re.escape(b) for b in bases) or r"(?!)"
        self.pattern = re.compile(rf"(?<![A-Z0-9])({alternatives})(?![A-Z0-9]){_LEVELS}")
        self._read: dict[str, frozenset[str]] = {}

    def named(self, eligibility: str) -> frozenset[str]:
        """Class codes the text names (by title or by code); each text is read once."""
        key = eligibility or ""
        if key not in self._read:
            self._read[key] = frozenset(self._named(key))
        return self._read[key]

    def _named(self, eligibility: str) -> set[str]:
        text = _DERIVED.sub("", _REFERENCE.sub("", eligibility))
        found = set()
        for m in _CODES.finditer(text):
            found |= {w for w in re.split(r"\W+", m.group(1)) if w in self.codes}
        for m in self.pattern.finditer(_words(_expand_ranges(text))):
            levels = set(re.findall(r"[1-9]", m.group(2) or ""))
            for code, level in self.by_base[m.group(1)]:
                if not levels or level in levels:
                    found.add(code)
        return found


def named_units(eligibility: str, units: Iterable[str]) -> set[str]:
    """The bargaining units (of `units`) the text names ('Units 0001, 0005', 'Unit (0080)')."""
    known = {str(u) for u in units if u}
    text = _DERIVED.sub("", _REFERENCE.sub("", eligibility or ""))
    out: set[str] = set()
    for m in _UNITS.finditer(text):
        out |= {w for w in re.split(r"\W+", m.group(1)) if w in known}
    return out


def for_class(
    premiums: pd.DataFrame,
    class_code: str,
    unit: str | None,
    titles: Titles,
    units: Iterable[str],
) -> pd.DataFrame:
    """The premiums (rows of the `premiums` view) open to one class, with `applies` =
    THIS_CLASS, ITS_UNIT or ANY_CLASS; premiums written for other classes or units are left
    out."""
    units = list(units)
    applies = []
    for text in premiums["eligibility"].fillna(""):
        codes, named = titles.named(text), named_units(text, units)
        if class_code in codes:
            applies.append(THIS_CLASS)
        elif unit is not None and unit in named:
            applies.append(ITS_UNIT)
        elif codes or named:
            applies.append(None)
        else:
            applies.append(ANY_CLASS)
    out = premiums.assign(applies=applies)
    return out[out["applies"].notna()].reset_index(drop=True)
