"""Real browser: every page of app.py's navigation loads in headless Chromium at a laptop size.

Starts `streamlit run app.py` on a free localhost port against the session warehouse and a fresh
user-data file, opens each page by its URL, waits until the script has finished, and checks:
the page's navigation entry is the active one, an h1 title is shown, no exception box or error
alert is shown, no JavaScript error was raised, every Plotly chart has drawn its SVG with data,
and the server logged no traceback. A full-page screenshot of each page is saved to
artifacts/screenshots/<page>.png (1366x768 laptop viewport, stretched to the page's height).

Pages are read from app.py's st.Page(...) entries, so pages added or renamed there are covered
without editing this file. Chromium is Debian's /usr/bin/chromium (BARGAIN_CHROMIUM overrides);
the README's test command installs it when missing (tests/setup_machine.py); without it these
tests fail, saying so.
"""

from __future__ import annotations

import re
import tempfile
import time
from pathlib import Path

import pytest

from tests.live_app import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    VIEWPORT,
    NavPage,
    navigation_pages,
    start_streamlit,
    stop,
)

pytestmark = pytest.mark.browser

SHOTS = ROOT / "artifacts" / "screenshots"
STARTUP_TIMEOUT_S = 30
PAGE_TIMEOUT_MS = 20_000
# Streamlit marks the app root with the script's state; "notRunning" = the run has finished.
APP_IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
ERROR_TEXT = re.compile(r"Traceback|[A-Za-z]*Error\b|encountered an error")
APP_CONNECTED = '[data-testid="stApp"][data-test-connection-state="CONNECTED"]'


PAGES = navigation_pages()


@pytest.fixture(scope="module")
def server(warehouse, tmp_path_factory):
    """`streamlit run app.py` on a free port; yields (base URL, log file). Always terminated."""
    tmp = tmp_path_factory.mktemp("browser")
    log = tmp / "streamlit.log"
    try:
        proc, url = start_streamlit(warehouse, tmp / "user.sqlite", log, STARTUP_TIMEOUT_S)
    except RuntimeError as exc:
        pytest.fail(str(exc))
    try:
        yield url, log
    finally:
        stop(proc)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: the browser test needs Debian's chromium. "
            "the README's test command installs it (tests/setup_machine.py runs apt-get); "
            "or: sudo apt-get install chromium."
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is not installed: pip install -e '.[test]'")
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile, sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            headless=True,
            viewport=VIEWPORT,
        )
        try:
            yield ctx
        finally:
            ctx.close()


def wait_until_idle(page, rounds: int = 2, settle_ms: int = 300) -> None:
    """Connected, the script run finished and no "Running..." status widget, `rounds` times
    `settle_ms` apart (a rerun triggered by the first render, e.g. a widget default, also ends)."""
    page.wait_for_selector(APP_CONNECTED, state="attached", timeout=PAGE_TIMEOUT_MS)
    for _ in range(rounds):
        page.wait_for_selector(APP_IDLE, state="attached", timeout=PAGE_TIMEOUT_MS)
        page.wait_for_selector(
            '[data-testid="stStatusWidget"]', state="detached", timeout=PAGE_TIMEOUT_MS
        )
        page.wait_for_timeout(settle_ms)
    page.wait_for_selector(APP_IDLE, state="attached", timeout=PAGE_TIMEOUT_MS)


PLOTLY_STATE = """() => [...document.querySelectorAll('.js-plotly-plot')].map(d => ({
    traces: (d.data || []).length,
    // _fullData is Plotly's decoded data (x/y may be sent as {dtype, bdata} typed arrays)
    points: (d._fullData || []).reduce((n, t) => n + (t.visible === false ? 0
        : (t._length ?? (t.x || t.y || t.values || t.z || []).length ?? 0)
          || (t.type === 'indicator' ? 1 : 0)), 0),
    svgs: d.querySelectorAll('svg.main-svg').length,
    visible: d.offsetParent !== null,
    width: Math.round(d.getBoundingClientRect().width),
    title: (d.querySelector('.gtitle') || {}).textContent || '',
}))"""


