"""Add an agreement: bring any salary table in (CSV or XLSX, long, wide, a grade chart with a
class list, several dated pay columns), check what the reader saw, map what it could not find,
confirm; it becomes an agency on every page. The files and the mapping are kept with the
user's data and read again on every build."""

from datetime import date

import pandas as pd
import streamlit as st

from app_pages import common
from etl import defaults, schedule_import
from etl.errors import InputError
from etl.schedule_import.stored import ImportedFile
from userdata import agreements, warehouse

st.title("Add an agreement")
st.markdown(
    "Bring in a salary table as HR departments publish it. The reader finds the class code, "
    "title, step, grade and pay columns by their headers, reads the pay period from the header "
    "when it says so, and shows you what it found before anything is kept."
)
common.not_applying("Pay basis", "dollars", reason="tables are read as their files print them.")

files_in = st.file_uploader(
    "Salary table (CSV or XLSX): one file, or a grade chart and a class list",
    type=["csv", "xlsx"],
    accept_multiple_files=True,
    key="agr_files",
    max_upload_size=defaults.MAX_UPLOAD_MB,
)
files = [ImportedFile("schedule", f.name, f.getvalue()) for f in (files_in or [])][:2]

c1, c2, c3 = st.columns([2, 1, 1])
agency = c1.text_input(
    "Agency (as it should appear in the app)",
    key="agr_agency",
    max_chars=defaults.MAX_NAME,
    placeholder="e.g. Napa County",
)
effective = c2.date_input(
    "Effective date (unless the pay columns are dated)",
    value=None,
    min_value=defaults.EARLIEST_DATE,
    max_value=defaults.LATEST_DATE,
    key="agr_effective",
    format="MM/DD/YYYY",
)
period = c3.selectbox(
    "Pay period",
    ["from the headers", "hourly", "biweekly", "monthly", "annual"],
    key="agr_period",
)
with st.expander("Columns the reader could not find, sheets, step rule"):
    mapping = st.data_editor(
        pd.DataFrame({"field": pd.Series([], dtype=object), "header": pd.Series([], dtype=object)}),
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config={
            "field": st.column_config.SelectboxColumn(
                "Field", options=list(schedule_import.FIELDS) + ["pay@YYYY-MM-DD"]
            ),
            "header": st.column_config.TextColumn("Header in the file (as printed)"),
        },
        key="agr_mapping",
    )
    st.caption(
        "For a dated pay column write the field as pay@2024-07-01. Leave blank what the reader "
        "found by itself (shown below)."
    )
    s1, s2, s3 = st.columns(3)
    sheets = s1.text_input("Sheets to read (comma-separated)", key="agr_sheets")
    step_list = s2.text_input("Steps in order (e.g. 1,2,3,4,5)", key="agr_steps")
    months = s3.number_input(
        "Months between steps", min_value=0.0, max_value=120.0, value=None, key="agr_months"
    )
    st.caption(
        "Without steps and months the rule is one step a year from the first step: an "
        "assumption, labelled so on every page."
    )

options = {
    "agency": agency,
    "effective": effective.isoformat() if isinstance(effective, date) else None,
    "period": None if period == "from the headers" else period,
    "mapping": [
        f"{r['field']}={r['header']}"
        for r in mapping.to_dict("records")
        if isinstance(r.get("field"), str) and isinstance(r.get("header"), str) and r["header"]
    ]
    or None,
    "sheets": sheets or None,
    "steps": step_list or None,
    "months_between_steps": months,
}
options = {k: v for k, v in options.items() if v not in (None, "", [])}

if files and agency.strip():
    detection = schedule_import.detect(files, options)
    st.subheader("What the reader found")
    st.code("\n".join(detection.lines()), language=None, wrap_lines=True)
    for t in detection.tables:
        if t.first_rows:
            width = max(len(cells) for _, cells in t.first_rows)
            preview = pd.DataFrame(
                [[row, *cells, *[""] * (width - len(cells))] for row, cells in t.first_rows],
                columns=["row", *[f"col {i + 1}" for i in range(width)]],
            )
            st.caption(f"{t.name}: the first rows as read")
            st.dataframe(preview, hide_index=True, width="stretch", key=f"agr_prev_{t.name}")
    try:
        got = schedule_import.read(files, options)
    except InputError as exc:
        st.error(f"{exc.total} problem(s): nothing is kept until they are fixed.")
        st.dataframe(
            pd.DataFrame(
                [(p.file, p.sheet, p.row, p.column, p.message) for p in exc.problems],
                columns=["file", "sheet", "row", "column", "problem"],
            ),
            hide_index=True,
            width="stretch",
            key="agr_problems",
        )
    else:
        st.subheader("Ready to add")
        st.text("\n".join(got.summary.lines()))
        rule = got.result.step_rules[0]
        if not rule.stated:
            st.warning(f"Step rule assumed: {rule.notes[0]}", icon=":material/info:")
        if st.button(f"Add {agency.strip()} as an agency", type="primary", key="agr_add"):
            with st.spinner("Keeping the files and rebuilding the database…"):
                import_id, agreement_id, rep = warehouse.store(got, actor=common.actor())
            st.session_state["agr_done"] = (agreement_id, rep.notes)
            st.rerun()
elif files:
    st.info("Name the agency to read the file.")

done = st.session_state.pop("agr_done", None)
if done:
    st.toast(f"Added {done[0]}: it is on every page now.")
    for note in done[1]:
        st.warning(note)

st.subheader("Agreements you imported")
listing = agreements.listing()
if listing.empty:
    st.caption("None yet.")
else:
    common.table(listing, "imported_agreements", readable=False, key="agr_listing")
    d1, d2, d3 = st.columns([1, 1, 2])
    gone = d1.selectbox("Remove import #", listing["import_id"].tolist(), key="agr_remove_id")
    sure = d2.checkbox(f"Yes, remove import #{gone}", key=f"agr_remove_sure_{gone}")
    if d3.button("Remove and rebuild", key="agr_remove", disabled=not sure):
        warehouse.remove(int(gone), actor=common.actor())
        st.rerun()
