"""One table as the reader sees it: where its header is, which column is which field (and
why), its shape, and what role it plays.

Roles: a `schedule` names classes and their pay (long: a step column and pay columns; wide:
step columns); a `grades` table (grade chart) gives pay by grade and no classes; a `classes`
table (class list) maps classes to grades and has no pay. Anything else is `unknown`.
"""

from __future__ import annotations

from dataclasses import replace

from etl.errors import Problem
from etl.schedule_import import headers, uses
from etl.schedule_import.layout_types import Column, Layout
from etl.schedule_import.options import Options
from etl.uploads.reader import Table

__all__ = ["Column", "Layout", "describe", "lay_out"]

IDENTITY = ("class_code", "class_title", "grade", "step")
# When one header says "Class" (or "Job") and another "Title", "Class" is the code.
_WEAK_TITLES = frozenset({"class", "job", "job class"})
# Of several undated pay columns that state different periods (the same pay shown hourly,
# biweekly, monthly and annually), the one read; the others are cross-checked against it.
PERIOD_PREFERENCE = ("hourly", "biweekly", "monthly", "annual")


def lay_out(table: Table, options: Options, forced_role: str | None = None) -> Layout:
    """The layout of a table read without a header (`header_row=None`)."""
    mapped = {headers.normalize(m.header): m for m in options.mapping}
    found = headers.find_header(table.rows, set(mapped))
    if found is None:
        lay = Layout(table)
        lay.problems.extend(_with_file(table.problems, table.file))
        lay.problem(
            None,
            None,
            f"no header row found in the first {headers.HEADER_SCAN_ROWS} rows: no row names "
            "columns such as 'Class Code', 'Class Title', 'Step', 'Grade', 'Step 1' or "
            "'Hourly Rate'; name the columns with FIELD=HEADER mappings",
        )
        return lay
    row, top = found
    lay = Layout(table.with_header_at(row, top))
    if top is not None:
        lay.notes.append(f"{lay.name}: the header takes two rows ({top} and {row})")
    # Formulas and stray bytes first, their columns named by the header now found.
    lay.problems.extend(_with_file(lay.table.cell_problems(), table.file))
    _columns(lay, mapped, options)
    _role(lay, forced_role)
    for c in lay.step_candidates:
        if c not in lay.steps:
            lay.ignored.append(
                replace(
                    c,
                    field="ignore",
                    reason=f"not read: {c.reason}, "
                    "but the table's steps are read from other columns",
                )
            )
    uses.propose_unit(lay)
    return lay


def _with_file(problems: list[Problem], file_name: str) -> list[Problem]:
    return [replace(p, file=p.file or file_name) for p in problems]


def _columns(lay: Layout, mapped: dict, options: Options) -> None:
    found, pays = uses.column_uses(lay, mapped, options.fiscal_start)
    _identity(lay, found)
    _pays(lay, pays, any(m.field == "pay" for m in mapped.values()))
    _step_columns(lay, lay.step_candidates)


def _identity(lay: Layout, found: dict[str, list[Column]]) -> None:
    titles = found.get("class_title", [])
    if len(titles) == 2 and "class_code" not in found:
        weak = [c for c in titles if headers.normalize(c.header) in _WEAK_TITLES]
        if len(weak) == 1 and not weak[0].mapped:
            w = weak[0]
            found["class_code"] = [
                Column(
                    w.index,
                    w.header,
                    "class_code",
                    f"{w.header!r} beside a title column reads as the class code",
                )
            ]
            found["class_title"] = [c for c in titles if c is not w]
    for f, cols in found.items():
        chosen = [c for c in cols if c.mapped] or cols
        if len(chosen) > 1:
            lay.problem(
                lay.table.header_row,
                None,
                f"{len(chosen)} columns read as {f} ({', '.join(repr(c.header) for c in chosen)}); "
                f"say which with {f}=HEADER",
            )
        lay.fields[f] = chosen[0]


def _pays(lay: Layout, pays: list[Column], any_mapped: bool) -> None:
    """The pay columns read: those dated (by a mapping or their header), with those undated
    that are mapped (when any is), or the one undated column, or of several undated ones
    that show the same pay in different periods the one preferred (the others checked)."""
    dated = [c for c in pays if c.date]
    undated = [c for c in pays if not c.date]
    if any_mapped:
        skipped = [c.header for c in undated if not c.mapped]
        if skipped:
            lay.notes.append(
                f"{lay.name}: pay columns not mapped, not read: {', '.join(map(repr, skipped))}"
            )
        undated = [c for c in undated if c.mapped]
    by_date: dict = {}
    for c in dated:
        by_date.setdefault(c.date, []).append(c)
    kept = [c for group in by_date.values() for c in _one_period(lay, group)]
    if len(undated) > 1 and not any_mapped:
        same = _one_period(lay, undated)
        if len(same) == 1:
            kept += same
        else:
            _needs_dates(lay, undated, kept)
    else:
        kept += undated
    lay.pays = sorted(kept, key=lambda c: c.index)


