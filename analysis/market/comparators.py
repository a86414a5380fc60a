"""Comparator names resolved to where their pay comes from: an agency of the warehouse, of
the user's survey template uploads, or of the imported State Controller (GCC) exports. Typed
names match by etl.agency_names.typed_matches (an ambiguous one is refused); the subject
itself (under any spelling) is left out and the same agency under two names is noted."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from analysis import agencies
from etl.agency_names import ambiguous, clean, same_agency, typed_matches


@dataclass
class ComparatorSources:
    """The comparators asked for, by where their pay comes from."""

    warehouse: list[str]
    upload: list[str]
    gcc: list[str]
    notes: list[str]


def _names_of(rows: pd.DataFrame | None) -> list[str]:
    if rows is None or rows.empty:
        return []
    return sorted(set(rows["agency"]))


def comparator_sources(
    con: duckdb.DuckDBPyConnection,
    subject: str,
    comparators: list[str],
    survey_rows: pd.DataFrame | None = None,
    gcc_rows: pd.DataFrame | None = None,
) -> ComparatorSources:
    """Resolve typed comparator names (etl.agency_names.typed_matches) against the warehouse,
    the template uploads and the GCC imports; UnknownAgencyError names those with no pay data,
    or the candidates of an ambiguous one. The subject itself (under any spelling) is left
    out."""
    known = agencies.names(con)
    uploaded, imported = _names_of(survey_rows), _names_of(gcc_rows)
    every = list(dict.fromkeys([*known, *uploaded, *imported]))
    out = ComparatorSources([], [], [], [])
    unknown = []
    for typed in dict.fromkeys(clean(c) for c in comparators):
        hits = typed_matches(typed, every)
        if len(hits) > 1:
            raise agencies.UnknownAgencyError(f"ambiguous comparator: {ambiguous(typed, hits)}")
        name = hits[0] if hits else None
        if name is None:
            unknown.append(typed)
        elif name == subject or same_agency(name, subject):
            if name != subject:
                out.notes.append(f"{name} is {subject} itself under another name; left out.")
        elif name in known:
            out.warehouse.append(name)
        else:
            # an agency of both an upload and an import is used from both
            out.upload += [name] if name in uploaded else []
            out.gcc += [name] if name in imported else []
    if unknown:
        raise agencies.UnknownAgencyError(_unknown_message(unknown, known, uploaded, imported))
    out.notes += _overlap_notes(out)
    return out


def _unknown_message(unknown, known, uploaded, imported) -> str:
    has = f"the warehouse has {', '.join(known)}"
    if uploaded:
        has += f"; your survey uploads have {', '.join(uploaded)}"
    if imported:
        has += f"; your State Controller imports have {', '.join(imported)}"
    return f"no pay data for {', '.join(unknown)}: {has}"


def _overlap_notes(out: ComparatorSources) -> list[str]:
    """An agency both uploaded and imported; two names of one agency among the comparators."""
    notes = []
    both = sorted(set(out.upload) & set(out.gcc))
    if both:
        notes.append(
            f"{', '.join(both)}: both a survey upload and a State Controller import; the mean "
            "of the two stands for the agency."
        )
    chosen = [*out.warehouse, *out.upload, *out.gcc]
    for i, a in enumerate(chosen):
        for b in chosen[i + 1 :]:
            if a != b and same_agency(a, b):
                notes.append(f"{a} and {b} are the same agency: both are counted.")
    return notes
