"""Bringing a State Controller GCC export into the user's survey data: read it with
etl.gcc.reader.read_gcc for the agencies asked, refuse a file that leaves nothing to compare (one
clear problem per reason), fingerprint it (sha256, to warn before the same file is saved
twice), and list the ZIP and CSV files of the server-side imports folder
(etl.defaults.imports_dir()), the route for files over the upload limit.

`prepare(...)` returns a PreparedImport for the caller to show and then store
(userdata.gcc.save); nothing is stored here.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from etl import agency_names, defaults
from etl.errors import GccImportError, Problem
from etl.gcc.reader import SKIP_REASONS, GccImport, Progress, read_gcc

# The column a skipped row is skipped for (read_gcc's reasons, by their words).
SKIP_COLUMNS = {
    SKIP_REASONS["no_range"]: "MaxPositionSalary",
    SKIP_REASONS["over_max"]: "MaxPositionSalary",
    SKIP_REASONS["under_min"]: "MaxPositionSalary",
    SKIP_REASONS["no_position"]: "Position",
    SKIP_REASONS["no_employer"]: "EmployerName",
}
CHUNK = 8 * 1024 * 1024


@dataclass
class PreparedImport:
    """A GCC file read and checked, not yet stored: what to preview, then save."""

    result: GccImport
    file_name: str
    sha256: str
    size: int
    agencies: list[str] | None  # the names asked for; None = every employer of the file
    year: int | None
    subject: str | None  # whose survey list the names came from, if any

    @property
    def n_positions(self) -> int:
        return len(self.result.rows)

    def report(self) -> list[str]:
        """What was read, in lines: the file, the employers each name asked for matched, the
        names that matched none, the rows skipped by reason."""
        r = self.result
        inside = f" ({r.member} inside)" if r.member else ""
        lines = [
            f"Read {self.file_name}{inside}, {r.encoding}: {r.records:,} rows, "
            f"{len(r.employers):,} employers, years {', '.join(map(str, r.years))}"
        ]
        if r.encoding != "utf-8":
            lines.append(f"Encoding: {r.encoding_note()}")
        if self.agencies is None:
            n = r.rows["agency"].nunique()
            lines.append(
                f"Agencies: every employer of the file ({n:,} with a position to import); "
                "the survey list only preselects comparators"
            )
        else:
            lines.append("Agencies asked and the employers they matched:")
            for m in r.matches.itertuples(index=False):
                lines.append(
                    f"  {m.requested} -> {m.employer_name} ({m.employer_type}, {m.rows:,} rows)"
                )
        if r.unmatched:
            lines.append(f"Matched no employer ({len(r.unmatched)}): {', '.join(r.unmatched)}")
        if r.skipped.empty:
            lines.append("Rows skipped: none")
        else:
            lines.append(f"Rows skipped ({r.skipped_total:,}), by reason:")
            for s in r.skipped.itertuples(index=False):
                rows = ", ".join(map(str, s.example_rows))
                lines.append(f"  {s.reason}: {s.rows:,} (e.g. rows {rows})")
        return lines

    def summary(self) -> pd.DataFrame:
        """One row per agency imported: agency, employer type, years, positions, incumbents."""
        rows = self.result.rows
        if rows.empty:
            return pd.DataFrame(
                columns=["agency", "employer_type", "years", "positions", "incumbents"]
            )
        g = rows.groupby(["agency", "employer_type"], dropna=False, sort=True)
        out = g.agg(
            years=("year", lambda s: ", ".join(str(y) for y in sorted(set(s)))),
            positions=("position", "size"),
            incumbents=("incumbents", "sum"),
        ).reset_index()
        out["employer_type"] = (
            out["employer_type"].astype(object).where(out["employer_type"].notna(), None)
        )
        return out


def on_survey_list(prepared: PreparedImport, survey_list: list[str]) -> list[str]:
    """The imported agencies a survey list names (etl.agency_names matching): those the
    survey list preselects as comparators."""
    imported = sorted(set(prepared.result.rows["agency"]))
    return [a for a in imported if any(agency_names.same_agency(a, s) for s in survey_list)]


def preselection_note(prepared: PreparedImport, survey_list: list[str] | None) -> str:
    """What an import without an agency list preselects, in the words the CLI and the page
    share: every employer is imported; the subject's survey list only preselects."""
    n = prepared.result.rows["agency"].nunique()
    head = f"Every employer of the file: {n:,} with positions to import. "
    if not prepared.subject:
        return head + "None is preselected as a comparator; choose them on Market gap."
    on_list = on_survey_list(prepared, survey_list or [])
    return head + (
        f"{len(on_list)} of them on {prepared.subject}'s survey list, preselected as "
        f"comparators: {', '.join(on_list) if on_list else 'none'}. The others can be chosen "
        "on Market gap and Survey comparisons."
    )


