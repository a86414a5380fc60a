"""Pay cells and classes -> checked warehouse rows: one Agreement, its JobClasses, SalaryRates
(hourly, converted with etl/pay.py, each citing its file, row, sheet and column) and StepRule.

Checks, each refusing the import with the cell(s) named:
- pay within MIN_HOURLY..MAX_HOURLY an hour once converted (a wrong pay period shows here);
- one value per class x step x date (both rows named);
- steps in a known order (numbers, or letters, or the order given), and pay that does not
  decrease from one step to the next within a class on a date (a decrease is a shifted cell
  or steps out of order; a schedule the other side can pick apart is worse than a refusal);
- a class list's grades all in the grade chart; no class listed twice with different facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from etl import defaults, pay
from etl.citations import SourceRef, user_section
from etl.errors import Problem
from etl.records import Agreement, JobClass, ParseResult, SalaryRate, StepRule
from etl.schedule_import.extract import ClassRow, Extracted, PayCell, Where
from etl.schedule_import.options import Options

DEFAULT_MONTHS_BETWEEN_STEPS = 12  # the stated default: one step a year, hire at the first


@dataclass
class Checked:
    classes: list[ClassRow] = field(default_factory=list)
    cells: list[PayCell] = field(default_factory=list)  # keyed by class code
    steps: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def problem(self, where: Where | None, message: str) -> None:
        if where is None:
            self.problems.append(Problem(None, None, message))
        else:
            self.problems.append(where.problem(message))


def hourly(cell: PayCell) -> float:
    return pay.convert(cell.amount, cell.period, "hourly")


def check(main: Extracted, class_list: Extracted | None, options: Options, wide: bool) -> Checked:
    """The checked classes and pay cells (grade chart cells joined to the class list)."""
    out = Checked()
    _plausible(out, main.cells)
    twice = _duplicates(out, main.cells)
    out.steps = _step_order(out, main.cells, options, wide)
    _monotonic(out, [c for c in main.cells if (c.unit, c.key, c.date) not in twice], out.steps)
    if class_list is None:
        out.classes, out.cells = main.classes, main.cells
    else:
        _join(out, main, class_list)
    return out


def _plausible(out: Checked, cells: list[PayCell]) -> None:
    lo, hi = defaults.MIN_HOURLY, defaults.MAX_HOURLY
    for c in cells:
        h = hourly(c)
        if not lo <= h <= hi:
            per = " is" if c.period == "hourly" else f" {c.period} is ${h:,.2f} an hour,"
            out.problem(
                c.where,
                f"{c.amount:,.2f}{per} outside ${lo:,.0f} to ${hi:,.0f} an hour: is the pay "
                "period right?",
            )


def _name(c: PayCell) -> str:
    return f"{c.key} ({c.unit})" if c.unit else c.key


def _duplicates(out: Checked, cells: list[PayCell]) -> set[tuple[str | None, str, date]]:
    """Each step given twice is a problem; the (unit, class, date) they are in is returned,
    so its steps are not also compared across the two rows (a decrease that is no more than
    the duplicate seen again)."""
    seen: dict[tuple[str | None, str, str, date], PayCell] = {}
    twice: set[tuple[str | None, str, date]] = set()
    for c in cells:
        k = (c.unit, c.key, c.step, c.date)
        first = seen.setdefault(k, c)
        if first is not c:
            twice.add((c.unit, c.key, c.date))
            sheet = f"sheet {first.where.sheet!r}, " if first.where.sheet != c.where.sheet else ""
            out.problem(
                c.where,
                f"{_name(c)} step {c.step} on {c.date.isoformat()} is given twice: "
                f"{sheet}{first.where.place} (column {first.where.column!r}) and "
                f"{c.where.place}{_both(first, c)}",
            )
    return twice


def _both(first: PayCell, second: PayCell) -> str:
    """The two amounts of a step given twice, when they differ (which one is right?)."""
    if first.amount == second.amount:
        return ""
    return f" ({first.amount:,.2f} and {second.amount:,.2f})"


def _natural(steps: list[str]) -> list[str] | None:
    if all(s.isdigit() for s in steps):
        return sorted(steps, key=int)
    if all(len(s) == 1 and s.isalpha() for s in steps):
        return sorted(steps)
    return None


def _step_order(
    out: Checked, cells: list[PayCell], options: Options, wide: bool
) -> tuple[str, ...]:
    seen = list(dict.fromkeys(c.step for c in cells))
    if options.steps:
        unknown: dict[tuple[str, str | None], list[PayCell]] = {}
        for c in cells:
            if c.step not in options.steps:
                unknown.setdefault((c.step, c.where.column), []).append(c)
        for (step, _), found in unknown.items():
            rows = _rows(sorted({c.where.row for c in found}))
            out.problem(
                replace(found[0].where, row=None),
                f"step {step!r} (rows {rows}) is not one of the steps given: "
                f"{', '.join(options.steps)}",
            )
        return options.steps
    order = _natural(seen)
    if order is None and wide:
        order = seen  # the step columns left to right
    if order is None:
        out.problem(
            None,
            f"the steps {', '.join(map(repr, seen))} are neither numbers nor letters: give "
            "their order, bottom to top (steps A,B,C)",
        )
        return tuple(seen)
    return tuple(order)


def _monotonic(out: Checked, cells: list[PayCell], steps: tuple[str, ...]) -> None:
    rank = {s: i for i, s in enumerate(steps)}
    by_class: dict[tuple[str | None, str, date], list[PayCell]] = {}
    for c in cells:
        if c.step in rank:
            by_class.setdefault((c.unit, c.key, c.date), []).append(c)
    for group in by_class.values():
        group.sort(key=lambda c: rank[c.step])
        for lower, upper in zip(group, group[1:], strict=False):
            if lower.step != upper.step and hourly(upper) < hourly(lower) - 1e-9:
                out.problem(
                    upper.where,
                    f"{_name(upper)} step {upper.step} pays {upper.amount:,.2f}, less than step "
                    f"{lower.step} {lower.amount:,.2f} ({lower.where.place}, column "
                    f"{lower.where.column!r}): steps must not decrease within a class (a "
                    "shifted cell, or the steps in another order?)",
                )


def _join(out: Checked, chart: Extracted, class_list: Extracted) -> None:
    """Each class of the list gets its grade's pay (in its unit, when the chart has units)."""
    by_grade: dict[tuple[str | None, str], list[PayCell]] = {}
    for c in chart.cells:
        by_grade.setdefault((c.unit, c.key), []).append(c)
    chart_units = any(u for u, _ in by_grade)
    first: dict[tuple[str | None, str], ClassRow] = {}
    used: set[tuple[str | None, str]] = set()
    no_grade = []
    for row in class_list.classes:
        seen = first.setdefault((row.unit, row.code), row)
        if seen is not row:
            if (seen.title, seen.grade) != (row.title, row.grade):
                out.problem(
                    row.where,
                    f"class {row.code} is listed twice with different grades: "
                    f"{seen.where.place} ({seen.title}, {seen.grade}) and {row.where.place} "
                    f"({row.title}, {row.grade})",
                )
            continue
        out.classes.append(row)
        if row.grade is None:
            no_grade.append(row.where.row)
            continue
        grade = (row.unit if chart_units else None, row.grade)
        if grade not in by_grade:
            out.problem(
                replace(row.where, column=None),
                f"class {row.code} is in grade {row.grade}, which is not in the grade chart",
            )
            continue
        used.add(grade)
        out.cells.extend(replace(c, key=row.code, unit=row.unit) for c in by_grade[grade])
    if no_grade:
        n = len(no_grade)
        out.notes.append(
            f"{n} {'class' if n == 1 else 'classes'} of the class list "
            f"{'has' if n == 1 else 'have'} no grade ({'row' if n == 1 else 'rows'} "
            f"{_rows(no_grade)}): listed, with no pay"
        )
    unused = [g for _, g in (k for k in by_grade if k not in used)]
    if unused:
        out.notes.append(
            f"{len(unused)} of the chart's {len(by_grade)} grades have no class in the class "
            f"list: {', '.join(unused[:10])}{'…' if len(unused) > 10 else ''}"
        )


