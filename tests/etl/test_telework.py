"""etl/sources/sonoma/telework.py on the Sonoma telework announcement and Temporary Telework
Guidelines."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

from etl.defaults import RAW_DIR, REFERENCE_DIR
from etl.errors import SourceParseError
from etl.rawtext import RawDocument
from etl.sources.sonoma.telework import (
    ANNOUNCEMENT_DOC,
    DOCS,
    GUIDELINES_DOC,
    PROVISIONS_CSV,
    parse,
)

# Verbatim from the union announcement (line 13) and the guidelines (lines 10, 35 and 110).
DENIAL = (
    "County employees should be notified by their supervisor verbally or in writing if their "
    "requests are denied, and employees can have this decision re-reviewed by a department head "
    "if they feel the request has been denied unreasonably."
)
VOLUNTARY = (
    "Sonoma County encourages the use of teleworking as a viable, voluntary option for County "
    "employees."
)
UNCHANGED = (
    "Most notably, performance expectations, schedule for telework hours, overtime, compensation "
    "and vacation schedules must conform to existing County, Department and/or temporary telework "
    "related policies"
)
INJURY = (
    "In the event an employee suffers a work-related injury while teleworking, workers’ "
    "compensation laws apply just as they would if such an injury occurred in the office."
)


@pytest.fixture(scope="module")
def result():
    return parse(RAW_DIR, REFERENCE_DIR)


@pytest.fixture(scope="module")
def docs() -> dict[str, RawDocument]:
    return {d: RawDocument.load(RAW_DIR / d) for d in DOCS}


def _cited(result, doc: str, line: int):
    return [p for p in result.provisions if p.source.doc == doc and p.source.line == line]


def test_one_agreement_for_both_documents(result):
    (agreement,) = result.agreements
    assert agreement.agreement_id == "sonoma-telework"
    assert agreement.agency == "Sonoma"
    assert agreement.union == "Sonoma County employee unions (coalition)"
    assert agreement.doc == ANNOUNCEMENT_DOC
    assert agreement.units == "all county employees"
    assert (agreement.term_start, agreement.term_end) == (None, None)


def test_provisions_count_topics_and_both_documents(result):
    provisions = result.provisions
    assert 8 <= len(provisions) <= 16
    assert {p.topic for p in provisions} <= {"telework", "other"}
    assert {p.source.doc for p in provisions} == {ANNOUNCEMENT_DOC, GUIDELINES_DOC}
    assert all(p.agreement_id == "sonoma-telework" and p.summary for p in provisions)


def test_who_may_request(result):
    (request,) = _cited(result, ANNOUNCEMENT_DOC, 11)
    assert "Every county employee may request telework" in request.summary
    assert "direct supervisor" in request.summary


def test_denial_notice_and_department_head_re_review(result, docs):
    announcement = docs[ANNOUNCEMENT_DOC]
    assert announcement.find(DENIAL) == (13, 1 + announcement.line(13).index("County employees"))
    summaries = [p.summary for p in _cited(result, ANNOUNCEMENT_DOC, 13)]
    assert any("verbally or in writing" in s for s in summaries)
    assert any("re-reviewed by a department head" in s for s in summaries)


def test_optional_and_at_manager_discretion(result, docs):
    (optional,) = _cited(result, ANNOUNCEMENT_DOC, 15)
    assert "optional" in optional.summary and "discretion" in optional.summary
    assert docs[GUIDELINES_DOC].find(VOLUNTARY) == (10, 1)
    (voluntary,) = _cited(result, GUIDELINES_DOC, 10)
    assert "voluntary" in voluntary.summary


def test_schedule_and_overtime_rules_unchanged(result, docs):
    assert docs[GUIDELINES_DOC].find(UNCHANGED)[0] == 35
    (unchanged,) = _cited(result, GUIDELINES_DOC, 35)
    assert "overtime" in unchanged.summary and "do not change" in unchanged.summary


def test_roles_of_department_heads_supervisors_employees_and_hr(result):
    sections = " | ".join(p.source.section for p in result.provisions)
    for role in ("Department Heads", "Managers and Supervisors", "Employees", "Human Resources"):
        assert f"Roles and Responsibilities: {role}" in sections
    (approve,) = _cited(result, GUIDELINES_DOC, 48)
    assert "approve or deny" in approve.summary


def test_equipment_security_and_injury(result, docs):
    assert docs[GUIDELINES_DOC].find(INJURY) == (110, 1)
    (injury,) = _cited(result, GUIDELINES_DOC, 110)
    assert "Workers' compensation applies" in injury.summary
    (costs,) = _cited(result, GUIDELINES_DOC, 106)
    assert "office supplies" in costs.summary
    (returned,) = _cited(result, GUIDELINES_DOC, 94)
    assert "returned" in returned.summary
    (security,) = _cited(result, GUIDELINES_DOC, 102)
    assert "information-security" in security.summary


def test_every_curated_quote_occurs_in_its_own_document(docs):
    with (REFERENCE_DIR / PROVISIONS_CSV).open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows
    for row in rows:
        assert docs[row["doc"]].find(row["quote"]) is not None, row["quote"][:80]


# --- malformed inputs -------------------------------------------------------------------------


@pytest.fixture()
def dirs(tmp_path) -> tuple[Path, Path]:
    raw_dir, ref_dir = tmp_path / "raw", tmp_path / "reference"
    raw_dir.mkdir()
    ref_dir.mkdir()
    for doc in DOCS:
        shutil.copy(RAW_DIR / doc, raw_dir / doc)
    shutil.copy(REFERENCE_DIR / PROVISIONS_CSV, ref_dir / PROVISIONS_CSV)
    return raw_dir, ref_dir


def _rows(ref_dir: Path) -> tuple[list[str], list[dict[str, str]]]:
    with (ref_dir / PROVISIONS_CSV).open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def _write(ref_dir: Path, fields: list[str], rows: list[dict[str, str]]) -> None:
    with (ref_dir / PROVISIONS_CSV).open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def test_removed_text_is_an_error_naming_the_csv_and_the_document(dirs):
    raw_dir, ref_dir = dirs
    path = raw_dir / ANNOUNCEMENT_DOC
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("verbally or in writing", "in some way"), encoding="utf-8")
    with pytest.raises(SourceParseError, match=PROVISIONS_CSV) as err:
        parse(raw_dir, ref_dir)
    assert err.value.column == "quote"
    assert f"quote not found in {ANNOUNCEMENT_DOC}" in str(err.value)


def test_quote_checked_against_the_wrong_document_is_an_error(dirs):
    raw_dir, ref_dir = dirs
    fields, rows = _rows(ref_dir)
    rows[0]["doc"] = GUIDELINES_DOC  # an announcement quote, now looked up in the guidelines
    _write(ref_dir, fields, rows)
    with pytest.raises(SourceParseError, match=re.escape(GUIDELINES_DOC)) as err:
        parse(raw_dir, ref_dir)
    assert err.value.line == 2 and err.value.column == "quote"


@pytest.mark.parametrize(
    ("column", "value"),
    [("doc", "sonoma_telework_faq.txt"), ("topic", "remote"), ("summary", ""), ("section", " ")],
)
def test_bad_cells_are_errors(dirs, column, value):
    raw_dir, ref_dir = dirs
    fields, rows = _rows(ref_dir)
    rows[3][column] = value
    _write(ref_dir, fields, rows)
    with pytest.raises(SourceParseError, match=PROVISIONS_CSV) as err:
        parse(raw_dir, ref_dir)
    assert (err.value.line, err.value.column) == (5, column)


def test_missing_doc_column_is_an_error(dirs):
    raw_dir, ref_dir = dirs
    fields, rows = _rows(ref_dir)
    fields.remove("doc")
    _write(ref_dir, fields, [{k: r[k] for k in fields} for r in rows])
    with pytest.raises(SourceParseError, match="missing column"):
        parse(raw_dir, ref_dir)


def test_a_document_with_no_provisions_is_an_error(dirs):
    raw_dir, ref_dir = dirs
    fields, rows = _rows(ref_dir)
    _write(ref_dir, fields, [r for r in rows if r["doc"] != GUIDELINES_DOC])
    with pytest.raises(SourceParseError, match=f"no provision cites {re.escape(GUIDELINES_DOC)}"):
        parse(raw_dir, ref_dir)


@pytest.mark.parametrize("doc", DOCS)
def test_missing_raw_file_is_an_error(dirs, doc):
    raw_dir, ref_dir = dirs
    (raw_dir / doc).unlink()
    with pytest.raises(SourceParseError, match=re.escape(doc)):
        parse(raw_dir, ref_dir)
