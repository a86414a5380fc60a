"""What kind of file an upload is, checked before any row is read (etl/uploads/reader.py).

The file signatures and the tests of what bytes are (`image_kind`, `is_pdf`, `is_zip`,
`looks_utf16`, `looks_binary`) are the one definition for every reader of a user's file: the
tables here, agreement texts (etl/agreement_text/reader.py) and the State Controller's export
(etl/gcc/archive.py)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePath

from etl import defaults
from etl.uploads.table import refuse

# Kinds of file -----------------------------------------------------------------------------------

# The first bytes that say what a file is, whatever its name.
IMAGES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),  # little-endian; what scanners and fax software write
    (b"MM\x00*", "a TIFF image"),  # big-endian
)
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel or Word 97-2003, or an encrypted OOXML file
ZIP = (b"PK\x03\x04", b"PK\x05\x06")  # a member's header; an empty archive's directory end
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
PDF_HEADER = b"%PDF-"
PDF_HEADER_WITHIN = 1024  # PDF readers accept the header anywhere in the first kilobyte
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
BINARY_SAMPLE = 20000  # characters judged by `looks_binary`

SAVE_AS = "save it from Excel as 'CSV UTF-8 (Comma delimited)' or as 'Excel Workbook (.xlsx)'"
_XLSX_SUFFIXES = (".xlsx", ".xlsm")
BINARY = f"this is not a text CSV file (binary content); {SAVE_AS}"
_UTF16 = "the file is UTF-16 ('Unicode Text'); save it as 'CSV UTF-8 (Comma delimited)' instead"


def image_kind(data: bytes) -> str | None:
    """'a PNG image', 'a JPEG image', 'a GIF image' or 'a TIFF image'; None for no picture."""
    return next((what for magic, what in IMAGES if data.startswith(magic)), None)


def is_pdf(data: bytes) -> bool:
    """A PDF: its '%PDF-' header in the first kilobyte (after a BOM or a mail gateway's
    junk, as PDF readers allow)."""
    return PDF_HEADER in data[:PDF_HEADER_WITHIN]


def is_zip(data: bytes) -> bool:
    """A ZIP archive, as an XLSX and a DOCX are."""
    return data.startswith(ZIP)


def utf16_encoding(data: bytes) -> str | None:
    """'utf-16' (a byte-order mark says which), 'utf-16-le' or 'utf-16-be' (none: ASCII text
    with a NUL beside every character, on the odd or the even bytes); None for other text."""
    if data.startswith(UTF16_BOMS):
        return "utf-16"
    sample = data[:4000]
    if len(sample) < 4:
        return None
    half = 0.4 * len(sample) / 2
    if sample[1::2].count(0) > half:
        return "utf-16-le"
    if sample[0::2].count(0) > half:
        return "utf-16-be"
    return None


def looks_utf16(data: bytes) -> bool:
    """UTF-16 ('Unicode Text'), with its byte-order mark or without."""
    return utf16_encoding(data) is not None


def looks_binary(text: str, page_breaks: bool = False) -> bool:
    """Decoded text that is not text: a NUL, or more than 1 in 100 control characters at its
    start; `page_breaks` lets form feeds pass (a text agreement's page breaks)."""
    sample = text[:BINARY_SAMPLE]
    counted = sample.replace("\f", "") if page_breaks else sample
    return "\x00" in sample or len(CONTROL.findall(counted)) > len(sample) / 100


def file_kind(data: bytes, file_name: str, pdf: bool = False) -> str:
    """'csv' or 'xlsx' for a file that can be read as one, and 'pdf' for a PDF when the
    caller reads PDFs (`pdf`; the salary-table reader does); UploadError saying what it is
    otherwise (too large, empty, an image, UTF-16, a workbook with a .csv name...)."""
    too_large = defaults.upload_too_large(len(data), defaults.MAX_UPLOAD_BYTES)
    if too_large:
        raise refuse(file_name, too_large)
    if not data.strip():
        raise refuse(file_name, "the file is empty")
    if pdf and is_pdf(data):
        return "pdf"
    suffix = PurePath(file_name).suffix.lower()
    refused = _binary_kind(data, suffix)
    if refused:
        raise refuse(file_name, refused)
    if is_zip(data):
        return "xlsx"
    refused = _text_kind(data, suffix)
    if refused:
        raise refuse(file_name, refused)
    return "csv"


def _binary_kind(data: bytes, suffix: str) -> str | None:
    """Why a file that is not text cannot be read as a table (None: it may be one)."""
    what = image_kind(data) or ("a PDF document" if is_pdf(data) else None)
    if what:
        return (
            f"this is {what}, not a table; upload the table as CSV or XLSX (a picture or "
            "PDF of a table has to be typed or converted into a spreadsheet first)"
        )
    if data.startswith(OLE):
        return _ole_kind(data)
    if is_zip(data):
        members = zip_members(data)
        if members is not None and not is_workbook(members):
            shown = ", ".join(members[:3]) + (", ..." if len(members) > 3 else "")
            return (
                f"this is a ZIP archive, not an Excel workbook (it holds {shown or 'nothing'}); "
                "unzip it and upload the CSV or XLSX file itself"
            )
        if suffix == ".csv":
            return (
                "this is an Excel workbook saved with a .csv name; rename it to .xlsx, or open "
                "it in Excel and save it as 'CSV UTF-8 (Comma delimited)'"
            )
    return None


def zip_members(data: bytes) -> list[str] | None:
    """The names in a ZIP's directory (nothing is unpacked); None when it cannot be read."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return z.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return None


def is_workbook(members: list[str]) -> bool:
    """An XLSX keeps its workbook under xl/; any other ZIP is an archive, not a workbook."""
    return any(n.startswith("xl/") for n in members)


def _ole_kind(data: bytes) -> str:
    """An OLE compound file: an encrypted OOXML workbook keeps its package in a stream named
    EncryptedPackage, an Excel 97-2003 workbook its sheets in one named Workbook (or Book);
    the file's directory holds the names in UTF-16."""
    if "EncryptedPackage".encode("utf-16-le") in data:
        return (
            "this workbook is password-protected (encrypted), so it cannot be read; open it in "
            "Excel, remove the password (File > Info > Protect Workbook), save it as 'Excel "
            "Workbook (.xlsx)' and upload it again"
        )
    if any(n.encode("utf-16-le") + b"\x00\x00" in data for n in ("Workbook", "Book")):
        return (
            "this is an Excel 97-2003 workbook (.xls), whatever its name says; open it in Excel "
            "and save it as 'Excel Workbook (.xlsx)' or as 'CSV UTF-8'"
        )
    return (
        "this is an Excel 97-2003 workbook (.xls) or a password-protected workbook; remove "
        "the password, then save it as 'Excel Workbook (.xlsx)' or as 'CSV UTF-8'"
    )


def _text_kind(data: bytes, suffix: str) -> str | None:
    """Why a file that is not a workbook cannot be read as CSV text (None: it can)."""
    if looks_utf16(data):
        return _UTF16
    if b"\x00" in data[:20000]:
        return BINARY
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<table")):
        return (
            "this is a web page or XML file (what 'Save as Web Page' or some HR systems write "
            "under an .xls name), not a table; open it in Excel and save it as 'CSV UTF-8' or "
            "'Excel Workbook (.xlsx)'"
        )
    if suffix == ".pdf":
        return "the file is named .pdf but is not a PDF (it holds text); rename it to .csv"
    if suffix in _XLSX_SUFFIXES:
        return (
            f"the file is named {suffix} but holds text, not a workbook (a CSV file renamed?); "
            "rename it to .csv, or open it in Excel and save it as 'Excel Workbook (.xlsx)'"
        )
    return None