def _rows(rows: list[int]) -> str:
    """[3, 4, 5, 9] -> '3-5, 9'."""
    parts, start = [], None
    for i, r in enumerate(rows):
        if start is None:
            start = r
        if i + 1 == len(rows) or rows[i + 1] != r + 1:
            parts.append(str(start) if start == r else f"{start}-{r}")
            start = None
    return ", ".join(parts)


# Rows of the warehouse ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Names:
    agency: str
    agreement_id: str
    title: str
    docs: dict[tuple[str, str | None], str]  # (file, sheet) -> doc

    def ref(self, where: Where, column: str | None = None) -> SourceRef:
        doc = self.docs[(where.file, where.sheet)]
        section = user_section(where.sheet, column or where.column, where.page, where.page_row)
        return SourceRef(doc, where.row, section)


def records(
    checked: Checked,
    options: Options,
    names: Names,
    main_doc: str,
    rule_cite: tuple[Where, str],
    class_column: str | None,
) -> ParseResult:
    """The warehouse rows of a checked import."""
    dates = sorted({c.date for c in checked.cells})
    units = sorted({c.unit for c in checked.classes if c.unit})
    agreement = Agreement(
        agreement_id=names.agreement_id,
        agency=names.agency,
        union=options.union or "",
        title=names.title,
        doc=main_doc,
        units=", ".join(units) or None,
        term_start=options.term_start or (dates[0] if dates else options.effective),
        term_end=options.term_end or (dates[-1] if dates else None),
        kind="imported",
        has_salary_table=True,
    )
    classes = [
        JobClass(
            names.agency,
            names.agreement_id,
            c.unit,
            c.code,
            c.title,
            False,
            c.grade,
            names.ref(c.where, class_column),
        )
        for c in checked.classes
    ]
    rates = [
        SalaryRate(
            names.agency,
            names.agreement_id,
            c.unit,
            c.key,
            c.date,
            c.step,
            hourly(c),
            False,
            pay.to_hourly_text(c.amount, c.period),
            names.ref(c.where),
        )
        for c in checked.cells
    ]
    rule = step_rule(options, names, checked.steps, rule_cite)
    return ParseResult(
        agreements=[agreement], classes=classes, salary_rates=rates, step_rules=[rule]
    )


