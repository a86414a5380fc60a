"""etl.gcc.importer: a State Controller file prepared for storing (what it gives, what it does
not and why), its fingerprint, and the server-side imports folder."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from etl.errors import GccImportError
from etl.gcc import importer as gcc_import

REAL_ZIP = Path(__file__).resolve().parent.parent / "data" / "2016_SuperiorCourt.zip"
COURT = "Mendocino County Superior Court"


def test_prepare_the_real_export():
    p = gcc_import.prepare(REAL_ZIP, REAL_ZIP.name, agencies=[f" {COURT} ", "Nowhere County"])
    assert p.agencies == [COURT, "Nowhere County"]  # spaces tidied
    assert p.sha256 == hashlib.sha256(REAL_ZIP.read_bytes()).hexdigest()
    assert p.size == REAL_ZIP.stat().st_size and p.n_positions == 31
    s = p.summary().iloc[0]
    assert (s["agency"], s["employer_type"], s["years"], s["positions"]) == (
        COURT,
        "Superior Court",
        "2016",
        31,
    )
    assert s["incumbents"] == 75
    report = p.report()
    assert report[0].startswith("Read 2016_SuperiorCourt.zip (2016_SuperiorCourt.csv inside)")
    assert f"  {COURT} -> {COURT} (Superior Court, 75 rows)" in report
    assert "Matched no employer (1): Nowhere County" in report
    same = gcc_import.prepare(REAL_ZIP.read_bytes(), REAL_ZIP.name, agencies=[COURT])
    assert same.sha256 == p.sha256  # bytes or path: the same fingerprint


@pytest.mark.parametrize(
    ("kwargs", "column", "text"),
    [
        ({"agencies": ["Napa County"]}, "EmployerName", "none of the 1 agencies asked for"),
        ({"agencies": [COURT], "year": 2015}, "Year", "no row of the agencies asked for in year"),
        ({"agencies": [" "]}, None, "no agency asked for"),
    ],
)
def test_nothing_to_import_says_why(kwargs, column, text):
    with pytest.raises(GccImportError) as info:
        gcc_import.prepare(REAL_ZIP, REAL_ZIP.name, **kwargs)
    (problem,) = info.value.problems
    assert problem.column == column and text in problem.message
    assert str(info.value).startswith("2016_SuperiorCourt.zip: ")


def test_the_imports_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("BARGAIN_IMPORTS_DIR", str(tmp_path))
    (tmp_path / "2016_County.ZIP").write_bytes(b"PK")
    (tmp_path / "b.csv").write_bytes(b"x" * (3 * 1024**2))
    (tmp_path / ".hidden.csv").write_bytes(b"x")
    (tmp_path / "notes.txt").write_bytes(b"x")
    (tmp_path / "sub.csv").mkdir()
    outside = tmp_path.parent / "outside.csv"
    outside.write_bytes(b"x")
    os.symlink(outside, tmp_path / "link.csv")
    files = gcc_import.folder_files()
    assert files["file"].tolist() == ["2016_County.ZIP", "b.csv"]
    assert files["size_mb"].tolist() == [0.0, 3.0]
    assert gcc_import.folder_file("b.csv") == tmp_path / "b.csv"
    for name in ("../outside.csv", "link.csv", "notes.txt", ".hidden.csv", "sub.csv"):
        with pytest.raises(GccImportError, match="not a ZIP or CSV file of the imports folder"):
            gcc_import.folder_file(name)
    assert gcc_import.folder_files(tmp_path / "absent").empty
