"""Add an agreement: bring a salary table in as unions and HR departments publish it (CSV,
XLSX, or a PDF with a text layer), say what each column holds (the reader's proposal
pre-filled), check what will be stored, and import it; it becomes an agency on every page.
The files and the mapping are kept with the user's data and read again on every build.

The page reads and stores as `bargain import-schedule` does (schedule_import.read, then
userdata.warehouse.store), so both accept and refuse the same files with the same words."""

from datetime import date

import pandas as pd
import streamlit as st

from app_pages import common
from app_pages.add_agreement import choices as ch
from app_pages.add_agreement import mapping_form, recorded, review, text_upload
from app_pages.show import md_escape
from etl import defaults, schedule_import
from etl.pay import PAY_BASES
from etl.schedule_import.options import MAX_MONTHS_BETWEEN_STEPS
from etl.schedule_import.stored import ImportedFile
from userdata import agreements, warehouse

st.title("Add an agreement")
st.markdown(
    "Bring in a salary table as it is published: a union's salary lookup, a county's salary "
    "schedule (PDF, CSV or Excel), a grade chart with its class list. The reader finds the "
    "class code, title, step, grade, bargaining unit and pay columns, shows you what it "
    "found, and keeps nothing until you import."
)
common.not_applying("Pay basis", "dollars", reason="tables are read as their files print them.")
done = st.session_state.pop("agr_done", None)
if done:
    st.success(
        f"Imported as {md_escape(done[0])}: it is on every page now (listed at the bottom).",
        icon=":material/check_circle:",
    )
    for note in done[1]:
        st.warning(md_escape(note))

st.subheader("1. The file")
# A new uploader after each import: the file just kept is not read again as a new one (it
# would clash with itself).
imports_done = st.session_state.get("agr_round", 0)
files_in = st.file_uploader(
    "Salary table (PDF, CSV or XLSX): one file, or a grade chart and a class list",
    type=["pdf", "csv", "xlsx"],
    accept_multiple_files=True,
    key=f"agr_files_{imports_done}" if imports_done else "agr_files",
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
    "Effective date (if the file does not say)",
    value=None,
    min_value=defaults.EARLIEST_DATE,
    max_value=defaults.LATEST_DATE,
    key="agr_effective",
    format="MM/DD/YYYY",
)
period = c3.selectbox(
    "Pay period",
    ["from the headers", *PAY_BASES],
    key="agr_period",
)
with st.expander("More: sheets to read, the step rule, columns of a table the reader missed"):
    s1, s2, s3 = st.columns(3)
    sheets = s1.text_input("Sheets to read (comma-separated)", key="agr_sheets")
    step_list = s2.text_input("Steps in order (e.g. 1,2,3,4,5)", key="agr_steps")
    months = s3.number_input(
        "Months between steps",
        min_value=0.0,
        max_value=float(MAX_MONTHS_BETWEEN_STEPS),
        value=None,
        key="agr_months",
    )
    st.caption(
        "Without steps and months the rule is one step a year from the first step: an "
        "assumption, labelled so on every page."
    )
    extra = st.data_editor(
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
        "Only for a table the reader did not recognize at all; otherwise use the dropdowns "
        "below. A dated pay column is written pay@2024-07-01."
    )

options = {
    "agency": agency,
    "effective": effective.isoformat() if isinstance(effective, date) else None,
    "period": None if period == "from the headers" else period,
    "sheets": sheets or None,
    "steps": step_list or None,
    "months_between_steps": months,
}
options = {k: v for k, v in options.items() if v not in (None, "", [])}
typed = [
    f"{r['field']}={r['header']}"
    for r in extra.to_dict("records")
    if isinstance(r.get("field"), str) and isinstance(r.get("header"), str) and r["header"]
]


def _read(mapping: list[str]):
    """The reader's result, or (problems, total) when it refuses the file."""
    try:
        return schedule_import.read(files, {**options, "mapping": mapping or None})
    except schedule_import.ScheduleImportError as exc:
        return exc.problems, exc.total


if files and agency.strip():
    base = schedule_import.detect(files, {**options, "mapping": typed or None})
    digest = ch.files_digest(f.data for f in files)
    proposed = schedule_import.column_uses(base)
    picked = mapping_form.draw(base, proposed, digest) if len(proposed) else None
    review.first_rows_of_unread(base)
    missing = ch.undated(picked) if picked is not None else []
    if missing:
        st.warning(
            md_escape(
                "Give each pay column the date its pay took effect before importing: "
                f"{', '.join(missing)} {'has' if len(missing) == 1 else 'have'} no date yet. "
                "The file prints several pay columns, so each needs its own date (a label "
                "such as 'Current' or '2024' does not say which day)."
            ),
            icon=":material/event:",
        )
        st.subheader("4. Import")
        st.button(
            "Import", disabled=True, key="agr_add_blocked", help="Date every pay column first."
        )
    else:
        try:
            mapping = schedule_import.mapping_for(base, picked) if picked is not None else []
        except ValueError as exc:
            st.error(md_escape(str(exc)))
            st.stop()
        got = _read([*mapping, *typed])
        if isinstance(got, tuple):
            review.problems(*got, source=files[0].file_name)
        else:
            review.preview(got)
            rule = got.result.step_rules[0]
            if not rule.stated:
                st.info(md_escape(f"Step rule assumed: {rule.notes[0]}"), icon=":material/info:")
            st.subheader("4. Import")
            n = got.summary.classes
            label = f"Import {n:,} class{'es' if n != 1 else ''} as {agency.strip()}"
            clash = warehouse.clashes(got)
            for why in clash:
                st.error(md_escape(why), icon=":material/error:")
            agree = not clash and common.save_again_ok(
                [
                    f"{md_escape(e.file_name)} as {md_escape(e.agreement_id)} (import "
                    f"#{e.import_id}) on {e.imported_at} by {md_escape(e.imported_by)}"
                    for e in agreements.same_files([f.data for f in files]).itertuples()
                ],
                "imported",
                "Importing it again keeps both agreements; remove the earlier one below.",
                key="agr_again",
            )
            if st.button(md_escape(label), type="primary", key="agr_add", disabled=not agree):
                with st.spinner("Keeping the file and rebuilding the database…"):
                    import_id, agreement_id, rep = warehouse.store(got, actor=common.actor())
                st.session_state["agr_done"] = (agreement_id, rep.notes)
                st.session_state["agr_round"] = st.session_state.get("agr_round", 0) + 1
                st.rerun()
elif files:
    st.info("Name the agency to read the file.")

st.subheader("Agreements you imported")
listing = agreements.listing()
if listing.empty:
    st.caption("None yet.")
else:
    common.table(listing, "imported_agreements", readable=False, key="agr_listing")
    common.remove_control(
        listing["import_id"].tolist(),
        "import",
        "agr_remove",
        "Remove and rebuild",
        lambda i: warehouse.remove(i, actor=common.actor()),
    )

text_upload.section()
recorded.section()
