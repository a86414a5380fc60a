"""Memory of reading the bomb cases of the bad-input corpus (tests/bad_inputs/): the peak
Python allocation (tracemalloc) and the growth of the process's resident size (ru_maxrss) while
each is read and refused, each in a fresh process so one case's peak does not hide another's.

    .venv/bin/python benchmarks/bench_bombs.py

Cases: the XLSX bomb (210 MB of sheet XML in 214 KB), the XLSX bomb whose ZIP states 2 KB for
its 100 MB sheet, a sheet with a value in each of its 1,048,576 rows (5 MB, generated), a
sheet with one cell in row 1,048,576, the State Controller ZIP bomb (500 MB in 690 KB) and the
one that states 4 KB for it.
"""

from __future__ import annotations

import io
import json
import resource
import subprocess
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT / "tests" / "bad_inputs"
OPTS = {"agency": "Example County", "effective": "2024-07-01", "period": "hourly"}
CASES = {
    "xlsx_bomb": ("salary", "salary_table/xlsx_bomb.xlsx"),
    "xlsx_bomb_lying_size": ("salary", "salary_table/xlsx_bomb_lying_size.xlsx"),
    "sheet_of_1048576_rows": ("salary", None),
    "cell_in_row_1048576": ("salary", "salary_table/cell_in_row_1048576.xlsx"),
    "gcc_zip_bomb_500_mb": ("gcc", "sco_gcc/zip_bomb_500_mb.zip"),
    "gcc_zip_bomb_lying_size": ("gcc", "sco_gcc/zip_bomb_lying_size.zip"),
}


def full_height_sheet() -> bytes:
    """A workbook whose one sheet has a value in every one of its 1,048,576 rows."""
    import openpyxl

    wb = openpyxl.Workbook()
    buf = io.BytesIO()
    wb.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(info.filename, src.read(info))
                continue
            with dst.open(info.filename, "w") as sheet:
                sheet.write(
                    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
                    b'main"><sheetData>'
                )
                for r in range(1, 1_048_577, 4096):
                    sheet.write(
                        b"".join(
                            b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (k, k)
                            for k in range(r, min(r + 4096, 1_048_577))
                        )
                    )
                sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def one(case: str) -> dict:
    """Read one case in this process: peak traced bytes, RSS growth, seconds, the message."""
    from etl.errors import BargainError
    from etl.gcc.importer import prepare
    from etl.schedule_import import read
    from etl.schedule_import.stored import ImportedFile

    kind, path = CASES[case]
    data = full_height_sheet() if path is None else (CORPUS / path).read_bytes()
    name = "tall.xlsx" if path is None else Path(path).name
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    t = time.perf_counter()
    try:
        if kind == "gcc":
            prepare(data, name, agencies=None)
        else:
            read([ImportedFile("schedule", name, data)], OPTS)
        message = "imported"
    except BargainError as exc:
        message = str(exc).splitlines()[0][:110]
    seconds = time.perf_counter() - t
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss0  # KiB on Linux
    return {
        "case": case,
        "on_disk": len(data),
        "peak_mb": peak / 1024**2,
        "rss_growth_mb": rss / 1024,
        "seconds": seconds,
        "message": message,
    }


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(json.dumps(one(sys.argv[2])))
        return
    print(f"{'case':<26} {'on disk':>9} {'peak':>9} {'RSS +':>9} {'time':>7}  message")
    for case in CASES:
        out = subprocess.run(
            [sys.executable, __file__, "--one", case], capture_output=True, text=True, check=True
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"{r['case']:<26} {r['on_disk'] / 1024:>7,.0f} K {r['peak_mb']:>7.1f} M "
            f"{r['rss_growth_mb']:>7.1f} M {r['seconds']:>6.2f}s  {r['message']}"
        )


if __name__ == "__main__":
    main()
