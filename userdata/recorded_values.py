"""Values recorded by hand from an imported agreement's text (etl/recorded_values.py checks
them and turns them into warehouse rows): one row per value with its fields, the agreement
it belongs to and the stored text line it cites. Saves are change-logged; the cited line
must exist in a text of the same agency. The build reads them through userdata/warehouse.py."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from etl.agreement_text.outline import innermost, outline
from etl.citations import text_doc_name
from etl.errors import InputError
from etl.recorded_values import SOURCE, CitedText, Recorded, check
from userdata.store import (
    LOCAL_ACTOR,
    UnknownIdError,
    log,
    now,
    read,
    rows_fingerprint,
    transaction,
)

LIST_COLUMNS = [
    "value_id",
    "agency",
    "agreement_id",
    "kind",
    "value",
    "text_id",
    "line_no",
    "line",
    "recorded_at",
    "recorded_by",
]


class UnknownValueError(UnknownIdError):
    """A recorded value id that is not stored."""


def save(
    agreement_id: str,
    agency: str,
    kind: str,
    typed: dict,
    text_id: int,
    line_no: int,
    path: Path | None = None,
    *,
    actor: str = LOCAL_ACTOR,
) -> int:
    """Check and store one value citing line `line_no` of text `text_id`; InputError (nothing
    stored) when a field, the text or the line cannot be used."""
    fields = check(kind, typed)
    with transaction(path) as conn:
        owner = conn.execute(
            "SELECT agency FROM imported_agreements WHERE agreement_id = ?", (agreement_id,)
        ).fetchone()
        if owner is None or owner[0] != agency:
            raise InputError(
                SOURCE,
                [(None, "Agreement", f"{agreement_id} is not an agreement {agency} imported")],
            )
        head = conn.execute(
            "SELECT agency, file_name FROM agreement_texts WHERE text_id = ?", (int(text_id),)
        ).fetchone()
        if head is None:
            raise InputError(SOURCE, [(None, "Text", f"there is no agreement text #{text_id}")])
        if head[0] != agency:
            raise InputError(
                SOURCE,
                [(None, "Text", f"text #{text_id} is {head[0]}'s agreement, not {agency}'s")],
            )
        line = conn.execute(
            "SELECT text FROM agreement_text_lines WHERE text_id = ? AND line_no = ?",
            (int(text_id), int(line_no)),
        ).fetchone()
        if line is None or not line[0].strip():
            raise InputError(
                SOURCE, [(None, "Line", f"text #{text_id} has no line {line_no} with words")]
            )
        cur = conn.execute(
            "INSERT INTO recorded_values(agreement_id, agency, kind, fields, text_id, line_no, "
            "recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (agreement_id, agency, kind, json.dumps(fields, sort_keys=True), int(text_id))
            + (int(line_no), now(), actor),
        )
        value_id = int(cur.lastrowid)
        log(
            conn,
            actor,
            "recorded_value",
            "saved",
            f"#{value_id} {kind}",
            f"{agency} ({agreement_id}): {_summary(kind, fields)}; cites {head[1]} line {line_no}",
        )
    return value_id


def _summary(kind: str, fields: dict) -> str:
    if kind == "premium":
        return f"{fields['premium']} {fields['value']:g} {fields['basis']}"
    if kind == "benefit_share":
        share = fields["employer_pct"]
        return (
            f"{fields['benefit']} employer {share:g}%" if share is not None else fields["benefit"]
        )
    return f"{fields['kind']} {fields['hours_per_year'] or ''} hours".replace("  ", " ")


def listing(path: Path | None = None) -> pd.DataFrame:
    df = read(
        "SELECT v.*, l.text AS line FROM recorded_values v LEFT JOIN agreement_text_lines l "
        "ON l.text_id = v.text_id AND l.line_no = v.line_no ORDER BY v.value_id",
        path=path,
    )
    if df.empty:
        return pd.DataFrame(columns=LIST_COLUMNS)
    values = [_summary(k, json.loads(f)) for k, f in zip(df["kind"], df["fields"], strict=True)]
    return df.assign(value=values)[LIST_COLUMNS]


def delete(value_id: int, path: Path | None = None, *, actor: str = LOCAL_ACTOR) -> str:
    with transaction(path) as conn:
        row = conn.execute(
            "SELECT kind, agency FROM recorded_values WHERE value_id = ?", (int(value_id),)
        ).fetchone()
        if row is None:
            raise UnknownValueError(f"no recorded value #{value_id}")
        conn.execute("DELETE FROM recorded_values WHERE value_id = ?", (int(value_id),))
        log(conn, actor, "recorded_value", "deleted", f"#{value_id} {row[0]}", str(row[1]))
    return f"{row[0]} of {row[1]}"


def citing(text_id: int, path: Path | None = None) -> list[int]:
    """The values citing text `text_id` (a cited text is not removed)."""
    df = read("SELECT value_id FROM recorded_values WHERE text_id = ?", (int(text_id),), path)
    return [int(v) for v in df["value_id"]]


def fingerprint(path: Path | None = None) -> str:
    """What the warehouse's recorded rows depend on: part of the build's staleness check."""
    df = read(
        "SELECT v.value_id, v.agreement_id, v.kind, v.fields, v.line_no, t.sha256 "
        "FROM recorded_values v JOIN agreement_texts t USING (text_id) ORDER BY v.value_id",
        path=path,
    )
    return rows_fingerprint(df)


def load_all(path: Path | None = None) -> tuple[list[Recorded], list[CitedText]]:
    """Every value with the section and page of its line, and the texts they cite."""
    values = read("SELECT * FROM recorded_values ORDER BY value_id", path=path)
    if values.empty:
        return [], []
    heads = read(
        "SELECT * FROM agreement_texts "
        "WHERE text_id IN (SELECT DISTINCT text_id FROM recorded_values)",
        path=path,
    )
    lines = read(
        "SELECT text_id, line_no, page, text FROM agreement_text_lines "
        "WHERE text_id IN (SELECT DISTINCT text_id FROM recorded_values) "
        "ORDER BY text_id, line_no",
        path=path,
    )
    texts, where = [], {}
    for h in heads.itertuples(index=False):
        mine = lines[lines["text_id"] == h.text_id]
        body = [str(t) for t in mine["text"]]
        sections = outline(body)
        owners = innermost(sections, len(body))
        doc = text_doc_name(int(h.text_id), h.file_name)
        texts.append(CitedText(doc, h.agency, h.title, tuple(body)))
        for (n, page), owner in zip(
            zip(mine["line_no"], mine["page"], strict=True), owners, strict=True
        ):
            sec = sections[owner].number if owner is not None else ""
            where[(int(h.text_id), int(n))] = (doc, sec, None if pd.isna(page) else int(page))
    out = []
    for v in values.itertuples(index=False):
        doc, sec, page = where[(int(v.text_id), int(v.line_no))]
        out.append(
            Recorded(
                int(v.value_id),
                v.agreement_id,
                v.agency,
                v.kind,
                json.loads(v.fields),
                doc,
                int(v.line_no),
                sec,
                page,
            )
        )
    return out, texts
