"""What each column of a table is used for, as proposed by the reader or named by the user:
the header's words (etl/schedule_import/headers.py), then what the rows hold.

- A pay column whose header states a date ("Effective 7/1/2025", "FY 2024-25 monthly") is pay
  at that date; one that states none is pay at the effective date (given, or from a heading),
  and two or more such columns need a date each (`pay@YYYY-MM-DD=HEADER`), unless they show
  the same pay in different periods (one is read, the others checked against it).
- A column computed from others (a difference, a change, a percentage, a total, an annualized
  copy) is not read, and the notes name it.
- **The unit.** A column the header names as a unit (Coalition, Bargaining Unit, Group, Rep
  Code...) splits the table into bargaining units. So does, proposed, a column the header does
  not name whose few values (2 to MAX_UNITS) each repeat the class list: most classes appear
  under two or more of its values (`ignore=HEADER` turns the proposal off).
- Any other column is not read (`ignore`), each with the reason shown to the user.
"""

from __future__ import annotations

from etl import cells, stated_dates
from etl.schedule_import import headers
from etl.schedule_import.layout_types import Column, Layout

MAX_UNITS = 50
REPEAT_SHARE = 0.5  # of the classes appearing under two or more of the column's values
UNKNOWN = "not read: the header names none of the fields"


def column_uses(lay: Layout, mapped: dict, fiscal_start: tuple[int, int]) -> tuple[dict, list]:
    """(fields found: field -> [Column], pay columns) of a table's header; the columns not
    read go to `lay.ignored`."""
    t = lay.table
    found: dict[str, list[Column]] = {}
    pays: list[Column] = []
    derived: list[str] = []
    for j, raw in enumerate(t.header):
        name = t.column_name(j)
        if not headers.normalize(raw):
            continue
        m = mapped.get(headers.normalize(raw))
        if m is not None:
            _mapped(lay, j, name, m, found, pays)
            continue
        if headers.derived(raw):
            derived.append(name)
            lay.ignored.append(Column(j, name, "ignore", "not read: computed from other columns"))
            continue
        unreal = stated_dates.unreal_date(raw, fiscal_start, bare=True)
        if unreal:  # else the column is passed over, or its pay dated by another date
            lay.problem(
                t.header_row,
                name,
                f"the header states the date its pay took effect, but {unreal}: correct the "
                "header, or date the column with pay@YYYY-MM-DD=HEADER",
            )
            continue
        col = _proposed(j, name, raw, fiscal_start)
        if col is None:
            lay.ignored.append(Column(j, name, "ignore", UNKNOWN))
        elif col.field == "pay":
            pays.append(col)
        elif col.field == "step_column":
            lay.step_candidates.append(col)
        else:
            found.setdefault(col.field, []).append(col)
    if derived:
        lay.notes.append(
            f"{lay.name}: columns computed from others (differences, changes, totals, "
            f"annualized copies) are not read: {', '.join(map(repr, derived))}"
        )
    return found, pays


def _mapped(lay: Layout, j: int, name: str, m, found: dict, pays: list) -> None:
    reason = f"mapped with {m.label}={m.header}"
    if m.field == "ignore":
        lay.ignored.append(Column(j, name, "ignore", reason))
        return
    col = Column(j, name, m.field, reason, headers.period_of(name), date=m.date)
    (pays if m.field == "pay" else found.setdefault(m.field, [])).append(col)


def _proposed(j: int, name: str, raw: str, fiscal_start: tuple[int, int]) -> Column | None:
    got = headers.field_of(raw)
    when = headers.label_date(raw, fiscal_start)
    if got is not None and got[0] != "pay":
        return Column(j, name, got[0], headers.why(got[0], name), got[1])
    label = headers.step_column(raw)
    if got is None and when is None and label is not None:
        return Column(
            j,
            name,
            "step_column",
            f"the header {name!r} reads as step {label.step}",
            label.period,
            step=label.step,
        )
    if got is None and when is None:
        return None
    period = got[1] if got else headers.period_of(name)
    if when is None:
        return Column(j, name, "pay", headers.why("pay", name), period)
    how = " (a fiscal year, from its first day)" if when[1] == "fiscal year" else ""
    return Column(
        j,
        name,
        "pay",
        f"the header {name!r} says pay effective {when[0].isoformat()}{how}",
        period,
        date=when[0],
    )


def propose_unit(lay: Layout) -> None:
    """A column of few values each repeating the class list is the unit (see the docstring)."""
    if "unit" in lay.fields or lay.role == "grades":
        return
    ident = [lay.fields.get("class_code"), lay.fields.get("class_title")]
    if not any(ident):
        return
    for col in [c for c in lay.ignored if c.reason == UNKNOWN]:
        found = _repeats(lay, col, [c for c in ident if c is not None])
        if found is None:
            continue
        values, share = found
        shown = ", ".join(values[:4]) + (f" and {len(values) - 4} more" if len(values) > 4 else "")
        lay.ignored.remove(col)
        lay.fields["unit"] = Column(
            col.index,
            col.header,
            "unit",
            f"proposed: its {len(values)} values ({shown}) each repeat the class list "
            f"({share:.0%} of the classes appear under two or more), so each is a bargaining "
            f"unit; map ignore={col.header} if it is not",
        )
        return


def _repeats(lay: Layout, col: Column, ident: list[Column]) -> tuple[list[str], float] | None:
    by_class: dict[str, set[str]] = {}
    values: dict[str, None] = {}
    for _, row in lay.table.rows:
        value = _text(row, col.index)
        key = next((k for k in (_text(row, c.index) for c in ident) if k), None)
        if value is None or key is None:
            continue
        values.setdefault(value, None)
        if len(values) > MAX_UNITS:
            return None
        by_class.setdefault(headers.normalize(key), set()).add(value)
    if len(values) < 2 or not by_class or all(_numeric(v) for v in values):
        return None  # one value splits nothing; a column of numbers is amounts or counts
    share = sum(len(v) >= 2 for v in by_class.values()) / len(by_class)
    return (list(values), share) if share >= REPEAT_SHARE else None


def _numeric(value: str) -> bool:
    try:
        cells.money(value)
    except cells.CellError:
        return False
    return True


def _text(row: list, j: int) -> str | None:
    if j >= len(row) or cells.is_blank(row[j]):
        return None
    v = row[j]
    return " ".join(str(v).split()) if not isinstance(v, str) else " ".join(v.split()) or None
