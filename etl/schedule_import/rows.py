"""The three row readers: long (one row per class or grade x step), wide (one row per class or
grade, a column per step) and the class list of a grade chart (class, title, grade).

Which class a row names (its `Ident`: unit, code, title, as printed):
- the unit is the row's unit cell, or the unit above it when blank (a merged cell, or a unit
  printed once over its block), or the sheet's unit;
- a row with neither code nor title is the class of the row above (a merged cell, or a class
  named once over its step rows), in a long table only, and not across a blank row;
- a row with a title and no code is a class of its own keyed by its title within its unit;
  in a long table a row just below a coded row of the same title, at a step that class does
  not have yet, is that coded class (its code cell merged down over its steps);
- a row with a code and no title takes the title of the row above when that row has the
  same code (a merged title cell); etl/schedule_import/classes.py settles the rest.
"""

from __future__ import annotations

from typing import Any

from etl import cells
from etl.schedule_import import headers
from etl.schedule_import.extract import (
    ClassRow,
    Extracted,
    Ident,
    PayCell,
    _Rows,
    check_other_periods,
    derive_code,
    looks_like_code,
    periods,
)
from etl.schedule_import.layout import Layout
from etl.schedule_import.options import Options
from etl.schedule_import.sections import Dating


def read_table(lay: Layout, options: Options) -> Extracted:
    """The classes and pay cells of a schedule or grade chart, or the classes of a list."""
    r = _Rows(lay, options)
    if lay.role == "classes":
        _class_list(r)
        return r.out
    per = periods(lay, options)
    dating = Dating(lay, options, lay.pays if lay.shape == "long" else lay.steps)
    if not per or not dating.ok:
        return r.out
    if lay.shape == "long":
        _long(r, per, dating)
    else:
        _wide(r, per, dating)
    dating.done()
    return r.out


class _Identity:
    """The class (or grade) a row belongs to, from its own cells or the rows above."""

    def __init__(self, r: _Rows):
        self.r = r
        self.grades_only = r.lay.role == "grades"
        self.has_code = "class_code" in r.lay.fields
        self.has_unit = "unit" in r.lay.fields
        self.unit: str | None = r.lay.context_unit
        # the row above: (row, ident, grade, the steps its class has had in this run)
        self.last: tuple[int, Ident, str | None, set[str]] | None = None

    def unit_of(self, n: int, cells_: list[Any]) -> str | None:
        if not self.has_unit:
            return self.unit
        got = self.r.text(n, cells_, "unit")
        if got is not None:
            self.unit = got
        elif self.unit is None:
            self.r.lay.problem(
                n, self.r.lay.fields["unit"].header, "the unit is blank and no unit is above"
            )
        return self.unit

    def of(self, n: int, cells_: list[Any], fill: bool, step: str | None = None):
        """(ident, grade) of a row, or None (a problem said why)."""
        r = self.r
        unit = self.unit_of(n, cells_)
        code = r.text(n, cells_, "class_code")
        title = r.text(n, cells_, "class_title")
        grade = r.text(n, cells_, "grade")
        if self.grades_only:
            return self._grade(n, grade, fill, unit)
        last = self.last if self.last and self.last[1][0] == unit else None
        if code is None and title is None:
            if fill and last:
                r.out.filled.append((n, last[0]))
                return self._keep(n, last[1], grade or last[2], step)
            what = "class code and title are" if self.has_code else "class title is"
            above = " and no class is named above" if fill else ""
            r.lay.problem(n, None, f"the {what} blank{above}")
            return None
        if code is not None and not looks_like_code(code):
            r.lay.problem(
                n,
                r.lay.fields["class_code"].header,
                f"{cells.shown(code)} does not look like a class code",
            )
            return None
        merged_code = step is not None and last and last[1][1] and step not in last[3]
        if code is None and fill and merged_code and _same(last[1][2], title):
            r.out.filled.append((n, last[0]))  # the code cell merged down over its steps
            return self._keep(n, last[1], grade or last[2], step)
        if code is not None and title is None and last and last[1][1] == code:
            title = last[1][2]
        ident = (unit, code, title)
        self.last = (n, ident, grade, set())
        return self._keep(n, ident, grade, step)

    def _keep(self, n: int, ident: Ident, grade, step: str | None):
        if self.last is None or self.last[1] != ident:
            self.last = (n, ident, grade, set())
        if step is not None:
            self.last[3].add(step)
        return ident, grade

    def _grade(self, n: int, grade: str | None, fill: bool, unit: str | None):
        r = self.r
        if grade is None and fill and self.last:
            r.out.filled.append((n, self.last[0]))
            return self.last[1], self.last[2]
        if grade is None:
            r.lay.problem(n, r.lay.fields["grade"].header, "the grade is blank")
            return None
        ident = (unit, grade.upper(), None)
        self.last = (n, ident, grade, set())
        return ident, grade


