"""analysis.crosswalk.title_match.match_many: the crosswalk's decisions at the scale of a State
Controller file, and its precision on hand-labelled real titles."""

from __future__ import annotations

import csv
import io
import random
import zipfile
from pathlib import Path

import pytest

from analysis.crosswalk import match as cw
from analysis.crosswalk import title_match as tm

DATA = Path(__file__).resolve().parent.parent / "data"
LABELS = DATA / "gcc_title_labels.csv"
REAL_ZIP = DATA / "2016_SuperiorCourt.zip"

# Measured on the labelled sample (tests/data/gcc_title_labels.csv, 150 titles, 13 with a
# Mendocino counterpart): 5 automatic matches, all right; 5 of the 13 found.
MEASURED_PRECISION = 1.0
MEASURED_RECALL = 5 / 13
MARGIN = 0.1


def real_titles() -> list[str]:
    with zipfile.ZipFile(REAL_ZIP) as zf:
        text = zf.read(zf.namelist()[0]).decode("windows-1252")
    rows = list(csv.reader(io.StringIO(text, newline="")))[1:]
    return sorted({" ".join(r[4].split()) for r in rows if r[4].strip()})


def classes(con, agency: str) -> tuple[list[str], list[str | None]]:
    df = con.execute(
        "SELECT DISTINCT class_code, class_title FROM job_classes WHERE agency = ? "
        "ORDER BY class_code",
        [agency],
    ).df()
    titles = [t if isinstance(t, str) else None for t in df["class_title"]]
    return df["class_code"].tolist(), titles


@pytest.mark.parametrize("agency", ["Mendocino", "Sonoma"])
def test_each_title_decided_as_if_matched_alone(con, agency):
    """Row i of match_many equals crosswalk.match_titles([title i]): same class, method,
    score and reason - on every real title cut at 30 characters and a random 120 others,
    against Mendocino (no cut titles) and Sonoma (26 class titles cut at 30 characters)."""
    codes, titles_b = classes(con, agency)
    titles = real_titles()
    cut = [t for t in titles if cw.is_truncated(t)]
    sample = cut + random.Random(7).sample([t for t in titles if t not in cut], 120)
    got = tm.match_many(sample, codes, titles_b)
    assert got["title"].tolist() == sample
    for t, row in zip(sample, got.itertuples(index=False), strict=True):
        ref = cw.match_titles([t], codes, titles_b).iloc[0]
        assert (row.class_code, row.method, row.reason) == (
            ref["class_code"],
            ref["method"],
            ref["reason"],
        ), t
        assert row.score == pytest.approx(ref["score"], abs=0.05), t


def test_order_duplicates_and_blanks():
    codes = ["A1", "A2", "B1"]
    titles_b = ["ACCOUNT CLERK I", "ACCOUNT CLERK II", "LEGAL SECRETARY I"]
    given = ["Account Clerk II", None, "account clerk ii", "Account Clerk II", "", "Zookeeper"]
    got = tm.match_many(given, codes, titles_b)
    assert got["title"].tolist() == given
    assert got["class_code"].tolist() == ["A2", None, "A2", "A2", None, None]
    assert got["method"].tolist() == ["exact", "none", "exact", "exact", "none", "none"]
    assert got.loc[5, "reason"] == "no comparator title shares a word with this one"
    empty = tm.match_many(["Account Clerk I"], [], [])
    assert empty.loc[0, "reason"] == "no classes to match against"


def test_guards_and_ties_as_the_crosswalk():
    codes = ["1", "2", "3", "4", "5", "6"]
    titles_b = [
        "OFFICE ASSISTANT II",
        "PLANNER",
        "EMPLOYMENT AND TRAINING SPECIALIST",
        "EMPLOYMENT AND TRAINING COUNSELOR",
        "ACCOUNT CLERK II",
        "LEGAL SECRETARY I",
    ]
    given = [
        "Supervising Legal Secretary I",
        "Employment & Training Specialist/Counselor",
        "Account Clerk 3",
        "Legal Secretary 1",
    ]
    got = tm.match_many(given, codes, titles_b)
    for t, row in zip(given, got.itertuples(index=False), strict=True):
        ref = cw.match_titles([t], codes, titles_b).iloc[0]
        assert (row.class_code, row.method, row.score, row.reason) == tuple(
            ref[["class_code", "method", "score", "reason"]]
        )
    assert got["method"].tolist() == ["none", "none", "none", "exact"]
    assert "not taken: rank words differ (SUPERVISOR vs none)" in got.loc[0, "reason"]
    assert got.loc[1, "reason"].startswith("ambiguous, candidates within 10 points")


def test_match_titles_matches_a_repeated_title_once():
    codes, titles_b = ["1", "2"], ["PLANNER I", "PLANNER II"]
    once = cw.match_titles(["Planner II", "Planner 1"], codes, titles_b)
    twice = cw.match_titles(["Planner II", "Planner 1", "Planner II"], codes, titles_b)
    assert twice.iloc[:2].equals(once)
    assert twice.iloc[2].equals(once.iloc[0].rename(2))


def _labels() -> list[dict[str, str]]:
    with LABELS.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_labels_are_a_seeded_sample_of_the_real_file():
    """The sample was drawn before any score was looked at: 150 distinct Position titles
    (whitespace collapsed) of 2016_SuperiorCourt.zip, random.Random(2016).sample, sorted."""
    rows = _labels()
    expected = sorted(random.Random(2016).sample(real_titles(), 150))
    assert [r["title"] for r in rows] == expected
    assert all(r["label_reason"].strip() for r in rows)


def test_precision_on_the_labelled_sample(con):
    codes, titles_b = classes(con, "Mendocino")
    known = dict(zip(codes, titles_b, strict=True))
    rows = _labels()
    for r in rows:  # every label names a real Mendocino class, with its title
        if r["label_class_code"]:
            assert known[r["label_class_code"]] == r["label_class_title"]
    got = tm.match_many([r["title"] for r in rows], codes, titles_b)
    auto = [(r, c) for r, c in zip(rows, got["class_code"], strict=True) if c is not None]
    right = sum(c == r["label_class_code"] for r, c in auto)
    positives = sum(bool(r["label_class_code"]) for r in rows)
    assert len(auto) >= 4 and positives == 13
    precision, recall = right / len(auto), right / positives
    assert precision >= MEASURED_PRECISION - MARGIN, (precision, auto)
    assert recall >= MEASURED_RECALL - MARGIN, recall
