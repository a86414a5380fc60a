"""The Survey comparisons page's State Controller section: import a "Government
Compensation in California" export (ZIP or CSV, any size, from the server's imports folder;
or uploaded when it is small), preview what it gives, save it, and list or remove the stored
imports. Every number comes from etl.gcc.importer / etl.gcc.reader; nothing is computed here."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import agencies
from analysis.market import gcc as gcc_market
from app_pages import common
from etl import defaults
from etl.errors import InputError
from etl.gcc import importer as gcc_import
from etl.gcc import reader as gcc_reader
from userdata import gcc

PREVIEW = "gcc_preview"
ERROR = "gcc_error"
POSITION_PREVIEW = [
    "agency",
    "year",
    "position",
    "department",
    "incumbents",
    "min_salary",
    "max_salary",
    "retirement_median",
    "health_dental_vision_median",
    "deferred_comp_median",
    "note",
    "source",
]


def problems(exc: InputError, key: str) -> None:
    """An import error: one line saying nothing was stored, then one table row per problem."""
    st.error(
        f"{exc.total} problem(s) in {common.md_escape(exc.source)}; nothing was imported.",
        icon=":material/error:",
    )
    table = pd.DataFrame(
        [(p.row, p.column, p.message) for p in exc.problems], columns=["row", "column", "problem"]
    )
    common.table(table, key, key=key, readable=False)
    if exc.truncated:
        st.caption(f"… and {exc.total - len(exc.problems)} more.")


def _chosen_file() -> tuple[object, str, str] | None:
    """(path or bytes, file name, where) of the file picked, or None."""
    where = st.radio(
        "Where the file is",
        ["folder", "upload"],
        horizontal=True,
        key="gcc_where",
        format_func={
            "folder": "The server's imports folder (any size)",
            "upload": f"Upload it (up to {defaults.GCC_UPLOAD_MB} MB)",
        }.get,
    )
    if where == "upload":
        f = st.file_uploader(
            f"State Controller export (ZIP or CSV, up to {defaults.GCC_UPLOAD_MB} MB)",
            type=["zip", "csv"],
            key="gcc_upload",
            max_upload_size=defaults.GCC_UPLOAD_MB,
        )
        return None if f is None else (f.getvalue(), f.name, "upload")
    folder = defaults.imports_dir()
    files = gcc_import.folder_files(folder)
    st.caption(
        f"Files in the imports folder {common.md_escape(folder)} (set BARGAIN\\_IMPORTS\\_DIR to "
        "use another). Statewide files are hundreds of MB: whoever runs the server copies the "
        "ZIP downloaded from publicpay.ca.gov there; it is read where it is, in a stream."
    )
    if files.empty:
        st.info("No ZIP or CSV file in the imports folder yet.")
        return None
    common.table(files, "gcc_folder", key="gcc_folder_table", money=())
    sizes = dict(zip(files["file"], files["size_mb"], strict=True))
    name = st.selectbox(
        "File", list(sizes), key="gcc_folder_file", format_func=lambda n: f"{n} ({sizes[n]} MB)"
    )
    return gcc_import.folder_file(name, folder), name, "folder"


def _asked(subject: str) -> list[str] | None:
    """The employers to import: None (the text left blank) for every employer of the file."""
    key = f"gcc_agencies_{subject}"
    listed = common.cached(agencies.survey_list, subject)

    def fill() -> None:
        st.session_state[key] = "\n".join(listed)

    text = st.text_area(
        "Only these agencies, one per line (leave blank to import every employer of the file; "
        f"{subject}'s survey list then preselects the comparators among them)",
        "",
        key=key,
        height=120,
        help="Matched to the file's employers by name: 'Napa County' is EmployerName Napa of "
        "type County, 'City of Ukiah' is Ukiah of type City; other employer types (Superior "
        "Court, Special District) by their full name.",
    )
    if listed:
        st.button(f"Fill in {subject}'s survey list", key="gcc_fill_list", on_click=fill)
    names = [n for n in dict.fromkeys(" ".join(line.split()) for line in text.splitlines()) if n]
    return names or None


def _read(source, name: str, asked: list[str] | None, year: int | None, subject: str) -> None:
    bar = st.progress(0.0, text="opening the file")

    def progress(fraction: float, message: str) -> None:
        bar.progress(fraction, text=message)

    try:
        prepared = gcc_import.prepare(
            source, name, agencies=asked, year=year, subject=subject, progress=progress
        )
    except InputError as exc:
        st.session_state.pop(PREVIEW, None)
        st.session_state[ERROR] = exc
    else:
        st.session_state[PREVIEW] = prepared
        st.session_state.pop(ERROR, None)
    bar.empty()


def _preview(prepared: gcc_import.PreparedImport) -> None:
    r = prepared.result
    n = r.rows["agency"].nunique()
    st.markdown(
        f"**{common.md_escape(prepared.file_name)}**: {prepared.n_positions:,} positions of "
        f"{n} {'agency' if n == 1 else 'agencies'}, years {', '.join(map(str, r.years))}, from "
        f"{r.records:,} rows. Nothing is stored until you save."
    )
    if r.encoding != "utf-8":
        st.caption(f"Encoding: {common.md_escape(r.encoding_note())}")
    common.table(prepared.summary(), "gcc_preview_agencies", key="gcc_preview_agencies")
    if prepared.agencies is None:
        listed = common.cached(agencies.survey_list, prepared.subject) if prepared.subject else []
        st.caption(common.md_escape(gcc_import.preselection_note(prepared, listed)))
    else:
        st.caption("Which employer each name asked for matched:")
        common.table(r.matches, "gcc_preview_matches", key="gcc_preview_matches")
    if r.unmatched:
        st.caption(f"{len(r.unmatched)} name(s) matched no employer of the file:")
        common.table(
            pd.DataFrame({"agency": r.unmatched}), "gcc_unmatched", key="gcc_preview_unmatched"
        )
    if not r.skipped.empty:
        st.caption(f"{r.skipped_total:,} row(s) of these agencies skipped, by reason:")
        shown = r.skipped.assign(example_rows=r.skipped["example_rows"].map(str))
        common.table(shown, "gcc_skipped", key="gcc_preview_skipped")
    common.table(
        r.rows[POSITION_PREVIEW].head(500),
        "gcc_preview_positions",
        key="gcc_preview_positions",
        money=("min_salary", "max_salary"),
    )


def _save(prepared: gcc_import.PreparedImport) -> None:
    earlier = gcc.same_file(prepared.sha256)
    agree = common.save_again_ok(
        [
            f"import #{e.import_id} ({common.md_escape(e.file_name)}, {e.years}) on "
            f"{e.imported_at} by {common.md_escape(e.imported_by)}"
            for e in earlier.itertuples()
        ],
        "imported",
        "Where the two overlap, the latest import is used.",
        key="gcc_again",
    )
    if st.button("Save to my survey data", key="gcc_save", disabled=not agree):
        import_id = gcc.save(prepared, actor=common.actor())
        st.session_state.pop(PREVIEW, None)
        st.toast(f"Saved as State Controller import #{import_id}.")
        st.rerun()


def _stored() -> None:
    ups = gcc.imports()
    if ups.empty:
        st.caption("No State Controller export imported yet.")
        return
    st.markdown("**Your State Controller imports** (kept apart from the rebuilt reference data)")
    common.table(ups.drop(columns=["sha256", "member"]), "gcc_imports", key="gcc_imports_table")
    common.table(gcc_market.agencies_summary(gcc.rows()), "gcc_agencies", key="gcc_agencies_table")
    common.remove_control(
        ups["import_id"].tolist(),
        "import",
        "gcc_delete",
        "Remove this import",
        lambda i: gcc.delete(i, actor=common.actor()),
    )


def section(subject: str) -> None:
    """The State Controller import flow for the sidebar's agency."""
    st.markdown(
        "**State Controller export (ZIP or CSV, any size)** — the *Government Compensation in "
        "California* raw export as downloaded from publicpay.ca.gov, any employer type and "
        "year. Each position's range (MinPositionSalary–MaxPositionSalary, the most common "
        "one among its incumbents) and its employer-reported benefit costs become a survey "
        "agency's pay; positions are matched to your classes by title."
    )
    chosen = _chosen_file()
    asked = _asked(subject)
    year = st.number_input(
        "Only this year (blank = every year in the file)",
        min_value=gcc_reader.FIRST_YEAR,
        max_value=gcc_reader.last_year(),
        value=None,
        step=1,
        key="gcc_year",
    )
    names = None if asked is None else tuple(asked)
    target = None if chosen is None else (chosen[2], chosen[1], names, year, subject)
    if st.button("Read the file", key="gcc_read", disabled=chosen is None):
        _read(chosen[0], chosen[1], asked, None if year is None else int(year), subject)
        st.session_state["gcc_target"] = target
    if st.session_state.get("gcc_target") != target:
        st.session_state.pop(PREVIEW, None)
        st.session_state.pop(ERROR, None)
    if ERROR in st.session_state:
        problems(st.session_state[ERROR], "gcc_problems")
    if PREVIEW in st.session_state:
        _preview(st.session_state[PREVIEW])
        _save(st.session_state[PREVIEW])
    _stored()
