"""The costing engine's rates (analysis/costing/engine.py describes the method): the
warehouse's rate table and the agreement's increases, the classes a roster costs and their
step ladders, the baseline hourly rate of every class, step and pay period (B), and the
proposal's percentage changes in force in every period (F)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import duckdb
import numpy as np
import pandas as pd

from analysis.roster.reader import Roster, step_order
from analysis.scenario import (
    AcrossTheBoard,
    AddTopStep,
    Scenario,
    ScenarioError,
    Targeted,
    ToMarket,
)
from analysis.warehouse import memo, query
from etl.columns import first_rows
from etl.pay import PAY_PERIODS_PER_YEAR
from etl.pay_calendar import PayCalendar
from etl.records import StepRule

INCREASE_KINDS = ("general", "market", "level")
NEVER = 10**6  # a period index beyond any horizon
_NO_DATE = np.datetime64("9999-12-31")

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


# Both read once per agency and warehouse connection (analysis.warehouse.memo): every edit of a
# proposal on the Costing page costs it again over the same rates.


def rate_table(con: duckdb.DuckDBPyConnection, agency: str) -> pd.DataFrame:
    """Hourly rates by class, step and effective date: the engine's rate table."""
    return memo(con, f"costing:rates:{agency}", lambda: query(con, RATES_SQL, [agency]))


def agreement_increases(con: duckdb.DuckDBPyConnection, agency: str) -> pd.DataFrame:
    """The agreement's own increases and one-time payments (part of the baseline)."""
    return memo(con, f"costing:increases:{agency}", lambda: query(con, INCREASES_SQL, [agency]))


def prepare_rates(rates: pd.DataFrame, agency: str) -> pd.DataFrame:
    """A rate table with the columns the engine reads, for one agency."""
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


@dataclass
class Run:
    """One costing run: what it costs, with what, over which pay periods, and its notes."""

    roster: Roster
    scenario: Scenario
    rates: pd.DataFrame
    increases: pd.DataFrame | None
    rule: StepRule | None  # None: one step a year (a rule-less rate table, as in tests)
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.cal = PayCalendar(self.scenario.start, self.scenario.years)
        self.ps = self.cal.starts  # the start of each pay period (datetime64[D])
        self.P = self.cal.periods


@dataclass
class Classes:
    """The classes costed (sorted codes; `ci` code -> index), their step ladders bottom to
    top, the top step's index, the widest ladder S, titles, and every class of the agency."""

    codes: list[str]
    ci: dict[str, int]
    ladders: dict[str, list[str]]
    top: np.ndarray
    S: int
    titles: list
    agency_codes: set[str]

    @property
    def C(self) -> int:
        return len(self.codes)

    def mask(self, classes: tuple[str, ...] | None) -> np.ndarray:
        if classes is None:
            return np.ones(self.C, dtype=bool)
        wanted = set(classes)
        return np.array([c in wanted for c in self.codes])

    def index(self, codes: pd.Series | np.ndarray) -> np.ndarray:
        """The class index of each of `codes` (one lookup per distinct code)."""
        at, uniques = pd.factorize(pd.Series(codes, dtype=object))
        return np.array([self.ci[c] for c in uniques], dtype=np.int64)[at]

    def step_index(self, ci: np.ndarray, steps: pd.Series | np.ndarray) -> np.ndarray:
        """Position of each step in its class's ladder (0 = bottom), for rows of class
        indexes `ci` (one lookup per distinct class and step)."""
        s_at, s_uniques = pd.factorize(pd.Series(steps, dtype=object))
        pair, _ = pd.factorize(ci * (len(s_uniques) + 1) + s_at)
        first = first_rows(pair)
        position = {(c, st): i for c, ladder in self.ladders.items() for i, st in enumerate(ladder)}
        pos = [position[(self.codes[ci[r]], s_uniques[s_at[r]])] for r in first]
        return np.array(pos, dtype=np.int64)[pair]


