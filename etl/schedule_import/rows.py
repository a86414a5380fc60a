"""The three row readers: long (one row per class or grade x step), wide (one row per class or
grade, a column per step) and the class list of a grade chart (class, title, grade)."""

from __future__ import annotations

from typing import Any

from etl import cells
from etl.schedule_import import headers
from etl.schedule_import.extract import (
    ClassRow,
    Extracted,
    PayCell,
    _Rows,
    check_other_periods,
    dates,
    derive_code,
    looks_like_code,
    periods,
)
from etl.schedule_import.layout import Layout
from etl.schedule_import.options import Options


def read_table(lay: Layout, options: Options) -> Extracted:
    """The classes and pay cells of a schedule or grade chart, or the classes of a list."""
    r = _Rows(lay, options)
    if lay.role == "classes":
        _class_list(r)
        return r.out
    per, when = periods(lay, options), dates(lay, options)
    if not per or not when:
        return r.out
    if lay.shape == "long":
        _long(r, per, when)
    else:
        _wide(r, per, when)
    return r.out


_Ident = tuple[str, str | None, str | None]  # key (class code or grade), title, grade


class _Identity:
    """The class (or grade) a row belongs to, from its own cells or the rows above."""

    def __init__(self, r: _Rows):
        self.r = r
        self.grades_only = r.lay.role == "grades"
        self.has_code = "class_code" in r.lay.fields
        self.last: tuple[int, str, str | None, str | None] | None = None  # row, key, title, grade
        self.titles: dict[str, tuple[str | None, int]] = {}

    def of(self, n: int, cells_: list[Any], fill: bool) -> _Ident | None:
        r = self.r
        code = r.text(n, cells_, "class_code")
        title = r.text(n, cells_, "class_title")
        grade = r.text(n, cells_, "grade")
        if self.grades_only:
            key = grade.upper() if grade else None
            if key is None and fill and self.last:
                r.out.filled.append((n, self.last[0]))
                return self.last[1], None, self.last[3]
            if key is None:
                r.lay.problem(n, r.lay.fields["grade"].header, "the grade is blank")
                return None
            self.last = (n, key, None, grade)
            return key, None, grade
        if code is None and title is None:
            if fill and self.last:
                r.out.filled.append((n, self.last[0]))
                return self.last[1], self.last[2], grade or self.last[3]
            what = "class code and title are" if self.has_code else "class title is"
            above = " and no class is named above" if fill else ""
            r.lay.problem(n, None, f"the {what} blank{above}")
            return None
        if self.has_code and code is None:
            if fill and self.last and self.last[2] == title:
                r.out.filled.append((n, self.last[0]))
                return self.last[1], title, grade or self.last[3]
            r.lay.problem(
                n,
                r.lay.fields["class_code"].header,
                "the class code is blank (the other rows have codes)",
            )
            return None
        if self.has_code and not looks_like_code(code):
            r.lay.problem(
                n,
                r.lay.fields["class_code"].header,
                f"{cells.shown(code)} does not look like a class code",
            )
            return None
        key = code if self.has_code else derive_code(title)
        title = title or (self.titles.get(key, (None, 0))[0] if self.has_code else title)
        self._same_title(n, key, title)
        self.last = (n, key, title, grade)
        return key, title, grade

    def _same_title(self, n: int, key: str, title: str | None) -> None:
        seen = self.titles.get(key)
        if seen is None:
            self.titles[key] = (title, n)
        elif title and seen[0] and title != seen[0] and self.has_code:
            col = self.r.lay.fields.get("class_title")
            self.r.lay.problem(
                n,
                col.header if col else None,
                f"class {key} is titled {seen[0]!r} in row {seen[1]} and {title!r} here",
            )


def _add_class(r: _Rows, ident: _Identity, n: int, key: str, title, grade) -> None:
    if key in r.seen:
        return
    r.seen.add(key)
    derived = not ident.has_code and not ident.grades_only
    r.out.classes.append(ClassRow(key, title, grade, r.where(n, None), derived))


def _long(r: _Rows, per: dict[int, str], when: dict) -> None:
    lay, ident = r.lay, _Identity(r)
    for n, cells_ in lay.table.rows:
        why = r.skip_row(n, cells_)
        if why == "blank":
            ident.last = None  # a merged cell does not reach across a blank row
        elif why:
            r.out.skipped.append((n, why))
        else:
            _long_row(r, ident, n, cells_, per, when)


def _long_row(r: _Rows, ident: _Identity, n: int, cells_, per: dict, when: dict) -> None:
    """One row of a long table: a class's pay at one step (one or several dated columns)."""
    lay = r.lay
    step_col = lay.fields["step"]
    r.stray(n, cells_)
    amounts = [(c, r.amount(n, cells_, c)) for c in lay.pays]
    step_raw = r.cell(cells_, step_col)
    if all(a is None for _, a in amounts) and cells.is_blank(step_raw):
        if not r.note_row(n, cells_):
            got = ident.of(n, cells_, fill=False)  # a class named above its step rows
            if got and not ident.grades_only:
                _add_class(r, ident, n, *got)
        return
    got = ident.of(n, cells_, fill=True)
    try:
        step = headers.step_name(step_raw)
    except cells.CellError as exc:
        lay.problem(n, step_col.header, str(exc))
        return
    if got is None:
        return
    _add_class(r, ident, n, *got)
    for col, amount in amounts:
        if amount is None:
            continue
        cell = PayCell(got[0], step, when[col.index], amount, per[col.index], r.where(n, col))
        r.out.cells.append(cell)
        check_other_periods(r, n, cells_, col, amount, per)


def _wide(r: _Rows, per: dict[int, str], when: dict) -> None:
    lay, ident = r.lay, _Identity(r)
    for n, cells_ in lay.table.rows:
        why = r.skip_row(n, cells_)
        if why:
            if why != "blank":
                r.out.skipped.append((n, why))
            continue
        r.stray(n, cells_)
        amounts = [(c, r.amount(n, cells_, c)) for c in lay.steps]
        if all(a is None for _, a in amounts):
            if r.note_row(n, cells_):
                continue
            got = ident.of(n, cells_, fill=False)
            if got is not None:
                lay.problem(
                    n, None, f"{got[0]} has no pay in any step column (all blank, 0 or N/A)"
                )
            continue
        got = ident.of(n, cells_, fill=False)
        if got is None:
            continue
        _add_class(r, ident, n, *got)
        for col, amount in amounts:
            if amount is not None:
                where = r.where(n, col)
                r.out.cells.append(
                    PayCell(got[0], col.step, when[col.index], amount, per[col.index], where)
                )


def _class_list(r: _Rows) -> None:
    lay = r.lay
    has_code = "class_code" in lay.fields
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
        if has_code and (code is None or not looks_like_code(code)):
            if code is None and title is None and grade is None:
                continue
            if code is None and grade is not None:
                lay.problem(n, lay.fields["class_code"].header, "the class code is blank")
            else:
                r.out.skipped.append((n, "a note or heading (no class code)"))
            continue
        if not has_code and title is None:
            r.out.skipped.append((n, "a note or heading (no class title)"))
            continue
        key = code if has_code else derive_code(title)
        r.out.classes.append(
            ClassRow(key, title, grade.upper() if grade else None, r.where(n, None), not has_code)
        )
