"""Add an agreement's text for clause search: a PDF with text, a DOCX or a TXT file, read by
etl/agreement_text/reader.py (the one reader `bargain import-text` uses), kept with the
user's data; the texts imported, listed and removable."""

from __future__ import annotations

import streamlit as st

from analysis import agencies
from app_pages import common
from etl import defaults
from etl.agreement_text.reader import read_agreement
from etl.errors import BargainError
from userdata import agreement_texts


def section() -> None:
    st.subheader("An agreement's text, for clause search")
    st.caption(
        "The MOU itself (a PDF with text, Word or text): its articles and sections are found "
        "from its numbering, and the Clauses page searches it beside the published agreements, "
        "citing page and line."
    )
    f = st.file_uploader(
        "Agreement (PDF, DOCX or TXT)",
        type=["pdf", "docx", "txt"],
        key="txt_file",
        max_upload_size=defaults.MAX_UPLOAD_MB,
    )
    c1, c2 = st.columns(2)
    agency = c1.text_input(
        "Agency the agreement belongs to", key="txt_agency", max_chars=defaults.MAX_NAME
    )
    title = c2.text_input(
        "Title (default: the file's name)", key="txt_title", max_chars=defaults.MAX_TEXT
    )
    agree = f is None or common.save_again_ok(
        [
            f"#{e.text_id} of {common.md_escape(e.agency)} ({common.md_escape(e.file_name)}) on "
            f"{e.imported_at} by {common.md_escape(e.imported_by)}"
            for e in agreement_texts.same_file(f.getvalue()).itertuples(index=False)
        ],
        "imported",
        "Importing it again keeps two copies, and searches show its clauses once per copy.",
        key="txt_again",
    )
    ready = f is not None and bool(agency.strip()) and agree
    if st.button("Import the text", key="txt_import", disabled=not ready):
        from bargain_cli.texts import agency_for_text

        try:
            name = agency_for_text(common.cached(agencies.names), agency)
            got = read_agreement(f.getvalue(), f.name)
        except BargainError as exc:
            st.error(common.md_escape(str(exc)))
        else:
            text_id = agreement_texts.save(
                name, title.strip() or f.name, got, f.getvalue(), actor=common.actor()
            )
            where = f"{got.pages} pages, " if got.pages else ""
            st.success(
                common.md_escape(
                    f"Imported as agreement text #{text_id} of {name}: {where}"
                    f"{len(got.lines):,} lines. Search it on the Clauses page."
                )
            )
            for note in got.notes:
                st.warning(common.md_escape(note))
    listing = agreement_texts.listing()
    if listing.empty:
        st.caption("No agreement text imported yet.")
        return
    common.table(listing, "agreement_texts", key="txt_listing", readable=False)
    common.remove_control(  # a text a recorded value cites is refused, and stays
        listing["text_id"].tolist(),
        "text",
        "txt_remove",
        "Remove the text",
        lambda i: agreement_texts.delete(i, actor=common.actor()),
    )
