"""`bargain publish`: the member site holds a page for every class of every agreement, every
figure on it cites its source, it names no outside URL and links only relatively, it meets
the accessibility basics, and publishing again gives the same bytes."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
import tempfile
from datetime import date
from pathlib import Path, PurePosixPath

import duckdb
import pytest

from analysis import warehouse as awarehouse
from exports.site import assets
from exports.site.build import publish
from tests.site.dom import parse

OUTSIDE = re.compile(r"(?i)\b(?:https?|ftp|wss?|mailto|data|javascript):|//[a-z0-9.-]+\.[a-z]{2,}")


def _html_files(site) -> list[Path]:
    return sorted(site.dir.rglob("*.html"))


def test_a_page_for_every_class_of_every_agreement(site, con):
    expected = {
        (a, c, u)
        for a, c, u in con.execute(
            "SELECT DISTINCT agency, class_code, bargaining_unit FROM salary_schedule"
        ).fetchall()
    }
    pages = site.result.manifest["pages"]
    assert {(p["agency"], p["class_code"], p["unit"]) for p in pages} == expected
    assert len(pages) == len(expected) > 600
    assert len({p["path"] for p in pages}) == len(pages)
    for p in pages:
        assert (site.dir / p["path"]).is_file()
    assert (site.dir / "index.html").is_file() and (site.dir / "search.json").is_file()
    agencies = [a for (a,) in con.execute("SELECT DISTINCT agency FROM agreements").fetchall()]
    index = site.read("index.html")
    for a in agencies:
        assert f">{a}</a></h3>" in index  # a plain link per agency, scripts or not


def _pay_row(doc, step: str):
    table = doc.all("table", class_="pay")[0]
    for tr in table.all("tr"):
        th = tr.all("th")
        if th and th[0].attrs.get("scope") == "row" and th[0].text() == step:
            return tr
    raise AssertionError(f"no row {step}")


def test_sonoma_account_clerk_ii_shows_its_i_step_with_the_line_cited(site, con):
    doc = parse(site.read(site.page_of("Sonoma", "0402")))
    assert "06/22/2004" in doc.all("table", class_="pay")[0].all("caption")[0].text()
    row = _pay_row(doc, "I")
    cells = [td.text() for td in row.all("td")]
    assert cells[0] == "$20.05"
    assert cells[3] == f"${20.05 * 2080:,.2f}"
    cite = row.all("a", class_="cite")
    assert cite, "the I step cites its source"
    entry = doc.by_id(cite[0].attrs["href"].lstrip("#"))
    ref = "sonoma_seiu707_mou_2002_2008.txt:1821 §Appendix A (unit 0001)"
    assert ref in entry.text()
    line = con.execute(
        "SELECT text FROM source_lines WHERE doc = ? AND line_no = 1821",
        ["sonoma_seiu707_mou_2002_2008.txt"],
    ).fetchone()[0]
    assert "ACCOUNT CLERK II" in line
    assert " ".join(line.split()) in entry.text()  # the agreement's own line, quoted
    assert "derived" in row.text()  # step I is computed from the printed A step, and says so
    assert "step I = step A x 1.025^8" in doc.text()


def test_every_figure_cell_cites_a_source(site):
    """Each money cell of the pay, term and elsewhere tables carries a citation in its row."""
    for path in [site.page_of("Sonoma", "0402"), site.page_of("Mendocino", "S503")]:
        doc = parse(site.read(path))
        for css in ("pay", "term", "elsewhere"):
            for table in doc.all("table", class_=css):
                for tr in table.all("tbody")[0].all("tr"):
                    assert tr.all("a", class_="cite"), (path, css, tr.text())
        ids = {n.attrs["id"] for n in doc.all("li") if n.attrs.get("id", "").startswith("src-")}
        for a in doc.all("a", class_="cite"):
            assert a.attrs["href"].lstrip("#") in ids


def test_an_agency_without_a_salary_table_says_so_with_no_empty_table(site, con):
    reason = con.execute(
        "SELECT no_table_reason FROM agreements WHERE agency = 'Contra Costa'"
    ).fetchone()[0]
    page = site.read("contra-costa/index.html")
    assert "No salary table" in page and reason.split(":")[0] in page
    assert "<table" not in page
    assert "1.0045% general increase" in page  # what its agreement does say about pay, cited
    assert 'class="cite"' in page
    assert site.result.manifest["as_of"]["Contra Costa"] is None


def _links(doc) -> list[str]:
    return [n.attrs[k] for n in doc.all() for k in ("href", "src") if k in n.attrs]


def test_no_outside_url_anywhere_and_every_link_is_relative_and_resolves(site):
    for f in sorted(site.dir.rglob("*")):
        if f.is_file() and f.suffix != ".gz":
            text = f.read_text(encoding="utf-8")
            assert not OUTSIDE.search(text), (f, OUTSIDE.search(text).group(0))
            assert "url(" not in text or f.suffix != ".css"
    for f in _html_files(site):
        doc = parse(f.read_text(encoding="utf-8"))
        ids = {n.attrs["id"] for n in doc.all() if "id" in n.attrs}
        here = PurePosixPath(f.relative_to(site.dir).as_posix()).parent
        for link in _links(doc):
            assert not link.startswith(("/", "\\")) and ":" not in link, (f, link)
            path, _, frag = link.partition("#")
            if not path:
                assert frag in ids, (f, link)
                continue
            target = site.dir / here / path
            assert target.resolve().is_file(), (f, link)
            assert site.dir.resolve() in target.resolve().parents
    entries = json.loads(site.read("search.json"))
    assert all((site.dir / e["p"]).is_file() for e in entries)
    assert not any(e["p"].startswith("/") for e in entries)


def test_every_compressed_copy_is_its_file_gzipped(site):
    copies = sorted(site.dir.rglob("*.gz"))
    assert len(copies) >= len(_html_files(site))
    for gz in copies:
        assert gzip.decompress(gz.read_bytes()) == gz.with_suffix("").read_bytes(), gz


def test_accessibility_basics_on_every_page(site):
    for f in _html_files(site):
        text = f.read_text(encoding="utf-8")
        doc = parse(text)
        assert doc.attrs["doctype"].lower() == "doctype html"
        assert doc.all("html")[0].attrs.get("lang") == "en", f
        assert len(doc.all("h1")) == 1, f
        assert doc.all("title")[0].text().strip(), f
        assert doc.all("main") and doc.all("nav"), f
        for th in doc.all("th"):
            assert th.attrs.get("scope") in ("col", "row"), (f, th.text())
        for table in doc.all("table"):
            assert table.all("caption"), f
        for region in doc.all(class_="scroll"):
            assert region.attrs.get("tabindex") == "0" and region.attrs.get("aria-label"), f
        for inp in doc.all("input"):
            assert doc.all("label", **{"for": inp.attrs["id"]}), f


def test_the_palette_has_sufficient_contrast():
    assert assets.contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert assets.contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # WCAG's own
    for fg, bg in assets.CONTRAST_PAIRS:
        ratio = assets.contrast(assets.PALETTE[fg], assets.PALETTE[bg])
        assert ratio >= 4.5, (fg, bg, round(ratio, 2))
    css = assets.stylesheet()
    assert "{" + "ink}" not in css and assets.PALETTE["ink"] in css


def test_the_manifest_lists_every_file_with_its_hash_and_the_data_fingerprint(
    site, warehouse, tmp_path
):
    m = json.loads(site.read("manifest.json"))
    assert m["generator"] == "bargain publish"

    # the fingerprint of the warehouse as it is now, published now (other tests may rebuild
    # the shared file between this module's publish and this test)
    # and a fresh publish stamps the build it read
    def stamp():
        # analysis.warehouse.connect attaches the file afresh; duckdb.connect(path) would
        # reuse the process's open instance, which predates a rebuild of the shared file
        con = awarehouse.connect(warehouse)
        try:
            return con.execute("SELECT source_fingerprint, built_at FROM build_info").fetchone()
        finally:
            con.close()

    before = stamp()
    fresh = publish(warehouse, tmp_path / "one", ["Mendocino"]).manifest
    after = stamp()  # a UI test's background rebuild may land while publishing
    fp, built = before if fresh["data_fingerprint"] == before[0] else after
    assert fresh["data_fingerprint"] == fp
    assert fresh["warehouse_built_at"].startswith(built.date().isoformat())
    present = {p.relative_to(site.dir).as_posix() for p in site.dir.rglob("*") if p.is_file()}
    assert set(m["files"]) == present - {"manifest.json"}
    for name, digest in m["files"].items():
        assert hashlib.sha256((site.dir / name).read_bytes()).hexdigest() == digest
    assert m["cpi"]["series"] in m["cpi"]["label"]


def test_publishing_again_gives_byte_identical_files(site, warehouse):
    before = {
        p.relative_to(site.dir).as_posix(): p.read_bytes()
        for p in site.dir.rglob("*")
        if p.is_file()
    }
    again = publish(warehouse, site.dir, jobs=2)  # the same folder: an earlier site, replaced
    after = {
        p.relative_to(site.dir).as_posix(): p.read_bytes()
        for p in site.dir.rglob("*")
        if p.is_file()
    }
    assert after.keys() == before.keys()
    assert [k for k in before if before[k] != after[k]] == []
    assert again.manifest["site_sha256"] == site.result.manifest["site_sha256"]
    leftovers = [p.name for p in site.dir.parent.iterdir() if p.name != site.dir.name]
    assert leftovers == []


def _copy(warehouse: Path, tmp: Path) -> Path:
    db = tmp / "w.duckdb"
    shutil.copy(warehouse, db)
    return db


def test_class_titles_with_markup_or_a_thousand_characters_are_escaped_and_shortened(
    warehouse, tmp_path
):
    db = _copy(warehouse, tmp_path)
    title = '<script>alert("x")</script> & <b>bold</b> ' + "LONG " * 200
    with duckdb.connect(str(db)) as c:
        c.execute("UPDATE stg_classes SET class_title = ? WHERE class_code = '0402'", [title])
        c.execute(
            "DELETE FROM stg_salary_rates WHERE agency = 'Sonoma' AND class_code "
            "NOT IN ('0402', '0401')"
        )
    target = tmp_path / "site"
    done = publish(db, target, ["Sonoma"], jobs=1)
    assert done.pages == 2
    for f in target.rglob("*.html"):
        text = f.read_text(encoding="utf-8")
        assert "<script>alert" not in text and "<b>bold" not in text
    page = (target / "sonoma" / "u-0001" / "0402.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    h1 = parse(page).all("h1")[0].text()
    assert h1.startswith('<script>alert("x")</script> & <b>bold</b>') and len(h1) > 1000
    listed = json.loads((target / "search.json").read_text())
    mine = next(e for e in listed if e["c"] == "0402")
    assert len(mine["t"]) <= 120 and mine["t"].endswith("…")
    agency = (target / "sonoma" / "index.html").read_text(encoding="utf-8")
    link = next(a for a in parse(agency).all("a") if "0402" in a.text())
    assert len(link.text()) < 140


def test_a_folder_that_is_not_an_earlier_site_is_refused_and_left_alone(warehouse, tmp_path):
    from exports.site.writer import SiteError

    mine = tmp_path / "photos"
    mine.mkdir()
    (mine / "holiday.jpg").write_bytes(b"not a site")
    with pytest.raises(SiteError, match="not a site `bargain publish` wrote"):
        publish(warehouse, mine, ["Contra Costa"])
    assert [p.name for p in mine.iterdir()] == ["holiday.jpg"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["photos"]
    a_file = tmp_path / "notes.txt"
    a_file.write_text("x")
    with pytest.raises(SiteError, match="not a folder"):
        publish(warehouse, a_file, ["Contra Costa"])
    assert a_file.read_text() == "x"


def test_an_earlier_site_holding_other_files_is_refused(warehouse, tmp_path):
    from exports.site.writer import SiteError

    target = tmp_path / "site"
    publish(warehouse, target, ["Contra Costa"])
    (target / "notes.txt").write_text("mine")
    with pytest.raises(SiteError, match="notes.txt"):
        publish(warehouse, target, ["Contra Costa"])
    assert (target / "notes.txt").read_text() == "mine"


def test_an_empty_folder_is_used(warehouse, tmp_path):
    target = tmp_path / "empty"
    target.mkdir()
    publish(warehouse, target, ["Contra Costa"])
    assert (target / "contra-costa" / "index.html").is_file()


def test_a_full_disk_mid_write_leaves_the_earlier_site_as_it_was(warehouse, tmp_path, monkeypatch):
    import errno

    from exports.site import writer

    target = tmp_path / "site"
    publish(warehouse, target, ["Contra Costa", "Mendocino"])
    before = {p: p.read_bytes() for p in target.rglob("*") if p.is_file()}
    real, written = writer.write_file, []

    def full_disk(path, data):
        if len(written) == 50:
            raise OSError(errno.ENOSPC, "No space left on device")
        written.append(path)
        real(path, data)

    monkeypatch.setattr(writer, "write_file", full_disk)
    with pytest.raises(writer.SiteError, match="No space left on device.*as it was"):
        publish(warehouse, target, ["Mendocino"])
    assert len(written) == 50  # it failed mid-way, after writing part of the new site
    assert {p: p.read_bytes() for p in target.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # the temporary folder is gone
    with pytest.raises(writer.SiteError):
        publish(warehouse, tmp_path / "new", ["Mendocino"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # nothing half written


def test_the_command(warehouse, tmp_path, monkeypatch, capsys):
    import bargain_cli

    db = _copy(warehouse, tmp_path)
    monkeypatch.setenv("BARGAIN_DB", str(db))
    monkeypatch.setenv("BARGAIN_USER_DB", str(tmp_path / "user.sqlite"))
    out = tmp_path / "members"
    assert bargain_cli.main(["publish", str(out), "--agency", " contra costa "]) == 0
    printed = capsys.readouterr().out
    assert "Contra Costa: no salary table" in printed
    assert bargain_cli.main(["publish", str(out), "--agency", "Atlantis"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: unknown agency 'Atlantis'") and err.count("\n") == 1
    assert bargain_cli.main(["publish", str(out), "--as-of", "1990-01-01"]) == 2
    err = capsys.readouterr().err
    assert "before Sonoma's first salary schedule (07/23/2002)" in err
    assert bargain_cli.main(["publish", str(out), "--as-of", "22/06/2004"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "x").write_text("x")
    assert bargain_cli.main(["publish", str(tmp_path / "taken")]) == 2
    assert "nothing was written" in capsys.readouterr().err


def test_a_date_after_the_term_keeps_the_last_schedule_and_says_so(warehouse, tmp_path):
    target = Path(tempfile.mkdtemp(dir=tmp_path)) / "s"
    done = publish(warehouse, target, ["Mendocino"], date(2020, 1, 1))
    page = (target / done.manifest["pages"][0]["path"]).read_text(encoding="utf-8")
    assert "after the agreement's term" in parse(page).text()
    assert done.manifest["as_of"] == {"Mendocino": "2020-01-01"}
