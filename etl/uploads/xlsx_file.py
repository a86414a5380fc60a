"""Uploaded XLSX workbooks: bounded, never evaluated, formulas refused with their address
(etl/uploads/reader.py)."""

from __future__ import annotations

import io
import warnings
import zipfile

from etl import defaults
from etl.cells import PercentValue
from etl.errors import Problem, Problems
from etl.uploads.kinds import file_kind
from etl.uploads.table import Cells, Table, UploadError, column_letter, make_table, refuse

# XLSX --------------------------------------------------------------------------------------------


def _check_zip(data: bytes, file_name: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except zipfile.BadZipFile as exc:
        raise refuse(
            file_name, f"the workbook is damaged or incomplete ({exc}); save it again from Excel"
        ) from None
    unpacked = sum(i.file_size for i in infos)
    limit = defaults.MAX_XLSX_UNPACKED_BYTES
    if unpacked > limit:
        raise refuse(
            file_name,
            f"the workbook unpacks to {unpacked / 1024 / 1024:,.0f} MB, more than "
            f"{limit // 1024 // 1024} MB; save the sheet you need alone, as CSV",
        )


def _stated_size_unread(ws) -> None:
    """Stands in for openpyxl's ReadOnlyWorksheet._get_size, which looks for the sheet's
    stated size by parsing its XML until a <dimension> element: a sheet without one (any
    writer may leave it out) is parsed whole when the workbook is opened, a million rows for
    every sheet before a row is read. The size is never used here (rows are read as stored,
    `ws.reset_dimensions()`), so it is not read."""


def _open_workbook(data: bytes, file_name: str):
    import openpyxl
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    # every read-only workbook of the process: only uploads are opened read-only
    ReadOnlyWorksheet._get_size = _stated_size_unread
    _check_zip(data, file_name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # data validation, unknown extensions...
            return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # a damaged or non-XLSX file: openpyxl raises many kinds
        raise refuse(
            file_name,
            f"cannot read the file as a workbook ({type(exc).__name__}: {exc}); "
            "save it from Excel as 'Excel Workbook (.xlsx)' or as CSV",
        ) from None


def sheet_names(data: bytes, file_name: str) -> list[str]:
    """The worksheets of a workbook, in order (chart sheets left out); [] for a CSV."""
    if file_kind(data, file_name) != "xlsx":
        return []
    wb = _open_workbook(data, file_name)
    try:
        return [ws.title for ws in wb.worksheets]
    finally:
        wb.close()


def pick_sheet(names: list[str], wanted: str) -> str | None:
    """The sheet a typed name denotes: exact, else the one equal ignoring case and space."""
    if wanted in names:
        return wanted
    folded = [n for n in names if n.strip().casefold() == wanted.strip().casefold()]
    return folded[0] if len(folded) == 1 else None


def _formula_text(cell) -> str | None:
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    v = cell.value
    if isinstance(v, ArrayFormula | DataTableFormula):
        return str(getattr(v, "text", None) or v)
    if getattr(cell, "data_type", None) == "f":
        return str(v)
    return None


def _value(cell):
    """A cell's value; a number formatted as a percentage marked so (cells.PercentValue)."""
    v = cell.value
    fmt = getattr(cell, "number_format", None) or ""
    if isinstance(v, float | int) and not isinstance(v, bool) and "%" in fmt:
        return PercentValue(v)
    return v


def _sheet_records(ws, file_name: str, problems: Problems) -> list[tuple[int, Cells]]:
    """(row, values) of every row up to the last that holds a value, formulas reported
    (their cells read as None)."""
    ws.reset_dimensions()  # the stated size is not trusted: rows are read as stored
    records: list[tuple[int, Cells]] = []
    blank_from = None  # blank rows are kept once a row below them holds a value: a stray
    # cell far down (or a sheet padded to row 1,048,576) costs no memory before it is refused
    max_rows, max_cols = defaults.MAX_XLSX_ROWS, defaults.MAX_XLSX_COLUMNS
    for r, cells in enumerate(ws.iter_rows(), start=1):
        if r > max_rows:
            raise UploadError(
                file_name,
                [Problem(None, None, f"the sheet has more than {max_rows:,} rows", ws.title)],
            )
        if len(cells) > max_cols:
            raise UploadError(
                file_name,
                [
                    Problem(
                        r,
                        None,
                        f"the row has cells beyond column {column_letter(max_cols - 1)} (more "
                        f"than {max_cols} columns); delete the unused columns",
                        ws.title,
                    )
                ],
            )
        values: Cells = []
        for j, cell in enumerate(cells):
            formula = _formula_text(cell)
            if formula is not None:
                problems.add(
                    r,
                    column_letter(j),
                    f"cell {column_letter(j)}{r} holds a formula ({formula[:40]}); the file must "
                    "hold values: copy the cells and paste them as values",
                    ws.title,
                )
                values.append(None)
            else:
                values.append(_value(cell))
        while values and values[-1] is None:
            values.pop()
        if not values:
            blank_from = blank_from or r
            continue
        records.extend((k, []) for k in range(blank_from or r, r))
        blank_from = None
        records.append((r, values))
    return records


def read_xlsx(
    data: bytes, file_name: str, sheets: list[str] | None, header_row: int | None
) -> list[Table]:
    wb = _open_workbook(data, file_name)
    try:
        names = [ws.title for ws in wb.worksheets]
        if not names:
            raise refuse(file_name, "the workbook has no worksheets")
        chosen, missing = [], []
        for wanted in sheets if sheets else names[:1]:
            got = pick_sheet(names, wanted)
            (chosen.append(got) if got else missing.append(wanted))
        if missing:
            raise refuse(
                file_name,
                f"no sheet named {', '.join(map(repr, missing))}; the workbook has "
                f"{', '.join(map(repr, names))}",
            )
        tables = []
        for name in dict.fromkeys(chosen):
            problems = Problems()
            try:
                records = _sheet_records(wb[name], file_name, problems)
            except UploadError:
                raise
            except Exception as exc:  # the sheet's XML cut short, a bad CRC, a size that lies
                raise refuse(
                    file_name,
                    f"sheet {name!r} is damaged or incomplete ({type(exc).__name__}: "
                    f"{str(exc)[:120]}); save the workbook again from Excel",
                ) from None
            tables.append(make_table(file_name, name, records, None, header_row, problems.items))
    finally:
        wb.close()
    return tables
