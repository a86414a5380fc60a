"""A user's decisions on benchmark class matches (they win over every automatic match)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from userdata.store import LOCAL_ACTOR, log, now, read, transaction

DECISIONS = ("confirmed", "rejected", "manual")


def save(
    subject_agency: str,
    subject_class_code: str,
    comparator_agency: str,
    comparator_class_code: str | None,
    decision: str,
    reason: str = "",
    path: Path | None = None,
    *,
    actor: str = LOCAL_ACTOR,
) -> None:
    """Record a decision on a benchmark match: confirm a candidate, pick another class
    ('manual'), or reject (no comparable class; comparator_class_code None)."""
    save_many(
        [
            (
                subject_agency,
                subject_class_code,
                comparator_agency,
                comparator_class_code,
                decision,
                reason,
            )
        ],
        path,
        actor=actor,
    )


def save_many(rows: list[tuple], path: Path | None = None, *, actor: str = LOCAL_ACTOR) -> int:
    """Several decisions in one transaction (the bulk review of survey matches): each row is
    (subject_agency, subject_class_code, comparator_agency, comparator_class_code, decision,
    reason). All are saved or none."""
    for r in rows:
        if r[4] not in DECISIONS:
            raise ValueError(f"decision must be one of {', '.join(DECISIONS)}, got {r[4]!r}")
    with transaction(path) as conn:
        for subject, code, comparator, comp_code, decision, reason in rows:
            conn.execute(
                "INSERT INTO class_matches VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(subject_agency, subject_class_code, comparator_agency) DO UPDATE "
                "SET comparator_class_code = excluded.comparator_class_code, "
                "decision = excluded.decision, reason = excluded.reason, "
                "saved_at = excluded.saved_at, saved_by = excluded.saved_by",
                (subject, code, comparator, comp_code, decision, reason, now(), actor),
            )
            log(
                conn,
                actor,
                "class_match",
                decision,
                f"{subject} {code} ↔ {comparator} {comp_code or '(none)'}",
                reason or None,
            )
    return len(rows)


def listing(path: Path | None = None) -> pd.DataFrame:
    return read("SELECT * FROM class_matches ORDER BY 1, 2, 3", path=path)


def delete(
    subject_agency: str,
    subject_class_code: str,
    comparator_agency: str,
    path: Path | None = None,
    *,
    actor: str = LOCAL_ACTOR,
) -> None:
    with transaction(path) as conn:
        gone = conn.execute(
            "DELETE FROM class_matches WHERE subject_agency = ? AND subject_class_code = ? "
            "AND comparator_agency = ?",
            (subject_agency, subject_class_code, comparator_agency),
        ).rowcount
        if gone:
            log(
                conn,
                actor,
                "class_match",
                "forgotten",
                f"{subject_agency} {subject_class_code} ↔ {comparator_agency}",
            )