def check_plotly_charts(page, where: str) -> int:
    """Every st.plotly_chart has drawn its SVG with data; charts on screen are > 100 px wide.
    Returns the number of charts."""
    n = page.locator('[data-testid="stPlotlyChart"]').count()
    if not n:
        return 0
    page.wait_for_function(
        """n => document.querySelectorAll('.js-plotly-plot').length >= n
             && [...document.querySelectorAll('.js-plotly-plot')]
                  .every(d => d.querySelector('svg.main-svg'))""",
        arg=n,
        timeout=PAGE_TIMEOUT_MS,
    )
    page.wait_for_timeout(200)  # a chart just shown (tab switch) re-lays out to its width
    for i, c in enumerate(page.evaluate(PLOTLY_STATE)):
        what = f"{where}: Plotly chart {i + 1} {c['title']!r}"
        assert c["svgs"] > 0, f"{what} has no SVG: {c}"
        assert c["traces"] > 0 and c["points"] > 0, f"{what} has no data: {c}"
        if c["visible"]:
            assert c["width"] > 100, f"{what} is drawn {c['width']} px wide: {c}"
    return n


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40]


def full_page_screenshot(page, path: Path) -> None:
    """Streamlit scrolls inside <main>, so Playwright's full_page sees one viewport: stretch
    the viewport to the content's height for the shot, then restore the laptop size."""
    height = page.evaluate(
        """() => Math.max(window.innerHeight,
            ...['[data-testid="stMain"]', '[data-testid="stSidebarContent"]']
              .map(s => document.querySelector(s)).filter(Boolean).map(e => e.scrollHeight))"""
    )
    page.set_viewport_size({"width": VIEWPORT["width"], "height": min(int(height), 16_000)})
    page.wait_for_timeout(250)  # charts and data grids re-lay out to the new size
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(VIEWPORT)


def test_navigation_is_read_from_app_py():
    assert sum(p.default for p in PAGES) == 1
    assert len({p.url_path for p in PAGES}) == len(PAGES), "url paths must be unique"


@pytest.mark.parametrize("nav", PAGES, ids=[p.name for p in PAGES])
def test_page_renders_in_chromium(browser, server, nav: NavPage):
    url, log = server
    page = browser.new_page()
    js_errors: list[str] = []
    page.on("pageerror", lambda exc: js_errors.append(str(exc)))
    log_offset = log.stat().st_size
    try:
        t0 = time.perf_counter()
        page.goto(f"{url}/{nav.url_path}", wait_until="domcontentloaded")
        wait_until_idle(page)
        page.wait_for_selector("h1", timeout=PAGE_TIMEOUT_MS)
        seconds = time.perf_counter() - t0

        # The URL opened this page, not a fallback to the default page.
        active = page.locator('[data-testid="stSidebarNav"] a[aria-current="page"]')
        assert active.count() == 1, f"{nav.title}: no active entry in the sidebar navigation"
        active_text = " ".join(active.inner_text().split())
        assert active_text.endswith(nav.title), (
            f"/{nav.url_path} opened {active_text!r}, expected the page {nav.title!r}"
        )
        expected_href = f"{url}/{nav.url_path}"
        assert (active.get_attribute("href") or "").rstrip("/") == expected_href.rstrip("/")

        h1 = [t.strip() for t in page.locator("h1").all_inner_texts() if t.strip()]
        assert h1, f"{nav.title}: the page shows no title (h1)"

        # No exception box (with showErrorDetails="none" Streamlit shows "This app has
        # encountered an error ... redacted"), and no st.error / error-like alert.
        exc = page.locator('[data-testid="stException"]')
        assert exc.count() == 0, (
            f"{nav.title}: exception box {exc.all_inner_texts()}; the server logged:\n"
            + log.read_bytes()[log_offset:].decode(errors="replace")[-4000:]
        )
        errors = page.locator('[data-testid="stAlertContentError"]').all_inner_texts()
        assert not errors, f"{nav.title}: error alert(s): {errors}"
        alerts = page.locator('[data-testid="stAlert"], [role="alert"]').all_inner_texts()
        bad = [a for a in alerts if ERROR_TEXT.search(a)]
        assert not bad, f"{nav.title}: alert(s) reporting an error: {bad}"
        assert not js_errors, f"{nav.title}: JavaScript errors: {js_errors}"

        # Every Plotly chart has drawn (SVG and data); the ones on screen have a real width.
        n_charts = check_plotly_charts(page, nav.title)
        full_page_screenshot(page, SHOTS / f"{nav.name}.png")

        # Charts in the other tabs are laid out when their tab is shown: show each in turn.
        tabs = page.locator('[data-testid="stMain"] [role="tab"]')
        tab_names = [" ".join(t.split()) for t in tabs.all_inner_texts()]
        for i, tab_name in enumerate(tab_names[1:], start=1):
            tabs.nth(i).click()
            wait_until_idle(page, rounds=1, settle_ms=150)
            check_plotly_charts(page, f"{nav.title} / tab {tab_name!r}")
            full_page_screenshot(page, SHOTS / f"{nav.name}--tab{i + 1}-{_slug(tab_name)}.png")
        print(
            f"{nav.name}: {seconds:.1f} s to idle, h1 {h1[0]!r}, {n_charts} Plotly chart(s), "
            f"tabs {tab_names}"
        )

        new_log = log.read_bytes()[log_offset:].decode(errors="replace")
        assert "Traceback" not in new_log, f"{nav.title}: the server logged:\n{new_log[-3000:]}"
    finally:
        page.close()


