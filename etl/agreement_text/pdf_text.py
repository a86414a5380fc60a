"""An agreement's PDF as lines of text, by page: read by the one bounded PDF reader of the
uploads (etl/uploads/pdf/pages.py: pdfplumber, with the page, size, character and unpacking
limits that stop a PDF bomb, and the messages for a password, a damaged file and a scan), so a
salary schedule and an agreement are refused for the same reasons in the same words. Each
printed line keeps its page and its row on the page, which every hit cites."""

from __future__ import annotations

from etl.agreement_text.document import AgreementText, TextLine
from etl.uploads.pdf.pages import pdf_lines


def read_pdf(data: bytes, file_name: str) -> AgreementText:
    """Every line of every page that holds text, pages in order."""
    got = pdf_lines(data, file_name)
    lines: list[TextLine] = []
    pages = set()
    for ln in got:
        text = " ".join(w.text for w in ln.words)
        text = " ".join(text.split())
        if not text:
            continue
        pages.add(ln.page)
        lines.append(TextLine(len(lines) + 1, text, ln.page, ln.row))
    last = max(pages) if pages else 0
    blank = [p for p in range(1, last + 1) if p not in pages]
    notes = ()
    if blank:
        shown = ", ".join(map(str, blank[:20])) + ("…" if len(blank) > 20 else "")
        notes = (f"pages without text (scanned pictures?), not searchable: {shown}",)
    return AgreementText(file_name, "pdf", tuple(lines), last, notes=notes)
