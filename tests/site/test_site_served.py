"""The published site served by the shipped nginx configuration (tests/site_server.py) and read
in Debian's Chromium, as a member would on a phone (390 px) and a laptop (1366 px): nothing
wider than the screen, the search finding a class with scripts on, plain links with scripts
off, the cache headers of docs/DEPLOY.md, and the compressed copies sent. Screenshots are
saved under artifacts/screenshots/ to be looked at."""

from __future__ import annotations

import tempfile
import urllib.request

import pytest

from tests.live_app import CHROMIUM, CHROMIUM_ARGS, ROOT
from tests.site_server import serve

SHOTS = ROOT / "artifacts" / "screenshots"
WIDTHS = {"phone": 390, "laptop": 1366}


@pytest.fixture(scope="module")
def served(site):
    try:
        server = serve(site.dir)
    except RuntimeError as exc:
        pytest.fail(str(exc))
    yield server.url
    server.stop()


@pytest.fixture(scope="module")
def chromium():
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium not found at {CHROMIUM} (tests/setup_machine.py installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _head(url: str, gzip: bool = False) -> tuple[int, dict]:
    req = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip else {})
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.status, {k.lower(): v for k, v in r.headers.items()}


def test_cache_headers_and_compressed_copies(served, site):
    page = site.page_of("Sonoma", "0402")
    status, h = _head(f"{served}/{page}", gzip=True)
    assert status == 200 and h["cache-control"] == "max-age=300"
    assert h["content-encoding"] == "gzip"
    assert int(h["content-length"]) == (site.dir / f"{page}.gz").stat().st_size
    assert "default-src 'none'" in h["content-security-policy"]
    css = next(p for p in (site.dir / "assets").iterdir() if p.suffix == ".css")
    _, h = _head(f"{served}/assets/{css.name}")
    assert h["cache-control"] == "max-age=31536000"
    _, h = _head(f"{served}/manifest.json")
    assert h["cache-control"] == "no-cache"


@pytest.mark.parametrize("device", list(WIDTHS))
def test_a_class_page_reads_at_the_width_of_a_phone_and_a_laptop(chromium, served, site, device):
    width = WIDTHS[device]
    page = chromium.new_page(viewport={"width": width, "height": 844})
    try:
        page.goto(f"{served}/{site.page_of('Sonoma', '0402')}")
        page.wait_for_load_state("load")
        # nothing wider than the screen: the pay tables scroll inside their own box
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= width, f"{device}: the page is {wide} px wide on a {width} px screen"
        assert page.locator("h1").count() == 1
        assert "$20.05" in page.locator("table.pay").first.inner_text()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"site--class-page-{width}px.png"), full_page=True)
        page.emulate_media(media="print")
        page.screenshot(path=str(SHOTS / f"site--class-page-print-{width}px.png"), full_page=True)
    finally:
        page.close()


def test_the_search_finds_a_class_and_plain_links_work_without_scripts(chromium, served, site):
    page = chromium.new_page(viewport={"width": 390, "height": 844})
    try:
        page.goto(f"{served}/index.html")
        page.wait_for_load_state("load")
        box = page.locator("input[type=search]")
        box.fill("account clerk")
        page.locator("#results a, [role=list] a, ul a").filter(
            has_text="ACCOUNT CLERK II"
        ).first.wait_for(timeout=10_000)
        page.screenshot(path=str(SHOTS / "site--search-390px.png"), full_page=True)
    finally:
        page.close()
    with tempfile.TemporaryDirectory():
        ctx = chromium.new_context(
            java_script_enabled=False, viewport={"width": 1366, "height": 900}
        )
        page = ctx.new_page()
        try:
            page.goto(f"{served}/index.html")
            page.get_by_role("link", name="Sonoma").first.click()
            page.wait_for_load_state("load")
            page.get_by_role("link", name="ACCOUNT CLERK II").first.click()
            page.wait_for_load_state("load")
            assert "$20.05" in page.locator("table.pay").first.inner_text()
            page.screenshot(path=str(SHOTS / "site--no-script-1366px.png"), full_page=True)
        finally:
            ctx.close()
