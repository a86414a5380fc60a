"""The scores of every pair of free titles and class titles that share a word, for
analysis/crosswalk/title_match.py:
the crosswalk's weighted Dice score from two sparse matrix products
(scipy.sparse) over word incidences, with near-identical spellings pooled, word weights
computed over the class list plus the one title scored, and titles cut at 30 characters
scored pair by pair with the crosswalk's rules (see the docstring of
analysis/crosswalk/title_match.py)."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from rapidfuzz import fuzz, process
from scipy import sparse

from analysis.crosswalk import match as cw
from analysis.crosswalk import scoring as crosswalk_scoring
from analysis.crosswalk.match import ParsedTitle


class _Vocab:
    """Group ids of the class words (pooled as crosswalk_scoring._token_groups) and of title
    words."""

    def __init__(self, classes: list[ParsedTitle]) -> None:
        words = {w for c in classes for w in c.key}
        reps = crosswalk_scoring._token_groups(words)
        ids: dict[str, int] = {}
        self.gid: dict[str, int] = {}
        for w in sorted(words):
            self.gid[w] = ids.setdefault(reps[w], len(ids))
        self.n_class_groups = len(ids)
        self._long = sorted(
            w for w in words if len(w) >= crosswalk_scoring._MIN_FUZZY_TOKEN and not w.isdigit()
        )

    def add_title_words(self, words: set[str]) -> None:
        new = sorted(w for w in words if w not in self.gid)
        fuzzy = [w for w in new if len(w) >= crosswalk_scoring._MIN_FUZZY_TOKEN and not w.isdigit()]
        near: dict[str, int] = {}
        if fuzzy and self._long:
            sim = process.cdist(fuzzy, self._long, scorer=fuzz.ratio, score_cutoff=cw.TOKEN_RATIO)
            for i in np.nonzero(sim.max(axis=1) > 0)[0]:
                j = int(np.argmax(sim[i] > 0))  # first class word (sorted) close enough
                near[fuzzy[int(i)]] = self.gid[self._long[j]]
        for w in new:
            self.gid[w] = near.get(w, len(self.gid) + self.n_class_groups)
        # title-only groups get ids above the class groups; compact them
        self.n_groups = max(self.gid.values(), default=-1) + 1


def _incidence(parsed: list[ParsedTitle], gid: dict[str, int], n_cols: int) -> sparse.csr_matrix:
    rows, cols = [], []
    for i, t in enumerate(parsed):
        for g in {gid[w] for w in t.key}:
            rows.append(i)
            cols.append(g)
    data = np.ones(len(rows))
    return sparse.csr_matrix((data, (rows, cols)), shape=(len(parsed), n_cols))


def _weights(df_c: np.ndarray, n_classes: int, digit: np.ndarray) -> tuple[np.ndarray, ...]:
    """Per group: w1, the weight when the scored title has the group (df + 1); w0, when not."""
    n = n_classes + 1
    w1 = np.log1p(n / (df_c + 1.0))
    with np.errstate(divide="ignore"):
        w0 = np.where(df_c > 0, np.log1p(n / np.maximum(df_c, 1.0)), 0.0)
    w1[digit] = cw.LEVEL_WEIGHT
    w0[digit & (df_c > 0)] = cw.LEVEL_WEIGHT
    return w1, w0


def _pair_scores(
    a: sparse.csr_matrix,
    b: sparse.csr_matrix,
    w1: np.ndarray,
    w0: np.ndarray,
    member: sparse.csr_matrix | None = None,
) -> sparse.coo_matrix:
    """Weighted Dice of every (title, class) pair sharing a group, rounded to 0.1 as
    crosswalk.score_matrix: 2 x shared / (title total + class total). `a` holds the title
    words compared, `member` (default `a`) the title's whole key, which decides each class
    word's weight: w1 when the title has it too, else w0."""
    bt = b.T.tocsc()
    count = (a @ bt).tocsr()
    shared = (a @ sparse.diags(w1) @ bt).tocsr()
    # w0 - w1 >= 0, so + 1 keeps every pair structurally present
    extra = ((a if member is None else member) @ sparse.diags(w0 - w1 + 1.0) @ bt).tocsr()
    pattern = count
    if member is not None:  # the title's whole key: restricted to the pairs compared
        pattern = count.copy()
        pattern.data[:] = 1.0
        extra = extra.multiply(pattern).tocsr()
        count = (member @ bt).multiply(pattern).tocsr()
    for m in (pattern, shared, extra, count):
        m.sort_indices()
    for m in (shared, extra, count):
        if not np.array_equal(m.indices, pattern.indices):
            raise AssertionError("sparse patterns differ")  # positive weights: cannot happen
    tot_a = np.asarray(a @ w1).ravel()
    tot_b = np.asarray(b @ w0).ravel()
    coo = pattern.tocoo()
    correction = extra.data - count.data  # sum over the title's class groups of (w0 - w1)
    total = tot_a[coo.row] + tot_b[coo.col] - correction
    score = np.round(100.0 * 2 * shared.data / total, 1)
    return sparse.coo_matrix((score, (coo.row, coo.col)), shape=pattern.shape)


class _TitleWeights(dict):
    """crosswalk.title_score's `weights` for one title: per-title IDF looked up by group."""

    def __init__(self, gid, title_groups, w1, w0):
        super().__init__()
        self._gid, self._tg, self._w1, self._w0 = gid, title_groups, w1, w0

    def get(self, word, default=None):
        g = self._gid.get(word)
        if g is None:
            return 1.0 if default is None else default
        return float(self._w1[g] if g in self._tg else self._w0[g])

    def __bool__(self) -> bool:
        return True


