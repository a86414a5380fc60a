"""One table as the reader sees it: where its header is, which column is which field (and
why), its shape, and what role it plays.

Roles: a `schedule` names classes and their pay (long: a step column and pay columns; wide:
step columns); a `grades` table (grade chart) gives pay by grade and no classes; a `classes`
table (class list) maps classes to grades and has no pay. Anything else is `unknown`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from etl.errors import Problem
from etl.schedule_import import headers
from etl.schedule_import.options import Options
from etl.uploads.reader import Table, column_letter

IDENTITY = ("class_code", "class_title", "grade", "step")
# When one header says "Class" (or "Job") and another "Title", "Class" is the code.
_WEAK_TITLES = frozenset({"class", "job", "job class"})
# Of several undated pay columns that state different periods (the same pay shown hourly,
# biweekly, monthly and annually), the one read; the others are cross-checked against it.
PERIOD_PREFERENCE = ("hourly", "biweekly", "monthly", "annual")


@dataclass(frozen=True)
class Column:
    index: int
    header: str  # the column's name in citations and messages: its header, else its letter
    field: str  # class_code | class_title | step | grade | pay | step_column
    reason: str
    period: str | None = None  # stated by the header
    date: date | None = None  # pay@DATE
    step: str | None = None  # step columns

    @property
    def letter(self) -> str:
        return column_letter(self.index)


@dataclass(eq=False)  # compared by identity: two sheets may read alike
class Layout:
    table: Table
    role: str = "unknown"  # schedule | grades | classes | unknown
    shape: str | None = None  # long | wide
    fields: dict[str, Column] = field(default_factory=dict)
    pays: list[Column] = field(default_factory=list)  # long: the pay columns read
    checks: list[Column] = field(default_factory=list)  # long: same pay in other periods
    steps: list[Column] = field(default_factory=list)  # wide: the step columns read
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def name(self) -> str:
        t = self.table
        return f"{t.file}, sheet {t.sheet!r}" if t.sheet else t.file

    def problem(self, row: int | None, column: str | None, message: str) -> None:
        self.problems.append(Problem(row, column, message, self.table.sheet, self.table.file))

    @property
    def columns(self) -> list[Column]:
        return [*self.fields.values(), *self.pays, *self.steps]


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
    _columns(lay, mapped)
    _role(lay, forced_role)
    return lay


def _with_file(problems: list[Problem], file_name: str) -> list[Problem]:
    return [replace(p, file=p.file or file_name) for p in problems]


def _columns(lay: Layout, mapped: dict) -> None:
    t = lay.table
    found: dict[str, list[Column]] = {}
    pays: list[Column] = []
    step_cols: list[tuple[Column, headers.StepLabel]] = []
    for j, raw in enumerate(t.header):
        name = t.column_name(j)
        norm = headers.normalize(raw)
        if not norm:
            continue
        m = mapped.get(norm)
        if m is not None:
            col = Column(
                j,
                name,
                m.field,
                f"mapped with {m.label}={m.header}",
                headers.period_of(name),
                date=m.date,
            )
            (pays if m.field == "pay" else found.setdefault(m.field, [])).append(col)
            continue
        got = headers.field_of(raw)
        if got is not None:
            col = Column(j, name, got[0], headers.why(got[0], name), got[1])
            (pays if got[0] == "pay" else found.setdefault(got[0], [])).append(col)
            continue
        label = headers.step_column(raw)
        if label is not None:
            col = Column(
                j,
                name,
                "step_column",
                f"the header {name!r} reads as step {label.step}",
                label.period,
                step=label.step,
            )
            step_cols.append((col, label))
    _identity(lay, found)
    _pays(lay, pays, bool(mapped) and any(m.field == "pay" for m in mapped.values()))
    _step_columns(lay, step_cols)


def _identity(lay: Layout, found: dict[str, list[Column]]) -> None:
    titles = found.get("class_title", [])
    if len(titles) == 2 and "class_code" not in found:
        weak = [c for c in titles if headers.normalize(c.header) in _WEAK_TITLES]
        if len(weak) == 1 and not weak[0].reason.startswith("mapped"):
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
        chosen = [c for c in cols if c.reason.startswith("mapped")] or cols
        if len(chosen) > 1:
            lay.problem(
                lay.table.header_row,
                None,
                f"{len(chosen)} columns read as {f} ({', '.join(repr(c.header) for c in chosen)}); "
                f"say which with {f}=HEADER",
            )
        lay.fields[f] = chosen[0]


def _pays(lay: Layout, pays: list[Column], any_mapped: bool) -> None:
    if any_mapped:
        mapped = [c for c in pays if c.reason.startswith("mapped")]
        skipped = [c.header for c in pays if c not in mapped]
        if skipped:
            lay.notes.append(
                f"{lay.name}: pay columns not mapped, not read: {', '.join(map(repr, skipped))}"
            )
        lay.pays = mapped
        return
    if len(pays) <= 1:
        lay.pays = pays
        return
    periods = [c.period for c in pays]
    if all(periods) and len(set(periods)) == len(periods):
        # The same pay in several periods: read one, check the others against it.
        keep = min(pays, key=lambda c: PERIOD_PREFERENCE.index(c.period or "annual"))
        lay.pays = [keep]
        lay.checks = [c for c in pays if c is not keep]
        lay.notes.append(
            f"{lay.name}: the columns {', '.join(repr(c.header) for c in pays)} show the same "
            f"pay in different periods; {keep.header!r} is read and the others are checked "
            "against it"
        )
        return
    lay.problem(
        lay.table.header_row,
        None,
        f"several pay columns ({', '.join(repr(c.header) for c in pays)}): map each with "
        "pay@YYYY-MM-DD=HEADER (one per date), or the one to read with pay=HEADER",
    )
    lay.pays = []


def _step_columns(lay: Layout, step_cols: list[tuple[Column, headers.StepLabel]]) -> None:
    if not step_cols:
        return
    groups: dict[str | None, list[Column]] = {}
    for col, label in step_cols:
        groups.setdefault(label.period, []).append(col)
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