PHONE = {"width": 390, "height": 844}  # a phone held upright


def test_my_pay_reads_on_a_phone(browser, server):
    """The member's page at 390 px: nothing wider than the screen (no horizontal scroll), the
    pay figures visible without the sidebar, which collapses."""
    url, _ = server
    page = browser.new_page()
    page.set_viewport_size(PHONE)
    try:
        page.goto(f"{url}/member", wait_until="domcontentloaded")
        wait_until_idle(page)
        page.wait_for_selector("h1", timeout=PAGE_TIMEOUT_MS)
        widths = page.evaluate(
            """() => ({doc: document.documentElement.scrollWidth,
                       body: document.body.scrollWidth,
                       main: (document.querySelector('[data-testid="stMain"]') || {}).scrollWidth,
                       view: window.innerWidth})"""
        )
        assert widths["doc"] <= widths["view"], widths
        assert widths["body"] <= widths["view"], widths
        assert widths["main"] <= widths["view"], widths
        metrics = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
        assert any("per hour" in m for m in metrics), metrics
        box = page.locator('[data-testid="stMetricValue"]').first.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "member--phone-390px.png"), full_page=True)
    finally:
        page.close()


def test_state_controller_export_uploaded_in_chromium(browser, server):
    """A small State Controller ZIP uploaded on the Survey comparisons page (the direct route,
    within the upload limit): read with a progress bar, previewed, saved, listed."""
    url, log = server
    nav = next(p for p in PAGES if p.name == "surveys")
    page = browser.new_page()
    log_offset = log.stat().st_size
    try:
        page.goto(f"{url}/{nav.url_path}", wait_until="domcontentloaded")
        wait_until_idle(page)
        page.locator('[data-testid="stMain"] [role="tab"]', has_text="Upload survey data").click()
        wait_until_idle(page, rounds=1, settle_ms=150)
        page.get_by_text("Upload it (up to 10 MB)").click()
        wait_until_idle(page, rounds=1)
        zip_path = ROOT / "tests" / "data" / "2016_SuperiorCourt.zip"
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(zip_path))
        wait_until_idle(page)
        area = page.locator('[data-testid="stMain"] textarea').first
        area.fill("Mendocino County Superior Court")
        area.press("Control+Enter")
        wait_until_idle(page, rounds=1)
        page.get_by_role("button", name="Read the file").click()
        wait_until_idle(page)
        page.get_by_text("31 positions of 1 agency").wait_for(timeout=PAGE_TIMEOUT_MS)
        full_page_screenshot(page, SHOTS / "surveys--gcc-preview.png")
        page.get_by_role("button", name="Save to my survey data").click()
        wait_until_idle(page)
        listed = page.get_by_text("Your State Controller imports", exact=True)
        listed.wait_for(timeout=PAGE_TIMEOUT_MS)
        assert page.locator('[data-testid="stException"]').count() == 0
        new_log = log.read_bytes()[log_offset:].decode(errors="replace")
        assert "Traceback" not in new_log, new_log[-3000:]
    finally:
        page.close()


