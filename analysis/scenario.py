"""Bargaining scenarios: what a proposal changes, over which fiscal years, costed how.

A scenario is plain JSON so it can be saved by name (analysis/userstore.py), pasted, diffed
and reloaded. This is the smallest valid scenario, exactly as it may be written:

    {"agency": "Sonoma", "start": "2004-07-01", "years": 2, "step_movement": false,
     "rollups": {"medicare": 1.45},
     "changes": [{"type": "across_the_board", "effective": "2004-07-01", "pct": 1.0}]}

Top-level fields
----------------
agency          required. An agency with a salary schedule in the warehouse ("Sonoma",
                "Mendocino").
start           required, "YYYY-MM-DD" (1900-01-01 to 2200-12-31): the first day of the
                first pay period costed.
years           required, whole number 1-10: fiscal years costed. Each fiscal year is 26
                biweekly pay periods (see analysis/costing.py for the exact calendar).
step_movement   optional, default false. true: employees move up their range on their
                `next_step_date` (roster) and then every year, by the agreement's merit rule
                (Sonoma two steps, Mendocino one); without a date, the first move is assumed
                at mid-year (period 14 of year 1). Applies to the baseline and the proposal.
rollups         optional, default {}. Named percentages of pay the employer adds on top
                (retirement, Social Security, Medicare, ...): {"medicare": 1.45} applies to all
                pay; {"retirement": {"pct": 22.5, "excludes": ["overtime", "one_time"]}}
                leaves out the listed parts ("overtime", "premiums", "one_time").
overtime        optional, default {}. Overtime hours a year per full-time equivalent, by class
                code; "*" for every class not listed: {"0401": 40, "*": 10}. Costed at 1.5x
                the hourly rate in force (the baseline rate for the baseline, the new rate for
                the proposal).
name, description  optional text.

Changes (the "changes" list, applied in the proposal only; all percentages are percent, so
3.0 means 3%; percentage increases compound with each other and with the agreement's own
increases)
--------------------------------------------------------------------------------------------
{"type": "across_the_board", "effective": "2005-07-01", "pct": 3.0}
    Every class, from the first pay period starting on or after `effective`.
{"type": "targeted", "effective": "2005-07-01", "pct": 2.0, "classes": ["0401", "0402"]}
    The listed classes only.
{"type": "to_market", "gaps": {"0401": 6.2, "0153": 1.1}, "threshold": 2.0,
 "gap_basis": "increase_to_market", "effective": "2004-07-01"}
    Bring every class more than `threshold` percent from market to market. `gaps` is the
    precomputed gap per class (e.g. from the market comparison page); gap_basis says which
    convention it uses: "increase_to_market" (default) = (market - own) / own, or
    "below_market" = (market - own) / market. Classes at or below the threshold, or not
    listed, are not moved. Instead of `effective`, close the gap in stages:
    "stages": [{"effective": "2004-07-01", "share": 0.5}, {"effective": "2005-07-01",
    "share": 0.5}]: after each stage the class has closed that cumulative share of the dollar
    distance to market (shares must add up to at most 1).
{"type": "premium", "flag": "bilingual", "basis": "usd_per_pay_period", "value": 50.0,
 "current": 40.0, "effective": "2015-07-26"}
    Pay premium for employees flagged yes in the roster column `flag`. basis is
    "usd_per_hour", "usd_per_pay_period" (per 80 hours, so prorated by FTE) or "pct_of_base"
    (percent of the employee's base hourly rate). `current` (default 0 = a new premium) is
    the level paid now, in the baseline and in the proposal before `effective`; `value` is
    the level from `effective`. Optional: "share" (0-1, default 1) = the share of paid hours
    the premium covers (hourly and percent bases), "classes" to limit it.
{"type": "one_time", "effective": "2005-07-01", "amount": 1000.0, "per": "fte",
 "periods": 4}
    A lump sum per FTE ("fte", default) or per head ("head"), paid in equal parts over
    `periods` pay periods (default 1) from the first period starting on or after `effective`.
    Optional "classes". Paid in the horizon only.
{"type": "add_top_step", "effective": "2005-07-01", "pct": 5.0, "after_periods_at_top": 26}
    A new step above the top: new top = top x (1 + pct). An employee at the old top moves
    to it at the first period on or after `effective` once they have been at the top for
    `after_periods_at_top` pay periods (default 0), counted from the start of the horizon,
    or from when step movement brings them to the top; an employee already at the top with
    a roster `next_step_date` moves on that date. Optional "classes".

Every change may carry a "label" (text shown in the tables). Unknown fields are errors, so a
typo never silently costs nothing. Errors name the field and, for a change, its index:
"changes[2] (premium), field 'basis': ...".
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, ClassVar

from etl.defaults import MAX_UPLOAD_BYTES, MAX_UPLOAD_MB
from etl.errors import BargainError
from etl.pay import PAY_PERIODS_PER_YEAR
from etl.pay_calendar import PayCalendar

EXAMPLE_JSON = (
    '{"agency": "Sonoma", "start": "2004-07-01", "years": 2, "step_movement": false, '
    '"rollups": {"medicare": 1.45}, "changes": [{"type": "across_the_board", '
    '"effective": "2004-07-01", "pct": 1.0}]}'
)

MAX_YEARS = 10
# The costing calendar works in pandas timestamps (years 1677-2262): a start outside these
# bounds is a typo, refused here rather than failing inside the costing.
EARLIEST_START = date(1900, 1, 1)
LATEST_START = date(2200, 12, 31)
MAX_MESSAGE = 300  # characters of one problem's message (a value quoted in it is cut short)
PREMIUM_BASES = ("usd_per_hour", "usd_per_pay_period", "pct_of_base")
GAP_BASES = ("increase_to_market", "below_market")
ONE_TIME_PER = ("fte", "head")
ROLLUP_EXCLUDABLE = ("overtime", "premiums", "one_time")


class ScenarioError(BargainError):
    """A scenario that cannot be costed; `.problems` lists (field path, message), where the
    path names the change by index, e.g. ("changes[2].basis", "must be one of ...")."""

    def __init__(self, problems: list[tuple[str, str]], types: dict[int, str] | None = None):
        self.problems = list(problems)
        types = types or {}
        lines = []
        for path, message in self.problems:
            if len(message) > MAX_MESSAGE:
                message = message[: MAX_MESSAGE - 1] + "…"
            lines.append(f"  {_describe(path, types)}: {message}")
        n = len(self.problems)
        head = f"scenario: {n} problem{'s' if n != 1 else ''}"
        super().__init__(head + "\n" + "\n".join(lines))


def _describe(path: str, types: dict[int, str]) -> str:
    m = re.match(r"changes\[(\d+)\](.*)", path, re.DOTALL)
    if m:  # (a top-level key typed as "changes[x]" is just an unknown field)
        idx = int(m.group(1))
        kind = f" ({types[idx]})" if idx in types else ""
        fld = m.group(2).lstrip(".")
        return f"changes[{idx}]{kind}" + (f", field {fld!r}" if fld else "")
    return f"field {path!r}" if path else "scenario"


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

    @classmethod
    def from_dict(cls, data: dict) -> Scenario:
        """Validate and build; raises ScenarioError listing every problem."""
        return _Parser().scenario(data)

    @classmethod
    def from_json(cls, text: str) -> Scenario:
        if len(text) > MAX_UPLOAD_BYTES:
            raise ScenarioError(
                [
                    (
                        "",
                        f"the text is over the {MAX_UPLOAD_MB} MB upload limit ({len(text):,} "
                        "characters); a scenario is a few kilobytes",
                    )
                ]
            )
        if not text.strip():
            raise ScenarioError([("", "the scenario is empty: expected a JSON object {...}")])
        repeated: list[str] = []

        def pairs(items: list[tuple[str, Any]]) -> dict:
            out: dict = {}
            for k, v in items:
                if k in out:
                    repeated.append(k)
                out[k] = v
            return out

        try:
            data = json.loads(text, object_pairs_hook=pairs)
        except json.JSONDecodeError as exc:
            raise ScenarioError([("", f"not valid JSON: {exc}")]) from None
        except RecursionError:
            raise ScenarioError([("", "not valid JSON: nested too deeply")]) from None
        except ValueError:  # Python refuses integers of more than 4,300 digits
            raise ScenarioError(
                [("", "not valid JSON: a number is too long to read (thousands of digits)")]
            ) from None
        if repeated:
            raise ScenarioError(
                [
                    ("", f"key {k!r} is given twice in one object; keep one of them")
                    for k in dict.fromkeys(repeated)
                ]
            )
        return cls.from_dict(data)

    @classmethod
    def from_bytes(cls, data: bytes) -> Scenario:
        """An uploaded .json file: UTF-8 (a byte-order mark is allowed)."""
        if len(data) > MAX_UPLOAD_BYTES:
            raise ScenarioError(
                [
                    (
                        "",
                        f"the file is over the {MAX_UPLOAD_MB} MB upload limit ({len(data):,} "
                        "bytes); a scenario is a few kilobytes",
                    )
                ]
            )
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise ScenarioError([("", "the file is UTF-16; save the scenario as UTF-8 text")])
        try:
            text = bytes(data).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ScenarioError(
                [
                    (
                        "",
                        f"the file is not UTF-8 text ({exc.reason} at byte {exc.start}); a "
                        "scenario is JSON text saved as UTF-8",
                    )
                ]
            ) from None
        return cls.from_json(text)

    @classmethod
    def parse(cls, value: Scenario | dict | str | bytes) -> Scenario:
        """Accept a Scenario, its dict form, its JSON text or an uploaded file's bytes."""
        if isinstance(value, Scenario):
            return value
        if isinstance(value, str):
            return cls.from_json(value)
        if isinstance(value, bytes | bytearray | memoryview):
            return cls.from_bytes(bytes(value))
        return cls.from_dict(value)

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


