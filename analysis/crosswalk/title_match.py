"""Matching tens of thousands of free titles (GCC Position titles) against a class list.

`match_many(titles, codes, class_titles)` decides like analysis.crosswalk.match.match_titles (the
same normalization, weighted Dice score, FUZZY_THRESHOLD, level and rank guards, TIE_MARGIN and
reason texts) but scales: titles are deduplicated and parsed once, the scores of all pairs that
share a word come from two sparse matrix products (scipy.sparse), and the best, best allowed
and runner-up candidates are picked with array operations, not a Python loop over pairs.

One difference, on purpose: the word weights (inverse document frequency) are computed over
the class list plus the one title being scored, as if each title were matched alone -
`match_many(ts)` row i equals `match_titles([ts[i]])`. match_titles weighs words over all the
titles it is given, so a title's score there depends on which other titles share the upload;
with a 50,000-title State Controller file that would let the file's own vocabulary re-weight
every word (CLERK, SPECIALIST, ...), away from the class lists FUZZY_THRESHOLD was chosen on.

Near-identical spellings (COUNSELOR / COUNSELLOR) are pooled as in the crosswalk: a title word
joins the group of the first class word (alphabetically) within crosswalk.TOKEN_RATIO of it.
(The crosswalk pools over the words of both lists at once; the two can differ only where a
title word links two class words that are not alike themselves - a chain of three spellings.)
Titles or classes cut at 30 characters (crosswalk.is_truncated) are scored pair by pair with
the crosswalk's title_score rules, on the pairs that share a word or a completable last word.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd

from analysis.crosswalk import match as cw
from analysis.crosswalk.match import FUZZY_THRESHOLD, TIE_MARGIN, ParsedTitle

MATCH_COLUMNS = ["title", "class_code", "class_title", "method", "score", "reason"]


def _ids(values: list) -> np.ndarray:
    index: dict = {}
    return np.array([index.setdefault(v, len(index)) for v in values], dtype=np.int64)


def _row_max(rows: np.ndarray, vals: np.ndarray, n_rows: int) -> np.ndarray:
    out = np.full(n_rows, -np.inf)
    np.maximum.at(out, rows, vals)
    return out


def _candidates(rows, vals, ok, n_rows: int, threshold: float) -> np.ndarray:
    """The entries a decision can look at: each title's best candidates, its best allowed
    ones (level and rank words agree) and every allowed one at the threshold or above."""
    best = _row_max(rows, vals, n_rows)
    best_ok = _row_max(rows[ok], vals[ok], n_rows)
    return (vals == best[rows]) | (ok & ((vals >= threshold) | (vals == best_ok[rows])))


def _ranked(rows, cols, scores, n_rows) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Entries sorted by row, score descending, column ascending; and each row's start/end."""
    order = np.lexsort((cols, -scores, rows))
    r = rows[order]
    starts = np.searchsorted(r, np.arange(n_rows), side="left")
    ends = np.searchsorted(r, np.arange(n_rows), side="right")
    return order, starts, ends


def _named(codes: list[str], pb: list[ParsedTitle], j: int, score: float) -> str:
    return f"{codes[j]} {pb[j].title!r} ({score:.1f})"


def _decide(
    t: ParsedTitle,
    entries: list[tuple[int, float, bool]],
    codes: list[str],
    pb: list[ParsedTitle],
    threshold: float,
) -> tuple[int | None, str, float, str]:
    """crosswalk._automatic for one title without an exact match, from its candidates
    (class, score, allowed by the guards), best first."""
    if not entries:
        return None, "none", 0.0, "no comparator title shares a word with this one"
    best, best_score, _ = entries[0]
    allowed = [(j, s) for j, s, ok in entries if ok]
    if not allowed or allowed[0][1] < threshold:
        if best_score < threshold:
            why = f"best candidate {_named(codes, pb, best, best_score)} is below {threshold:.0f}"
        else:
            why = (
                f"best candidate {_named(codes, pb, best, best_score)} not taken: "
                f"{cw.guard(t, pb[best])}"
            )
            if allowed:
                why += (
                    f"; best same-level candidate {_named(codes, pb, *allowed[0])} "
                    f"is below {threshold:.0f}"
                )
        return None, "none", 0.0, why
    j, s = allowed[0]
    ties = [(k, v) for k, v in allowed[1:] if v >= threshold and s - v < TIE_MARGIN]
    if ties:
        named = ", ".join(_named(codes, pb, k, v) for k, v in [(j, s), *ties])
        return None, "none", 0.0, f"ambiguous, candidates within {TIE_MARGIN:.0f} points: {named}"
    return (
        j,
        "fuzzy",
        float(s),
        f"{t.normalized!r} ~ {pb[j].normalized!r}: {s:.1f} >= {threshold:.0f}, "
        "same level and rank words",
    )


