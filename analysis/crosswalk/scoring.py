"""Scoring two class titles (0-100), the guard that keeps levels and ranks apart, and the
automatic decision for one class (exact, fuzzy or none), for the class crosswalk
(analysis/crosswalk/match.py) and the bulk title matcher (analysis/crosswalk/title_match.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz import fuzz, process

from analysis.crosswalk.titles import ParsedTitle, _complete

if TYPE_CHECKING:
    from scipy import sparse

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
_SMALL = 40  # up to this many words, ratios one by one


def _token_groups(tokens: set[str]) -> dict[str, str]:
    """Each word -> a representative word of its group of near-identical spellings."""
    words = sorted(tokens)
    rep = {w: w for w in words}
    long = [w for w in words if len(w) >= _MIN_FUZZY_TOKEN and not w.isdigit()]
    if len(long) > _SMALL:
        sim = process.cdist(long, long, scorer=fuzz.ratio, score_cutoff=TOKEN_RATIO)
        for i, w in enumerate(long):
            for j in np.nonzero(sim[i, :i])[0]:
                rep[w] = rep[long[int(j)]]
                break
    else:  # the words of two titles: a few ratios beat cdist's setup (the same groups)
        for i, w in enumerate(long):
            for v in long[:i]:
                if fuzz.ratio(w, v, score_cutoff=TOKEN_RATIO):
                    rep[w] = rep[v]
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
    # Imported here, not with the module: scipy takes 80-250 ms to import, and most pages
    # that import the crosswalk never score a matrix (My pay does, once per warehouse build).
    from scipy import sparse

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
    near = _near_words(groups)
    for i, t in enumerate(subject):
        if t.truncated:
            scores[i, :] = [
                title_score(t, c, weights) if _could_share(t, c, near) else 0.0 for c in comparator
            ]
    for j, c in enumerate(comparator):
        if c.truncated:
            scores[:, j] = [
                title_score(t, c, weights) if _could_share(t, c, near) else 0.0 for t in subject
            ]
    return scores


def _near_words(groups: dict[str, str]) -> dict[str, set[str]]:
    """Each word -> itself and the words within TOKEN_RATIO of it (the edges _token_groups
    joins words by, over the whole vocabulary)."""
    near = {w: {w} for w in groups}
    long = [w for w in groups if len(w) >= _MIN_FUZZY_TOKEN and not w.isdigit()]
    if len(long) > 1:
        sim = process.cdist(long, long, scorer=fuzz.ratio, score_cutoff=TOKEN_RATIO)
        for i, j in zip(*np.nonzero(sim), strict=True):
            near[long[i]].add(long[j])
    return near


def _could_share(a: ParsedTitle, b: ParsedTitle, near: dict[str, set[str]]) -> bool:
    """False when two titles cannot share a word group, so that title_score is 0: no word of
    one is within TOKEN_RATIO of a word of the other, and neither's cut last word begins a
    word of the other (the one way _cut_key changes a word)."""
    if not a.key or not b.key:
        return False
    words_b = set(b.key)
    if any(near.get(w, {w}) & words_b for w in a.key):
        return True
    if a.truncated and any(v.startswith(a.key[-1]) for v in b.key):
        return True
    return b.truncated and any(v.startswith(b.key[-1]) for v in a.key)


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


# The automatic decision ------------------------------------------------------------------


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
