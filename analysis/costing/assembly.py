"""The costing engine's assembly (analysis/costing/engine.py describes the method): the parts of
cost per class and period, for the baseline and the proposal, summed into the tables of a
`CostResult` (by fiscal year, by part, by class, compounding, by pay period), money rounded to
the cent at output only, with the notes a reader needs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import numpy as np
import pandas as pd

from analysis.costing.parts import PARTS, costs, value_of_1pct
from analysis.costing.rates import Baseline, Classes, Factors, Run
from analysis.costing.steps import DEFAULT_FIRST_MOVE_PERIOD, Groups
from analysis.scenario import Scenario
from etl.pay import HOURS_PER_YEAR, PAY_PERIODS_PER_YEAR
from etl.pay_calendar import PayCalendar


@dataclass
class CostResult:
    """What a scenario costs. Money in nominal dollars of each year, rounded to the cent.

    by_year      one row per fiscal year: baseline_cost, proposal_cost, incremental_cost,
                 cumulative_increment, increment_pct, the increment's parts
                 (increment_<part>), value_of_1pct.
    parts        long form: fiscal_year x part with baseline, proposal, increment.
    by_class     fiscal_year x class: heads, fte, baseline_cost, proposal_cost,
                 incremental_cost.
    compounding  per fiscal year: the wage increment split into carried_forward (what the
                 percentage changes in force at the end of the previous year cost this year)
                 and new_this_year (the rest: this year's changes, compounding on the earlier
                 ones, and added top steps), and the proposal/baseline wage ratio at the
                 year's end.
    by_period    per pay period: baseline_cost and proposal_cost (for charts).
    """

    scenario: Scenario
    by_year: pd.DataFrame
    parts: pd.DataFrame
    by_class: pd.DataFrame
    compounding: pd.DataFrame
    by_period: pd.DataFrame
    notes: list[str]
    heads: int
    fte: float
    illustrative_roster: bool = False
    roster_source: str = "roster"

    @property
    def cumulative_increment(self) -> float:
        """The proposal's cost above the baseline over the whole term."""
        return round(float(self.by_year["incremental_cost"].sum()), 2)

    def assumptions(self) -> pd.DataFrame:
        """Everything a reader of an export needs to reproduce the numbers."""
        s = self.scenario
        rows = [
            ("scenario_json", s.to_json()),
            ("agency", s.agency),
            ("start", s.start.isoformat()),
            ("end", PayCalendar(s.start, s.years).end.isoformat()),
            ("fiscal_years", str(s.years)),
            ("step_movement", str(s.step_movement).lower()),
            ("roster", self.roster_source),
            ("roster_is_synthetic", str(self.illustrative_roster).lower()),
            ("heads", str(self.heads)),
            ("fte", f"{self.fte:g}"),
        ]
        for name, r in s.rollups.items():
            ex = f" (not on {', '.join(r.excludes)})" if r.excludes else ""
            rows.append((f"rollup: {name}", f"{r.pct:g}%{ex}"))
        for code, hours in s.overtime.items():
            rows.append((f"overtime hours/FTE/year: {code}", f"{hours:g}"))
        rows += [(f"note {i}", n) for i, n in enumerate(self.notes, 1)]
        return pd.DataFrame(rows, columns=["item", "value"])


@dataclass
class _Years:
    """Sums over each fiscal year of (class x period) arrays."""

    C: int
    Y: int

    def by_class(self, a: np.ndarray) -> np.ndarray:  # (C, P) -> (C, Y)
        return a.reshape(self.C, self.Y, PAY_PERIODS_PER_YEAR).sum(axis=2)

    def total(self, a: np.ndarray) -> np.ndarray:  # (C, P) -> (Y,)
        return self.by_class(a).sum(0)


def assemble(
    run: Run,
    classes: Classes,
    g: Groups,
    base: Baseline,
    factors: Factors,
    q: dict[str, np.ndarray],
) -> CostResult:
    b, x = costs(run, classes, g, base, q, "b"), costs(run, classes, g, base, q, "x")
    years = _Years(classes.C, run.scenario.years)
    total_b = sum(b[p] for p in PARTS)
    total_x = sum(x[p] for p in PARTS)
    class_h, class_w = g.per_class(g.h), g.per_class(g.w)
    by_year = _by_year(run, years, b, x, total_b, total_x)
    tables = {
        "by_year": by_year,
        "parts": _parts(run, years, b, x),
        "by_class": _by_class(run, classes, years, total_b, total_x, class_h, class_w),
        "compounding": _compounding(run, years, factors, q),
        "by_period": _by_period(run, total_b, total_x),
    }
    _notes(run, base)
    return CostResult(
        scenario=run.scenario,
        **{k: _round_money(v) for k, v in tables.items()},
        notes=run.notes,
        heads=int(class_h.sum()),
        fte=float(class_w.sum()),
        illustrative_roster=run.roster.illustrative,
        roster_source=run.roster.source,
    )