def test_market_gap_on_total_compensation_in_chromium(browser, server):
    """Mendocino against Sonoma on total compensation: the agency picked in the sidebar, the
    measure switched, the bar chart drawn with 'total compensation' in its title, and the
    table of what each total holds shown."""
    url, log = server
    nav = next(p for p in PAGES if p.name == "market_gap")
    page = browser.new_page()
    log_offset = log.stat().st_size
    try:
        page.goto(f"{url}/{nav.url_path}", wait_until="domcontentloaded")
        wait_until_idle(page)
        sidebar = page.locator('[data-testid="stSidebar"]')
        sidebar.locator('[data-testid="stSelectbox"]').first.click()
        page.get_by_role("option", name="Mendocino", exact=True).click()
        wait_until_idle(page)
        page.locator('[data-testid="stMain"]').get_by_text("total compensation", exact=True).click()
        wait_until_idle(page)
        check_plotly_charts(page, "Market gap / total compensation")
        titles = [c["title"] for c in page.evaluate(PLOTLY_STATE)]
        assert any("total compensation" in t for t in titles), titles
        page.get_by_text("What each agency's total holds").click()
        wait_until_idle(page, rounds=1, settle_ms=150)
        full_page_screenshot(page, SHOTS / "market_gap--total-compensation.png")
        assert page.locator('[data-testid="stException"]').count() == 0
        new_log = log.read_bytes()[log_offset:].decode(errors="replace")
        assert "Traceback" not in new_log, new_log[-3000:]
    finally:
        page.close()


def test_a_collapsed_costing_table_opens_with_its_editor_in_chromium(browser, server):
    """The Costing page draws a kind of change's editor only while its expander is open: a
    click opens it (a rerun) and the editor's grid appears inside; closed again, it is gone."""
    url, log = server
    nav = next(p for p in PAGES if p.name == "costing")
    page = browser.new_page()
    log_offset = log.stat().st_size
    try:
        page.goto(f"{url}/{nav.url_path}", wait_until="domcontentloaded")
        wait_until_idle(page)
        box = page.locator('[data-testid="stExpander"]', has_text="One-time payments (0)")
        assert box.locator('[data-testid="stDataFrame"]').count() == 0
        box.locator("summary").click()
        wait_until_idle(page)
        box.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=PAGE_TIMEOUT_MS)
        assert box.get_by_text("A lump sum").count() == 1
        full_page_screenshot(page, SHOTS / "costing--one-time-payments-open.png")
        box.locator("summary").click()
        wait_until_idle(page)
        assert box.locator('[data-testid="stDataFrame"]').count() == 0
        assert page.locator('[data-testid="stException"]').count() == 0
        new_log = log.read_bytes()[log_offset:].decode(errors="replace")
        assert "Traceback" not in new_log, new_log[-3000:]
    finally:
        page.close()


