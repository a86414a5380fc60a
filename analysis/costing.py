"""Costing a proposal: what a scenario's changes cost, fiscal year by fiscal year, over a roster.

Pay calendar. Pay period k (k = 0, 1, ...) begins on `start + 14 k` days and covers 80 hours
per FTE. Fiscal year y (1-based) is periods 26 (y - 1) ... 26 y - 1: exactly 26 periods
(2,080 hours), beginning on `start + 364 (y - 1)` days, i.e. on the start date's weekday. It is
labelled with the July-June fiscal year in which the horizon starts, plus y - 1 (start
2004-07-01: FY2004-05, FY2005-06, ...). Because 26 periods are 364 days, period starts drift
one day a year against the calendar; no 27th pay period is ever costed.

Effective dates. An increase, a schedule or a premium change "effective" on a date applies to
the pay periods that begin on or after that date; a mid-year increase is therefore annualized
by the number of periods it covers (effective at the start of period 13 of a year: 13 of 26).
A one-time payment is paid in the first period beginning on or after its date.

Rates. A roster employee's baseline hourly rate in a period is the salary_schedule rate of
their class and step on the latest effective_date on or before the period's start (if the
period starts before the agreement's first schedule, the first schedule is used and a note
says so), times any general/market/level increase of wage_increases dated after that schedule
and on or before the period's start (none today: every known increase already has a schedule
row). Beyond the last known schedule or increase the baseline stays flat: no increase is
assumed after what the agreement says. Rates are not rounded to the cent: costing estimates
use the exact factors.

Baseline and proposal. The baseline is the agreement as written (its own future schedules and
increases within the horizon, and its one-time payments, per head). The proposal is the
baseline plus the scenario's changes; its percentage changes multiply the baseline rate, so
they compound with each other and with the agreement's increases. Step movement (optional)
moves employees through their range the same way in both.

Parts. Each fiscal year's cost, for the baseline and the proposal, is split into
  base_wages     straight-time pay at the steps held at the start (no step movement),
  step_movement  extra straight-time pay from moving up steps (incl. an added top step
                 reached through step movement),
  premiums       premium changes' pay for flagged employees,
  overtime       scenario overtime hours x 1.5 x the rate in force,
  one_time       lump sums (the agreement's and the proposal's),
  rollups        the named percentages on the parts of pay they apply to,
and the increment of each part is proposal - baseline, so the parts add up to the increment.

Vectorized: employees with the same class, starting step and next-step period share a
trajectory, so the roster is grouped first and each group is one row of a (group x period)
matrix; 100,000 employees over 6 years costs in well under a second
(benchmarks/bench_costing.py). Money columns are rounded to the cent at output only.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import numpy as np
import pandas as pd

from analysis import agencies
from analysis.roster import (
    Roster,
    RosterError,
    check_positions,
    step_order,
    valid_positions,
    validate_roster,
)
from analysis.scenario import (
    AcrossTheBoard,
    AddTopStep,
    OneTime,
    PremiumChange,
    Scenario,
    ScenarioError,
    Targeted,
    ToMarket,
)
from analysis.warehouse import query
from etl.pay import HOURS_PER_PAY_PERIOD, HOURS_PER_YEAR, PAY_PERIODS_PER_YEAR
from etl.pay_calendar import PayCalendar
from etl.records import StepRule

OVERTIME_MULTIPLIER = 1.5
# Without a next_step_date, an employee's next merit is assumed at mid-year (the average of
# anniversaries spread evenly over the year): the first period of the second half of year 1.
DEFAULT_FIRST_MOVE_PERIOD = PAY_PERIODS_PER_YEAR // 2
PARTS = ("base_wages", "step_movement", "premiums", "overtime", "one_time", "rollups")
INCREASE_KINDS = ("general", "market", "level")
_NEVER = 10**6  # a period index beyond any horizon

RATES_SQL = """
SELECT agency, class_code, any_value(class_title) AS class_title, step, effective_date,
       max(hourly) AS hourly, bool_or(is_derived) AS is_derived
FROM salary_schedule
WHERE agency = ?
GROUP BY agency, class_code, step, effective_date
ORDER BY class_code, effective_date, length(step), step
"""

INCREASES_SQL = """
SELECT agency, effective_date, kind, class_code, pct, amount, note, source_ref
FROM wage_increases
WHERE agency = ?
ORDER BY effective_date
"""


def rate_table(con: duckdb.DuckDBPyConnection, agency: str) -> pd.DataFrame:
    """Hourly rates by class, step and effective date: the engine's rate table."""
    return query(con, RATES_SQL, [agency])


