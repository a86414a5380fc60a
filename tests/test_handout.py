"""The handout: every figure of the class, escaped, each with a numbered source whose text is
quoted, on one or two printed pages."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path

import pytest

from analysis import warehouse
from etl.citations import SourceList, join_refs
from exports import handout
from exports.site.html import Cites


@pytest.fixture(scope="module")
def page(warehouse):
    con = warehouse_con(warehouse)
    return handout.class_handout(con, "Mendocino", ["S512"], date(2016, 7, 1), ["Sonoma"])


def warehouse_con(path):
    return warehouse.connect(path)


def test_it_holds_the_schedule_the_market_and_the_sources(page):
    text = page.html
    assert "ELIGIBILITY WORKER II (S512)" in text
    # 07/01/2016 falls before the 2% of 07/10/2016: the 07/26/2015 schedule is in force
    assert "Salary schedule of 07/26/2015" in text
    assert "below market" in text and "increase to reach" in text
    # every citation number points at a listed source, quoted with its text
    cited = {
        int(n) for group in re.findall(r"<sup>\[([\d,]+)\]</sup>", text) for n in group.split(",")
    }
    assert cited == set(range(1, len(page.sources) + 1))
    for ref in page.sources:
        assert ref in text
    assert "mendocino_seiu1021_mou_2015_2017.txt" in text and "sonoma_seiu707" in text


def test_without_comparators_it_says_so_and_holds_the_rest(warehouse):
    # My pay offers the handout with the agency's default comparators, which may be none
    h = handout.class_handout(warehouse_con(warehouse), "Sonoma", ["0402"], date(2004, 7, 1), [])
    assert "No comparators with pay on this date" in h.html
    assert "Salary schedule of" in h.html and "Comparators: none" in h.html
    assert h.title == "Sonoma: ACCOUNT CLERK II (0402) as of 07/01/2004"  # titled, not a code
    assert "<h2>Notes</h2>" not in h.html  # no empty heading
    assert h.sources  # the schedule and the step rule still cite their lines


def test_user_text_is_escaped(warehouse):
    con = warehouse_con(warehouse)
    h = handout.class_handout(
        con, "Mendocino", ["S512"], date(2016, 7, 1), ["Sonoma"], prepared_by="<b>x</b>"
    )
    assert "<b>x</b>" not in h.html and "&lt;b&gt;x&lt;/b&gt;" in h.html
    assert "<script" not in h.html and "http" not in h.html  # nothing fetched from outside


def test_it_prints_on_one_or_two_pages(page, tmp_path):
    html = tmp_path / "h.html"
    html.write_text(page.html)
    pdf = tmp_path / "h.pdf"
    subprocess.run(
        [
            "/usr/bin/chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            f"--print-to-pdf={pdf}",
            str(html),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert 1 <= pages <= 2


def test_its_market_position_is_the_pages_for_the_same_choices(warehouse, isolated_env):
    """The handout takes the Market gap's choices (step position, State Controller rows,
    decisions) and shows the figure the page shows for them."""
    from analysis.market import gap as market
    from etl.gcc import importer as gcc_import
    from userdata import gcc

    court = "Mendocino County Superior Court"
    zip_path = Path(__file__).parent / "data" / "2016_SuperiorCourt.zip"
    gcc.save(gcc_import.prepare(zip_path, zip_path.name, agencies=[court]), actor="test")
    con = warehouse_con(warehouse)
    choices = dict(gcc_rows=gcc.rows(), position="first", stat="median")
    when = date(2016, 7, 1)
    gap = market.run_gap(con, "Mendocino", ["Sonoma", court], when, **choices)
    row = gap.table.set_index("subject_class_code").loc["0124"]
    h = handout.class_handout(con, "Mendocino", ["0124"], when, ["Sonoma", court], **choices)
    assert "Market position (first step to first step, annual)" in h.html
    assert f"market median <b>${row['market']:,.2f}</b>" in h.html
    assert f"{row['pct_below_market']:+.2f}% below market" in h.html
    assert court in h.html and "2016_SuperiorCourt.zip" in h.html


def test_the_handout_numbers_its_sources_as_the_member_site_does():
    """One numbering (etl.citations.SourceList); the handout prints '[1,2]' without links."""
    a, b = "a.txt:1 §Article 1", "b.txt:2 §Article 2"
    site, paper = Cites(), SourceList()
    for ref in (b, join_refs([a, b]), a):
        site.mark(ref)
        handout._cite(paper, ref)
    assert site.refs == paper.refs == [b, a]
    assert site.mark(join_refs([a, b])).count('class="cite"') == 2
    assert handout._cite(paper, join_refs([a, b])) == "<sup>[1,2]</sup>"
    assert handout._cite(paper, " ") == site.mark(" ") == ""