def test_add_an_agreement_maps_and_previews_a_union_lookup_in_chromium(browser, server):
    """A union's salary lookup uploaded on Add an agreement: the agency typed, the period
    picked, the reader's column uses shown, the two undated pay columns dated in the date
    inputs, and the preview with its counts drawn; the import button enabled (not clicked:
    the server's warehouse is shared with the other tests)."""
    url, log = server
    nav = next(p for p in PAGES if p.name == "agreements")
    page = browser.new_page()
    log_offset = log.stat().st_size
    try:
        page.goto(f"{url}/{nav.url_path}", wait_until="domcontentloaded")
        wait_until_idle(page)
        lookup = ROOT / "tests" / "data" / "schedules" / "state_lookup.csv"
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(
            str(lookup)
        )
        wait_until_idle(page)
        agency = page.get_by_label("Agency (as it should appear in the app)")
        agency.fill("State Union")
        agency.press("Enter")
        wait_until_idle(page)
        page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').filter(
            has_text="Pay period"
        ).first.click()
        page.get_by_role("option", name="monthly", exact=True).click()
        wait_until_idle(page)
        page.get_by_text("reads as the bargaining unit").wait_for(timeout=PAGE_TIMEOUT_MS)
        page.get_by_text("have no date yet").wait_for(timeout=PAGE_TIMEOUT_MS)
        for label, day in (
            ("Date the pay in column F took effect", "07/01/2023"),
            ("Date the pay in column G took effect", "07/01/2024"),
        ):
            # a segmented date field (month, day, year): typed digits move on by themselves
            page.get_by_role("spinbutton", name=f"month, {label}").click()
            page.keyboard.type(day.replace("/", ""))
            page.keyboard.press("Escape")
            page.locator("h1").first.click()  # the value is sent when the field loses focus
            wait_until_idle(page)
        page.get_by_text("3. Check what will be stored").wait_for(timeout=PAGE_TIMEOUT_MS)
        metrics = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
        assert metrics[:4] == ["150", "3", "3", "8"], metrics
        button = page.get_by_role("button", name="Import 150 classes as State Union")
        assert button.is_enabled()
        full_page_screenshot(page, SHOTS / "agreements--union-lookup-mapped.png")
        assert page.locator('[data-testid="stException"]').count() == 0
        new_log = log.read_bytes()[log_offset:].decode(errors="replace")
        assert "Traceback" not in new_log, new_log[-3000:]
    finally:
        page.close()


def test_an_mou_pdf_imported_and_searched_in_chromium(browser, server):
    """The 58-page example MOU uploaded on Add an agreement as an agreement's text, then
    searched on Clauses: the hit read in its agreement marks the line on the page the words
    are printed on (the page computed from the generator's pages, not from the reader)."""
    from tests.data.agreements.make_agreement import PDF, mou_pages

    words = "internet service"
    printed_on = next(
        n for n, lines in enumerate(mou_pages(), 1) if any(words in ln for ln in lines)
    )
    url, log = server
    by_name = {p.name: p for p in PAGES}
    page = browser.new_page()
    log_offset = log.stat().st_size
    try:
        page.goto(f"{url}/{by_name['agreements'].url_path}", wait_until="domcontentloaded")
        wait_until_idle(page)
        uploader = page.locator('[data-testid="stFileUploader"]').filter(
            has_text="Agreement (PDF, DOCX or TXT)"
        )
        uploader.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(PDF))
        wait_until_idle(page)
        agency = page.get_by_label("Agency the agreement belongs to")
        agency.fill("Example County")
        agency.press("Enter")
        wait_until_idle(page)
        page.get_by_role("button", name="Import the text").click()
        wait_until_idle(page)
        page.get_by_text("Imported as agreement text #").wait_for(timeout=60_000)
        assert "58 pages" in page.locator('[data-testid="stAlert"]').all_inner_texts()[-1]

        page.goto(f"{url}/{by_name['clauses'].url_path}", wait_until="domcontentloaded")
        wait_until_idle(page)
        box = page.get_by_label("Search the agreements")
        box.fill(f'"{words}"')
        box.press("Enter")
        wait_until_idle(page)
        page.get_by_text("1 passage(s) in 1 agreement(s)").wait_for(timeout=PAGE_TIMEOUT_MS)
        code = page.locator('[data-testid="stCode"]').first.inner_text()
        marked = next(ln for ln in code.splitlines() if ln.startswith("▶"))
        assert f"p. {printed_on} " in marked and words in marked, code
        full_page_screenshot(page, SHOTS / "clauses--imported-mou-hit.png")
        assert page.locator('[data-testid="stException"]').count() == 0
        new_log = log.read_bytes()[log_offset:].decode(errors="replace")
        assert "Traceback" not in new_log, new_log[-3000:]
    finally:
        page.close()
