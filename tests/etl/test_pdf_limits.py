"""PDFs built to hurt the reader (a page tree claiming thousands of pages, a page the size of a
field, a stream that inflates to gigabytes, a page of a million characters, a password, a
damaged file): each stopped with one message naming the file (and the page), nothing stored,
within the memory a normal upload uses (the peaks are measured with tracemalloc here)."""

from __future__ import annotations

import tracemalloc
import zlib

import pytest

from etl import defaults
from etl.errors import BargainError
from etl.schedule_import import read
from etl.schedule_import.stored import ImportedFile
from etl.uploads.pdf import pages as pdf_pages


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF whose object N + 1 is objects[N], object 1 the catalog, with a valid xref."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _stream(data: bytes, compressed: bool = False) -> bytes:
    head = b"<< /Length %d%s >>" % (len(data), b" /Filter /FlateDecode" if compressed else b"")
    return head + b"\nstream\n" + data + b"\nendstream"


def _one_page(content: bytes, box: bytes = b"[0 0 612 792]", compressed: bool = False) -> bytes:
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox " + box + b" /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            _stream(content, compressed),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


TEXT = b"BT /F1 10 Tf 72 700 Td (Class Code  Title  Step 1) Tj ET"


def _refused(data: bytes, name: str = "bomb.pdf") -> str:
    with pytest.raises(BargainError) as exc:
        read([ImportedFile("schedule", name, data)], {"agency": "Example", "period": "hourly"})
    said = str(exc.value)
    assert name in said and "Traceback" not in said
    return said


def _peak_mb(data: bytes) -> float:
    pdf_pages._CACHE.clear()
    tracemalloc.start()
    try:
        _refused(data)
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak / 2**20


def test_the_hand_built_pdf_is_read_when_it_is_not_a_bomb():
    # the builder makes PDFs pdfplumber reads: the refusals below are the limits, not damage
    lines = pdf_pages.pdf_lines(_one_page(TEXT), "ok.pdf")
    assert " ".join(w.text for w in lines[0].words).startswith("Class Code")


def test_a_page_tree_claiming_thousands_of_pages_is_refused_before_any_is_read():
    # one page object listed 5,000 times: a few hundred bytes that would lay out 5,000 pages
    kids = b" ".join([b"3 0 R"] * 5000)
    data = _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + kids + b"] /Count 5000 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            _stream(TEXT),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )
    said = _refused(data)
    assert f"the PDF has 5,000 pages, more than {defaults.MAX_PDF_PAGES:,}" in said


def test_a_page_tree_that_lies_about_its_count_is_stopped_at_the_limit():
    # 505 distinct page objects (sharing one content stream) under a /Count of 1
    n = defaults.MAX_PDF_PAGES + 5
    kids = b" ".join(b"%d 0 R" % (5 + k) for k in range(n))
    data = _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + kids + b"] /Count 1 >>",
            _stream(TEXT),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            *[
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R "
                b"/Resources << /Font << /F1 4 0 R >> >> >>"
            ]
            * n,
        ]
    )
    assert "more than 500; give the pages of the salary schedule alone" in _refused(data)


def test_a_page_the_size_of_a_field_is_refused_naming_the_page():
    said = _refused(_one_page(TEXT, box=b"[0 0 14400 14400]"))
    assert "bomb.pdf: p. 1: " in said and "200 x 200 inches, larger than 60 inches a side" in said


def test_a_stream_that_inflates_past_the_budget_is_stopped_within_bounded_memory():
    # 1 GB of spaces inside a comment-free content stream, compressed to about 1 MB
    z = zlib.compressobj(9)
    block = b" " * (1 << 20)
    packed = b"".join(z.compress(block) for _ in range(1024)) + z.flush()
    assert len(packed) < 2 * 2**20
    data = _one_page(packed, compressed=True)
    peak = _peak_mb(data)
    limit_mb = defaults.MAX_PDF_UNPACKED_BYTES / 2**20
    said = _refused(data)
    assert f"unpack to more than {limit_mb:.0f} MB" in said
    # never the gigabyte: the budget and a few chunks of it
    print(f"peak {peak:.0f} MB")
    assert peak < limit_mb + 64, f"peak {peak:.0f} MB"


def test_a_page_of_a_million_characters_is_refused_before_it_is_laid_out():
    text = b"BT /F1 1 Tf 0 0 Td (" + b"9" * 1_000_000 + b") Tj ET"
    said = _refused(_one_page(text))
    assert (
        "bomb.pdf: p. 1: " in said
        and f"more than {defaults.MAX_PDF_PAGE_CHARS:,} characters" in said
    )


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"%PDF-1.4\n" + b"\x00garbage" * 100, "it may be damaged"),
        (_one_page(TEXT)[:200], "it may be damaged"),
        (
            _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]),
            "the PDF has no text to read",
        ),
    ],
    ids=["garbage", "truncated", "no pages"],
)
def test_damaged_or_empty_pdfs_get_one_message(data, words):
    assert words in _refused(data, "bad.pdf")
