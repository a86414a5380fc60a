"""Time the GCC import (etl.gcc.reader.read_gcc) on large synthetic exports, and title matching
at scale (analysis.crosswalk.title_match.match_many).

Run: .venv/bin/python benchmarks/bench_gcc.py [--repeat N] [--only a,b,c] [--keep DIR]
         [--encoding windows-1252|utf-8|mixed] [--no-check]

The synthetic files are made in a temporary directory from the rows of the real
tests/data/2016_SuperiorCourt.zip (never committed): every synthetic employer takes the rows
of one real court (its positions, ranges and benefit costs), its own name, and salaries
scaled by a factor of its own; one position in a thousand has an en dash and one department
in a thousand a "ñ". --encoding writes the file in Windows-1252 (the default, as real
exports: the en dash is the byte 0x96), in UTF-8, or 'mixed': UTF-8 with one line in a
thousand in Windows-1252 (a row pasted from another export), so that every path of the
line-by-line decoder (etl/uploads/decoding.py) can be timed. --no-check skips the first_row
check, to time an older checkout that garbles a mixed file.

(a) a 47 MB Special District file (170,000 rows, 3,063 employers; the real 2016 file is 47 MB
    in 162,764 rows), ZIP -> DataFrame: 3 s;
(b) a 1,000,000-row statewide County + City file, ZIP -> DataFrame: 10 s;
(c) matching 310 classes (Mendocino's) against 50,000 distinct position titles: 2 s;
(d) the 47 MB file of (a) imported to stored: etl.gcc.importer.prepare (read, check, sha256) and
    userdata.gcc.save into a new SQLite file, every employer (44,490 positions), then the
    positions read back (userdata.gcc.rows); and the same for 10 employers (a survey list): 5 s.
Each import is also timed from the bare CSV on disk (read in place when it is UTF-8
throughout), and compared with a bare DuckDB scan of the same CSV in the same run
(SELECT count(*) FROM read_csv(..., all_varchar)) - the floor for reading the file at all;
DuckDB cannot read the Windows-1252 bytes, so the scan reads a UTF-8 copy - and with
unzipping alone. Prints medians over --repeat runs and the ratios.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl.gcc.reader import read_gcc  # noqa: E402

REAL_ZIP = ROOT / "tests" / "data" / "2016_SuperiorCourt.zip"
TARGETS = {"a": 3.0, "b": 10.0, "c": 2.0, "d": 5.0}
CHECK = True
COUNTIES = [
    "Alameda", "Alpine", "Amador", "Butte", "Calaveras", "Colusa", "Contra Costa", "Del Norte",
    "El Dorado", "Fresno", "Glenn", "Humboldt", "Imperial", "Inyo", "Kern", "Kings", "Lake",
    "Lassen", "Los Angeles", "Madera", "Marin", "Mariposa", "Mendocino", "Merced", "Modoc",
    "Mono", "Monterey", "Napa", "Nevada", "Orange", "Placer", "Plumas", "Riverside",
    "Sacramento", "San Benito", "San Bernardino", "San Diego", "San Francisco", "San Joaquin",
    "San Luis Obispo", "San Mateo", "Santa Barbara", "Santa Clara", "Santa Cruz", "Shasta",
    "Sierra", "Siskiyou", "Solano", "Sonoma", "Stanislaus", "Sutter", "Tehama", "Trinity",
    "Tulare", "Tuolumne", "Ventura", "Yolo", "Yuba",
]  # fmt: skip
DISTRICTS = [
    "Water District", "Fire Protection District", "Recreation and Park District",
    "Sanitary District", "Irrigation District", "Cemetery District", "Resource Conservation "
    "District", "Mosquito Abatement District", "Public Utility District", "Hospital District",
    "Transit District", "Community Services District", "Library District", "Flood Control "
    "District", "Harbor District",
]  # fmt: skip
MONEY = [8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]  # MinPositionSalary .. Total


def real_rows() -> tuple[list[str], list[list[str]]]:
    with zipfile.ZipFile(REAL_ZIP) as zf:
        name = zf.namelist()[0]
        text = zf.read(name).decode("windows-1252")
    records = list(csv.reader(io.StringIO(text, newline="")))
    return records[0], records[1:]


def _by_employer(rows: list[list[str]]) -> list[list[list[str]]]:
    groups: dict[str, list[list[str]]] = {}
    for r in rows:
        groups.setdefault(r[2], []).append(r)
    return list(groups.values())


def _line(cells: list[str]) -> str:
    return ",".join('"' + c.replace('"', '""') + '"' for c in cells)


def _employer_names(kind: str, n: int, rng: random.Random) -> list[tuple[str, str]]:
    """(EmployerName, EmployerType) pairs, distinct."""
    out = []
    for i in range(n):
        county = COUNTIES[i % len(COUNTIES)]
        if kind == "Special District":
            out.append((f"{county} {DISTRICTS[i % len(DISTRICTS)]} {i // 50 + 1}", kind))
        elif i < len(COUNTIES):
            out.append((county, "County"))
        else:
            out.append((f"{county} Valley {i}", "City"))
    rng.shuffle(out)
    return out


ENCODINGS = ("windows-1252", "utf-8", "mixed")


def _writer(encoding: str, rng: random.Random):
    """line -> bytes: the whole file in one encoding, or ('mixed') UTF-8 with one line in a
    thousand pasted from a Windows-1252 file (a name with "ñ" in another in a thousand is
    UTF-8, so the file holds both)."""
    if encoding != "mixed":
        return lambda line: line.encode(encoding)

    def mixed(line: str) -> bytes:
        return line.encode("windows-1252" if rng.random() < 0.001 else "utf-8")

    return mixed


def write_synthetic(
    path: Path,
    n_rows: int,
    n_employers: int,
    kind: str,
    seed: int = 7,
    encoding: str = "windows-1252",
) -> int:
    """A GCC export of about n_rows rows (every value quoted) at `path`, in `encoding`
    (ENCODINGS), and its text as UTF-8 beside it (`utf8_twin`: the bare scan reads it and
    the row check compares against it)."""
    rng = random.Random(seed)
    header, rows = real_rows()
    courts = _by_employer(rows)
    names = _employer_names(kind, n_employers, rng)
    per = max(1, n_rows // n_employers)
    written = 0
    encode = _writer(encoding, random.Random(seed + 1))
    with open(path, "wb") as raw, open(utf8_twin(path), "w", encoding="utf-8", newline="") as tw:

        class Out:
            @staticmethod
            def write(line: str) -> None:
                raw.write(encode(line))
                tw.write(line)

        out = Out
        out.write(_line(header) + "\r\n")
        for e, (name, etype) in enumerate(names):
            court = courts[e % len(courts)]
            factor = rng.uniform(0.8, 1.3)
            want = per if e < n_employers - 1 else max(per, n_rows - written)
            for k in range(want):
                r = list(court[k % len(court)])
                r[1], r[2] = etype, name
                if k >= len(court):  # a bigger employer: more incumbents of the same positions
                    r[3] = f"{r[3]} {k // len(court) + 1}"
                if rng.random() < 0.001:
                    r[4] = r[4] + " \u2013 Confidential"
                if rng.random() < 0.001:
                    r[3] = r[3] + " Ca\u00f1ada"
                for m in MONEY:
                    if r[m] and r[m].replace(".", "", 1).isdigit():
                        r[m] = f"{float(r[m]) * factor:.0f}"
                r[25] = name.split(" ")[0] if etype != "County" else name
                out.write(_line(r) + "\r\n")
                written += 1
    return written


def utf8_twin(csv_path: Path) -> Path:
    return csv_path.with_name(csv_path.stem + "_utf8.csv")


def zip_file(csv_path: Path, zip_path: Path) -> None:
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        zf.write(csv_path, csv_path.name)


def _median(fn, repeat: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times


def duckdb_scan(csv_path: Path) -> int:
    con = duckdb.connect()
    try:
        return con.execute(
            "SELECT count(*) FROM read_csv(?, all_varchar = true, header = true, "
            "quote = '\"', escape = '\"', delim = ',')",
            [str(csv_path)],
        ).fetchone()[0]
    finally:
        con.close()


def unzip_only(zip_path: Path, tmp: Path) -> None:
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(tmp / "unzipped")


def _check_rows(result, csv_path: Path, samples: int = 25) -> None:
    """first_row of sampled positions points at a CSV line of that employer and position."""
    with open(utf8_twin(csv_path), encoding="utf-8", newline="") as fh:
        lines = fh.read().split("\r\n")
    rows = result.rows.sample(min(samples, len(result.rows)), random_state=1)
    for r in rows.itertuples(index=False):
        cells = next(csv.reader([lines[r.first_row - 1]]))
        assert cells[2] == r.employer_name and " ".join(cells[4].split()) == r.position, (
            r.first_row,
            cells[:5],
            r.employer_name,
            r.position,
        )


def bench_import(
    label: str, key: str, n_rows: int, n_emp: int, kind: str, tmp: Path, repeat, encoding
):
    csv_path = tmp / f"{key}_gcc.csv"
    zip_path = tmp / f"{key}_gcc.zip"
    t0 = time.perf_counter()
    written = write_synthetic(csv_path, n_rows, n_emp, kind, encoding=encoding)
    zip_file(csv_path, zip_path)
    made = time.perf_counter() - t0
    size = csv_path.stat().st_size
    print(
        f"\n({key}) {label}: {written:,} rows, {size / 1e6:.1f} MB CSV, "
        f"{zip_path.stat().st_size / 1e6:.1f} MB ZIP (made in {made:.1f} s)"
    )
    utf8 = utf8_twin(csv_path)  # DuckDB's Latin-1 reader refuses 0x96: scan the UTF-8 text
    result = read_gcc(zip_path, zip_path.name)  # warm-up, and the checks below
    if CHECK:
        _check_rows(result, csv_path)
    med, times = _median(lambda: read_gcc(zip_path, zip_path.name), repeat)
    disk, _ = _median(lambda: read_gcc(csv_path, csv_path.name), repeat)
    scan, _ = _median(lambda: duckdb_scan(utf8), repeat)
    unz, _ = _median(lambda: unzip_only(zip_path, tmp), repeat)
    print(
        f"    read_gcc ZIP -> DataFrame: median {med:.2f} s (min {min(times):.2f}, "
        f"max {max(times):.2f}) -> {len(result.rows):,} positions, "
        f"{len(result.employers):,} employers, encoding {result.encoding}"
    )
    print(f"    read_gcc of the bare CSV on disk: median {disk:.2f} s")
    print(f"    bare DuckDB scan of the CSV: {scan:.2f} s; unzip alone: {unz:.2f} s")
    print(
        f"    ratio to the scan: {med / scan:.1f}x; ratio to the {TARGETS[key]:.0f} s target: "
        f"{med / TARGETS[key]:.2f}"
    )
    return med


def mendocino_classes() -> tuple[list[str], list[str]]:
    from userdata.warehouse import build

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(os.environ.get("BARGAIN_DB") or Path(tmp) / "b.duckdb")
        if not db.exists():
            build(db)
        con = duckdb.connect(str(db), read_only=True)
        df = con.execute(
            "SELECT DISTINCT class_code, class_title FROM job_classes "
            "WHERE agency = 'Mendocino' ORDER BY class_code"
        ).df()
        con.close()
    return df["class_code"].tolist(), df["class_title"].tolist()


PREFIXES = ["", "", "", "Senior ", "Assistant ", "Principal ", "Lead ", "Supervising "]
SUFFIXES = ["", "", "", " I", " II", " III", " - Confidential", " (Part-Time)", " Trainee"]
QUALIFIERS = ["", "", "Water ", "Parks ", "Utility ", "Transit ", "Library ", "Fire "]


def synthetic_titles(n: int, seed: int = 11) -> list[str]:
    """n distinct position titles made from the real file's titles and the class list's."""
    _, rows = real_rows()
    base = sorted({r[4].strip() for r in rows if r[4].strip()})
    codes, classes = mendocino_classes()
    base += [c.title() for c in classes if isinstance(c, str)]
    rng = random.Random(seed)
    out: set[str] = set()
    while len(out) < n:
        t = rng.choice(base)
        t = f"{rng.choice(PREFIXES)}{rng.choice(QUALIFIERS)}{t}{rng.choice(SUFFIXES)}"
        if rng.random() < 0.3:
            t = t.upper()
        out.add(t if len(out) < n * 0.95 else f"{t} {len(out)}")
    return sorted(out)


def bench_match(repeat: int) -> float:
    from analysis.crosswalk import title_match

    codes, classes = mendocino_classes()
    titles = synthetic_titles(50_000)
    title_match.match_many(titles[:100], codes, classes)  # warm-up (imports)
    med, times = _median(lambda: title_match.match_many(titles, codes, classes), repeat)
    res = title_match.match_many(titles, codes, classes)
    counts = res["method"].value_counts().to_dict()
    print(
        f"\n(c) matching {len(classes)} classes against {len(titles):,} distinct titles: "
        f"median {med:.2f} s (min {min(times):.2f}, max {max(times):.2f}); {counts}; "
        f"ratio to the {TARGETS['c']:.0f} s target: {med / TARGETS['c']:.2f}"
    )
    return med


def _store_once(zip_path: Path, tmp: Path, agencies: list[str] | None) -> dict[str, float]:
    from etl.gcc import importer as gcc_import
    from userdata import gcc

    db = tmp / f"store_{time.perf_counter_ns()}.sqlite"
    out = {}
    t0 = time.perf_counter()
    prepared = gcc_import.prepare(zip_path, zip_path.name, agencies=agencies)
    out["prepare"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    gcc.save(prepared, db)
    out["save"] = time.perf_counter() - t1
    out["total"] = time.perf_counter() - t0
    t2 = time.perf_counter()
    rows = gcc.rows(db)
    out["read_back"] = time.perf_counter() - t2
    out["positions"] = len(rows)
    assert len(rows) == prepared.n_positions
    db.unlink()
    for extra in (db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        extra.unlink(missing_ok=True)
    return out


def bench_store(tmp: Path, repeat: int) -> float:
    zip_path = tmp / "a_gcc.zip"
    if not zip_path.exists():
        write_synthetic(tmp / "a_gcc.csv", 170_000, 3_063, "Special District")
        zip_file(tmp / "a_gcc.csv", zip_path)
    from etl.gcc.reader import read_gcc as read

    names = read(zip_path, zip_path.name).employers["agency"].tolist()
    sample = names[:: max(1, len(names) // 10)][:10]
    med = 0.0
    for label, agencies in (("every employer", None), ("10 employers", sample)):
        _store_once(zip_path, tmp, agencies)  # warm-up
        runs = [_store_once(zip_path, tmp, agencies) for _ in range(repeat)]
        total = statistics.median(r["total"] for r in runs)
        parts = {k: statistics.median(r[k] for r in runs) for k in ("prepare", "save", "read_back")}
        print(
            f"\n(d) 47 MB ZIP imported to stored, {label}: median {total:.2f} s "
            f"(min {min(r['total'] for r in runs):.2f}, max {max(r['total'] for r in runs):.2f}) "
            f"-> {runs[0]['positions']:,} positions; prepare {parts['prepare']:.2f} s, save "
            f"{parts['save']:.2f} s; read back {parts['read_back']:.2f} s; ratio to the "
            f"{TARGETS['d']:.0f} s target: {total / TARGETS['d']:.2f}"
        )
        med = max(med, total)
    return med


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--only", default="a,b,c,d")
    p.add_argument("--keep", type=Path, help="directory to keep the synthetic files in")
    p.add_argument("--encoding", choices=ENCODINGS, default="windows-1252")
    p.add_argument(
        "--no-check",
        action="store_true",
        help="skip the first_row check (to time an older checkout on a mixed file it garbles)",
    )
    args = p.parse_args()
    global CHECK
    CHECK = not args.no_check
    only = set(args.only.split(","))
    print(
        f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; duckdb "
        f"{duckdb.__version__}; files in {args.encoding}"
    )
    with tempfile.TemporaryDirectory() as t:
        tmp = args.keep or Path(t)
        tmp.mkdir(parents=True, exist_ok=True)
        if "a" in only:
            bench_import(
                "Special District",
                "a",
                170_000,
                3_063,
                "Special District",
                tmp,
                args.repeat,
                args.encoding,
            )
        if "b" in only:
            bench_import(
                "statewide County + City",
                "b",
                1_000_000,
                540,
                "City",
                tmp,
                args.repeat,
                args.encoding,
            )
        if "c" in only:
            bench_match(args.repeat)
        if "d" in only:
            bench_store(tmp, args.repeat)


if __name__ == "__main__":
    main()
