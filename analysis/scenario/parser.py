"""Reading a scenario's JSON form (a dict) into a Scenario, collecting every problem before
raising one ScenarioError. The rules are those of analysis/scenario/__init__.py's docstring; text
fields (the agency, name, description, labels, flag, roll-up and class names) follow the one
cell parser's text rules (etl.cells.text: no lone surrogate, control or direction character,
bounded length), numbers are bounded to what a proposal can mean (percentages, one-time
amounts, premiums, hours) and dates to the settings' EARLIEST_DATE..LATEST_DATE."""

from __future__ import annotations

from typing import Any

from analysis.scenario.fields import Fields
from analysis.scenario.json_form import decode, loads, path_key, shown_key
from analysis.scenario.model import (
    CHANGE_TYPES,
    AcrossTheBoard,
    AddTopStep,
    Change,
    OneTime,
    PremiumChange,
    Rollup,
    Scenario,
    ScenarioError,
    Stage,
    Targeted,
    ToMarket,
)
from etl.defaults import MAX_DESCRIPTION, MAX_HOURLY, MAX_NAME, MAX_ONE_TIME, MAX_PCT
from etl.pay import HOURS_PER_PAY_PERIOD, PAY_PERIODS_PER_YEAR

MAX_YEARS = 10
MAX_OVERTIME_HOURS = 4000.0  # overtime hours a year per FTE
PREMIUM_BASES = ("usd_per_hour", "usd_per_pay_period", "pct_of_base")
GAP_BASES = ("increase_to_market", "below_market")
ONE_TIME_PER = ("fte", "head")
ROLLUP_EXCLUDABLE = ("overtime", "premiums", "one_time")
# The highest premium per basis: a percent of base pay, dollars an hour, dollars per 80 hours.
PREMIUM_HIGH = {
    "pct_of_base": MAX_PCT,
    "usd_per_hour": MAX_HOURLY,
    "usd_per_pay_period": MAX_HOURLY * HOURS_PER_PAY_PERIOD,
}
_PCT = {"low": -100, "low_open": True, "high": MAX_PCT}
_TOP = (
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
_FIELDS = {
    "across_the_board": ("type", "effective", "pct", "label"),
    "targeted": ("type", "effective", "pct", "classes", "label"),
    "to_market": ("type", "gaps", "threshold", "gap_basis", "effective", "stages", "label"),
    "premium": (
        *("type", "flag", "basis", "value", "current", "effective", "share", "classes"),
        "label",
    ),
    "one_time": ("type", "effective", "amount", "per", "periods", "classes", "label"),
    "add_top_step": ("type", "effective", "pct", "classes", "after_periods_at_top", "label"),
}


def parse_dict(data: Any) -> Scenario:
    """The Scenario a JSON form describes; ScenarioError listing every problem."""
    return _Parser().scenario(data)


class _Parser(Fields):
    """The scenario and its parts, each read with the field readers."""

    def scenario(self, data: Any) -> Scenario:
        if not isinstance(data, dict):
            raise ScenarioError([("", f"must be a JSON object, got {type(data).__name__}")])
        self.known_fields(data, _TOP, "")
        agency = self.text(data, "agency", "", required=True)
        start = self.date_(data, "start", "")
        years = self.integer(data, "years", "", None, 1, MAX_YEARS)
        step_movement = data.get("step_movement", False)
        if not isinstance(step_movement, bool):
            self.fail("step_movement", f"must be true or false, got {shown_key(step_movement)}")
            step_movement = False
        rollups = self.rollups(data.get("rollups", {}))
        overtime = self.overtime(data.get("overtime", {}))
        changes = self.changes(data.get("changes", []))
        name = self.text(data, "name", "", max_len=MAX_NAME)
        description = self.text(data, "description", "", max_len=MAX_DESCRIPTION)
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
            self.fail("rollups", f"must be an object of name: percent, got {shown_key(v)}")
            return {}
        out = {}
        for name, spec in v.items():
            path = f"rollups.{path_key(name)}"
            label = self.text_value(name, path, required=True, max_len=MAX_NAME)
            rollup = self.rollup(spec, path)
            if label is not None and rollup is not None:
                out[label] = rollup
        return out

    def rollup(self, spec: Any, path: str) -> Rollup | None:
        if not isinstance(spec, dict):
            pct = self.number_value(spec, path, low=0, high=100)
            return None if pct is None else Rollup(pct)
        self.known_fields(spec, ("pct", "excludes"), path + ".")
        pct = self.number(spec, "pct", path + ".", low=0, high=100)
        ex = spec.get("excludes", [])
        if not isinstance(ex, list) or any(x not in ROLLUP_EXCLUDABLE for x in ex):
            self.fail(
                path + ".excludes",
                f"must be a list drawn from {', '.join(ROLLUP_EXCLUDABLE)}, got {shown_key(ex)}",
            )
            ex = []
        return None if pct is None else Rollup(pct, tuple(ex))

    def overtime(self, v: Any) -> dict[str, float]:
        if not isinstance(v, dict):
            self.fail("overtime", f"must be an object of class code: hours a year, got {v!r}")
            return {}
        out = {}
        for code, hours in v.items():
            path = f"overtime.{path_key(code)}"
            key = self.text_value(code, path, required=True)
            h = self.number_value(hours, path, low=0, high=MAX_OVERTIME_HOURS)
            if key is not None and h is not None:
                out[key] = h
        return out

    def changes(self, raw: Any) -> list[Change]:
        if not isinstance(raw, list):
            self.fail("changes", f"must be a list of changes, got {shown_key(raw)}")
            return []
        changes = [c for c in (self.change(i, c) for i, c in enumerate(raw)) if c is not None]
        self.check_top_steps(changes, raw)
        return changes

    def change(self, i: int, c: Any) -> Change | None:
        path = f"changes[{i}]."
        if not isinstance(c, dict):
            self.fail(f"changes[{i}]", f"must be an object with a 'type', got {shown_key(c)}")
            return None
        kind = c.get("type")
        if not isinstance(kind, str) or kind not in CHANGE_TYPES:
            self.fail(
                path + "type", f"must be one of {', '.join(CHANGE_TYPES)}, got {shown_key(kind)}"
            )
            return None
        self.types[i] = kind
        n_before = len(self.problems)
        self.known_fields(c, _FIELDS[kind], path)
        label = self.text(c, "label", path)
        result = getattr(self, kind)(c, path, label)
        return result if len(self.problems) == n_before else None

    def across_the_board(self, c: dict, path: str, label: str | None) -> Change:
        return AcrossTheBoard(
            self.date_(c, "effective", path), self.number(c, "pct", path, **_PCT), label
        )

    def targeted(self, c: dict, path: str, label: str | None) -> Change:
        eff, pct = self.date_(c, "effective", path), self.number(c, "pct", path, **_PCT)
        return Targeted(eff, pct, self.classes(c, "classes", path, True), label)

    def premium(self, c: dict, path: str, label: str | None) -> Change:
        basis = self.choice(c, "basis", path, PREMIUM_BASES, None)
        high = PREMIUM_HIGH.get(basis or "")
        return PremiumChange(
            flag=self.text(c, "flag", path, required=True),
            basis=basis,
            value=self.number(c, "value", path, low=0, high=high),
            effective=self.date_(c, "effective", path),
            current=self.number(c, "current", path, required=False, default=0.0, low=0, high=high),
            share=self.number(
                c, "share", path, required=False, default=1.0, low=0, low_open=True, high=1
            ),
            classes=self.classes(c, "classes", path, False),
            label=label,
        )

    def one_time(self, c: dict, path: str, label: str | None) -> Change:
        return OneTime(
            effective=self.date_(c, "effective", path),
            amount=self.number(c, "amount", path, low=0, high=MAX_ONE_TIME),
            per=self.choice(c, "per", path, ONE_TIME_PER, "fte"),
            periods=self.integer(c, "periods", path, 1, 1, PAY_PERIODS_PER_YEAR * MAX_YEARS),
            classes=self.classes(c, "classes", path, False),
            label=label,
        )

    def add_top_step(self, c: dict, path: str, label: str | None) -> Change:
        return AddTopStep(
            effective=self.date_(c, "effective", path),
            pct=self.number(c, "pct", path, low=0, low_open=True, high=100),
            classes=self.classes(c, "classes", path, False),
            after_periods_at_top=self.integer(
                c, "after_periods_at_top", path, 0, 0, PAY_PERIODS_PER_YEAR * MAX_YEARS
            ),
            label=label,
        )

    def to_market(self, c: dict, path: str, label: str | None) -> Change:
        basis = self.choice(c, "gap_basis", path, GAP_BASES, "increase_to_market")
        gaps = self.gaps(c.get("gaps"), path, basis)
        threshold = self.number(
            c, "threshold", path, required=False, default=0.0, low=0, high=MAX_PCT
        )
        has_eff, has_stages = "effective" in c, "stages" in c
        stages: list[Stage] = []
        if has_eff == has_stages:
            self.fail(path + "effective", "give either 'effective' or 'stages' (not both)")
        elif has_eff:
            eff = self.date_(c, "effective", path)
            stages = [Stage(eff, 1.0)] if eff is not None else []
        else:
            stages = self.stages(c["stages"], path)
        return ToMarket(gaps, tuple(stages), threshold, basis, label)

    def gaps(self, raw: Any, path: str, basis: str) -> dict[str, float]:
        if not isinstance(raw, dict) or not raw:
            self.fail(
                path + "gaps", f"must be an object of class code: percent, got {shown_key(raw)}"
            )
            return {}
        high = 99.0 if basis == "below_market" else MAX_PCT
        gaps: dict[str, float] = {}
        for code, g in raw.items():
            where = f"{path}gaps.{path_key(code)}"
            key = self.text_value(code, where, required=True)
            v = self.number_value(g, where, low=-1000, high=high)
            if key is not None and v is not None:
                gaps[key] = v
        return gaps

    def stages(self, raw: Any, path: str) -> list[Stage]:
        if not isinstance(raw, list) or not raw:
            self.fail(path + "stages", f"must be a non-empty list, got {shown_key(raw)}")
            return []
        stages: list[Stage] = []
        for k, s in enumerate(raw):
            sp = f"{path}stages[{k}]."
            if not isinstance(s, dict):
                self.fail(sp.rstrip("."), f"must be {{effective, share}}, got {shown_key(s)}")
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
        return stages

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


def scenario_from_dict(data: dict) -> Scenario:
    """Validate and build; raises ScenarioError listing every problem."""
    return parse_dict(data)


def scenario_from_json(text: str) -> Scenario:
    """A scenario from its JSON text (ScenarioError for text that is not one)."""
    return parse_dict(loads(text))


def scenario_from_bytes(data: bytes) -> Scenario:
    """An uploaded .json file: UTF-8 (a byte-order mark is allowed)."""
    return scenario_from_json(decode(data))


def parse_scenario(value: Scenario | dict | str | bytes) -> Scenario:
    """Accept a Scenario, its dict form, its JSON text or an uploaded file's bytes."""
    if isinstance(value, Scenario):
        return value
    if isinstance(value, str):
        return scenario_from_json(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return scenario_from_bytes(bytes(value))
    return parse_dict(value)