def step_rule(
    options: Options, names: Names, steps: tuple[str, ...], cite: tuple[Where, str]
) -> StepRule:
    """The rule as given at import, or the stated default (stated=False): one step a year,
    hire at the first step, one step per advance."""
    months = options.months_between_steps or DEFAULT_MONTHS_BETWEEN_STEPS
    first = options.first_step_months or months
    per = options.steps_per_advance or 1
    stated = options.months_between_steps is not None
    hire = options.hire_step or steps[0]
    if stated:
        condition = "as given when the schedule was imported"
        notes = (
            f"Step rule given at import: hire at step {hire}, {first:g} months to the first "
            f"advance, {months:g} months at each later step, {per} step(s) per advance.",
        )
    else:
        condition = "not stated: the importer assumed one step a year"
        notes = (
            "Not stated in the imported file: the importer assumed one step a year, hire at "
            f"the first step ({hire}), one step per advance. Give the agreement's rule when "
            "importing to replace this default.",
        )
    where, quote = cite
    return StepRule(
        agency=names.agency,
        agreement_id=names.agreement_id,
        steps=steps,
        step_pct=None,
        hire_step=hire,
        first_advance_hours=round(pay.months_to_hours(first)),
        advance_hours=round(pay.months_to_hours(months)),
        steps_per_advance=per,
        automatic=False,
        condition=condition,
        citations=((str(names.ref(where)), quote),),
        notes=notes,
        stated=stated,
    )
