"""The costing workbook and CSV files: every table of a costing result and the assumptions
needed to reproduce it, formula-safe."""

from __future__ import annotations

import io

import pandas as pd

from analysis.costing.engine import CostResult
from exports.safety import neutralize

EXPORT_TABLES = ("by_year", "parts", "by_class", "compounding", "by_period")


def cost_tables_to_csv(result: CostResult) -> dict[str, bytes]:
    """Each table as CSV (UTF-8 with BOM for Excel), formula-safe, plus the assumptions."""
    # CRLF line ends also make the writer quote a cell holding a lone carriage return, which a
    # spreadsheet would otherwise read as the start of a new row (and a possible formula).
    out = {}
    for name in EXPORT_TABLES:
        df = neutralize(getattr(result, name))
        out[f"{name}.csv"] = df.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
    out["assumptions.csv"] = (
        neutralize(result.assumptions())
        .to_csv(index=False, lineterminator="\r\n")
        .encode("utf-8-sig")
    )
    return out


def to_xlsx(result: CostResult) -> bytes:
    """One workbook: a sheet per table and an Assumptions sheet (scenario JSON, roll-ups,
    notes on derived and flat rates). Every text cell is formula-safe."""
    buf = io.BytesIO()
    sheets = {
        "By year": result.by_year,
        "Parts": result.parts,
        "By class": result.by_class,
        "Compounding": result.compounding,
        "By pay period": result.by_period,
        "Assumptions": result.assumptions(),
    }
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    with pd.ExcelWriter(buf, engine="xlsxwriter", engine_kwargs={"options": options}) as xw:
        money = xw.book.add_format({"num_format": "#,##0.00"})
        for name, df in sheets.items():
            safe = neutralize(df)
            safe.to_excel(xw, sheet_name=name, index=False)
            ws = xw.sheets[name]
            for i, col in enumerate(safe.columns):
                width = 60 if name == "Assumptions" and col == "value" else max(12, len(col) + 2)
                numeric = pd.api.types.is_float_dtype(safe[col])
                ws.set_column(i, i, width, money if numeric and col != "rate_factor_end" else None)
            ws.freeze_panes(1, 0)
    return buf.getvalue()
