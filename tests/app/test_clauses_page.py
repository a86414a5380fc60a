"""The Clauses page and the agreement-text upload of Add an agreement, clicked through
(AppTest): a search over the published agreements, the agency filter, the side-by-side tab,
a hostile search; an MOU PDF imported on Add an agreement and then found with its page."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.test_pages import APP, _open
from tests.etl.test_agreement_text import agreement_pdf
from userdata import agreement_texts


def _hits(at: AppTest):
    return next(
        d.value for d in at.dataframe if {"section", "line", "page"} <= set(d.value.columns)
    )


def _page(isolated_env) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    return _open(at, "clauses")


def test_a_search_ranks_cites_and_compares(isolated_env):
    at = _page(isolated_env)
    assert any("Type a word" in i.value for i in at.info)
    at.text_input(key="clause_q").set_value("bilingual").run()
    assert not at.exception
    hits = _hits(at)
    assert {"Sonoma", "Mendocino"} <= set(hits["agency"])
    assert hits["text"].str.contains("«Bilingual»", case=False).all()
    assert any("passage(s) in" in c.value.replace("\\", "") for c in at.caption)
    at.multiselect(key="clause_agencies").set_value(["Mendocino"]).run()
    assert set(_hits(at)["agency"]) == {"Mendocino"}
    at.multiselect(key="clause_agencies").set_value([]).run()
    at.session_state["clause_tab"] = "Side by side"
    at.run()
    assert not at.exception
    assert {"Sonoma", "Mendocino"} <= {s.value for s in at.subheader}
    assert any("«" in t.value for t in at.text)


def test_a_hostile_search_gets_a_message(isolated_env):
    at = _page(isolated_env)
    at.text_input(key="clause_q").set_value('"*" ( ) : ^').run()
    assert not at.exception
    assert at.error and "type a word or a phrase" in at.error[0].value
    at.text_input(key="clause_q").set_value('NEAR( "meal').run()  # FTS syntax: words here
    assert not at.exception and not at.error
    assert _hits(at)["text"].str.contains("«meal»", case=False).all()


def test_an_mou_pdf_imported_on_add_an_agreement_is_found_with_its_page(isolated_env):
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at = _open(at, "agreements")
    at.file_uploader(key="txt_file").set_value(
        ("example_mou.pdf", agreement_pdf(), "application/pdf")
    )
    at.text_input(key="txt_agency").set_value("Example County").run()
    at.button(key="txt_import").click().run()
    assert not at.exception
    assert any(
        "Imported as agreement text #1 of Example County" in s.value.replace("\\", "")
        for s in at.success
    )
    assert len(agreement_texts.listing()) == 1
    at.run()  # the same file still chosen: importing it again is asked, not done silently
    warned = [w.value for w in at.warning if "this same file before" in w.value]
    assert warned and "#1 of Example County (example_mou.pdf)" in warned[0].replace("\\", "")
    assert at.button(key="txt_import").disabled
    at.checkbox(key="txt_again").check().run()
    assert not at.button(key="txt_import").disabled
    at = _open(at, "clauses")
    at.text_input(key="clause_q").set_value("bilingual").run()
    hits = _hits(at)
    mine = hits[hits["agency"] == "Example County"]
    assert len(mine) == 1 and int(mine["page"].iloc[0]) == 3 and mine["section"].iloc[0] == "9.3"


def test_a_new_search_reads_its_own_best_hit(isolated_env):
    at = _page(isolated_env)

    def picked():
        box = next(s for s in at.selectbox if s.label == "Read a hit in its agreement")
        return box.options[box.index]

    at.text_input(key="clause_q").set_value("overtime").run()
    at.selectbox(key=next(s.key for s in at.selectbox if s.label.startswith("Read"))).set_value(
        2
    ).run()
    first = _hits(at)
    assert (
        picked()
        == f"{first['agency'].iloc[2]} §{first['section'].iloc[2]} line {first['line'].iloc[2]}"
    )
    at.text_input(key="clause_q").set_value("holiday").run()
    assert not at.exception
    best = _hits(at).iloc[0]
    assert picked() == f"{best['agency']} §{best['section']} line {best['line']}"
