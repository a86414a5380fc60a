"""Uploaded PDF tables (a salary schedule printed to PDF by a payroll or HR system), read with
pdfplumber page by page into the rows a spreadsheet of the same table would hold
(etl/uploads/reader.py), so the salary-table reader reads a PDF as it reads a CSV.

A PDF has no cells, only words at positions. Each page's words are grouped into lines of text
(row N of page P is the N-th line from the top), and the lines into the columns of the
table's header (etl/uploads/pdf/grid.py says how). The result is one `Table` whose rows are
numbered by running line, page after page; `Table.places` gives each line's page and row on
that page, which every problem and every citation uses ("schedule.pdf p. 3, row 14").

Refused, each with one message saying what to do instead: a PDF that needs a password; a
damaged one; one without text (a scan: this reader does not recognize characters in pictures);
more pages than `MAX_PDF_PAGES`, a page larger than `MAX_PDF_PAGE_INCHES`, more characters on
a page than `MAX_PDF_PAGE_CHARS` or in the file than `MAX_PDF_CHARS`, contents that unpack to
more than `MAX_PDF_UNPACKED_BYTES` (etl/uploads/pdf/limits.py enforces them while pdfminer
reads, so memory stays bounded).
"""

from __future__ import annotations

import hashlib
import threading
from io import BytesIO

from etl import defaults
from etl.uploads.pdf import grid as upload_pdf_grid
from etl.uploads.pdf import limits as upload_pdf_limits
from etl.uploads.pdf.lines import Line, Word
from etl.uploads.table import Table, UploadError, refuse

POINTS_PER_INCH = 72
SAVE_TABLE = "save the table from the program that made the PDF as CSV or XLSX"


def read_pdf(data: bytes, file_name: str, mapped: frozenset[str] = frozenset()) -> list[Table]:
    """The table of a PDF (UploadError naming the page when it cannot be read). `mapped` are
    the headers the user named (FIELD=HEADER), normalized: they count when finding the
    header."""
    lines = pdf_lines(data, file_name)
    return [upload_pdf_grid.table(file_name, lines, mapped)]


_CACHE: dict[str, list[Line]] = {}
CACHE_FILES = 4  # the app reads the same upload on every rerun (detect, then read)
_cache_lock = threading.Lock()


def pdf_lines(data: bytes, file_name: str) -> list[Line]:
    """Every line of text of every page, in reading order (top to bottom, page after page);
    the last few files read are kept (by their bytes' digest), so the check and the read of
    one upload lay its pages out once."""
    key = hashlib.sha256(data).hexdigest()
    with _cache_lock:
        if key in _CACHE:
            return _CACHE[key]
    got = _read_lines(data, file_name)
    with _cache_lock:
        _CACHE[key] = got
        while len(_CACHE) > CACHE_FILES:
            _CACHE.pop(next(iter(_CACHE)))
    return got


def _read_lines(data: bytes, file_name: str) -> list[Line]:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    upload_pdf_limits.install()
    try:
        with upload_pdf_limits.budget():
            pdf = pdfplumber.open(BytesIO(data))
            # Not pdf.close(): it would lay out every page of the file to close them.
            return _lines(pdf, file_name)
    except upload_pdf_limits.Exceeded as exc:
        raise refuse(file_name, str(exc)) from None
    except UploadError:
        raise
    except PDFPasswordIncorrect:
        raise refuse(
            file_name,
            "the PDF is protected by a password; open it, print it to a new PDF without the "
            f"password, or {SAVE_TABLE}",
        ) from None
    except Exception as exc:  # a damaged PDF: pdfminer raises many kinds
        if "password" in str(exc).lower():
            raise refuse(file_name, f"the PDF needs a password to open; {SAVE_TABLE}") from None
        raise refuse(
            file_name,
            f"cannot read the PDF ({type(exc).__name__}: {str(exc)[:80]}); it may be damaged: "
            f"print it to a new PDF, or {SAVE_TABLE}",
        ) from None


def _declared_pages(pdf) -> int | None:
    from pdfminer.pdftypes import resolve1

    try:
        count = resolve1(resolve1(pdf.doc.catalog.get("Pages")).get("Count"))
    except Exception:  # a page tree without a count: the pages are counted as read
        return None
    return count if isinstance(count, int) else None


