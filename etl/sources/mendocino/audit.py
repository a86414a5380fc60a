"""Arithmetic checks of the printed Mendocino grade chart (Attachment B).

The MOU says each step is five percent above the previous one (Art. 2 "Salary Range", 7.5) and
prints biweekly Step 1 and Step 5 beside the hourly rates; a biweekly pay period is 80 hours
(Art. 2 "Employee - Permanent Full-Time"). Each printed value is checked against that rule so a
reader can see which numbers the text explains and which it does not.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from etl import pay
from etl.records import AuditRow, SourceRef
from etl.rounding import round_half_up
from etl.sources.mendocino.tables import AGENCY, AGREEMENT_ID, DOC, STEPS, GradeRow

STEP_RATIO = Decimal("1.05")
HOURS_PER_PAY_PERIOD = Decimal(pay.HOURS_PER_PAY_PERIOD)
TOLERANCE = Decimal("0.01")  # one cent: a rounding difference, not a different rule


def _row(
    grade: GradeRow,
    check: str,
    effective_date: date,
    expected: Decimal,
    actual: Decimal,
    rule: str,
    detail: str,
) -> AuditRow:
    diff = abs(actual - expected)
    if diff == 0:
        status, explained_by = "explained", rule
    elif diff <= TOLERANCE:
        status, explained_by = "explained", f"{rule}, within 1 cent (rounding)"
    else:
        status, explained_by = "unexplained", None
    return AuditRow(
        agency=AGENCY,
        agreement_id=AGREEMENT_ID,
        check=check,
        class_code=grade.grade,
        effective_date=effective_date,
        expected=float(expected),
        actual=float(actual),
        explained_by=explained_by,
        status=status,
        detail=detail if status == "explained" else f"{detail}; off by {actual - expected:+}",
        source=SourceRef(DOC, grade.line, "Attachment B"),
    )


def audit(grade_rows: Iterable[GradeRow], effective_date: date) -> list[AuditRow]:
    """Per grade: 4 'step_ratio' checks (Step n = round(Step n-1 x 1.05, 2)) and 2
    'biweekly_80x' checks (Bi-wkly Step 1 = 80 x Step 1, Bi-wkly Step 5 = 80 x Step 5)."""
    out: list[AuditRow] = []
    for g in grade_rows:
        for k in range(1, len(STEPS)):
            prev, actual = g.hourly[k - 1], g.hourly[k]
            exact = prev * STEP_RATIO
            expected = round_half_up(exact)
            out.append(
                _row(
                    g,
                    "step_ratio",
                    effective_date,
                    expected,
                    actual,
                    "7.5: each step 5% above the previous",
                    f"Step {STEPS[k]} vs Step {STEPS[k - 1]}: {prev} x 1.05 = {exact} -> "
                    f"{expected}; printed {actual}",
                )
            )
        for step, hourly, biweekly in (
            ("1", g.hourly[0], g.biweekly_step1),
            ("5", g.hourly[4], g.biweekly_step5),
        ):
            expected = round_half_up(hourly * HOURS_PER_PAY_PERIOD)
            out.append(
                _row(
                    g,
                    "biweekly_80x",
                    effective_date,
                    expected,
                    biweekly,
                    "80 hours per biweekly pay period",
                    f"Bi-wkly Step {step}: 80 x {hourly} = {expected}; printed {biweekly}",
                )
            )
    return out


def summarize(rows: Sequence[AuditRow]) -> Counter[tuple[str, str]]:
    """Counts by (check, status), for the build report and the tests."""
    return Counter((r.check, r.status) for r in rows)
