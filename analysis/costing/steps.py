"""The costing engine's step movement (analysis/costing/engine.py describes the method): employees
sharing a class, starting step and next-step period share a trajectory, so the roster is
grouped first; each group is one row of a (group x period) matrix of steps, and the wages of
a class in a period are the weighted sum of its groups' rates at their steps."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.costing.rates import NEVER, Baseline, Classes, Factors, Run
from analysis.scenario import PremiumChange
from etl.pay import HOURS_PER_PAY_PERIOD, PAY_PERIODS_PER_YEAR

# Without a next_step_date, an employee's next merit is assumed at mid-year (the average of
# anniversaries spread evenly over the year): the first period of the second half of year 1.
DEFAULT_FIRST_MOVE_PERIOD = PAY_PERIODS_PER_YEAR // 2


@dataclass
class Groups:
    """The roster grouped by (class, starting step, next-step period `m`, -1 = none given),
    sorted so that each class's groups are one block (it starts at `starts[c]`): FTE weight
    `w`, heads `h`, the FTE weight of each premium flag, and the same summed per class."""

    ci: np.ndarray
    s0: np.ndarray
    m: np.ndarray
    top: np.ndarray
    w: np.ndarray
    h: np.ndarray
    wf: dict[str, np.ndarray]
    starts: np.ndarray

    def per_class(self, x: np.ndarray) -> np.ndarray:
        return np.add.reduceat(x, self.starts)


def groups_of(run: Run, classes: Classes, rows: pd.DataFrame) -> Groups:
    """Group the roster rows (one lookup per distinct class and step; sums by bincount)."""
    ci = classes.index(rows["class_code"])
    si = classes.step_index(ci, rows["step"])
    nsd = rows["next_step_date"].to_numpy().astype("datetime64[D]")
    has = ~np.isnat(nsd)
    m = np.full(len(rows), -1, dtype=np.int64)
    m[has] = np.searchsorted(run.ps, nsd[has], side="left")
    span = run.P + 2  # m + 1 is 0 .. P + 1
    key = (ci * classes.S + si) * span + (m + 1)
    at, keys = pd.factorize(key)
    order = np.argsort(keys, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    g, keys = rank[at], keys[order]
    w = rows["fte"].to_numpy(float) * rows["count"].to_numpy(float)

    def total(x: np.ndarray) -> np.ndarray:
        return np.bincount(g, weights=x, minlength=len(keys))

    g_ci = keys // span // classes.S
    wf = {f: total(w * rows[f].to_numpy(bool)) for f in run.roster.flags}
    return Groups(
        ci=g_ci,
        s0=keys // span % classes.S,
        m=keys % span - 1,
        top=classes.top[g_ci],
        w=total(w),
        h=total(rows["count"].to_numpy(float)),
        wf=wf,
        starts=np.searchsorted(g_ci, np.arange(classes.C)),
    )


def steps(run: Run, g: Groups, moving: bool) -> tuple[np.ndarray, np.ndarray]:
    """Step index per group and period, and the period each group reaches the top."""
    p = np.arange(run.P)
    s0, top = g.s0, g.top
    if not moving:
        reach = np.where(s0 >= top, 0, NEVER)
        return np.broadcast_to(s0[:, None], (len(s0), run.P)), reach
    rule = run.rule
    k = rule.steps_per_advance if rule else 1
    interval = rule.advance_hours // HOURS_PER_PAY_PERIOD if rule else PAY_PERIODS_PER_YEAR
    m0 = np.where(g.m >= 0, g.m, DEFAULT_FIRST_MOVE_PERIOD)
    # moves made by period p: 0 before m0, then one more every `interval` periods
    moves = np.maximum(p[None, :] - m0[:, None] + interval, 0) // interval
    at = np.minimum(s0[:, None] + k * moves, top[:, None])
    needed = np.ceil(np.maximum(top - s0, 0) / k).astype(np.int64)
    reach = np.where(s0 >= top, 0, m0 + interval * (needed - 1))
    return at, reach


def _gather(
    classes: Classes, base: Baseline, g: Groups, at: np.ndarray, rows: np.ndarray | None = None
) -> np.ndarray:
    """Baseline hourly rate of (a subset of) the groups at the given steps, per period."""
    P = at.shape[1]
    cg = g.ci if rows is None else g.ci[rows]
    lin = (cg[:, None] * classes.S + at) * P + np.arange(P)[None, :]
    return np.take(base.B.ravel(), lin)


def _class_sums(
    C: int, g: Groups, x: np.ndarray, weights: np.ndarray, rows: np.ndarray | None = None
) -> np.ndarray:
    """(k weight vectors) x (groups x periods) -> (k x class x period), one matrix
    product per class, so each row of x is read once for all weights."""
    cg = g.ci if rows is None else g.ci[rows]
    wts = weights if rows is None else weights[:, rows]
    bounds = np.searchsorted(cg, np.arange(C + 1))
    out = np.zeros((len(weights), C, x.shape[1]))
    for c in np.flatnonzero(np.diff(bounds)):
        a, b = bounds[c], bounds[c + 1]
        out[:, c, :] = wts[:, a:b] @ x[a:b]
    return out


def _regime(
    run: Run,
    classes: Classes,
    base: Baseline,
    factors: Factors,
    g: Groups,
    moving: bool,
    weights: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Weighted baseline hourly sums per class and period (k x C x P), and the extra
    the added top step pays in the proposal before the proposal factor F."""
    at, reach = steps(run, g, moving)
    if moving:
        sums = _class_sums(classes.C, g, _gather(classes, base, g, at), weights)
    else:  # steps never change: weights by (class, step) times the rate table
        wcs = np.zeros((len(weights), classes.C, classes.S))
        np.add.at(wcs, (slice(None), g.ci, g.s0), weights)
        sums = np.einsum("kcs,csp->kcp", wcs, base.B)
    extra = np.zeros_like(sums)
    tp = factors.top_pct[g.ci]
    if (tp > 0).any():
        known = (g.s0 >= g.top) & (g.m >= 0)
        eligible = np.where(known, g.m, reach + factors.top_after[g.ci])
        from_p = np.maximum(factors.top_eff[g.ci], eligible)
        rows = np.flatnonzero((tp > 0) & (from_p < run.P))
        if len(rows):
            sub = at[rows]
            base_sub = _gather(classes, base, g, sub, rows)
            moved = (sub == g.top[rows, None]) & (np.arange(run.P)[None, :] >= from_p[rows, None])
            bonus = np.where(moved, base_sub * (tp[rows] / 100)[:, None], 0.0)
            extra = _class_sums(classes.C, g, bonus, weights, rows)
    return sums, extra


