"""The costing engine's costs (analysis/costing/engine.py describes the method): the changes checked
against the roster and the horizon, then each part of cost per class and pay period, for the
baseline and the proposal: base wages, step movement, premiums, overtime, one-time payments
and the roll-ups on them."""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd

from analysis.costing.rates import Baseline, Classes, Run, isnull
from analysis.costing.steps import Groups
from analysis.scenario import OneTime, PremiumChange, ScenarioError, ToMarket
from etl.pay import HOURS_PER_PAY_PERIOD, HOURS_PER_YEAR

OVERTIME_MULTIPLIER = 1.5
PARTS = ("base_wages", "step_movement", "premiums", "overtime", "one_time", "rollups")


# The changes against the roster and the horizon ----------------------------------------------


def check_changes(run: Run, classes: Classes) -> None:
    """Changes that name what the roster lacks: a missing flag column is an error (the
    premium could not be costed), a class outside the roster a note; changes dated outside
    the horizon or inside a pay period get a note."""
    problems = []
    for i, c in enumerate(run.scenario.changes):
        if isinstance(c, PremiumChange) and c.flag not in run.roster.flags:
            have = ", ".join(run.roster.flags) or "none"
            problems.append(
                (
                    f"changes[{i}].flag",
                    f"the roster has no yes/no column {c.flag!r} (its flag columns: {have})",
                )
            )
        _class_notes(run, classes, i, c)
        _date_notes(run, i, c)
    if problems:
        raise ScenarioError(problems, {i: c.type for i, c in enumerate(run.scenario.changes)})


def _class_notes(run: Run, classes: Classes, i: int, c: object) -> None:
    named = change_classes(c)
    if not named:
        return
    unknown = sorted(set(named) - classes.agency_codes)
    absent = sorted(set(named) & classes.agency_codes - set(classes.codes))
    if unknown:
        run.notes.append(
            f"changes[{i}] ({c.type}) names classes that are not {run.scenario.agency} "
            f"classes: {_listing(unknown)}."
        )
    if absent:
        run.notes.append(
            f"changes[{i}] ({c.type}) names classes with no one in the roster "
            f"(they cost nothing): {_listing(absent)}."
        )


def _date_notes(run: Run, i: int, c: object) -> None:
    start = run.scenario.start
    last_start = pd.Timestamp(run.ps[-1]).date()
    first = min(change_dates(c))
    if first > last_start:
        run.notes.append(
            f"changes[{i}] ({c.type}) takes effect after the last pay period of the "
            f"horizon begins ({last_start}); it costs nothing here."
        )
    elif isinstance(c, OneTime) and c.effective < start:
        run.notes.append(f"changes[{i}] (one_time) is dated before the start; it is not costed.")
    elif first < start and not isinstance(c, OneTime):
        run.notes.append(
            f"changes[{i}] ({c.type}) is effective before the start; it applies from the "
            "first period (no retroactive pay is costed)."
        )
    for d in change_dates(c):
        p = run.cal.first_period_on_or_after(d)
        if start < d <= last_start and pd.Timestamp(run.ps[p]).date() != d:
            run.notes.append(
                f"changes[{i}] ({c.type}): {d} falls inside a pay period; it applies "
                f"from the next period, starting {pd.Timestamp(run.ps[p]).date()}."
            )


def change_classes(c: object) -> tuple[str, ...] | None:
    if isinstance(c, ToMarket):
        return tuple(c.gaps)
    return getattr(c, "classes", None)


def change_dates(c: object) -> list[date]:
    if isinstance(c, ToMarket):
        return [s.effective for s in c.stages]
    return [c.effective]


def _listing(codes: list[str], limit: int = 10) -> str:
    shown = ", ".join(codes[:limit])
    return shown + (f" and {len(codes) - limit} more" if len(codes) > limit else "")


# The parts of cost ----------------------------------------------------------------------------


