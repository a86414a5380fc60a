"""CSV and formatted XLSX exports of any table, safe to open in a spreadsheet."""

from __future__ import annotations

import io
import re

import pandas as pd

from exports.safety import neutralize

_MONEY = re.compile(
    r"(hourly|biweekly|monthly|annual|cost|market|own_top|amount|increment|value_usd|salary)",
    re.I,
)
_PCT = re.compile(r"(pct|percent)", re.I)


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 with BOM so Excel opens accented names correctly. Lines end in CRLF, which also
    makes the writer quote a cell holding a lone carriage return: unquoted, a spreadsheet
    would start a new row there, and the text after it could begin with a formula."""
    return neutralize(df).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def to_xlsx_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """One sheet per table: bold frozen header, autofilter, sensible widths, money and percent
    formats by column name."""
    buf = io.BytesIO()
    # Text is written as text: never as a formula or a link, whatever neutralize let through.
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    with pd.ExcelWriter(buf, engine="xlsxwriter", engine_kwargs={"options": options}) as xw:
        book = xw.book
        money = book.add_format({"num_format": "#,##0.00"})
        pct = book.add_format({"num_format": "0.00"})
        head = book.add_format({"bold": True, "bg_color": "#e8eef7", "border": 1})
        for name, df in sheets.items():
            safe = neutralize(df)
            sheet_name = re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "Sheet1"
            safe.to_excel(xw, sheet_name=sheet_name, index=False)
            ws = xw.sheets[sheet_name]
            for i, col in enumerate(safe.columns):
                sample = safe[col].astype(str).head(200)
                width = min(60, max(len(str(col)), *(sample.str.len().tolist() or [0])) + 2)
                fmt = None
                if pd.api.types.is_numeric_dtype(safe[col]) and not pd.api.types.is_bool_dtype(
                    safe[col]
                ):
                    fmt = (
                        pct if _PCT.search(str(col)) else money if _MONEY.search(str(col)) else None
                    )
                ws.set_column(i, i, width, fmt)
                ws.write(0, i, str(col), head)
            ws.freeze_panes(1, 0)
            if len(safe.columns):
                ws.autofilter(0, 0, max(len(safe), 1), len(safe.columns) - 1)
    return buf.getvalue()