def classes_of(codes: list[str], rates: pd.DataFrame) -> Classes:
    """The classes of `codes` (sorted), with their ladders from the rate table."""
    codes = sorted(codes)
    r = rates[rates["class_code"].isin(codes)]
    steps = r[["class_code", "step"]].drop_duplicates()
    ladders = {
        code: sorted(g.tolist(), key=step_order) for code, g in steps.groupby("class_code")["step"]
    }
    top = np.array([len(ladders[c]) - 1 for c in codes])
    titles = r.groupby("class_code")["class_title"].first()
    return Classes(
        codes=codes,
        ci={c: i for i, c in enumerate(codes)},
        ladders=ladders,
        top=top,
        S=int(top.max()) + 1,
        titles=[titles.get(c) for c in codes],
        agency_codes=set(rates["class_code"]),
    )


# Baseline rates -----------------------------------------------------------------------------


@dataclass
class Baseline:
    """B[c, s, p]: the baseline hourly rate by class, step and period (the schedule in force,
    times the agreement's increases it does not carry yet), and the agreement's one-time
    payments (None without an increases table)."""

    B: np.ndarray
    one_time_agreement: pd.DataFrame | None


def baseline_rates(run: Run, classes: Classes) -> Baseline:
    H, SD, derived = _schedules(run, classes)
    di = (SD[:, :, None] <= run.ps[None, None, :]).sum(axis=1) - 1  # (C, P)
    if (di < 0).any():
        first = pd.Timestamp(SD[:, 0].min()).date()
        run.notes.append(
            f"The horizon starts before the agreement's first salary schedule ({first}); "
            "periods before it are costed at that first schedule."
        )
    di = np.maximum(di, 0)
    rows = np.arange(classes.C)[:, None]
    B = H[rows, di, :].transpose(0, 2, 1)  # (C, S, P)
    used_dates = SD[rows, di]  # (C, P)
    last_known = SD[~np.isin(SD, [_NO_DATE])].max()
    G, one_time, last_known = _agreement_increases(run, classes, used_dates, last_known)
    last_known = pd.Timestamp(last_known).date()
    if last_known < run.cal.year_starts()[-1] + timedelta(days=363):
        run.notes.append(
            f"Beyond {last_known} (the agreement's last known schedule or increase) "
            "baseline rates stay flat: no increase is assumed after the agreement."
        )
    _schedule_note(run, classes, SD, di, derived)
    return Baseline(B * G[:, None, :], one_time)  # the rate table now carries the increases


def _schedules(run: Run, classes: Classes) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """H[c, d, s]: the hourly rate of class c's d-th schedule at step s (a step missing on a
    date keeps its nearest rate), SD[c, d] the schedule dates, and which rates are derived."""
    r = run.rates[run.rates["class_code"].isin(classes.codes)].copy()
    r["ci"] = classes.index(r["class_code"])
    r["si"] = classes.step_index(r["ci"].to_numpy(), r["step"])
    dd = r[["ci", "effective_date"]].drop_duplicates().sort_values(["ci", "effective_date"])
    dd["di"] = dd.groupby("ci").cumcount()
    r = r.merge(dd, on=["ci", "effective_date"])
    D = int(dd["di"].max()) + 1
    H = np.full((classes.C, D, classes.S), np.nan)
    H[r["ci"], r["di"], r["si"]] = r["hourly"].astype(float)
    derived = np.zeros((classes.C, D, classes.S), dtype=bool)
    derived[r["ci"], r["di"], r["si"]] = r["is_derived"].fillna(False).astype(bool)
    SD = np.full((classes.C, D), _NO_DATE, dtype="datetime64[D]")
    SD[dd["ci"], dd["di"]] = dd["effective_date"].to_numpy().astype("datetime64[D]")
    for d in range(1, D):
        H[:, d] = np.where(np.isnan(H[:, d]), H[:, d - 1], H[:, d])
    for d in range(D - 2, -1, -1):
        H[:, d] = np.where(np.isnan(H[:, d]), H[:, d + 1], H[:, d])
    return H, SD, derived