def _too_many(file_name: str, n: str) -> UploadError:
    return refuse(
        file_name,
        f"the PDF has {n} pages, more than {defaults.MAX_PDF_PAGES:,}; give the pages of the "
        "salary schedule alone (print those pages to a new PDF)",
    )


def _lines(pdf, file_name: str) -> list[Line]:
    from pdfminer.pdfpage import PDFPage
    from pdfplumber.page import Page

    declared = _declared_pages(pdf)
    if declared is not None and declared > defaults.MAX_PDF_PAGES:
        raise _too_many(file_name, f"{declared:,}")
    out: list[Line] = []
    chars = pictures = 0
    for i, page_obj in enumerate(PDFPage.create_pages(pdf.doc)):
        number = i + 1
        if number > defaults.MAX_PDF_PAGES:
            raise _too_many(file_name, "more")
        _check_size(page_obj, number, file_name)
        chars += _check_chars(page_obj, number, file_name, chars)
        page = Page(pdf, page_obj, page_number=number, initial_doctop=0)
        words = page.extract_words(x_tolerance=1, y_tolerance=2, use_text_flow=False)
        pictures += bool(page.images)
        page.close()
        out.extend(page_lines(number, words))
    if not out:
        raise refuse(file_name, _no_text(pictures))
    return out


def _no_text(pictures: int) -> str:
    if pictures:
        return (
            "the PDF has no text, only pictures of pages (a scan): this reader takes the text "
            "of a PDF and does not recognize characters in a picture; ask for the PDF as "
            f"printed by the program that made it, or {SAVE_TABLE} (or type it into one)"
        )
    return f"the PDF has no text to read; {SAVE_TABLE}"


def _check_size(page_obj, number: int, file_name: str) -> None:
    box = page_obj.mediabox or [0, 0, 0, 0]
    try:
        width, height = abs(box[2] - box[0]), abs(box[3] - box[1])
    except (TypeError, IndexError):
        return  # pdfplumber falls back to a default page size
    limit = defaults.MAX_PDF_PAGE_INCHES * POINTS_PER_INCH
    if width > limit or height > limit:
        raise UploadError(
            file_name,
            [
                _page_problem(
                    number,
                    f"the page is {width / POINTS_PER_INCH:,.0f} x {height / POINTS_PER_INCH:,.0f}"
                    f" inches, larger than {defaults.MAX_PDF_PAGE_INCHES} inches a side: not a "
                    "printed schedule; print it to a new PDF on paper of an ordinary size",
                )
            ],
        )


def _check_chars(page_obj, number: int, file_name: str, so_far: int) -> int:
    n = upload_pdf_limits.page_chars(page_obj)
    if n > defaults.MAX_PDF_PAGE_CHARS:
        message = (
            f"the page holds more than {defaults.MAX_PDF_PAGE_CHARS:,} characters of text (a "
            "schedule's page holds a few thousand); give the schedule's pages alone"
        )
        raise UploadError(file_name, [_page_problem(number, message)])
    if so_far + n > defaults.MAX_PDF_CHARS:
        message = (
            f"the PDF holds more than {defaults.MAX_PDF_CHARS:,} characters of text by this "
            "page; give the salary schedule's pages alone"
        )
        raise UploadError(file_name, [_page_problem(number, message)])
    return n


def _page_problem(page: int, message: str):
    from etl.errors import Problem

    return Problem(None, None, message, page=page)


def page_lines(page: int, words: list[dict]) -> list[Line]:
    """pdfplumber's words of one page as lines: a word joins the line whose vertical extent
    holds its middle; lines top to bottom, numbered from 1, words left to right."""
    rows: list[list[Word]] = []
    extent: list[tuple[float, float]] = []
    for w in sorted(words, key=lambda w: (round(w["top"], 1), w["x0"])):
        word = Word(w["text"], float(w["x0"]), float(w["x1"]), float(w["top"]), float(w["bottom"]))
        middle = (word.top + word.bottom) / 2
        if rows and extent[-1][0] <= middle <= extent[-1][1]:
            rows[-1].append(word)
            continue
        rows.append([word])
        extent.append((word.top, word.bottom))
    return [Line(page, k + 1, sorted(ws, key=lambda w: w.x0)) for k, ws in enumerate(rows) if ws]