def _by_year(run: Run, years: _Years, b: dict, x: dict, total_b, total_x) -> pd.DataFrame:
    cal = run.cal
    yb, yx = years.total(total_b), years.total(total_x)
    inc = yx - yb
    by_year = pd.DataFrame(
        {
            "fiscal_year": cal.labels(),
            "year": np.arange(1, years.Y + 1),
            "first_period_start": cal.year_starts(),
            "last_period_end": [d + timedelta(days=363) for d in cal.year_starts()],
            "pay_periods": PAY_PERIODS_PER_YEAR,
            "baseline_cost": yb,
            "proposal_cost": yx,
            "incremental_cost": inc,
            "cumulative_increment": np.cumsum(inc),
            "increment_pct": np.where(yb != 0, inc / np.where(yb != 0, yb, 1) * 100, 0.0),
        }
    )
    for part in PARTS:
        by_year[f"increment_{part}"] = years.total(x[part] - b[part])
    by_year["value_of_1pct"] = years.total(value_of_1pct(run, b))
    return by_year


def _parts(run: Run, years: _Years, b: dict, x: dict) -> pd.DataFrame:
    labels = run.cal.labels()
    parts = pd.DataFrame(
        [
            {
                "fiscal_year": labels[y],
                "part": part,
                "baseline": years.total(b[part])[y],
                "proposal": years.total(x[part])[y],
            }
            for y in range(years.Y)
            for part in PARTS
        ]
    )
    parts["increment"] = parts["proposal"] - parts["baseline"]
    return parts


def _by_class(
    run: Run, classes: Classes, years: _Years, total_b, total_x, class_h, class_w
) -> pd.DataFrame:
    Y, labels = years.Y, run.cal.labels()
    cb, cx = years.by_class(total_b), years.by_class(total_x)
    by_class = pd.DataFrame(
        {
            "fiscal_year": np.repeat(np.array(labels)[None, :], classes.C, 0).ravel(),
            "class_code": np.repeat(classes.codes, Y),
            "class_title": np.repeat(np.array(classes.titles, dtype=object), Y),
            "heads": np.repeat(class_h, Y).astype(int),
            "fte": np.repeat(class_w, Y),
            "baseline_cost": cb.ravel(),
            "proposal_cost": cx.ravel(),
            "incremental_cost": (cx - cb).ravel(),
        }
    ).sort_values(["fiscal_year", "class_code"], kind="stable")
    return by_class.reset_index(drop=True)


def _compounding(run: Run, years: _Years, factors: Factors, q: dict) -> pd.DataFrame:
    n = PAY_PERIODS_PER_YEAR
    wage_inc = years.total(q["wages_x"] - q["wages_b"])
    carried = years.total(q["wages_b"] * (factors.F_carried - 1))
    last = np.arange(1, years.Y + 1) * n - 1
    end_ratio = q["wages_x"][:, last].sum(0) / np.maximum(q["wages_b"][:, last].sum(0), 1e-9)
    return pd.DataFrame(
        {
            "fiscal_year": run.cal.labels(),
            "wage_increment": wage_inc,
            "carried_forward": carried,
            "new_this_year": wage_inc - carried,
            "rate_factor_end": end_ratio,
        }
    )


def _by_period(run: Run, total_b: np.ndarray, total_x: np.ndarray) -> pd.DataFrame:
    by_period = pd.DataFrame(
        {
            "period": np.arange(run.P) + 1,
            "period_start": pd.to_datetime(run.ps).date,
            "fiscal_year": np.repeat(run.cal.labels(), PAY_PERIODS_PER_YEAR),
            "baseline_cost": total_b.sum(0),
            "proposal_cost": total_x.sum(0),
        }
    )
    by_period["incremental_cost"] = by_period["proposal_cost"] - by_period["baseline_cost"]
    return by_period


def _notes(run: Run, base: Baseline) -> None:
    s = run.scenario
    run.notes.append(
        f"Fiscal years are 26 biweekly pay periods from {s.start} (labelled July-June); "
        "an increase applies to the periods starting on or after its effective date."
    )
    if s.step_movement:
        rule = run.rule
        k = rule.steps_per_advance if rule else 1
        run.notes.append(
            f"Step movement: {k} step(s) on each next_step_date and every "
            f"{(rule.advance_hours if rule else HOURS_PER_YEAR):,} hours after, to the top "
            "of the range; without a next_step_date the first move is assumed at mid-year "
            f"(period {DEFAULT_FIRST_MOVE_PERIOD + 1}). Merits are not automatic in the "
            "agreement; this assumes each is granted when due."
        )
    if base.one_time_agreement is not None and len(base.one_time_agreement):
        run.notes.append(
            "The agreement's one-time payments in the horizon are in both the baseline and "
            "the proposal, per head, over the pay periods the agreement states."
        )
    run.notes.append(
        "Money is in nominal dollars of each year, rounded to the cent for display; rates "
        "are not rounded."
    )


def _round_money(df: pd.DataFrame) -> pd.DataFrame:
    keep = {"year", "pay_periods", "heads", "period", "fte", "rate_factor_end", "increment_pct"}
    out = df.copy()
    for c in out.columns:
        if c in keep or not pd.api.types.is_float_dtype(out[c]):
            continue
        out[c] = out[c].round(2) + 0.0  # no "-0.0"
    if "increment_pct" in out:
        out["increment_pct"] = out["increment_pct"].round(3)
    if "rate_factor_end" in out:
        out["rate_factor_end"] = out["rate_factor_end"].round(6)
    return out
