"""Agreement text in (a PDF printed by a word processor, a DOCX, TXT in cp1252 and UTF-16) and
clause search across every agreement, published and imported: hits cite the line (and page)
that holds the words; stemming, phrases and the call-back spellings; hostile files and
searches end in one message with nothing stored."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest

from analysis import clauses
from bargain_cli import main
from etl.agreement_text.query import QueryError, compile_query
from etl.agreement_text.reader import read_agreement
from etl.uploads.table import UploadError
from userdata import agreement_texts

# An MOU as a county prints it: articles, numbered sections, a clause that runs onto the
# next printed line, a bilingual premium on page 3.
PAGES = [
    [
        "MEMORANDUM OF UNDERSTANDING",
        "BETWEEN THE COUNTY OF EXAMPLE AND EXAMPLE EMPLOYEES ASSOCIATION",
        "ARTICLE 1 - RECOGNITION",
        "1.1 Recognition. The County recognizes the Association as the exclusive",
        "representative of the employees in the General Unit.",
    ],
    [
        "ARTICLE 7 - HOURS OF WORK",
        "7.1 Workweek. The normal workweek is forty hours.",
        "7.4 Call Back. An employee called back to work after leaving the work site shall",
        "receive a minimum of two hours of pay at the overtime rate.",
    ],
    [
        "ARTICLE 9 - SPECIAL PAY",
        "9.3 Bilingual Premium. An employee designated to use a second language shall be",
        "paid a bilingual premium of one hundred dollars a month.",
        "9.4 Standby. Employees assigned to standby shall receive two dollars an hour.",
    ],
]


def agreement_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="letter")
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=11)
    for lines in PAGES:
        pdf.add_page()
        for k, text in enumerate(lines):
            pdf.set_xy(72, 72 + 18 * k)
            pdf.cell(468, 14, text)
        pdf.set_xy(72, 740)
        pdf.cell(468, 12, f"Page {pdf.page_no()}", align="C")
    return bytes(pdf.output())


def agreement_docx() -> bytes:
    import docx

    d = docx.Document()
    for lines in PAGES:
        for text in lines:
            d.add_paragraph(text)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _import(tmp_path, name: str, data: bytes, agency: str = "Example County") -> int:
    path = tmp_path / name
    path.write_bytes(data)
    return main(["import-text", str(path), "--agency", agency, "--title", "Example MOU 2024"])


def _csv(out: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(out)))


# Published agreements ------------------------------------------------------------------


def test_bilingual_finds_sonoma_and_mendocino_at_lines_that_hold_the_word(
    isolated_env, con, capsys
):
    assert main(["clauses", "bilingual", "--format", "csv"]) == 0
    rows = _csv(capsys.readouterr().out)
    assert {"Sonoma", "Mendocino"} <= {r["agency"] for r in rows}
    assert list(rows[0]) == [
        "agency",
        "document",
        "section",
        "line",
        "page",
        "text",
        "heading",
        "source_ref",
    ]
    for r in rows:
        doc = r["source_ref"].split(":")[0]
        line = con.execute(
            "SELECT text FROM source_lines WHERE doc = ? AND line_no = ?", [doc, int(r["line"])]
        ).fetchone()[0]
        assert "bilingual" in line.lower(), (r, line)
        assert "«" in r["text"] and r["page"] == ""
    sections = {(r["agency"], r["section"]) for r in rows}
    assert ("Sonoma", "9.8") in sections and ("Mendocino", "9.3") in sections


def test_stemming_phrases_and_the_call_back_spellings(con):
    plural, _ = clauses.find(con, "premiums")
    singular, _ = clauses.find(con, "premium")
    assert len(plural) == len(singular) > 0  # porter: one stem
    hyphen, _ = clauses.find(con, "call-back")
    closed, _ = clauses.find(con, "callback")
    assert set(hyphen["source_ref"]) == set(closed["source_ref"])
    phrase, _ = clauses.find(con, '"call back"')
    # a passage is cited at its first marked word, which the phrase may mark later
    where = lambda df: set(zip(df["doc"], df["section"], strict=True))  # noqa: E731
    assert where(phrase) <= where(hyphen) and len(phrase)
    assert all(
        "«call»" in t.lower()
        or "«call-back»" in t.lower()
        or "«callback»" in t.lower()
        or "«call" in t.lower()
        for t in hyphen["text"]
    )


def test_a_heading_line_is_searched_with_the_clause_under_it(con):
    """Sonoma prints "7.29 Callback" on a line of its own: the hit is the clause, cited at the
    heading, not the bare heading outranking it."""
    hits, _ = clauses.find(con, "callback", ["Sonoma"])
    top = hits[hits["section"] == "7.29"].iloc[0]
    assert top["line"] == 595 and "minimum of two (2) hours" in top["text"]
    assert not any(t.strip("«» ").lower().endswith("callback") for t in hits["text"])
    # a word only in the body cites the body's line
    body, _ = clauses.find(con, '"left the worksite"', ["Sonoma"])
    assert 596 in set(body["line"])


def test_the_agency_filter_and_one_topic_side_by_side(con):
    hits, _ = clauses.find(con, "bilingual", ["Mendocino"])
    assert set(hits["agency"]) == {"Mendocino"}
    every, _ = clauses.find(con, "bilingual")
    side = clauses.side_by_side(every, per_agency=2)
    assert side.groupby("agency").size().max() <= 2 and side["agency"].nunique() >= 2


@pytest.mark.parametrize(
    "typed",
    ["NEAR(", '"', "*", "AND OR NOT", "x" * 10_000, "premium)(:*^", '"unclosed phrase', "\x00"],
)
def test_hostile_searches_give_a_message_or_hits_never_an_exception(con, typed):
    try:
        hits, q = clauses.find(con, typed)
    except QueryError as exc:
        assert str(exc)
        return
    assert q.expression.count('"') % 2 == 0
    assert hits is not None


def test_a_long_search_is_refused_saying_so(isolated_env, capsys):
    assert main(["clauses", "x" * 10_000]) == 2
    assert "at most 200 characters" in capsys.readouterr().err


def test_fts_operators_are_words_not_syntax():
    q = compile_query('premium NEAR( "call back" x*')
    assert q.expression == '"premium" AND "near" AND "call back" AND "x"'


# Imported agreements ------------------------------------------------------------------


def test_an_imported_pdf_is_searchable_and_cites_the_page(isolated_env, tmp_path, capsys):
    assert _import(tmp_path, "example_mou.pdf", agreement_pdf()) == 0
    out = capsys.readouterr().out
    assert "Read example_mou.pdf (PDF): 3 pages" in out
    assert "Article 9 SPECIAL PAY" in out or "9.3" in out
    assert main(["clauses", "bilingual", "--agency", "Example County", "--format", "json"]) == 0
    hits = json.loads(capsys.readouterr().out)["rows"]
    assert hits and hits[0]["page"] == 3 and hits[0]["section"] == "9.3"
    assert "p. 3" in hits[0]["source_ref"]
    # a phrase broken over two printed lines is still a phrase, cited at its first word's line
    assert main(["clauses", '"leaving the work site shall receive"', "--format", "json"]) == 0
    (hit,) = json.loads(capsys.readouterr().out)["rows"]
    assert hit["page"] == 2 and hit["section"] == "7.4"
    # standby finds "standby", and call-back finds "Call Back" and "called back"? (phrase only)
    assert main(["clauses", "call-back", "--agency", "Example County", "--format", "json"]) == 0
    assert {h["section"] for h in json.loads(capsys.readouterr().out)["rows"]} == {"7.4"}
    assert main(["texts", "--format", "json"]) == 0
    (listed,) = json.loads(capsys.readouterr().out)["rows"]
    assert listed["kind"] == "pdf" and listed["pages"] == 3
    assert main(["texts", "remove", str(listed["text_id"])]) == 0
    assert agreement_texts.load_all() == []


def test_the_same_file_imported_twice_is_kept_twice_with_a_warning(isolated_env, tmp_path, capsys):
    text = "\n".join(line for page in PAGES for line in page).encode()
    assert _import(tmp_path, "mou.txt", text) == 0
    assert "warning" not in capsys.readouterr().err
    assert _import(tmp_path, "mou_again.txt", text, agency="Other County") == 0
    err = capsys.readouterr().err
    assert (
        "warning: this same file was imported before as agreement text #1 of Example County" in err
    )
    assert "bargain texts remove 1" in err
    assert len(agreement_texts.listing()) == 2
    assert agreement_texts.same_file(text)["text_id"].tolist() == [1, 2]
    assert agreement_texts.same_file(text + b" ").empty


def test_a_docx_and_texts_in_cp1252_and_utf16_read_the_same_sections(isolated_env, tmp_path):
    text = "\n".join(line for page in PAGES for line in page) + "\nCafé breaks: ten minutes.\n"
    for name, data in [
        ("mou.docx", agreement_docx()),
        ("mou_cp1252.txt", text.encode("cp1252")),
        ("mou_utf16.txt", text.encode("utf-16")),
    ]:
        got = read_agreement(data, name)
        words = " ".join(ln.text for ln in got.lines)
        assert "bilingual premium of one hundred dollars" in words.lower(), name
        if name.endswith(".txt"):
            assert "Café" in words, name


@pytest.mark.parametrize(
    ("name", "data", "said"),
    [
        ("empty.pdf", b"", "the file is empty"),
        ("mou.pdf", b"%PDF-1.4\n" + b"\x00broken" * 50, "it may be damaged"),
        ("mou.docx", None, "docx"),
        ("photo.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "PNG image"),
        ("mou.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "Word 97-2003"),
        ("page.txt", b"<!DOCTYPE html><html><body>MOU</body></html>", "web page"),
    ],
    ids=["empty", "corrupt pdf", "renamed zip", "image", "old doc", "html"],
)
def test_bad_files_get_one_message_and_nothing_is_stored(
    isolated_env, tmp_path, capsys, name, data, said
):
    if data is None:  # a ZIP of something else, renamed .docx
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("notes.csv", "a,b\n1,2\n")
        data = buf.getvalue()
    assert _import(tmp_path, name, data) == 2
    err = capsys.readouterr().err
    assert name in err and said.lower() in err.lower() and "Traceback" not in err, err
    assert agreement_texts.listing().empty


def test_a_scanned_pdf_says_it_has_no_text(isolated_env, tmp_path, capsys):
    from pathlib import Path

    scan = Path(__file__).resolve().parents[1] / "data" / "schedules" / "scanned.pdf"
    assert _import(tmp_path, "scan.pdf", scan.read_bytes()) == 2
    assert "no text, only pictures of pages" in capsys.readouterr().err


def test_an_encrypted_pdf_is_refused(isolated_env, tmp_path, capsys):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(100, 10, "Confidential MOU")
    assert _import(tmp_path, "locked.pdf", bytes(pdf.output())) == 2
    assert "password" in capsys.readouterr().err


def test_a_docx_bomb_is_refused(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(
            "word/document.xml", "<w:document>" + " " * (200 * 1024 * 1024) + "</w:document>"
        )
    with pytest.raises(UploadError):
        read_agreement(buf.getvalue(), "bomb.docx")


def test_run_in_headings_and_paragraphs_without_one():
    """ "7.4 Call Back. An employee ..." is headed Call Back; "7.4.1 An employee who ..." is a
    paragraph read under its parent's heading; an abbreviation is not a heading's end."""
    from etl.agreement_text.outline import outline

    lines = [
        "ARTICLE 7 - HOURS OF WORK",
        "7.4 Call Back. An employee called back to work after leaving the work site shall",
        "receive a minimum of two hours of pay at the overtime rate.",
        "7.4.1 An employee who is called back twice in one hour is paid once for that hour.",
        "7.5 Out of Class Pay. The County shall pay five percent more.",
        "7.6 Svcs. & Tech. Support - Parks Housing",
        "7.7 Performance Evaluation - Mediation The mediator must be neutral and chosen jointly",
    ]
    got = {s.number: s.heading for s in outline(lines)}
    assert got["7.4"] == "Call Back" and got["7.4.1"] == "Call Back"
    assert got["7.5"] == "Out of Class Pay"
    assert got["7.6"].startswith("Svcs. & Tech.")
    assert got["7.7"].startswith("Performance Evaluation - Mediation")
