"""Secure defaults: what the shipped Streamlit config allows, no raw HTML in the app, and no
user value spliced into SQL text.

The SQL check is static and deliberately simple (see `test_sql_text_interpolates_only_
whitelisted_identifiers` for what it does and does not catch)."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

from analysis import sources
from etl import defaults

from .conftest import ROOT

CONFIG = ROOT / ".streamlit" / "config.toml"
APP_FILES = [ROOT / "app.py", *sorted((ROOT / "app_pages").glob("*.py"))]
PACKAGES = ("analysis", "etl", "userdata", "exports", "figures")
SQL_FILES = [
    *(f for pkg in PACKAGES for f in sorted((ROOT / pkg).rglob("*.py"))),
    *sorted((ROOT / "bargain_cli").glob("*.py")),
    *APP_FILES,
]


# Streamlit configuration ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def config() -> dict:
    return tomllib.loads(CONFIG.read_text())


def test_the_server_listens_on_this_machine_only(config):
    assert config["server"]["address"] in ("localhost", "127.0.0.1")
    assert config["server"]["headless"] is True


def test_xsrf_protection_is_on(config):
    assert config["server"]["enableXsrfProtection"] is True
    # Streamlit turns XSRF protection off when CORS protection is off: both must be on.
    assert config["server"]["enableCORS"] is True
    # only this machine's origins and Host headers, not Streamlit's open default
    assert set(config["server"]["corsAllowedOrigins"]) == {"http://localhost", "http://127.0.0.1"}
    assert set(config["server"]["allowedHosts"]) == {"localhost", "127.0.0.1"}


def test_no_usage_statistics_leave_the_machine(config):
    assert config["browser"]["gatherUsageStats"] is False


def test_uploads_are_capped(config):
    assert config["server"]["maxUploadSize"] == defaults.MAX_UPLOAD_MB == 10


def test_users_see_no_tracebacks(config):
    assert config["client"]["showErrorDetails"] == "none"
    assert config["server"]["runOnSave"] is False
    assert config["server"]["fileWatcherType"] == "none"


# Raw HTML --------------------------------------------------------------------------------------

_RAW_HTML_CALLS = {"html"}  # st.html, components.v1.html


def test_the_app_renders_no_raw_html():
    """No `unsafe_allow_html=True` (or st.html / components.html) anywhere in the app: user
    text (uploaded titles, scenario labels, file names) is then always escaped by Streamlit."""
    found = []
    for f in APP_FILES:
        tree = ast.parse(f.read_text(), filename=str(f))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            for kw in node.keywords:
                if kw.arg == "unsafe_allow_html" and not (
                    isinstance(kw.value, ast.Constant) and kw.value.value is False
                ):
                    found.append(f"{f.relative_to(ROOT)}:{node.lineno} unsafe_allow_html")
            fn = node.func
            if isinstance(fn, ast.Attribute) and fn.attr in _RAW_HTML_CALLS:
                found.append(f"{f.relative_to(ROOT)}:{node.lineno} {ast.unparse(fn)}")
    assert found == []
    # and a plain-text search agrees (catches a **kwargs spelling the AST walk would miss)
    for f in APP_FILES:
        assert "unsafe_allow_html=True" not in f.read_text().replace(" ", ""), f


# SQL -------------------------------------------------------------------------------------------

_SQL_WORDS = re.compile(
    r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|PRAGMA|DESCRIBE|FROM|WHERE|VALUES|"
    r"ATTACH|COPY|EXPORT)\b"
)

# Every expression interpolated into SQL text, by file, with why it cannot carry user input.
ALLOWED: dict[tuple[str, str], str] = {
    ("analysis/sources.py", "view"): "checked against the fixed CITED_VIEWS just above",
    ("userdata/survey_data.py", "', '.join(COLUMNS)"): "module constant: column names",
    ("userdata/survey_data.py", "', '.join('?' * len(COLUMNS))"): "placeholders only",
    ("userdata/gcc.py", "', '.join(POSITION_COLUMNS)"): "module constant: column names",
    ("userdata/gcc.py", "', '.join('?' * len(POSITION_COLUMNS))"): "placeholders only",
    ("userdata/store.py", "version + 1"): "an int read from PRAGMA user_version",
    ("etl/build.py", "table"): "keys of the fixed _TABLES mapping (staging tables)",
    ("etl/build.py", "select"): "quoted column names DESCRIBE returns for our own schema",
    ("etl/build.py", "v"): "names from the fixed PUBLIC_VIEWS tuple",
    ("analysis/warehouse.py", "ALIAS"): "module constant: the attached catalog's name",
    ("analysis/warehouse.py", "_sql_literal(str(db))"): "the database path from settings "
    "(ATTACH takes no parameters), quotes doubled",
}


def _sql_text(node: ast.AST) -> str | None:
    """The constant text of an f-string, %-format or concatenation that looks like SQL."""
    if isinstance(node, ast.JoinedStr):
        text = "".join(
            v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
        )
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        text = " ".join(
            n.value
            for n in (node.left, node.right)
            if isinstance(n, ast.Constant) and isinstance(n.value, str)
        )
    elif (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
        and isinstance(node.func.value, ast.Constant)
        and isinstance(node.func.value.value, str)
    ):
        text = node.func.value.value
    else:
        return None
    return text if _SQL_WORDS.search(text) else None


def _interpolated(node: ast.AST) -> list[str]:
    if isinstance(node, ast.JoinedStr):
        return [ast.unparse(v.value) for v in node.values if isinstance(v, ast.FormattedValue)]
    if isinstance(node, ast.BinOp):
        return [
            ast.unparse(n)
            for n in (node.left, node.right)
            if not (isinstance(n, ast.Constant) and isinstance(n.value, str))
        ]
    if isinstance(node, ast.Call):
        return [ast.unparse(a) for a in [*node.args, *(k.value for k in node.keywords)]]
    return []


def _sql_interpolations() -> list[tuple[str, int, str]]:
    out = []
    for f in SQL_FILES:
        rel = f.relative_to(ROOT).as_posix()
        tree = ast.parse(f.read_text(), filename=rel)
        for node in ast.walk(tree):
            if _sql_text(node) is None:
                continue
            out.extend((rel, node.lineno, expr) for expr in _interpolated(node))
    return out


def test_sql_text_interpolates_only_whitelisted_identifiers():
    """Every f-string, %-format, .format() or + concatenation whose text looks like SQL (an
    upper-case keyword such as SELECT, INSERT, PRAGMA, FROM) in analysis/, etl/, the CLI and the
    app may only interpolate the expressions listed in ALLOWED; values go through `?`.

    Limits: a static look at the source. It does not follow a SQL string built elsewhere and
    passed in (the whitelisted names are checked by the tests below), it misses SQL written in
    lower case, and it cannot prove a whitelisted name never changes meaning. It is a tripwire
    for the common mistake (an f-string with a user value), not a proof."""
    found = _sql_interpolations()
    unexpected = [f"{f}:{line} {{{expr}}}" for f, line, expr in found if (f, expr) not in ALLOWED]
    assert unexpected == [], "interpolate identifiers only, pass values as ? parameters"
    # the whitelist has no stale entries
    assert {(f, e) for f, _, e in found} == set(ALLOWED)


def test_the_scan_catches_an_interpolated_value():
    bad = ast.parse(
        "con.execute(f\"SELECT * FROM scenarios WHERE name = '{name}'\")\n"
        'con.execute("DELETE FROM x WHERE id = %s" % user_id)\n'
        'con.execute("SELECT * FROM t WHERE a = {}".format(a))\n'
        'con.execute("SELECT * FROM t WHERE a = \'" + a + "\'")\n'
    )
    exprs = [e for n in ast.walk(bad) if _sql_text(n) is not None for e in _interpolated(n)]
    assert sorted(exprs) == ["a", "a", "name", "user_id"]


@pytest.mark.parametrize(
    "view",
    ["salary_schedule; DROP TABLE audit", "agreements", "source_lines", "x' OR '1'='1", ""],
)
def test_the_view_name_is_checked_before_it_reaches_sql(con, view):
    with pytest.raises(ValueError, match="unknown view"):
        sources.cited_rows(con, view, None)


def test_whitelisted_view_names_are_plain_identifiers():
    from etl.build import _TABLES, PUBLIC_VIEWS

    ident = re.compile(r"^[a-z_][a-z0-9_]*$")
    for name in (*sources.CITED_VIEWS, *PUBLIC_VIEWS, *_TABLES):
        assert ident.match(name), name
    assert set(sources.CITED_VIEWS) <= set(PUBLIC_VIEWS)


def test_user_values_reach_sqlite_as_parameters(tmp_path):
    """The strings a user types (scenario names, class codes, file names) round-trip exactly,
    quotes and SQL included, and leave every table in place."""
    from userdata import class_matches, scenarios

    path = tmp_path / "u.sqlite"
    evil = ["Robert'); DROP TABLE scenarios;--", "x' OR '1'='1", '"; DELETE FROM class_matches']
    for e in evil:
        scenarios.save(e, {"name": e}, path)
        class_matches.save(e, e, e, e, "manual", e, path)
    assert sorted(scenarios.listing(path)["name"]) == sorted(evil)
    assert all(scenarios.load(e, path) == {"name": e} for e in evil)
    assert sorted(class_matches.listing(path)["reason"]) == sorted(evil)
    scenarios.delete("x' OR '1'='1", path)
    assert len(scenarios.listing(path)) == 2


def test_the_warehouse_is_opened_read_only_by_readers(warehouse):
    import duckdb

    from analysis.warehouse import connect

    con = connect(Path(warehouse))
    try:
        with pytest.raises(duckdb.Error):
            con.execute("CREATE TABLE intruder (x INT)")
    finally:
        con.close()