def agreement_increases(con: duckdb.DuckDBPyConnection, agency: str) -> pd.DataFrame:
    """The agreement's own increases and one-time payments (part of the baseline)."""
    return query(con, INCREASES_SQL, [agency])


# Result ----------------------------------------------------------------------------------------


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


# The engine ------------------------------------------------------------------------------------


def cost(
    con: duckdb.DuckDBPyConnection,
    roster: Roster | pd.DataFrame,
    scenario: Scenario | dict | str,
) -> CostResult:
    """Cost a scenario over a roster with the warehouse's schedules (what the CLI calls).

    A raw DataFrame roster is validated first (RosterError if it fails); a Roster read
    without the warehouse has its classes and steps checked now.
    """
    scenario = Scenario.parse(scenario)
    if isinstance(roster, pd.DataFrame):
        roster = validate_roster(roster, valid_positions(con))
    elif not roster.checked_against_warehouse:
        roster = check_positions(roster, valid_positions(con))
    rates = rate_table(con, scenario.agency)
    rule = agencies.step_rule(con, scenario.agency, scenario.start) if not rates.empty else None
    return cost_with_rates(
        roster, scenario, rates, agreement_increases(con, scenario.agency), step_rule=rule
    )


def cost_with_rates(
    roster: Roster | pd.DataFrame,
    scenario: Scenario | dict | str,
    rates: pd.DataFrame,
    increases: pd.DataFrame | None = None,
    step_rule: StepRule | None = None,
) -> CostResult:
    """The engine, on a rate table (class_code, step, effective_date, hourly; optional agency,
    class_title, is_derived) and the agreement's increases (effective_date, kind, class_code,
    pct, amount, note), so it can be tested without DuckDB."""
    scenario = Scenario.parse(scenario)
    valid = rates.reindex(columns=["agency", "class_code", "step"]).copy()
    if "agency" not in rates.columns:
        valid["agency"] = scenario.agency
    valid = valid.astype(str).drop_duplicates()
    rates = _prepare_rates(rates, scenario.agency)
    if isinstance(roster, pd.DataFrame):
        roster = validate_roster(roster, valid)
    elif not roster.checked_against_warehouse:
        roster = check_positions(roster, valid)
    return _Engine(roster, scenario, rates, increases, step_rule).run()


def _prepare_rates(rates: pd.DataFrame, agency: str) -> pd.DataFrame:
    missing = {"class_code", "step", "effective_date", "hourly"} - set(rates.columns)
    if missing:
        raise ValueError(f"rate table lacks columns {sorted(missing)}")
    r = rates.copy()
    if "agency" in r.columns:
        r = r[r["agency"] == agency]
    else:
        r["agency"] = agency
    if r.empty:
        raise ScenarioError([("agency", f"no salary schedule for {agency!r}: costing needs one")])
    if "is_derived" not in r.columns:
        r["is_derived"] = False
    if "class_title" not in r.columns:
        r["class_title"] = None
    r["class_code"] = r["class_code"].astype(str)
    r["step"] = r["step"].astype(str)
    r["effective_date"] = pd.to_datetime(r["effective_date"]).values.astype("datetime64[D]")
    return r.reset_index(drop=True)