def _exact(t: ParsedTitle, hits: list[int], codes: list[str], pb: list[ParsedTitle]):
    j = hits[0]
    note = ""
    if t.truncated or pb[j].truncated:
        note = " (a title cut at 30 characters in the source, last word completed)"
    if len(hits) > 1:
        note += f"; the same title is also class {', '.join(codes[k] for k in hits[1:])}"
    return j, "exact", 100.0, f"normalized titles equal: {t.normalized!r}{note}"


def _case_key(title: object) -> object:
    """Titles that parse alike: ASCII titles up to case and surrounding space."""
    if isinstance(title, str) and title.isascii():
        return title.strip().upper()
    return title


def _parse_all(titles: list) -> list[ParsedTitle]:
    """crosswalk.parse_title of each title, parsed once per _case_key."""
    done: dict[object, ParsedTitle] = {}
    out = []
    for t in titles:
        k = _case_key(t)
        if k not in done:
            done[k] = cw.parse_title(t)
        out.append(done[k])
    return out


def match_many(
    titles: list[str | None],
    codes: list[str],
    class_titles: list[str | None],
    threshold: float = FUZZY_THRESHOLD,
) -> pd.DataFrame:
    """One row per title, in order (MATCH_COLUMNS: title, class_code, class_title, method
    'exact' | 'fuzzy' | 'none', score, reason), decided as crosswalk.match_titles decides,
    each title weighed as if matched alone (module docstring)."""
    unique = list(dict.fromkeys(titles))
    pa = _parse_all(unique)
    pb = [cw.parse_title(t) for t in class_titles]
    decided: list[tuple[int | None, str, float, str]] = []
    if not pb:
        decided = [(None, "none", 0.0, "no classes to match against")] * len(pa)
    else:
        decided = _decide_all(pa, pb, codes, threshold)
    at = {t: k for k, t in enumerate(unique)}
    out = []
    for t in titles:
        j, method, score, reason = decided[at[t]]
        out.append(
            (t, None if j is None else codes[j], None if j is None else class_titles[j],
             method, float(score), reason)
        )  # fmt: skip
    df = pd.DataFrame(out, columns=MATCH_COLUMNS)
    return cw.with_none(df, ["title", "class_code", "class_title"])


def _decide_all(pa, pb, codes, threshold):
    # Imported here, not with the module: it imports scipy (80-250 ms), which the pages that
    # import this module through analysis.market need only when free-text titles are matched.
    from analysis.crosswalk.title_scores import score_pairs

    rows, cols, vals = score_pairs(pa, pb)
    lev_a, lev_b = np.split(_ids([t.levels for t in pa] + [c.levels for c in pb]), [len(pa)])
    rk_a, rk_b = np.split(_ids([t.ranks for t in pa] + [c.ranks for c in pb]), [len(pa)])
    ok = (lev_a[rows] == lev_b[cols]) & (rk_a[rows] == rk_b[cols])
    keep = _candidates(rows, vals, ok, len(pa), threshold)
    rows, cols, vals, ok = rows[keep], cols[keep], vals[keep], ok[keep]
    order, starts, ends = _ranked(rows, cols, vals, len(pa))
    cols_o, vals_o, ok_o = cols[order].tolist(), vals[order].tolist(), ok[order].tolist()
    exact: dict[str, list[int]] = defaultdict(list)
    for j, c in enumerate(pb):
        exact[c.normalized].append(j)
    decided = []
    for i, t in enumerate(pa):
        if not t.key:
            decided.append(
                (None, "none", 0.0, "the agreement prints this class code without a title")
            )
            continue
        hits = exact.get(t.normalized)
        if hits:
            decided.append(_exact(t, hits, codes, pb))
            continue
        lo, hi = int(starts[i]), int(ends[i])
        entries = list(zip(cols_o[lo:hi], vals_o[lo:hi], ok_o[lo:hi], strict=True))
        decided.append(_decide(t, entries, codes, pb, threshold))
    return decided
