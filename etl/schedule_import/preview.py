"""Tables a page shows before an import is kept, and the mapping a person's choices make:

- `column_uses(detection)`: one row per column of each table read, with the use the reader
  proposes (a dropdown per column: USES) and its date, step, period and reason;
- `mapping_for(detection, choices)`: the `mapping` option (["FIELD=HEADER", ...]) that reads
  the columns as chosen;
- `preview(got)`: what will be stored, as DataFrames: classes, units, dates, steps, every rate,
  and a sample class's pay per date;
- `problems_table(problems)`: the problems as rows (file, page/sheet, row, column, message),
  for a table and its CSV download.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import pandas as pd

from etl import pay
from etl.citations import user_place
from etl.errors import Problem
from etl.schedule_import.detection import USES, Detection

USE_COLUMNS = ["file", "sheet", "column", "letter", "use", "date", "step", "period", "reason"]
PROBLEM_COLUMNS = ["file", "page/sheet", "row", "column", "message"]
_FIELD_USES = ("class_code", "class_title", "step", "grade", "unit", "row_date")


def column_uses(detection: Detection) -> pd.DataFrame:
    """Every column of the tables read, with its proposed (or mapped) use."""
    rows = []
    for t in detection.tables:
        if not t.used:
            continue
        for c in t.columns:
            rows.append(
                {
                    "file": t.file,
                    "sheet": t.sheet or "",
                    "column": c.column,
                    "letter": c.letter,
                    "use": c.use,
                    "date": c.date,
                    "step": c.step,
                    "period": c.period,
                    "reason": c.reason,
                    "mapped": c.mapped,
                }
            )
    return pd.DataFrame(rows, columns=[*USE_COLUMNS, "mapped"])


def mapping_for(detection: Detection, choices: pd.DataFrame | Iterable[Mapping]) -> list[str]:
    """The mapping that reads each column as `choices` says (rows with `column`, `use` and,
    for pay, `date`; `file` and `sheet` optional): every column the user changed, the columns
    mapped before, and, once any pay column is mapped, every pay column (a mapping of pay
    names all the pay columns read). ValueError for a use a mapping cannot give."""
    proposed = column_uses(detection)
    rows = choices.to_dict("records") if isinstance(choices, pd.DataFrame) else list(choices)
    chosen = {_key(r): r for r in rows}
    out: dict[str, None] = {}
    pays: list[str] = []
    pay_changed = False
    for p in proposed.to_dict("records"):
        c = chosen.get(_key(p), p)
        use, when = c.get("use"), _day(c.get("date"))
        if use not in USES:
            raise ValueError(f"{use!r} is not a use; the uses are {', '.join(USES)}")
        changed = use != p["use"] or (use == "pay" and when != _day(p["date"]))
        entry = _entry(use, when, p["column"], changed)
        if use == "pay":
            pays.append(entry)
        pay_changed |= changed and "pay" in (use, p["use"])
        if entry and (changed or p["mapped"]):
            out[entry] = None
    if pay_changed:
        out.update(dict.fromkeys(pays))
    return [e for e in out if e]


def _key(r: Mapping) -> tuple[str, str, str]:
    return (str(r.get("file", "") or ""), str(r.get("sheet", "") or ""), str(r["column"]))


def _day(value: Any) -> date | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, str):
        return date.fromisoformat(value) if value.strip() else None
    return value


def _entry(use: str, when: date | None, column: str, changed: bool) -> str:
    if use == "step_column":
        if changed:
            raise ValueError(
                f"{column!r}: a column per step is found by its header (1, 2, 3 or A, B, C); "
                "it cannot be chosen"
            )
        return ""
    if use == "pay":
        return f"pay@{when.isoformat()}={column}" if when else f"pay={column}"
    return f"{use}={column}"


# What will be stored -----------------------------------------------------------------------------


def _where(got, ref) -> str:
    file, sheet = got.doc_files.get(ref.doc, (ref.doc, None))
    section = ref.section if ref.section != "file" else ""
    if sheet and section.startswith(f"sheet {sheet}"):
        section = section[len(f"sheet {sheet}") :].lstrip(", ")
    if section.startswith("p. "):
        return f"{file} {section}"
    place = user_place(file, sheet, ref.line)
    return f"{place}, {section}" if section else place


def preview(got, sample: tuple[str | None, str] | None = None) -> dict[str, pd.DataFrame]:
    """What an import will store (`got`: schedule_import.read's result): 'classes', 'units',
    'dates', 'steps', 'rates' (every rate, with the place it is printed) and 'sample' (one
    class's pay per step and date, in the period the file prints: `sample` = (unit, class
    code), else the first class)."""
    r = got.result
    classes = pd.DataFrame(
        [
            (c.bargaining_unit, c.class_code, c.class_title, c.grade, _where(got, c.source))
            for c in r.classes
        ],
        columns=["unit", "class_code", "class_title", "grade", "where"],
    )
    titles = {(c.bargaining_unit, c.class_code): c.class_title for c in r.classes}
    rates = pd.DataFrame(
        [
            (
                s.bargaining_unit,
                s.class_code,
                titles.get((s.bargaining_unit, s.class_code)),
                s.step,
                s.effective_date,
                s.hourly,
                s.derivation or "printed hourly",
                _where(got, s.source),
                str(s.source),
            )
            for s in r.salary_rates
        ],
        columns=[
            "unit",
            "class_code",
            "class_title",
            "step",
            "effective_date",
            "hourly",
            "as_printed",
            "where",
            "source_ref",
        ],
    )
    return {
        "classes": classes,
        "units": _count(rates, "unit", classes),
        "dates": _count(rates, "effective_date", classes),
        "steps": pd.DataFrame(
            [(s, int((rates["step"] == s).sum())) for s in got.summary.steps],
            columns=["step", "rates"],
        ),
        "rates": rates,
        "sample": _sample(got, rates, sample),
    }


def _count(rates: pd.DataFrame, by: str, classes: pd.DataFrame) -> pd.DataFrame:
    if rates.empty:
        return pd.DataFrame(columns=[by, "classes", "rates"])
    keyed = rates.assign(**{by: rates[by].fillna("")})
    g = keyed.groupby(by, sort=True)
    return pd.DataFrame(
        {
            by: list(g.groups),
            "classes": [grp[["unit", "class_code"]].drop_duplicates().shape[0] for _, grp in g],
            "rates": [len(grp) for _, grp in g],
        }
    )


def _sample(got, rates: pd.DataFrame, which: tuple[str | None, str] | None) -> pd.DataFrame:
    if rates.empty:
        return pd.DataFrame()
    if which is None:
        first = rates.iloc[0]
        which = (first["unit"], first["class_code"])
    unit, code = which
    one = rates[(rates["class_code"] == code) & (rates["unit"].fillna("") == (unit or ""))]
    periods = {got.detection.periods[0]} if len(got.detection.periods) == 1 else {"hourly"}
    period = periods.pop()
    factor = pay.factor("hourly", period)
    table = one.assign(amount=(one["hourly"] * factor).round(2)).pivot_table(
        index="step", columns="effective_date", values="amount", aggfunc="first", sort=False
    )
    order = [s for s in got.summary.steps if s in table.index]
    table = table.loc[order]
    table.columns = [d.isoformat() for d in table.columns]
    table.attrs.update(unit=unit, class_code=code, period=period)
    return table.reset_index()


def problems_table(problems: Iterable[Problem], source: str = "") -> pd.DataFrame:
    """Problems as rows (file, page/sheet, row, column, message), in the order reported; a
    problem that names no file is of `source` (the one file read, as an error names it)."""
    rows = []
    for p in problems:
        where = f"p. {p.page}" if p.page is not None else (p.sheet or "")
        rows.append((p.file or source, where, p.row, p.column or "", p.message))
    return pd.DataFrame(rows, columns=PROBLEM_COLUMNS).astype({"row": "Int64"})