def costs(
    run: Run,
    classes: Classes,
    g: Groups,
    base: Baseline,
    q: dict[str, np.ndarray],
    which: str,
) -> dict[str, np.ndarray]:
    """Parts of cost per (class x period) for 'b' (baseline) or 'x' (proposal)."""
    s = run.scenario
    wages = q[f"wages_{which}"]
    out = {"base_wages": q[f"still_{which}"], "step_movement": wages - q[f"still_{which}"]}
    ot_hours = np.array([s.overtime.get(c, s.overtime.get("*", 0.0)) for c in classes.codes])
    out["overtime"] = wages * (OVERTIME_MULTIPLIER * ot_hours / HOURS_PER_YEAR)[:, None]
    out["premiums"], out["_pct_premiums"] = _premiums(run, classes, g, q, which)
    out["one_time"] = _one_time(run, classes, g, base, which)
    rollups = np.zeros((classes.C, run.P))
    for r in s.rollups.values():
        on = wages.copy()
        for part in ("overtime", "premiums", "one_time"):
            if part not in r.excludes:
                on = on + out[part]
        rollups += on * r.pct / 100
    out["rollups"] = rollups
    return out


def _premiums(
    run: Run, classes: Classes, g: Groups, q: dict[str, np.ndarray], which: str
) -> tuple[np.ndarray, np.ndarray]:
    """All premium pay, and the part of it that is a percent of base (which a 1% increase
    raises), per class and period."""
    premiums = np.zeros((classes.C, run.P))
    pct_premiums = np.zeros((classes.C, run.P))
    for c in run.scenario.changes:
        if not isinstance(c, PremiumChange):
            continue
        level = np.full(run.P, c.current)
        if which == "x":
            level = np.where(run.ps >= np.datetime64(c.effective, "D"), c.value, c.current)
        mask = classes.mask(c.classes)[:, None]
        flagged = g.per_class(g.wf[c.flag])
        if c.basis == "pct_of_base":
            amt = q[f"flagwages_{which}:{c.flag}"] * (level * c.share / 100)[None, :]
            pct_premiums += np.where(mask, amt, 0.0)
        elif c.basis == "usd_per_hour":
            amt = (flagged * HOURS_PER_PAY_PERIOD * c.share)[:, None] * level
        else:  # usd_per_pay_period, per 80 hours: prorated by FTE
            amt = flagged[:, None] * level[None, :]
        premiums += np.where(mask, amt, 0.0)
    return premiums, pct_premiums


def _one_time(run: Run, classes: Classes, g: Groups, base: Baseline, which: str) -> np.ndarray:
    """One-time payments per class and period: the proposal's (in 'x' only) and the
    agreement's (in both)."""
    out = np.zeros((classes.C, run.P))
    s = run.scenario
    class_w, class_h = g.per_class(g.w), g.per_class(g.h)
    for c in s.changes:
        if isinstance(c, OneTime) and which == "x" and c.effective >= s.start:
            per = class_w if c.per == "fte" else class_h
            _pay(
                run,
                out,
                np.where(classes.mask(c.classes), per, 0.0) * c.amount,
                c.effective,
                c.periods,
            )
    agreed = base.one_time_agreement
    if agreed is None:
        return out
    for d, code, amount, note in zip(
        agreed["d"], agreed["class_code"], agreed["amount"], agreed["note"], strict=True
    ):
        day = pd.Timestamp(d).date()
        if day < s.start:
            continue
        cls = classes.mask(None if isnull(code) else (str(code),))
        _pay(run, out, np.where(cls, class_h, 0.0) * amount, day, _periods_in_note(note))
    return out


def _pay(run: Run, target: np.ndarray, per_class: np.ndarray, when: date, periods: int) -> None:
    p0 = run.cal.first_period_on_or_after(when)
    for p in range(p0, min(p0 + periods, run.P)):
        target[:, p] += per_class / periods


def _periods_in_note(note: object) -> int:
    """The agreement's 'paid over 4 successive pay periods' (Mendocino 7.1), else 1."""
    m = re.search(r"over (\d+) (?:successive )?pay periods", str(note or ""))
    return int(m.group(1)) if m else 1


def value_of_1pct(run: Run, b: dict[str, np.ndarray]) -> np.ndarray:
    """A 1% across-the-board increase on the baseline for a whole period: wages, the
    percent premiums and overtime it raises, and the roll-ups on them."""
    rollups = run.scenario.rollups.values()
    wages = b["base_wages"] + b["step_movement"]
    r_all = sum(r.pct for r in rollups) / 100
    r_prem = sum(r.pct for r in rollups if "premiums" not in r.excludes) / 100
    r_ot = sum(r.pct for r in rollups if "overtime" not in r.excludes) / 100
    return 0.01 * (
        wages * (1 + r_all) + b["_pct_premiums"] * (1 + r_prem) + b["overtime"] * (1 + r_ot)
    )
