"""A user's agreement file, whatever it is, as `AgreementText`: the one entry point.

The kind is decided from the bytes, by the signatures of etl/uploads/kinds.py (a PDF holds
"%PDF-" in its first kilobyte, a DOCX is a ZIP holding
word/document.xml), not from the name, so a renamed file is read for what it is or refused
saying what it is: an image, a Word 97-2003 .doc or a password-protected DOCX, a workbook, an
archive, a web page. Before reading: at most `MAX_UPLOAD_BYTES`, not empty. After: at most
`MAX_AGREEMENT_LINES` lines, and some words."""

from __future__ import annotations

from pathlib import PurePath

from etl import defaults
from etl.agreement_text.document import AgreementText
from etl.agreement_text.pdf_text import read_pdf
from etl.agreement_text.plain_text import read_text
from etl.agreement_text.word_text import read_docx
from etl.uploads.kinds import OLE, image_kind, is_pdf, is_zip
from etl.uploads.table import refuse

SUFFIXES = (".pdf", ".docx", ".txt", ".text", ".md")


def _refused_kind(data: bytes, suffix: str) -> str | None:
    what = image_kind(data)
    if what:
        return (
            f"this is {what} (a scan or a photo), not text: this reader does not recognize "
            "characters in pictures; give the agreement as a PDF with text, Word or text"
        )
    if data.startswith(OLE):
        return (
            "this is a Word 97-2003 document (.doc) or a password-protected file; remove the "
            "password, then save it as 'Word Document (.docx)' or as PDF"
        )
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return "this is a web page; save the agreement from the browser as PDF instead"
    if suffix == ".pdf" and not is_zip(data):
        return "the file is named .pdf but is not a PDF (it does not start with %PDF)"
    return None


def read_agreement(data: bytes, file_name: str) -> AgreementText:
    """The text of an agreement file; UploadError naming the file (and page or line)."""
    too_large = defaults.upload_too_large(len(data))
    if too_large:
        raise refuse(file_name, too_large)
    if not data.strip():
        raise refuse(file_name, "the file is empty")
    suffix = PurePath(file_name).suffix.lower()
    if is_pdf(data):
        got = read_pdf(data, file_name)
    elif is_zip(data):
        got = read_docx(data, file_name)
    else:
        refused = _refused_kind(data, suffix)
        if refused:
            raise refuse(file_name, refused)
        got = read_text(data, file_name)
    return _checked(got, file_name)


def _checked(got: AgreementText, file_name: str) -> AgreementText:
    if len(got.lines) > defaults.MAX_AGREEMENT_LINES:
        raise refuse(
            file_name,
            f"the file has {len(got.lines):,} lines, more than "
            f"{defaults.MAX_AGREEMENT_LINES:,}; give one agreement at a time",
        )
    if got.n_words == 0:
        raise refuse(file_name, "the file has no words to read")
    return got
