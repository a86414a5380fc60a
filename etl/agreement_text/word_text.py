"""An agreement saved from Word (.docx), read with python-docx: its paragraphs in document
order, table cells included, one line each (Word has no pages until it is printed, so a DOCX
line is a paragraph and its page is blank).

Refused with a message saying what the file is: a ZIP that is not a Word document (a workbook,
a renamed archive), one whose parts unpack to more than `MAX_DOCX_UNPACKED_BYTES`, a damaged
one."""

from __future__ import annotations

import io
import zipfile

from etl import defaults
from etl.agreement_text.document import AgreementText, TextLine
from etl.uploads.table import refuse

SAVE_DOCX = "open it in Word and save it as 'Word Document (.docx)' or as PDF"


def _check_zip(data: bytes, file_name: str) -> None:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise refuse(
            file_name, f"the file is a damaged ZIP, not a Word document; {SAVE_DOCX}"
        ) from None
    names = set(zf.namelist())
    if "word/document.xml" not in names:
        what = "an Excel workbook" if "xl/workbook.xml" in names else "a ZIP archive"
        raise refuse(
            file_name,
            f"this is {what}, not a Word document (no word/document.xml inside); {SAVE_DOCX}",
        )
    unpacked = sum(i.file_size for i in zf.infolist())
    if unpacked > defaults.MAX_DOCX_UNPACKED_BYTES:
        mb = defaults.MAX_DOCX_UNPACKED_BYTES // (1024 * 1024)
        raise refuse(
            file_name,
            f"the document unpacks to {unpacked / 1024 / 1024:,.0f} MB, more than {mb} MB "
            "(pictures, or a 'ZIP bomb'); save it as PDF, or remove the pictures",
        )


def read_docx(data: bytes, file_name: str) -> AgreementText:
    """The non-empty paragraphs of a DOCX, numbered from 1."""
    _check_zip(data, file_name)
    import docx
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
        texts = [
            " ".join(Paragraph(p, document).text.split())
            for p in document.element.body.iter(qn("w:p"))
        ]
    except Exception as exc:  # lxml and python-docx raise many kinds on a damaged file
        raise refuse(
            file_name, f"cannot read the Word document ({type(exc).__name__}); {SAVE_DOCX}"
        ) from None
    kept = [t for t in texts if t]
    lines = tuple(TextLine(i, t) for i, t in enumerate(kept, 1))
    return AgreementText(file_name, "docx", lines)