def _same(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and derive_code(a) == derive_code(b)


def _add_class(r: _Rows, ident_: _Identity, n: int, ident: Ident, grade: str | None) -> None:
    if ident in r.seen:
        return
    r.seen.add(ident)
    if ident_.grades_only:
        return
    unit, code, title = ident
    r.out.classes.append(
        ClassRow(code or "", title, grade, r.where(n, None), code is None, unit, ident)
    )


def _cell(ident: Ident, grades_only: bool, step: str, when, amount, period, where) -> PayCell:
    key = ident[1] if grades_only else ""
    return PayCell(key, step, when, amount, period, where, ident[0], None if grades_only else ident)


def _long(r: _Rows, per: dict[int, str], dating: Dating) -> None:
    lay, ident = r.lay, _Identity(r)
    for n, cells_ in lay.table.rows:
        why = r.skip_row(n, cells_)
        if why == "blank":
            ident.last = None  # a merged cell does not reach across a blank row
            dating.reset()
        elif why:
            r.out.skipped.append((n, why))
        else:
            _long_row(r, ident, n, cells_, per, dating)


def _long_row(r: _Rows, ident: _Identity, n: int, cells_, per: dict, dating: Dating) -> None:
    """One row of a long table: a class's pay at one step (one or several dated columns)."""
    lay = r.lay
    step_col = lay.fields["step"]
    r.stray(n, cells_)
    amounts = [(c, r.amount(n, cells_, c)) for c in lay.pays]
    step_raw = r.cell(cells_, step_col)
    if all(a is None for _, a in amounts) and cells.is_blank(step_raw):
        if not r.note_row(n, cells_):
            got = ident.of(n, cells_, fill=False)  # a class named above its step rows
            if got:
                _add_class(r, ident, n, *got)
        return
    try:
        step = headers.step_name(step_raw)
    except cells.CellError as exc:
        lay.problem(n, step_col.header, str(exc))
        return
    got = ident.of(n, cells_, fill=True, step=step)
    if got is None:
        return
    _add_class(r, ident, n, *got)
    for col, amount in amounts:
        when = dating.of(n, col, cells_) if amount is not None else None
        if when is None:
            continue
        where = r.where(n, col)
        r.out.cells.append(
            _cell(got[0], ident.grades_only, step, when, amount, per[col.index], where)
        )
        check_other_periods(r, n, cells_, col, amount, per)


def _wide(r: _Rows, per: dict[int, str], dating: Dating) -> None:
    lay, ident = r.lay, _Identity(r)
    for n, cells_ in lay.table.rows:
        why = r.skip_row(n, cells_)
        if why:
            _skipped(r, dating, n, why)
            continue
        r.stray(n, cells_)
        amounts = [(c, r.amount(n, cells_, c)) for c in lay.steps]
        if all(a is None for _, a in amounts):
            if r.note_row(n, cells_):
                continue
            got = ident.of(n, cells_, fill=False)
            if got is not None:
                name = got[0][1] or got[0][2]
                lay.problem(n, None, f"{name} has no pay in any step column (all blank, 0 or N/A)")
            continue
        got = ident.of(n, cells_, fill=False)
        if got is None:
            continue
        _add_class(r, ident, n, *got)
        for col, amount in amounts:
            when = dating.of(n, col, cells_) if amount is not None else None
            if when is not None:
                where = r.where(n, col)
                r.out.cells.append(
                    _cell(got[0], ident.grades_only, col.step, when, amount, per[col.index], where)
                )


def _skipped(r: _Rows, dating: Dating, n: int, why: str) -> None:
    if why == "blank":
        dating.reset()  # a merged date cell does not reach across a blank row
    else:
        r.out.skipped.append((n, why))


def _class_list(r: _Rows) -> None:
    lay = r.lay
    has_code = "class_code" in lay.fields
    ident = _Identity(r)
    for n, cells_ in lay.table.rows:
        why = r.skip_row(n, cells_)
        if why:
            if why != "blank":
                r.out.skipped.append((n, why))
            continue
        r.stray(n, cells_)
        code = r.text(n, cells_, "class_code")
        title = r.text(n, cells_, "class_title")
        grade = r.text(n, cells_, "grade")
        if has_code and code is not None and not looks_like_code(code):
            r.out.skipped.append((n, "a note or heading (no class code)"))
            continue
        if title is None and (code is None or not has_code):
            if code is None and grade is not None and has_code:
                lay.problem(n, lay.fields["class_code"].header, "the class code is blank")
            elif code is not None or grade is not None or not has_code:
                r.out.skipped.append((n, "a note or heading (no class title)"))
            continue
        unit = ident.unit_of(n, cells_)
        key = (unit, code, title)
        r.out.classes.append(
            ClassRow(
                code or derive_code(title or ""),
                title,
                grade.upper() if grade else None,
                r.where(n, None),
                code is None,
                unit,
                key,
            )
        )
