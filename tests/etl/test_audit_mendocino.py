"""etl/sources/mendocino/audit.py: the 5%-step and 80-hour checks of the Mendocino grade chart."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from etl.defaults import RAW_DIR
from etl.rawtext import RawDocument
from etl.sources.mendocino.audit import audit, summarize
from etl.sources.mendocino.parser import DOC
from etl.sources.mendocino.tables import GradeRow, parse_grade_chart

WHEN = date(2015, 7, 1)
# Real chart row (Attachment B): S18A 9.84 10.33 10.85 11.39 11.96 787.20 956.80
S18A_ROW = "S18A\t9.84\t10.33\t10.85\t11.39\t11.96\t787.20\t956.80"


def grade(hourly: tuple[str, ...], bw1: str, bw5: str, name: str = "S99A") -> GradeRow:
    return GradeRow(name, tuple(Decimal(h) for h in hourly), Decimal(bw1), Decimal(bw5), 1)


def test_real_chart_all_explained() -> None:
    doc = RawDocument.load(RAW_DIR / DOC)
    assert S18A_ROW in doc.lines
    rows, _ = parse_grade_chart(doc)
    checks = audit(rows, WHEN)
    assert summarize(checks) == {
        ("step_ratio", "explained"): 96 * 4,
        ("biweekly_80x", "explained"): 96 * 2,
    }
    s18a = [c for c in checks if c.class_code == "S18A"]
    assert [c.expected for c in s18a if c.check == "step_ratio"][0] == round(9.84 * 1.05, 2)
    assert [c.expected for c in s18a if c.check == "biweekly_80x"] == pytest.approx(
        [80 * 9.84, 80 * 11.96]
    )
    assert {c.source.line for c in s18a} == {doc.lines.index(S18A_ROW) + 1}
    assert {c.source.section for c in s18a} == {"Attachment B"}


def test_exact_steps_and_half_up_rounding() -> None:
    # 10.50 x 1.05 = 11.025 -> 11.03 (halves round up, as a payroll table does)
    g = grade(("10.00", "10.50", "11.03", "11.58", "12.16"), "800.00", "972.80")
    checks = audit([g], WHEN)
    assert {c.status for c in checks} == {"explained"}
    assert all(c.explained_by and "within 1 cent" not in c.explained_by for c in checks)


def test_one_cent_is_rounding_more_is_unexplained() -> None:
    # step 3 one cent low (explained as rounding); step 4 well off; biweekly step 5 not 80x
    g = grade(("10.00", "10.50", "11.02", "11.70", "12.29"), "800.00", "973.00")
    by_key = {(c.check, c.detail.split(":")[0]): c for c in audit([g], WHEN)}
    step3 = by_key[("step_ratio", "Step 3 vs Step 2")]
    assert step3.status == "explained" and "within 1 cent" in step3.explained_by
    step4 = by_key[("step_ratio", "Step 4 vs Step 3")]
    assert step4.status == "unexplained" and step4.explained_by is None
    assert step4.expected == round(11.02 * 1.05, 2) and step4.actual == 11.70
    bw5 = by_key[("biweekly_80x", "Bi-wkly Step 5")]
    assert bw5.status == "unexplained" and bw5.actual == 973.00
    assert bw5.expected == pytest.approx(80 * 12.29)
    assert all(c.class_code == "S99A" and c.effective_date == WHEN for c in by_key.values())