def _one_period(lay: Layout, group: list[Column]) -> list[Column]:
    """Of columns with one date that each state a different period (the same pay hourly,
    monthly, annually), the one read; the others are checked against it."""
    periods = [c.period for c in group]
    if len(group) < 2 or not all(periods) or len(set(periods)) != len(periods):
        return group
    keep = min(group, key=lambda c: PERIOD_PREFERENCE.index(c.period or "annual"))
    lay.checks.extend(c for c in group if c is not keep)
    lay.notes.append(
        f"{lay.name}: the columns {', '.join(repr(c.header) for c in group)} show the same "
        f"pay in different periods; {keep.header!r} is read and the others are checked "
        "against it"
    )
    return [keep]


def _needs_dates(lay: Layout, undated: list[Column], dated: list[Column]) -> None:
    from etl import stated_dates

    hints = []
    for c in undated:
        year = stated_dates.year_named(c.header)
        hint = f" ({c.header!r} names {year} but not the day)" if year else ""
        hints.append(f"pay@YYYY-MM-DD={c.header}{hint}")
    also = (
        f"; {', '.join(f'{c.header!r} is read as pay@{c.date.isoformat()}' for c in dated)}"
        if dated
        else ""
    )
    for c in undated:  # listed as pay still: a person gives each its date
        lay.ignored.append(replace(c, reason=f"{c.reason}; not read until it is given a date"))
    lay.problem(
        lay.table.header_row,
        None,
        f"several pay columns ({', '.join(repr(c.header) for c in undated)}) do not say their "
        f"date: map each with {'; '.join(hints)}, or the one to read with pay=HEADER{also}",
    )


def _step_columns(lay: Layout, step_cols: list[Column]) -> None:
    if not step_cols:
        return
    groups: dict[str | None, list[Column]] = {}
    for col in step_cols:
        groups.setdefault(col.period, []).append(col)
    # Single-letter headers without the word "step" count only as a run from A (A, B, C...).
    main_key = max(groups, key=lambda k: (len(groups[k]), k is None))
    main = groups[main_key]
    if len(main) == 1 and (lay.pays or "step" in lay.fields):
        return  # one stray "1" or "A" column beside a long table's pay column
    labels = [c.step for c in main]
    if all(len(s) == 1 and s.isalpha() for s in labels) and labels[0] != "A":
        return
    dupes = sorted({s for s in labels if labels.count(s) > 1})
    if dupes:
        lay.problem(
            lay.table.header_row,
            None,
            f"step {', '.join(dupes)} has more than one column "
            f"({', '.join(repr(c.header) for c in main if c.step in dupes)})",
        )
    lay.steps = main
    for k, cols in groups.items():
        if k != main_key:
            lay.notes.append(
                f"{lay.name}: {', '.join(repr(c.header) for c in cols)} are a second set of "
                f"step columns ({k or 'no period stated'}), not read; the "
                f"{len(main)} step columns {main[0].header!r}…{main[-1].header!r} are"
            )


def _role(lay: Layout, forced: str | None) -> None:
    f = lay.fields
    identity = "class_code" in f or "class_title" in f
    long = "step" in f and bool(lay.pays)
    wide = bool(lay.steps)
    if long and wide:
        lay.notes.append(f"{lay.name}: has a step column and step columns; read as long")
        wide = False
        lay.steps = []
    lay.shape = "long" if long else "wide" if wide else None
    has_pay = lay.shape is not None
    if identity and has_pay:
        lay.role = "schedule"
    elif "grade" in f and has_pay:
        lay.role = "grades"
    elif identity and "grade" in f:
        lay.role = "classes"
    if lay.pays and "step" not in f and not wide and lay.role == "unknown" and identity:
        lay.problem(
            lay.table.header_row,
            None,
            f"there is a pay column ({lay.pays[0].header!r}) but no step column: name it with "
            "step=HEADER, or give the table one column per step",
        )
    if forced and forced != lay.role:
        lay.problem(None, None, f"given as the {forced} table, but it reads as {_describe(lay)}")


def _describe(lay: Layout) -> str:
    return {
        "schedule": f"a salary schedule by class ({lay.shape})",
        "grades": f"a grade chart ({lay.shape})",
        "classes": "a class list (class and grade, no pay)",
        "unknown": "no salary table (no class, grade and pay columns)",
    }[lay.role]


def describe(lay: Layout) -> str:
    """What a table reads as, in words."""
    return _describe(lay)
