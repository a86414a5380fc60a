"""The scenario objects (analysis/scenario/__init__.py describes the JSON form): the changes a
proposal makes, the assumptions, and the scenario itself, with its JSON form back
(`Scenario.to_dict`). Reading the JSON form is analysis/scenario/parser.py and
analysis/scenario/json_form.py; `ScenarioError` names every problem found.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

from etl.errors import InputError, Problem
from etl.pay_calendar import PayCalendar


class ScenarioError(InputError):
    """A scenario that cannot be costed or saved. Each problem is a Problem(row=None,
    column=<field path>, message), the path naming a change by index, e.g.
    "changes[2].basis"; the message shows it as "changes[2] (premium), field 'basis'"."""

    consequence = "it was not used"

    def __init__(
        self,
        problems: Iterable[Problem | tuple[str, str]],
        types: dict[int, str] | None = None,
        total: int | None = None,
    ):
        self.types = dict(types or {})
        items = [
            p if isinstance(p, Problem) else Problem(None, p[0] or None, p[1]) for p in problems
        ]
        super().__init__("scenario", items, total=total)

    def where(self, problem: Problem) -> str:
        return describe(problem.column or "", self.types)


def describe(path: str, types: dict[int, str]) -> str:
    """A field path as a message shows it: "changes[2] (premium), field 'basis'"."""
    m = re.match(r"changes\[(\d+)\](.*)", path, re.DOTALL)
    if m:  # (a top-level key typed as "changes[x]" is just an unknown field)
        idx = int(m.group(1))
        kind = f" ({types[idx]})" if idx in types else ""
        fld = m.group(2).lstrip(".")
        return f"changes[{idx}]{kind}" + (f", field {fld!r}" if fld else "")
    return f"field {path!r}" if path else ""


# The objects -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rollup:
    """An employer cost on pay (retirement, Social Security, Medicare...), in percent."""

    pct: float
    excludes: tuple[str, ...] = ()  # parts of pay it does not apply to

    def to_json_value(self) -> float | dict:
        if not self.excludes:
            return self.pct
        return {"pct": self.pct, "excludes": list(self.excludes)}


@dataclass(frozen=True)
class AcrossTheBoard:
    effective: date
    pct: float
    label: str | None = None
    type: ClassVar[str] = "across_the_board"


@dataclass(frozen=True)
class Targeted:
    effective: date
    pct: float
    classes: tuple[str, ...]
    label: str | None = None
    type: ClassVar[str] = "targeted"


@dataclass(frozen=True)
class Stage:
    effective: date
    share: float  # share of the dollar gap closed at this stage


@dataclass(frozen=True)
class ToMarket:
    gaps: dict[str, float]
    stages: tuple[Stage, ...]
    threshold: float = 0.0
    gap_basis: str = "increase_to_market"
    label: str | None = None
    type: ClassVar[str] = "to_market"

    def increase_to_market(self) -> dict[str, float]:
        """The classes moved, with the full increase (a fraction) that reaches market."""
        out = {}
        for code, gap in self.gaps.items():
            if gap <= self.threshold or gap <= 0:
                continue
            out[code] = gap / 100 if self.gap_basis == "increase_to_market" else gap / (100 - gap)
        return out

    def stage_factors(self) -> list[tuple[date, dict[str, float]]]:
        """Per stage, the multiplier each class's rate gets: after stage k the class has closed
        the cumulative share S_k of the distance, so its factor is (1 + g S_k) / (1 + g S_k-1)."""
        inc = self.increase_to_market()
        out, done = [], 0.0
        for st in self.stages:
            before, done = done, done + st.share
            out.append(
                (st.effective, {c: (1 + g * done) / (1 + g * before) for c, g in inc.items()})
            )
        return out


@dataclass(frozen=True)
class PremiumChange:
    flag: str
    basis: str
    value: float
    effective: date
    current: float = 0.0
    share: float = 1.0
    classes: tuple[str, ...] | None = None
    label: str | None = None
    type: ClassVar[str] = "premium"


@dataclass(frozen=True)
class OneTime:
    effective: date
    amount: float
    per: str = "fte"
    periods: int = 1
    classes: tuple[str, ...] | None = None
    label: str | None = None
    type: ClassVar[str] = "one_time"


@dataclass(frozen=True)
class AddTopStep:
    effective: date
    pct: float
    classes: tuple[str, ...] | None = None
    after_periods_at_top: int = 0
    label: str | None = None
    type: ClassVar[str] = "add_top_step"


Change = AcrossTheBoard | Targeted | ToMarket | PremiumChange | OneTime | AddTopStep
CHANGE_TYPES: dict[str, type] = {
    c.type: c for c in (AcrossTheBoard, Targeted, ToMarket, PremiumChange, OneTime, AddTopStep)
}


@dataclass(frozen=True)
class Scenario:
    """A costing scenario: agency, horizon, assumptions and the proposal's changes."""

    agency: str
    start: date
    years: int
    step_movement: bool = False
    rollups: dict[str, Rollup] = field(default_factory=dict)
    overtime: dict[str, float] = field(default_factory=dict)
    changes: tuple[Change, ...] = ()
    name: str | None = None
    description: str | None = None

    @property
    def calendar(self) -> PayCalendar:
        return PayCalendar(self.start, self.years)

    @property
    def periods(self) -> int:
        return self.calendar.periods

    @property
    def end(self) -> date:
        """The last day of the last pay period costed."""
        return self.calendar.end

    def to_dict(self) -> dict:
        """The JSON form (dates as YYYY-MM-DD); from_dict(to_dict()) gives an equal scenario."""
        out: dict[str, Any] = {
            "agency": self.agency,
            "start": self.start.isoformat(),
            "years": self.years,
            "step_movement": self.step_movement,
            "rollups": {k: r.to_json_value() for k, r in self.rollups.items()},
        }
        if self.overtime:
            out["overtime"] = dict(self.overtime)
        out["changes"] = [_change_to_dict(c) for c in self.changes]
        if self.name:
            out["name"] = self.name
        if self.description:
            out["description"] = self.description
        return out

    def to_json(self, indent: int | None = None) -> str:
        return json.dumps(self.to_dict(), indent=indent)


def _change_to_dict(c: Change) -> dict:
    d: dict[str, Any] = {"type": c.type}
    if isinstance(c, ToMarket):
        d["gaps"] = dict(c.gaps)
        if c.threshold:
            d["threshold"] = c.threshold
        if c.gap_basis != "increase_to_market":
            d["gap_basis"] = c.gap_basis
        if len(c.stages) == 1 and c.stages[0].share == 1.0:
            d["effective"] = c.stages[0].effective.isoformat()
        else:
            d["stages"] = [
                {"effective": s.effective.isoformat(), "share": s.share} for s in c.stages
            ]
    else:
        defaults = {
            "current": 0.0,
            "share": 1.0,
            "classes": None,
            "per": "fte",
            "periods": 1,
            "after_periods_at_top": 0,
            "label": None,
        }
        for name in c.__dataclass_fields__:
            v = getattr(c, name)
            if name in defaults and v == defaults[name]:
                continue
            if isinstance(v, date):
                v = v.isoformat()
            elif isinstance(v, tuple):
                v = list(v)
            d[name] = v
    if isinstance(c, ToMarket) and c.label:
        d["label"] = c.label
    return d