def quantities(
    run: Run, classes: Classes, base: Baseline, factors: Factors, g: Groups
) -> dict[str, np.ndarray]:
    """Straight-time wages per class and period: with and without step movement, for
    everyone and for the employees of each flag a percent premium applies to."""
    hours = HOURS_PER_PAY_PERIOD
    s = run.scenario
    pct_flags = sorted(
        {c.flag for c in s.changes if isinstance(c, PremiumChange) and c.basis == "pct_of_base"}
    )
    weights = np.vstack([g.w] + [g.wf[f] for f in pct_flags])
    F = factors.F
    q: dict[str, np.ndarray] = {}
    sums, extra = _regime(run, classes, base, factors, g, s.step_movement, weights)
    q["wages_b"] = sums[0] * hours
    q["wages_x"] = F * (sums[0] + extra[0]) * hours
    for i, f in enumerate(pct_flags, start=1):
        q[f"flagwages_b:{f}"] = sums[i] * hours
        q[f"flagwages_x:{f}"] = F * (sums[i] + extra[i]) * hours
    if s.step_movement:
        still, still_extra = _regime(run, classes, base, factors, g, False, weights[:1])
        q["still_b"] = still[0] * hours
        q["still_x"] = F * (still[0] + still_extra[0]) * hours
    else:
        q["still_b"], q["still_x"] = q["wages_b"], q["wages_x"]
    return q