def _agreement_increases(
    run: Run, classes: Classes, used_dates: np.ndarray, last_known: np.datetime64
) -> tuple[np.ndarray, pd.DataFrame | None, np.datetime64]:
    """G[c, p]: the agreement's increases not yet carried by a schedule, compounded; its
    one-time payments; and the last date the agreement speaks for."""
    G = np.ones((classes.C, run.P))
    inc = run.increases
    if inc is None or not len(inc):
        return G, None, last_known
    inc = inc.copy()
    undated = inc[inc["effective_date"].isna()]
    if len(undated):
        run.notes.append(f"{len(undated)} agreement increase(s) without a date are not costed.")
    inc = inc[inc["effective_date"].notna()]
    inc["d"] = pd.to_datetime(inc["effective_date"]).values.astype("datetime64[D]")
    if len(inc):
        last_known = max(last_known, inc["d"].max())
    pct = inc[inc["kind"].isin(INCREASE_KINDS) & inc["pct"].notna()]
    # only increases after some schedule in use and within the horizon can apply
    pct = pct[(pct["d"] > used_dates.min()) & (pct["d"] <= run.ps[-1])]
    for d, code, p in zip(pct["d"], pct["class_code"], pct["pct"], strict=True):
        cls = np.ones(classes.C, bool)
        if not isnull(code):
            cls = np.zeros(classes.C, bool)
            if str(code) not in classes.ci:
                continue
            cls[classes.ci[str(code)]] = True
        applies = cls[:, None] & (used_dates < d) & (d <= run.ps)[None, :]
        G *= np.where(applies, 1 + float(p) / 100, 1.0)
    one_time = inc[(inc["kind"] == "one_time") & inc["amount"].notna()]
    return G, one_time, last_known


def _schedule_note(
    run: Run, classes: Classes, SD: np.ndarray, di: np.ndarray, derived: np.ndarray
) -> None:
    used: dict = {}
    for c in range(classes.C):
        for d in np.unique(di[c]):
            day = pd.Timestamp(SD[c, d]).date()
            used.setdefault(day, []).append(derived[c, d, : classes.top[c] + 1])
    parts = []
    for day in sorted(used):
        ladders = np.array([x.all() for x in used[day]])
        some = np.array([x.any() for x in used[day]])
        kind = "derived" if ladders.all() else "partly derived" if some.any() else "printed"
        parts.append(f"{day} ({kind})")
    run.notes.append(
        "Salary schedules used: " + ", ".join(parts) + ". Derived rates (is_derived) are "
        "computed from the agreement's text; see salary_schedule.derivation."
    )


def isnull(v: object) -> bool:
    return v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA


# Proposal factors ---------------------------------------------------------------------------


@dataclass
class Factors:
    """F[c, p]: the proposal's percentage changes in force, compounded; F_carried: the
    factor in force at the end of the previous year (1 in year 1); the added top step per
    class (percent, first period, periods at the top it needs)."""

    F: np.ndarray
    F_carried: np.ndarray
    top_pct: np.ndarray
    top_eff: np.ndarray
    top_after: np.ndarray


def proposal_factors(run: Run, classes: Classes) -> Factors:
    C, P = classes.C, run.P
    F = np.ones((C, P))
    top_pct, top_eff = np.zeros(C), np.full(C, NEVER)
    top_after = np.zeros(C, dtype=np.int64)
    for c in run.scenario.changes:
        if isinstance(c, AcrossTheBoard | Targeted):
            mult = np.full(C, 1 + c.pct / 100)
            if isinstance(c, Targeted):
                mult = np.where(classes.mask(c.classes), mult, 1.0)
            F *= np.where(run.ps >= np.datetime64(c.effective, "D"), mult[:, None], 1.0)
        elif isinstance(c, ToMarket):
            for eff, factors in c.stage_factors():
                mult = np.array([factors.get(code, 1.0) for code in classes.codes])
                F *= np.where(run.ps >= np.datetime64(eff, "D"), mult[:, None], 1.0)
        elif isinstance(c, AddTopStep):
            m = classes.mask(c.classes)
            top_pct[m] = c.pct
            top_eff[m] = run.cal.first_period_on_or_after(c.effective)
            top_after[m] = c.after_periods_at_top
    prev_end = (np.arange(P) // PAY_PERIODS_PER_YEAR) * PAY_PERIODS_PER_YEAR - 1
    F_carried = np.where(prev_end >= 0, F[:, np.maximum(prev_end, 0)], 1.0)
    if (top_pct > 0).any():
        run.notes.append(
            "Added top step: employees already at the top at the start count their time at "
            "the top from the start (or move on their next_step_date, if the roster gives "
            "one)."
        )
    return Factors(F, F_carried, top_pct, top_eff, top_after)