def _prefix_incidence(
    parsed: list[ParsedTitle], idx: np.ndarray, m: int, gid: dict[str, int], n_cols: int
) -> sparse.csr_matrix:
    """Incidence of the first m key words of parsed[idx] (other rows empty)."""
    rows, cols = [], []
    for i in idx.tolist():
        for g in {gid[w] for w in parsed[i].key[:m]}:
            rows.append(i)
            cols.append(g)
    return sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(parsed), n_cols))


def _completable(
    side: list[ParsedTitle], other: list[ParsedTitle], hits: sparse.csr_matrix
) -> dict[tuple[int, int], None]:
    """(side, other) index pairs where side's title is cut and its last word is a proper
    beginning of a word of the other's key (crosswalk_scoring._cut_key completes it)."""
    words: dict[str, set[int]] = defaultdict(set)
    for j, o in enumerate(other):
        for w in o.key:
            words[w].add(j)
    by_last: dict[str, set[int]] = {}
    pairs: dict[tuple[int, int], None] = {}
    for i, t in enumerate(side):
        if not (t.truncated and t.key):
            continue
        lw = t.key[-1]
        if lw not in by_last:
            by_last[lw] = {j for w, js in words.items() if w != lw and w.startswith(lw) for j in js}
        pairs.update(dict.fromkeys((i, j) for j in by_last[lw] if lw not in other[j].key))
    return pairs


def _cut_scores(pa, pb, a, b, w1, w0, gid, n_groups) -> list[sparse.coo_matrix]:
    """crosswalk.title_score's second try for titles cut at 30 characters: compared with as
    many leading words of the other title, less 5 points (no last-word completion here).
    Only pairs that share a word can score, so only those titles and classes are looked at."""
    out = []
    hits = (a @ b.T).tocsc()
    len_a = np.array([len(t.key) for t in pa])
    len_b = np.array([len(c.key) for c in pb])
    cut_a = np.array([t.truncated for t in pa], dtype=bool)
    cut_b = np.array([c.truncated for c in pb], dtype=bool)
    for m in sorted(set(len_a[cut_a].tolist())):
        rows = np.nonzero(cut_a & (len_a == m))[0]
        cols = np.nonzero(len_b > m)[0]
        if len(cols) and m:
            a_m = sparse.csr_matrix(a.multiply(_row_mask(rows, len(pa))))
            b_m = _prefix_incidence(pb, cols, m, gid, n_groups)
            out.append(_pair_scores(a_m, b_m, w1, w0))
    for m in sorted(set(len_b[cut_b].tolist())):
        cols = np.nonzero(cut_b & (len_b == m))[0]
        sharing = np.unique(hits[:, cols].indices)
        rows = sharing[len_a[sharing] > m]
        if len(rows) and m:
            a_m = _prefix_incidence(pa, rows, m, gid, n_groups)
            b_m = sparse.csr_matrix(b.multiply(_row_mask(cols, len(pb))))
            out.append(_pair_scores(a_m, b_m, w1, w0, member=a))
    for s in out:
        s.data -= 5.0
    return out


def _row_mask(rows: np.ndarray, n: int) -> sparse.csr_matrix:
    mask = np.zeros((n, 1))
    mask[rows] = 1.0
    return sparse.csr_matrix(mask)


def score_pairs(
    pa: list[ParsedTitle], pb: list[ParsedTitle]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(title index, class index, score) of every pair scoring above 0, each title weighed
    as if matched alone against `pb`."""
    vocab = _Vocab(pb)
    vocab.add_title_words({w for t in pa for w in t.key})
    n_groups = max(vocab.n_groups, vocab.n_class_groups, 1)
    a = _incidence(pa, vocab.gid, n_groups)
    b = _incidence(pb, vocab.gid, n_groups)
    df_c = np.asarray(b.sum(axis=0)).ravel()
    digit = np.zeros(n_groups, dtype=bool)
    for w, g in vocab.gid.items():
        digit[g] |= w.isdigit()
    w1, w0 = _weights(df_c, len(pb), digit)
    best = _pair_scores(a, b, w1, w0).tocsr()
    for part in _cut_scores(pa, pb, a, b, w1, w0, vocab.gid, n_groups):
        # a cut title's second try shares words only where the whole titles do: same pattern
        best = best.maximum(part.tocsr())
    coo = best.tocoo()
    rows, cols, vals = coo.row.astype(np.int64), coo.col.astype(np.int64), coo.data
    n_b = max(len(pb), 1)
    # pairs whose cut last word is completed from the other title: scored one by one
    hits = (a @ b.T).tocsr()
    pairs = _completable(pa, pb, hits)
    pairs.update(dict.fromkeys((i, j) for j, i in _completable(pb, pa, hits.T.tocsr())))
    if pairs:
        pi = np.array([i for i, _ in pairs], dtype=np.int64)
        pj = np.array([j for _, j in pairs], dtype=np.int64)
        pv = np.empty(len(pi))
        for k, (i, j) in enumerate(pairs):
            groups = {vocab.gid[w] for w in pa[i].key}
            pv[k] = cw.title_score(pa[i], pb[j], _TitleWeights(vocab.gid, groups, w1, w0))
        redone = np.isin(rows * n_b + cols, pi * n_b + pj)
        rows = np.concatenate([rows[~redone], pi])
        cols = np.concatenate([cols[~redone], pj])
        vals = np.concatenate([vals[~redone], pv])
    keep = vals > 0
    return rows[keep], cols[keep], vals[keep]