# Validation ----------------------------------------------------------------------------------

_MISSING = object()


class _Parser:
    """Reads the JSON form, collecting every problem before raising one ScenarioError."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []
        self.types: dict[int, str] = {}

    def fail(self, path: str, message: str) -> None:
        self.problems.append((path, message))

    # field readers: each returns None (and records a problem) when the value is unusable
    def date_(self, d: dict, key: str, path: str, required: bool = True) -> date | None:
        v = d.get(key, _MISSING)
        if v is _MISSING or v is None:
            if required:
                self.fail(path + key, "is required (a date, YYYY-MM-DD)")
            return None
        if isinstance(v, datetime):
            return v.date()
        if isinstance(v, date):
            return v
        if isinstance(v, str):
            try:
                return date.fromisoformat(v.strip())
            except ValueError:
                pass
        self.fail(path + key, f"must be a date written YYYY-MM-DD, got {v!r}")
        return None

    def number(
        self,
        d: dict,
        key: str,
        path: str,
        required: bool = True,
        default: float | None = None,
        **bounds: Any,
    ) -> float | None:
        v = d.get(key, _MISSING)
        if v is _MISSING or v is None:
            if required:
                self.fail(path + key, "is required (a number)")
            return default
        return self.number_value(v, path + key, default, **bounds)

    def number_value(
        self,
        v: Any,
        where: str,
        default: float | None = None,
        low: float | None = None,
        high: float | None = None,
        low_open: bool = False,
    ) -> float | None:
        try:
            finite = not isinstance(v, bool) and isinstance(v, int | float) and math.isfinite(v)
        except OverflowError:  # an integer too large for a float
            self.fail(where, "must be a number, got an integer too large to use")
            return default
        if not finite:
            self.fail(where, f"must be a number, got {v!r}")
            return default
        v = float(v)
        if low is not None and (v < low or (low_open and v == low)):
            bound = "more than" if low_open else "at least"
            self.fail(where, f"must be {bound} {low:g}, got {v:g}")
        if high is not None and v > high:
            self.fail(where, f"must be at most {high:g}, got {v:g}")
        return v

    def integer(
        self, d: dict, key: str, path: str, default: int | None, low: int, high: int | None = None
    ) -> int | None:
        v = d.get(key, _MISSING)
        if v is _MISSING or v is None:
            if default is None:
                self.fail(path + key, "is required (a whole number)")
            return default
        if isinstance(v, bool) or not (
            isinstance(v, int) or (isinstance(v, float) and v.is_integer())
        ):
            self.fail(path + key, f"must be a whole number, got {v!r}")
            return default
        v = int(v)
        if v < low or (high is not None and v > high):
            rng = f"{low} to {high}" if high is not None else f"{low} or more"
            self.fail(path + key, f"must be {rng}, got {v}")
        return v

    def choice(self, d: dict, key: str, path: str, options: tuple[str, ...], default: str | None):
        v = d.get(key, _MISSING)
        if v is _MISSING or v is None:
            if default is None:
                self.fail(path + key, f"is required, one of {', '.join(options)}")
            return default
        if v not in options:
            self.fail(path + key, f"must be one of {', '.join(options)}, got {v!r}")
            return default
        return v

    def text(self, d: dict, key: str, path: str, required: bool = False) -> str | None:
        v = d.get(key, _MISSING)
        if v is _MISSING or v is None:
            if required:
                self.fail(path + key, "is required (text)")
            return None
        if not isinstance(v, str) or (required and not v.strip()):
            self.fail(path + key, f"must be {'non-empty ' if required else ''}text, got {v!r}")
            return None
        return v

    def classes(self, d: dict, key: str, path: str, required: bool) -> tuple[str, ...] | None:
        v = d.get(key, _MISSING)
        if v is _MISSING or v is None:
            if required:
                self.fail(path + key, "is required: a list of class codes")
            return None
        if (
            not isinstance(v, list)
            or not v
            or not all(isinstance(x, str | int) and not isinstance(x, bool) for x in v)
        ):
            self.fail(path + key, f"must be a non-empty list of class codes, got {v!r}")
            return None
        return tuple(str(x).strip() for x in v)

    def known_fields(self, d: dict, allowed: tuple[str, ...], path: str) -> None:
        for k in d:
            if k not in allowed:
                self.fail(path + str(k), f"unknown field (expected {', '.join(allowed)})")

    # the scenario
    def scenario(self, data: Any) -> Scenario:
        if not isinstance(data, dict):
            raise ScenarioError([("", f"must be a JSON object, got {type(data).__name__}")])
        top = (
            "agency",
            "start",
            "years",
            "step_movement",
            "rollups",
            "overtime",
            "changes",
            "name",
            "description",
        )
        self.known_fields(data, top, "")
        agency = self.text(data, "agency", "", required=True)
        start = self.date_(data, "start", "")
        if start is not None and not EARLIEST_START <= start <= LATEST_START:
            self.fail("start", f"must be between {EARLIEST_START} and {LATEST_START}, got {start}")
            start = None
        years = self.integer(data, "years", "", None, 1, MAX_YEARS)
        step_movement = data.get("step_movement", False)
        if not isinstance(step_movement, bool):
            self.fail("step_movement", f"must be true or false, got {step_movement!r}")
            step_movement = False
        rollups = self.rollups(data.get("rollups", {}))
        overtime = self.overtime(data.get("overtime", {}))
        raw_changes = data.get("changes", [])
        changes: list[Change] = []
        if not isinstance(raw_changes, list):
            self.fail("changes", f"must be a list of changes, got {raw_changes!r}")
        else:
            for i, c in enumerate(raw_changes):
                parsed = self.change(i, c)
                if parsed is not None:
                    changes.append(parsed)
        self.check_top_steps(changes, raw_changes if isinstance(raw_changes, list) else [])
        name = self.text(data, "name", "")
        description = self.text(data, "description", "")
        if self.problems:
            raise ScenarioError(self.problems, self.types)
        return Scenario(
            agency=agency,
            start=start,
            years=years,
            step_movement=step_movement,
            rollups=rollups,
            overtime=overtime,
            changes=tuple(changes),
            name=name,
            description=description,
        )

    def rollups(self, v: Any) -> dict[str, Rollup]:
        if not isinstance(v, dict):
            self.fail("rollups", f"must be an object of name: percent, got {v!r}")
            return {}
        out = {}
        for name, spec in v.items():
            path = f"rollups.{name}"
            if isinstance(spec, dict):
                self.known_fields(spec, ("pct", "excludes"), path + ".")
                pct = self.number(spec, "pct", path + ".", low=0, high=100)
                ex = spec.get("excludes", [])
                if not isinstance(ex, list) or any(x not in ROLLUP_EXCLUDABLE for x in ex):
                    self.fail(
                        path + ".excludes",
                        f"must be a list drawn from {', '.join(ROLLUP_EXCLUDABLE)}, got {ex!r}",
                    )
                    ex = []
                if pct is not None:
                    out[str(name)] = Rollup(pct, tuple(ex))
            else:
                pct = self.number_value(spec, path, low=0, high=100)
                if pct is not None:
                    out[str(name)] = Rollup(pct)
        return out

    def overtime(self, v: Any) -> dict[str, float]:
        if not isinstance(v, dict):
            self.fail("overtime", f"must be an object of class code: hours a year, got {v!r}")
            return {}
        out = {}
        for code, hours in v.items():
            h = self.number_value(hours, f"overtime.{code}", low=0, high=4000)
            if h is not None:
                out[str(code)] = h
        return out

    def change(self, i: int, c: Any) -> Change | None:
        path = f"changes[{i}]."
        if not isinstance(c, dict):
            self.fail(f"changes[{i}]", f"must be an object with a 'type', got {c!r}")
            return None
        kind = c.get("type")
        if not isinstance(kind, str) or kind not in CHANGE_TYPES:
            self.fail(path + "type", f"must be one of {', '.join(CHANGE_TYPES)}, got {kind!r}")
            return None
        self.types[i] = kind
        n_before = len(self.problems)
        label = self.text(c, "label", path)
        pct_args = {"low": -100, "low_open": True, "high": 1000}
        result: Change | None = None
        if kind == "across_the_board":
            self.known_fields(c, ("type", "effective", "pct", "label"), path)
            eff, pct = self.date_(c, "effective", path), self.number(c, "pct", path, **pct_args)
            result = AcrossTheBoard(eff, pct, label)
        elif kind == "targeted":
            self.known_fields(c, ("type", "effective", "pct", "classes", "label"), path)
            eff, pct = self.date_(c, "effective", path), self.number(c, "pct", path, **pct_args)
            result = Targeted(eff, pct, self.classes(c, "classes", path, True), label)
        elif kind == "to_market":
            result = self.to_market(c, path, label)
        elif kind == "premium":
            self.known_fields(
                c,
                (
                    "type",
                    "flag",
                    "basis",
                    "value",
                    "current",
                    "effective",
                    "share",
                    "classes",
                    "label",
                ),
                path,
            )
            result = PremiumChange(
                flag=self.text(c, "flag", path, required=True),
                basis=self.choice(c, "basis", path, PREMIUM_BASES, None),
                value=self.number(c, "value", path, low=0),
                effective=self.date_(c, "effective", path),
                current=self.number(c, "current", path, required=False, default=0.0, low=0),
                share=self.number(
                    c, "share", path, required=False, default=1.0, low=0, low_open=True, high=1
                ),
                classes=self.classes(c, "classes", path, False),
                label=label,
            )
        elif kind == "one_time":
            self.known_fields(
                c, ("type", "effective", "amount", "per", "periods", "classes", "label"), path
            )
            result = OneTime(
                effective=self.date_(c, "effective", path),
                amount=self.number(c, "amount", path, low=0),
                per=self.choice(c, "per", path, ONE_TIME_PER, "fte"),
                periods=self.integer(c, "periods", path, 1, 1, PAY_PERIODS_PER_YEAR * MAX_YEARS),
                classes=self.classes(c, "classes", path, False),
                label=label,
            )
        elif kind == "add_top_step":
            self.known_fields(
                c, ("type", "effective", "pct", "classes", "after_periods_at_top", "label"), path
            )
            result = AddTopStep(
                effective=self.date_(c, "effective", path),
                pct=self.number(c, "pct", path, low=0, low_open=True, high=100),
                classes=self.classes(c, "classes", path, False),
                after_periods_at_top=self.integer(
                    c, "after_periods_at_top", path, 0, 0, PAY_PERIODS_PER_YEAR * MAX_YEARS
                ),
                label=label,
            )
        return result if len(self.problems) == n_before else None

    def to_market(self, c: dict, path: str, label: str | None) -> ToMarket | None:
        self.known_fields(
            c,
            ("type", "gaps", "threshold", "gap_basis", "effective", "stages", "label"),
            path,
        )
        basis = self.choice(c, "gap_basis", path, GAP_BASES, "increase_to_market")
        gaps_raw = c.get("gaps")
        gaps: dict[str, float] = {}
        if not isinstance(gaps_raw, dict) or not gaps_raw:
            self.fail(path + "gaps", f"must be an object of class code: percent, got {gaps_raw!r}")
        else:
            for code, g in gaps_raw.items():
                high = 99.0 if basis == "below_market" else 1000.0
                v = self.number_value(g, f"{path}gaps.{code}", low=-1000, high=high)
                if v is not None:
                    gaps[str(code)] = v
        threshold = self.number(c, "threshold", path, required=False, default=0.0, low=0)
        has_eff, has_stages = "effective" in c, "stages" in c
        stages: list[Stage] = []
        if has_eff == has_stages:
            self.fail(path + "effective", "give either 'effective' or 'stages' (not both)")
        elif has_eff:
            eff = self.date_(c, "effective", path)
            if eff is not None:
                stages = [Stage(eff, 1.0)]
        else:
            raw = c["stages"]
            if not isinstance(raw, list) or not raw:
                self.fail(path + "stages", f"must be a non-empty list, got {raw!r}")
            else:
                for k, s in enumerate(raw):
                    sp = f"{path}stages[{k}]."
                    if not isinstance(s, dict):
                        self.fail(sp.rstrip("."), f"must be {{effective, share}}, got {s!r}")
                        continue
                    self.known_fields(s, ("effective", "share"), sp)
                    eff = self.date_(s, "effective", sp)
                    share = self.number(s, "share", sp, low=0, low_open=True, high=1)
                    if eff is not None and share is not None:
                        stages.append(Stage(eff, share))
                dates = [s.effective for s in stages]
                if dates != sorted(set(dates)):
                    self.fail(path + "stages", "stage dates must be in order, each after the last")
                if sum(s.share for s in stages) > 1 + 1e-9:
                    self.fail(path + "stages", "shares add up to more than 1 (the whole gap)")
        return ToMarket(gaps, tuple(stages), threshold, basis, label)

    def check_top_steps(self, changes: list[Change], raw: list) -> None:
        """One added top step per class: two would make 'the top' ambiguous."""
        seen: list[tuple[int, tuple[str, ...] | None]] = []
        idx = [
            i for i, c in enumerate(raw) if isinstance(c, dict) and c.get("type") == "add_top_step"
        ]
        tops = [c for c in changes if isinstance(c, AddTopStep)]
        if len(idx) != len(tops):
            return  # an invalid one is already reported
        for i, c in zip(idx, tops, strict=True):
            for j, other in seen:
                if c.classes is None or other is None or set(c.classes) & set(other):
                    self.fail(
                        f"changes[{i}].classes",
                        f"changes[{j}] already adds a top step to these classes (one per class)",
                    )
            seen.append((i, c.classes))
