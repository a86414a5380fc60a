"""Property tests: whatever a salary table holds, `read` returns rows that are all plausible
and cited, or raises ScheduleImportError; `detect` never raises. Near-valid tables (real
header names, hostile cells) reach the row checks instead of stopping at the header."""

from __future__ import annotations

import csv
import io

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.defaults import MAX_HOURLY, MIN_HOURLY
from etl.schedule_import import ScheduleImportError, detect, read
from etl.schedule_import.stored import ImportedFile

FUZZ = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
    max_examples=80,
)
HEADERS = [
    "Class Code",
    "Class Title",
    "Job Title",
    "Step",
    "Grade",
    "Range",
    "Hourly Rate",
    "Monthly Salary",
    "Annual",
    "Biweekly",
    "Rate",
    "Step 1",
    "STEP 2",
    "Step 3 ",
    "A",
    "B",
    "Notes",
    "",
    "Pay Period",
]
HOSTILE = [
    "",
    " ",
    "N/A",
    "-",
    "0",
    "$1,234.50",
    "12.5",
    "1,23",
    "1_000",
    "１２",
    "٣",
    "nan",
    "inf",
    "1e309",
    "9" * 40,
    "=1+1",
    "@SUM(A1)",
    "x\u202ey",
    "Robert'); DROP TABLE x;--",
    "a\nb",
    "1",
    "2",
    "A",
    "Step 1",
    "Class Code",
    "S24B",
    "-5",
    "20.00",
    "5123",
    "*",
]
cell = st.one_of(
    st.sampled_from(HOSTILE),
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).map(lambda x: f"{x:.2f}"),
    st.integers(min_value=0, max_value=20).map(str),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12),
)
table = st.tuples(
    st.lists(st.sampled_from(HEADERS), min_size=2, max_size=6),
    st.lists(st.lists(cell, max_size=7), max_size=12),
    st.integers(min_value=0, max_value=2),  # title rows above the header
)
OPTIONS = st.fixed_dictionaries(
    {"agency": st.just("Fuzz")},
    optional={
        "effective": st.sampled_from(["2024-07-01", "7/1/2024", "01/02/03", "bad"]),
        "period": st.sampled_from(["hourly", "monthly", "annual", "weekly"]),
        "steps": st.sampled_from(["1,2,3", "A,B", "", "1,1"]),
        "mapping": st.sampled_from([["pay=Rate"], ["pay@2024-07-01=Annual"], ["x=y"], []]),
    },
)


@st.composite
def schedule(draw):
    """A valid long or wide table with a few cells replaced by hostile ones."""
    wide = draw(st.booleans())
    n_classes = draw(st.integers(min_value=1, max_value=5))
    n_steps = draw(st.integers(min_value=1, max_value=4))
    base = [draw(st.floats(min_value=10, max_value=90)) for _ in range(n_classes)]
    if wide:
        header = ["Class Code", "Class Title", *[f"Step {s + 1}" for s in range(n_steps)]]
        rows = [
            [f"C{i}", f"CLASS {i}", *[f"{b * 1.05**s:.2f}" for s in range(n_steps)]]
            for i, b in enumerate(base)
        ]
    else:
        header = ["Class Code", "Class Title", "Step", "Hourly Rate"]
        rows = [
            [f"C{i}", f"CLASS {i}", str(s + 1), f"{b * 1.05**s:.2f}"]
            for i, b in enumerate(base)
            for s in range(n_steps)
        ]
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        r = draw(st.integers(min_value=0, max_value=len(rows) - 1))
        c = draw(st.integers(min_value=0, max_value=len(header) - 1))
        rows[r][c] = draw(cell)
    return header, rows, draw(st.integers(min_value=0, max_value=2))


VALID_OPTIONS = st.fixed_dictionaries(
    {"agency": st.just("Fuzz"), "effective": st.just("2024-07-01")},
    optional={"period": st.just("hourly"), "months_between_steps": st.just(6)},
)


def _csv(header, rows, titles) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    for i in range(titles):
        w.writerow([f"Salary schedule {i}"])
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode()


def _xlsx(header, rows, titles) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for i in range(titles):
        ws.append([f"Salary schedule {i}"])
    ws.append(header)
    for r in rows:
        ws.append([_typed(c) for c in r])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _typed(c: str):
    if c.startswith("="):
        return c  # openpyxl writes it as a formula: the reader must refuse it
    try:
        return float(c) if c.strip() and "_" not in c else c
    except ValueError:
        return c


def _check(files, options) -> None:
    d = detect(files, options)
    "\n".join(d.lines()).encode("utf-8")  # printable: the CLI prints it
    try:
        got = read(files, options)
    except ScheduleImportError as exc:
        assert exc.problems and not d.ok
        str(exc).encode("utf-8")
        return
    assert d.ok
    docs = {doc: lines for doc, *_, lines in got.documents}
    for r in got.result.salary_rates:
        assert MIN_HOURLY <= r.hourly <= MAX_HOURLY
        assert docs[r.source.doc][r.source.line - 1].strip()
    codes = {c.class_code for c in got.result.classes}
    assert {r.class_code for r in got.result.salary_rates} <= codes
    keys = [(r.class_code, r.step, r.effective_date) for r in got.result.salary_rates]
    assert len(keys) == len(set(keys))


@FUZZ
@given(table, OPTIONS)
def test_near_valid_csv(t, options):
    _check([ImportedFile("schedule", "fuzz.csv", _csv(*t))], options)


@settings(FUZZ, max_examples=30)
@given(table, OPTIONS)
def test_near_valid_xlsx(t, options):
    _check([ImportedFile("schedule", "fuzz.xlsx", _xlsx(*t))], options)


@FUZZ
@given(schedule(), VALID_OPTIONS)
def test_valid_tables_with_hostile_cells(t, options):
    _check([ImportedFile("schedule", "fuzz.csv", _csv(*t))], options)


@settings(FUZZ, max_examples=25)
@given(schedule(), VALID_OPTIONS)
def test_valid_workbooks_with_hostile_cells(t, options):
    _check([ImportedFile("schedule", "fuzz.xlsx", _xlsx(*t))], options)


@FUZZ
@given(st.binary(max_size=300), st.sampled_from(["x.csv", "x.xlsx", "x"]))
def test_raw_bytes(data, name):
    _check([ImportedFile("schedule", name, data)], {"agency": "Fuzz", "effective": "2024-07-01"})