def file_sha256(source: str | os.PathLike | bytes) -> tuple[str, int]:
    """(sha256 hex digest, size in bytes) of a file's bytes, read in chunks for a path."""
    if isinstance(source, bytes | bytearray | memoryview):
        return hashlib.sha256(source).hexdigest(), len(source)
    h = hashlib.sha256()
    size = 0
    with open(source, "rb") as fh:
        while chunk := fh.read(CHUNK):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def _names(names: list[str], limit: int = 5) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _nothing_left(result: GccImport, agencies: list[str] | None, year: int | None) -> list:
    """Why a file read without error gives no position: one problem per reason."""
    if agencies is not None and result.matches.empty:
        employers = result.employers
        types = sorted({str(t) for t in employers["employer_type"].dropna()})
        return [
            Problem(
                None,
                "EmployerName",
                f"none of the {len(agencies)} agencies asked for ({_names(agencies, 3)}) is an "
                f"employer of this file; it lists {len(employers):,} employers"
                + (f" of type {', '.join(types)}" if types else "")
                + f", e.g. {', '.join(employers['agency'].head(2))}",
            )
        ]
    problems = []
    for r in result.skipped.itertuples(index=False):
        rows = ", ".join(str(x) for x in r.example_rows)
        more = " …" if r.rows > len(r.example_rows) else ""
        problems.append(
            Problem(
                r.example_rows[0] if r.example_rows else None,
                SKIP_COLUMNS.get(r.reason),
                f"{r.rows:,} row(s) skipped, {r.reason} (rows {rows}{more}); no position with "
                "a salary range is left to import",
            )
        )
    if not problems:
        which = "the agencies asked for" if agencies is not None else "any employer"
        when = f" in year {year}" if year is not None else ""
        problems.append(Problem(None, "Year", f"the file has no row of {which}{when}"))
    return problems


def prepare(
    source: str | os.PathLike | bytes,
    file_name: str,
    *,
    agencies: list[str] | None,
    year: int | None = None,
    subject: str | None = None,
    progress: Progress | None = None,
) -> PreparedImport:
    """Read a GCC ZIP or CSV (a path or its bytes) for `agencies` (survey agency names,
    matched to employers by etl.agency_names; None = every employer) and `year` (None = every
    year in the file). Raises GccImportError when the file cannot be read or leaves no
    position to compare."""
    asked = None
    if agencies is not None:
        asked = [a for a in dict.fromkeys(" ".join(str(n).split()) for n in agencies) if a]
    if asked is not None and not asked:
        raise GccImportError(
            file_name, [(None, None, "no agency asked for: name the survey agencies to import")]
        )
    result = read_gcc(source, file_name, agencies=asked, year=year, progress=progress)
    if result.rows.empty:
        raise GccImportError(file_name, _nothing_left(result, asked, year))
    sha, size = file_sha256(source)
    return PreparedImport(result, file_name, sha, size, asked, year, subject)


# The imports folder --------------------------------------------------------------------------

FOLDER_COLUMNS = ["file", "size_mb", "modified"]


def folder_files(folder: Path | None = None) -> pd.DataFrame:
    """The ZIP and CSV files directly in the imports folder (no subfolders, no hidden files),
    by name: file, size_mb (MB of 1,048,576 bytes), modified. An absent folder lists nothing."""
    folder = Path(folder or defaults.imports_dir())
    rows = []
    if folder.is_dir():
        for entry in sorted(os.scandir(folder), key=lambda e: e.name.casefold()):
            if entry.name.startswith(".") or not entry.is_file(follow_symlinks=False):
                continue
            if not entry.name.lower().endswith(defaults.GCC_SUFFIXES):
                continue
            st = entry.stat(follow_symlinks=False)
            rows.append(
                {
                    "file": entry.name,
                    "size_mb": round(st.st_size / 1024**2, 1),
                    "modified": datetime.fromtimestamp(st.st_mtime).isoformat(timespec="minutes"),
                }
            )
    return pd.DataFrame(rows, columns=FOLDER_COLUMNS)


def folder_file(name: str, folder: Path | None = None) -> Path:
    """The path of a file the imports folder lists (by its name only: a name that is not
    listed, or that names another folder, is refused)."""
    folder = Path(folder or defaults.imports_dir())
    if name not in set(folder_files(folder)["file"]):
        raise GccImportError(
            name, [(None, None, f"not a ZIP or CSV file of the imports folder {folder}")]
        )
    return folder / name