class _Engine:
    """One costing run; arrays are (class x period) or (group x period)."""

    def __init__(
        self,
        roster: Roster,
        scenario: Scenario,
        rates: pd.DataFrame,
        increases: pd.DataFrame | None,
        rule: StepRule | None = None,
    ):
        self.rule = rule  # None: one step a year (a rule-less rate table, as in tests)
        self.roster = roster
        self.s = scenario
        self.rates = rates
        self.increases = increases
        self.cal = PayCalendar(scenario.start, scenario.years)
        self.ps = self.cal.starts
        self.P = self.cal.periods
        self.notes: list[str] = list(roster.notes)

    # -- setup ------------------------------------------------------------------------------
    def run(self) -> CostResult:
        rows = self._roster_rows()
        self._classes(rows)
        self._check_changes()
        self._baseline_rates()
        self._proposal_factors()
        self._groups(rows)
        q = self._quantities()
        return self._assemble(q)

    def _roster_rows(self) -> pd.DataFrame:
        agency = self.s.agency
        rows = self.roster.rows
        other = rows[rows["agency"] != agency]
        rows = rows[rows["agency"] == agency].reset_index(drop=True)
        if rows.empty:
            has = ", ".join(self.roster.agencies) or "none"
            raise RosterError(
                self.roster.source,
                [
                    (
                        1,
                        "agency",
                        f"no rows for {agency} (the scenario's agency); the roster has: {has}",
                    )
                ],
            )
        if len(other):
            self.notes.append(
                f"{int(other['count'].sum())} employees of other agencies in the roster "
                f"({', '.join(sorted(other['agency'].unique()))}) are not costed: the scenario "
                f"is for {agency}."
            )
        return rows

    def _classes(self, rows: pd.DataFrame) -> None:
        self.codes = sorted(rows["class_code"].unique().tolist())
        self.C = len(self.codes)
        self.ci = {c: i for i, c in enumerate(self.codes)}
        r = self.rates[self.rates["class_code"].isin(self.codes)]
        self.ladders = {
            code: sorted(g["step"].unique().tolist(), key=step_order)
            for code, g in r.groupby("class_code")
        }
        self.top = np.array([len(self.ladders[c]) - 1 for c in self.codes])
        self.S = int(self.top.max()) + 1
        titles = r.groupby("class_code")["class_title"].first()
        self.titles = [titles.get(c) for c in self.codes]
        self.agency_codes = set(self.rates["class_code"])

    def _check_changes(self) -> None:
        """Changes that name what the roster lacks: a missing flag column is an error (the
        premium could not be costed), a class outside the roster a note."""
        problems = []
        last_start = pd.Timestamp(self.ps[-1]).date()
        for i, c in enumerate(self.s.changes):
            if isinstance(c, PremiumChange) and c.flag not in self.roster.flags:
                have = ", ".join(self.roster.flags) or "none"
                problems.append(
                    (
                        f"changes[{i}].flag",
                        f"the roster has no yes/no column {c.flag!r} (its flag columns: {have})",
                    )
                )
            named = _change_classes(c)
            if named:
                unknown = sorted(set(named) - self.agency_codes)
                absent = sorted(set(named) & self.agency_codes - set(self.codes))
                if unknown:
                    self.notes.append(
                        f"changes[{i}] ({c.type}) names classes that are not {self.s.agency} "
                        f"classes: {_listing(unknown)}."
                    )
                if absent:
                    self.notes.append(
                        f"changes[{i}] ({c.type}) names classes with no one in the roster "
                        f"(they cost nothing): {_listing(absent)}."
                    )
            first = min(_change_dates(c))
            if first > last_start:
                self.notes.append(
                    f"changes[{i}] ({c.type}) takes effect after the last pay period of the "
                    f"horizon begins ({last_start}); it costs nothing here."
                )
            elif isinstance(c, OneTime) and c.effective < self.s.start:
                self.notes.append(
                    f"changes[{i}] (one_time) is dated before the start; it is not costed."
                )
            elif first < self.s.start and not isinstance(c, OneTime):
                self.notes.append(
                    f"changes[{i}] ({c.type}) is effective before the start; it applies from the "
                    "first period (no retroactive pay is costed)."
                )
            for d in _change_dates(c):
                p = self.cal.first_period_on_or_after(d)
                if self.s.start < d <= last_start and pd.Timestamp(self.ps[p]).date() != d:
                    self.notes.append(
                        f"changes[{i}] ({c.type}): {d} falls inside a pay period; it applies "
                        f"from the next period, starting {pd.Timestamp(self.ps[p]).date()}."
                    )
        if problems:
            raise ScenarioError(problems, {i: c.type for i, c in enumerate(self.s.changes)})

    def _baseline_rates(self) -> None:
        """B[c, s, p]: hourly rate by class, step and period, from the schedule in force."""
        r = self.rates[self.rates["class_code"].isin(self.codes)].copy()
        r["ci"] = r["class_code"].map(self.ci)
        r["si"] = self._step_index(r)
        dd = r[["ci", "effective_date"]].drop_duplicates().sort_values(["ci", "effective_date"])
        dd["di"] = dd.groupby("ci").cumcount()
        r = r.merge(dd, on=["ci", "effective_date"])
        D = int(dd["di"].max()) + 1
        H = np.full((self.C, D, self.S), np.nan)
        H[r["ci"], r["di"], r["si"]] = r["hourly"].astype(float)
        derived = np.zeros((self.C, D, self.S), dtype=bool)
        derived[r["ci"], r["di"], r["si"]] = r["is_derived"].fillna(False).astype(bool)
        SD = np.full((self.C, D), np.datetime64("9999-12-31"), dtype="datetime64[D]")
        SD[dd["ci"], dd["di"]] = dd["effective_date"].to_numpy().astype("datetime64[D]")
        for d in range(1, D):  # a step missing on a date keeps its earlier rate
            H[:, d] = np.where(np.isnan(H[:, d]), H[:, d - 1], H[:, d])
        for d in range(D - 2, -1, -1):
            H[:, d] = np.where(np.isnan(H[:, d]), H[:, d + 1], H[:, d])

        di = (SD[:, :, None] <= self.ps[None, None, :]).sum(axis=1) - 1  # (C, P)
        if (di < 0).any():
            first = pd.Timestamp(SD[:, 0].min()).date()
            self.notes.append(
                f"The horizon starts before the agreement's first salary schedule ({first}); "
                "periods before it are costed at that first schedule."
            )
        di = np.maximum(di, 0)
        rows = np.arange(self.C)[:, None]
        self.B = H[rows, di, :].transpose(0, 2, 1)  # (C, S, P)
        used_dates = SD[rows, di]  # (C, P)

        # agreement increases not yet carried by a schedule
        self.G = np.ones((self.C, self.P))
        self.last_known = SD[~np.isin(SD, [np.datetime64("9999-12-31")])].max()
        inc = self.increases
        if inc is not None and len(inc):
            inc = inc.copy()
            undated = inc[inc["effective_date"].isna()]
            if len(undated):
                self.notes.append(
                    f"{len(undated)} agreement increase(s) without a date are not costed."
                )
            inc = inc[inc["effective_date"].notna()]
            inc["d"] = pd.to_datetime(inc["effective_date"]).values.astype("datetime64[D]")
            if len(inc):
                self.last_known = max(self.last_known, inc["d"].max())
            pct = inc[inc["kind"].isin(INCREASE_KINDS) & inc["pct"].notna()]
            # only increases after some schedule in use and within the horizon can apply
            pct = pct[(pct["d"] > used_dates.min()) & (pct["d"] <= self.ps[-1])]
            for d, code, p in zip(pct["d"], pct["class_code"], pct["pct"], strict=True):
                cls = np.ones(self.C, bool)
                if not _isnull(code):
                    cls = np.zeros(self.C, bool)
                    if str(code) not in self.ci:
                        continue
                    cls[self.ci[str(code)]] = True
                applies = cls[:, None] & (used_dates < d) & (d <= self.ps)[None, :]
                self.G *= np.where(applies, 1 + float(p) / 100, 1.0)
            self.one_time_agreement = inc[(inc["kind"] == "one_time") & inc["amount"].notna()]
        else:
            self.one_time_agreement = None
        self.B = self.B * self.G[:, None, :]  # the rate table now carries the increases
        last_known = pd.Timestamp(self.last_known).date()
        if last_known < self.cal.year_starts()[-1] + timedelta(days=363):
            self.notes.append(
                f"Beyond {last_known} (the agreement's last known schedule or increase) "
                "baseline rates stay flat: no increase is assumed after the agreement."
            )
        self._schedule_note(SD, di, derived)

    def _schedule_note(self, SD: np.ndarray, di: np.ndarray, derived: np.ndarray) -> None:
        used = {}
        for c in range(self.C):
            for d in np.unique(di[c]):
                day = pd.Timestamp(SD[c, d]).date()
                ladder = derived[c, d, : self.top[c] + 1]
                used.setdefault(day, []).append(ladder)
        parts = []
        for day in sorted(used):
            ladders = np.array([x.all() for x in used[day]])
            some = np.array([x.any() for x in used[day]])
            kind = "derived" if ladders.all() else "partly derived" if some.any() else "printed"
            parts.append(f"{day} ({kind})")
        self.notes.append(
            "Salary schedules used: " + ", ".join(parts) + ". Derived rates (is_derived) are "
            "computed from the agreement's text; see salary_schedule.derivation."
        )

    def _proposal_factors(self) -> None:
        """F[c, p]: the proposal's percentage changes in force, compounded."""
        F = np.ones((self.C, self.P))
        self.top_pct = np.zeros(self.C)
        self.top_eff = np.full(self.C, _NEVER)
        self.top_after = np.zeros(self.C, dtype=np.int64)
        for c in self.s.changes:
            if isinstance(c, AcrossTheBoard | Targeted):
                mult = np.full(self.C, 1 + c.pct / 100)
                if isinstance(c, Targeted):
                    mult = np.where(self._mask(c.classes), mult, 1.0)
                F *= np.where(self.ps >= np.datetime64(c.effective, "D"), mult[:, None], 1.0)
            elif isinstance(c, ToMarket):
                for eff, factors in c.stage_factors():
                    mult = np.array([factors.get(code, 1.0) for code in self.codes])
                    F *= np.where(self.ps >= np.datetime64(eff, "D"), mult[:, None], 1.0)
            elif isinstance(c, AddTopStep):
                m = self._mask(c.classes)
                self.top_pct[m] = c.pct
                self.top_eff[m] = self.cal.first_period_on_or_after(c.effective)
                self.top_after[m] = c.after_periods_at_top
        self.F = F
        # the factor in force at the end of the previous year (1 before the horizon)
        prev_end = (np.arange(self.P) // PAY_PERIODS_PER_YEAR) * PAY_PERIODS_PER_YEAR - 1
        self.F_carried = np.where(prev_end >= 0, F[:, np.maximum(prev_end, 0)], 1.0)
        if (self.top_pct > 0).any():
            self.notes.append(
                "Added top step: employees already at the top at the start count their time at "
                "the top from the start (or move on their next_step_date, if the roster gives "
                "one)."
            )

    def _step_index(self, df: pd.DataFrame) -> np.ndarray:
        """Position of each row's step in its class's ladder (0 = bottom)."""
        pairs = [(c, st) for c, ladder in self.ladders.items() for st in ladder]
        index = pd.MultiIndex.from_tuples(pairs)
        pos = np.array([i for ladder in self.ladders.values() for i in range(len(ladder))])
        found = index.get_indexer(
            pd.MultiIndex.from_arrays([df["class_code"].astype(object), df["step"].astype(object)])
        )
        return pos[found]

    def _mask(self, classes: tuple[str, ...] | None) -> np.ndarray:
        if classes is None:
            return np.ones(self.C, dtype=bool)
        wanted = set(classes)
        return np.array([c in wanted for c in self.codes])

    def _groups(self, rows: pd.DataFrame) -> None:
        """Employees sharing class, starting step and next-step period share a trajectory."""
        ci = rows["class_code"].map(self.ci).to_numpy()
        si = self._step_index(rows)
        nsd = rows["next_step_date"].to_numpy().astype("datetime64[D]")
        has = ~np.isnat(nsd)
        m = np.full(len(rows), -1, dtype=np.int64)
        m[has] = np.searchsorted(self.ps, nsd[has], side="left")
        w = rows["fte"].to_numpy(float) * rows["count"].to_numpy(float)
        h = rows["count"].to_numpy(float)
        data = {"ci": ci, "s0": si, "m": m, "w": w, "h": h}
        self.flag_names = list(self.roster.flags)
        for f in self.flag_names:
            flag = rows[f].to_numpy(bool)
            data[f"w:{f}"] = w * flag
        g = pd.DataFrame(data).groupby(["ci", "s0", "m"], sort=True).sum().reset_index()
        self.g = g
        self.g_ci = g["ci"].to_numpy()
        self.g_s0 = g["s0"].to_numpy()
        self.g_m = g["m"].to_numpy()
        self.g_top = self.top[self.g_ci]
        # groups are sorted by class; each class's block starts here (every class has one)
        self.starts = np.searchsorted(self.g_ci, np.arange(self.C))
        self.class_w = self._sum1(g["w"].to_numpy())
        self.class_h = self._sum1(g["h"].to_numpy())
        self.class_wf = {f: self._sum1(g[f"w:{f}"].to_numpy()) for f in self.flag_names}

    def _sum1(self, x: np.ndarray) -> np.ndarray:
        return np.add.reduceat(x, self.starts)

    # -- trajectories -------------------------------------------------------------------------
    def _steps(self, moving: bool) -> tuple[np.ndarray, np.ndarray]:
        """Step index per group and period, and the period each group reaches the top."""
        p = np.arange(self.P)
        s0, top = self.g_s0, self.g_top
        if not moving:
            reach = np.where(s0 >= top, 0, _NEVER)
            return np.broadcast_to(s0[:, None], (len(s0), self.P)), reach
        rule = self.rule
        k = rule.steps_per_advance if rule else 1
        interval = rule.advance_hours // HOURS_PER_PAY_PERIOD if rule else PAY_PERIODS_PER_YEAR
        m0 = np.where(self.g_m >= 0, self.g_m, DEFAULT_FIRST_MOVE_PERIOD)
        # moves made by period p: 0 before m0, then one more every `interval` periods
        moves = np.maximum(p[None, :] - m0[:, None] + interval, 0) // interval
        steps = np.minimum(s0[:, None] + k * moves, top[:, None])
        needed = np.ceil(np.maximum(top - s0, 0) / k).astype(np.int64)
        reach = np.where(s0 >= top, 0, m0 + interval * (needed - 1))
        return steps, reach

    def _gather(self, steps: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        """Baseline hourly rate of (a subset of) the groups at the given steps, per period."""
        cg = self.g_ci if rows is None else self.g_ci[rows]
        lin = (cg[:, None] * self.S + steps) * self.P + np.arange(self.P)[None, :]
        return np.take(self.B.ravel(), lin)

    def _class_sums(
        self, x: np.ndarray, weights: np.ndarray, rows: np.ndarray | None = None
    ) -> np.ndarray:
        """(k weight vectors) x (groups x periods) -> (k x class x period), one matrix
        product per class, so each row of x is read once for all weights."""
        cg = self.g_ci if rows is None else self.g_ci[rows]
        wts = weights if rows is None else weights[:, rows]
        bounds = np.searchsorted(cg, np.arange(self.C + 1))
        out = np.zeros((len(weights), self.C, self.P))
        for c in np.flatnonzero(np.diff(bounds)):
            a, b = bounds[c], bounds[c + 1]
            out[:, c, :] = wts[:, a:b] @ x[a:b]
        return out

    def _regime(self, moving: bool, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Weighted baseline hourly sums per class and period (k x C x P), and the extra
        the added top step pays in the proposal before the proposal factor F."""
        steps, reach = self._steps(moving)
        if moving:
            base = self._gather(steps)
            sums = self._class_sums(base, weights)
        else:  # steps never change: weights by (class, step) times the rate table
            wcs = np.zeros((len(weights), self.C, self.S))
            np.add.at(wcs, (slice(None), self.g_ci, self.g_s0), weights)
            sums = np.einsum("kcs,csp->kcp", wcs, self.B)
        extra = np.zeros_like(sums)
        tp = self.top_pct[self.g_ci]
        if (tp > 0).any():
            known = (self.g_s0 >= self.g_top) & (self.g_m >= 0)
            eligible = np.where(known, self.g_m, reach + self.top_after[self.g_ci])
            from_p = np.maximum(self.top_eff[self.g_ci], eligible)
            rows = np.flatnonzero((tp > 0) & (from_p < self.P))
            if len(rows):
                sub_steps = steps[rows]
                base_sub = self._gather(sub_steps, rows)
                moved = (sub_steps == self.g_top[rows, None]) & (
                    np.arange(self.P)[None, :] >= from_p[rows, None]
                )
                bonus = np.where(moved, base_sub * (tp[rows] / 100)[:, None], 0.0)
                extra = self._class_sums(bonus, weights, rows)
        return sums, extra

    def _quantities(self) -> dict[str, np.ndarray]:
        """Straight-time wages per class and period: with and without step movement, for
        everyone and for the employees of each flag a percent premium applies to."""
        hours = HOURS_PER_PAY_PERIOD
        pct_flags = sorted(
            {
                c.flag
                for c in self.s.changes
                if isinstance(c, PremiumChange) and c.basis == "pct_of_base"
            }
        )
        weights = np.vstack(
            [self.g["w"].to_numpy()] + [self.g[f"w:{f}"].to_numpy() for f in pct_flags]
        )
        q: dict[str, np.ndarray] = {}
        sums, extra = self._regime(self.s.step_movement, weights)
        q["wages_b"] = sums[0] * hours
        q["wages_x"] = self.F * (sums[0] + extra[0]) * hours
        for i, f in enumerate(pct_flags, start=1):
            q[f"flagwages_b:{f}"] = sums[i] * hours
            q[f"flagwages_x:{f}"] = self.F * (sums[i] + extra[i]) * hours
        if self.s.step_movement:
            still, still_extra = self._regime(False, weights[:1])
            q["still_b"] = still[0] * hours
            q["still_x"] = self.F * (still[0] + still_extra[0]) * hours
        else:
            q["still_b"], q["still_x"] = q["wages_b"], q["wages_x"]
        return q

    # -- costs --------------------------------------------------------------------------------
    def _costs(self, q: dict[str, np.ndarray], which: str) -> dict[str, np.ndarray]:
        """Parts of cost per (class x period) for 'b' (baseline) or 'x' (proposal)."""
        zeros = np.zeros((self.C, self.P))
        wages = q[f"wages_{which}"]
        out = {
            "base_wages": q[f"still_{which}"],
            "step_movement": wages - q[f"still_{which}"],
        }
        ot_hours = np.array(
            [self.s.overtime.get(c, self.s.overtime.get("*", 0.0)) for c in self.codes]
        )
        out["overtime"] = wages * (OVERTIME_MULTIPLIER * ot_hours / HOURS_PER_YEAR)[:, None]
        premiums = zeros.copy()
        pct_premiums = zeros.copy()
        one_time = zeros.copy()
        for c in self.s.changes:
            if isinstance(c, PremiumChange):
                eff = self.ps >= np.datetime64(c.effective, "D")
                level = np.full(self.P, c.current)
                if which == "x":
                    level = np.where(eff, c.value, c.current)
                mask = self._mask(c.classes)[:, None]
                if c.basis == "pct_of_base":
                    amt = q[f"flagwages_{which}:{c.flag}"] * (level * c.share / 100)[None, :]
                    pct_premiums += np.where(mask, amt, 0.0)
                elif c.basis == "usd_per_hour":
                    amt = (self.class_wf[c.flag] * HOURS_PER_PAY_PERIOD * c.share)[:, None] * level
                else:  # usd_per_pay_period, per 80 hours: prorated by FTE
                    amt = self.class_wf[c.flag][:, None] * level[None, :]
                premiums += np.where(mask, amt, 0.0)
            elif isinstance(c, OneTime) and which == "x" and c.effective >= self.s.start:
                base = self.class_w if c.per == "fte" else self.class_h
                base = np.where(self._mask(c.classes), base, 0.0)
                self._pay(one_time, base * c.amount, c.effective, c.periods)
        if self.one_time_agreement is not None:
            for d, code, amount, note in zip(
                self.one_time_agreement["d"],
                self.one_time_agreement["class_code"],
                self.one_time_agreement["amount"],
                self.one_time_agreement["note"],
                strict=True,
            ):
                day = pd.Timestamp(d).date()
                if day < self.s.start:
                    continue
                cls = self._mask(None if _isnull(code) else (str(code),))
                n = _periods_in_note(note)
                self._pay(one_time, np.where(cls, self.class_h, 0.0) * amount, day, n)
        out["premiums"] = premiums
        out["one_time"] = one_time
        rollups = zeros.copy()
        for r in self.s.rollups.values():
            on = wages.copy()
            for part in ("overtime", "premiums", "one_time"):
                if part not in r.excludes:
                    on = on + out[part]
            rollups += on * r.pct / 100
        out["rollups"] = rollups
        out["_pct_premiums"] = pct_premiums
        return out

    def _pay(self, target: np.ndarray, per_class: np.ndarray, when: date, periods: int) -> None:
        p0 = self.cal.first_period_on_or_after(when)
        for p in range(p0, min(p0 + periods, self.P)):
            target[:, p] += per_class / periods

    def _value_of_1pct(self, b: dict[str, np.ndarray]) -> np.ndarray:
        """A 1% across-the-board increase on the baseline for a whole period: wages, the
        percent premiums and overtime it raises, and the roll-ups on them."""
        wages = b["base_wages"] + b["step_movement"]
        r_all = sum(r.pct for r in self.s.rollups.values()) / 100
        r_prem = sum(r.pct for r in self.s.rollups.values() if "premiums" not in r.excludes) / 100
        r_ot = sum(r.pct for r in self.s.rollups.values() if "overtime" not in r.excludes) / 100
        return 0.01 * (
            wages * (1 + r_all) + b["_pct_premiums"] * (1 + r_prem) + b["overtime"] * (1 + r_ot)
        )

    def _assemble(self, q: dict[str, np.ndarray]) -> CostResult:
        b, x = self._costs(q, "b"), self._costs(q, "x")
        Y, n = self.s.years, PAY_PERIODS_PER_YEAR
        labels = self.cal.labels()

        def per_year(a: np.ndarray) -> np.ndarray:  # (C, P) -> (C, Y)
            return a.reshape(self.C, Y, n).sum(axis=2)

        total_b = sum(b[p] for p in PARTS)
        total_x = sum(x[p] for p in PARTS)
        yb, yx = per_year(total_b).sum(0), per_year(total_x).sum(0)
        inc = yx - yb
        by_year = pd.DataFrame(
            {
                "fiscal_year": labels,
                "year": np.arange(1, Y + 1),
                "first_period_start": self.cal.year_starts(),
                "last_period_end": [d + timedelta(days=363) for d in self.cal.year_starts()],
                "pay_periods": n,
                "baseline_cost": yb,
                "proposal_cost": yx,
                "incremental_cost": inc,
                "cumulative_increment": np.cumsum(inc),
                "increment_pct": np.where(yb != 0, inc / np.where(yb != 0, yb, 1) * 100, 0.0),
            }
        )
        for part in PARTS:
            by_year[f"increment_{part}"] = per_year(x[part] - b[part]).sum(0)
        by_year["value_of_1pct"] = per_year(self._value_of_1pct(b)).sum(0)

        parts = pd.DataFrame(
            [
                {
                    "fiscal_year": labels[y],
                    "part": part,
                    "baseline": per_year(b[part]).sum(0)[y],
                    "proposal": per_year(x[part]).sum(0)[y],
                }
                for y in range(Y)
                for part in PARTS
            ]
        )
        parts["increment"] = parts["proposal"] - parts["baseline"]

        cb, cx = per_year(total_b), per_year(total_x)
        by_class = pd.DataFrame(
            {
                "fiscal_year": np.repeat(np.array(labels)[None, :], self.C, 0).ravel(),
                "class_code": np.repeat(self.codes, Y),
                "class_title": np.repeat(np.array(self.titles, dtype=object), Y),
                "heads": np.repeat(self.class_h, Y).astype(int),
                "fte": np.repeat(self.class_w, Y),
                "baseline_cost": cb.ravel(),
                "proposal_cost": cx.ravel(),
                "incremental_cost": (cx - cb).ravel(),
            }
        ).sort_values(["fiscal_year", "class_code"], kind="stable")

        wage_inc = per_year(q["wages_x"] - q["wages_b"]).sum(0)
        carried = per_year(q["wages_b"] * (self.F_carried - 1)).sum(0)
        last = np.arange(1, Y + 1) * n - 1
        end_ratio = q["wages_x"][:, last].sum(0) / np.maximum(q["wages_b"][:, last].sum(0), 1e-9)
        compounding = pd.DataFrame(
            {
                "fiscal_year": labels,
                "wage_increment": wage_inc,
                "carried_forward": carried,
                "new_this_year": wage_inc - carried,
                "rate_factor_end": end_ratio,
            }
        )
        by_period = pd.DataFrame(
            {
                "period": np.arange(self.P) + 1,
                "period_start": pd.to_datetime(self.ps).date,
                "fiscal_year": np.repeat(labels, n),
                "baseline_cost": total_b.sum(0),
                "proposal_cost": total_x.sum(0),
            }
        )
        by_period["incremental_cost"] = by_period["proposal_cost"] - by_period["baseline_cost"]

        self.notes.append(
            f"Fiscal years are 26 biweekly pay periods from {self.s.start} (labelled July-June); "
            "an increase applies to the periods starting on or after its effective date."
        )
        if self.s.step_movement:
            rule = self.rule
            k = rule.steps_per_advance if rule else 1
            self.notes.append(
                f"Step movement: {k} step(s) on each next_step_date and every "
                f"{(rule.advance_hours if rule else HOURS_PER_YEAR):,} hours after, to the top "
                "of the range; without a next_step_date the first move is assumed at mid-year "
                f"(period {DEFAULT_FIRST_MOVE_PERIOD + 1}). Merits are not automatic in the "
                "agreement; this assumes each is granted when due."
            )
        if self.one_time_agreement is not None and len(self.one_time_agreement):
            self.notes.append(
                "The agreement's one-time payments in the horizon are in both the baseline and "
                "the proposal, per head, over the pay periods the agreement states."
            )
        self.notes.append(
            "Money is in nominal dollars of each year, rounded to the cent for display; rates "
            "are not rounded."
        )
        return CostResult(
            scenario=self.s,
            by_year=_round_money(by_year),
            parts=_round_money(parts),
            by_class=_round_money(by_class.reset_index(drop=True)),
            compounding=_round_money(compounding),
            by_period=_round_money(by_period),
            notes=self.notes,
            heads=int(self.class_h.sum()),
            fte=float(self.class_w.sum()),
            illustrative_roster=self.roster.illustrative,
            roster_source=self.roster.source,
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


def _listing(codes: list[str], limit: int = 10) -> str:
    shown = ", ".join(codes[:limit])
    return shown + (f" and {len(codes) - limit} more" if len(codes) > limit else "")


def _isnull(v: object) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA


def _periods_in_note(note: object) -> int:
    """The agreement's 'paid over 4 successive pay periods' (Mendocino 7.1), else 1."""
    m = re.search(r"over (\d+) (?:successive )?pay periods", str(note or ""))
    return int(m.group(1)) if m else 1


def _change_classes(c: object) -> tuple[str, ...] | None:
    if isinstance(c, ToMarket):
        return tuple(c.gaps)
    return getattr(c, "classes", None)


def _change_dates(c: object) -> list[date]:
    if isinstance(c, ToMarket):
        return [s.effective for s in c.stages]
    return [c.effective]
