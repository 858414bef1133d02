"""The browser tier: Debian's chromium driven by Playwright, one browser per session, a fresh context per test."""

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, ViewportSize, expect, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from tests.browser.accessibility import assert_accessible
from tests.support.project import ROOT

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
# What each screenshot shows: the screen as the person sees it; the whole page, however long, when asked for (it
# takes a fifth of the tier's time). axe checks the whole page either way.
FULL_PAGE = os.environ.get("SAFEPLACE_FULL_PAGE_SCREENSHOTS") == "1"
# Without the background-networking flags Chromium keeps dialling out, and this closed network refuses it.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESK: ViewportSize = {"width": 1280, "height": 900}
# The narrowest phone the employer's link pages must work on (WCAG 1.4.10 reflow is tested at 320 CSS pixels).
PHONE: ViewportSize = {"width": 320, "height": 640}


def chromium_path() -> str:
    """Debian's chromium (/usr/bin/chromium), or whatever the CHROMIUM environment variable names."""
    wanted = os.environ.get("CHROMIUM") or "chromium"
    found = shutil.which(wanted)
    if found is None:
        # A failure, not a skip: a skipped tier would hide that CI never ran it.
        pytest.fail(
            f"Chromium not found ({wanted!r}). The browser tests drive Debian's chromium package: "
            "`sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium fonts-liberation` "
            "(.ci/run and `make test` install it), or point the CHROMIUM environment variable at "
            "a Chromium executable. Playwright's own browser download (`playwright install`) is not used.",
            pytrace=False,
        )
    return found


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = chromium_path()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _new_page(browser: Browser, viewport: ViewportSize) -> Iterator[Page]:
    # bypass_csp lets the tests inject axe; the pages' own CSP stays strict (the other tiers check it).
    context = browser.new_context(viewport=viewport, locale="en-GB", timezone_id="Europe/London", bypass_csp=True)
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A member of staff at a desk: a fresh browser context (no cookies) for each test."""
    yield from _new_page(browser, DESK)


@pytest.fixture
def mobile_page(browser: Browser) -> Iterator[Page]:
    """An employer's SPOC on a small phone, 320 CSS pixels wide, in a context of its own."""
    yield from _new_page(browser, PHONE)


class Steps:
    """The evidence of one test: test-artifacts/screenshots/<test name>/<nn>-<step>.png, and axe's results beside it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0

    def _stem(self, name: str) -> str:
        self.count += 1
        return f"{self.count:02d}-{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}"

    def screenshot(self, page: Page, name: str) -> str:
        stem = self._stem(name)
        # Chromium now and then answers "Unable to capture screenshot" while it composites a page that has just
        # changed: a moment later the same capture works. Anything else, or a third refusal, fails the test.
        for attempt in range(3):
            try:
                page.screenshot(path=self.folder / f"{stem}.png", full_page=FULL_PAGE)
                break
            except PlaywrightError as refused:
                if "Unable to capture screenshot" not in str(refused) or attempt == 2:
                    raise
                page.wait_for_timeout(250)
        return stem

    def check(self, page: Page, name: str) -> None:
        """Screenshot the page as it is now; then, at 320 CSS pixels, fail if it scrolls sideways or on any
        accessibility problem. Every page a journey reaches comes through here, at a desk or on a phone."""
        stem = self.screenshot(page, name)
        with narrowed(page):
            try:
                assert_reflows(page)
            except AssertionError:
                page.screenshot(path=self.folder / f"{stem}.320px.png", full_page=True)
                raise
            assert_accessible(page, name, save_to=self.folder / f"{stem}.axe.json")


@contextmanager
def narrowed(page: Page) -> Iterator[None]:
    """The page as it is, at PHONE's width for a while; then back to the viewport it had."""
    before = page.viewport_size
    if before != PHONE:
        page.set_viewport_size(PHONE)
    try:
        yield
    finally:
        if before is not None and before != PHONE:
            page.set_viewport_size(before)


def assert_reflows(page: Page) -> None:
    """WCAG 1.4.10: nothing on the page makes it scroll sideways (a table may scroll inside its own region)."""
    scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    if scroll <= client:
        return
    # What sticks out: the innermost elements past the edge (a table's cells in their region among them).
    wider = page.evaluate(
        """(limit) => {
            const past = e => e.getBoundingClientRect().right > limit;
            return [...document.querySelectorAll('body *')].filter(e => past(e) && ![...e.children].some(past))
                .slice(0, 8).map(e => e.outerHTML.slice(0, 160));
        }""",
        client,
    )
    raise AssertionError(f"{page.url} scrolls sideways at {client} px (scrollWidth {scroll}); too wide: {wider}")


@pytest.fixture
def steps(request: pytest.FixtureRequest) -> Steps:
    folder = SCREENSHOTS / request.node.name
    shutil.rmtree(folder, ignore_errors=True)  # only this run's steps, numbered from 01
    folder.mkdir(parents=True)
    return Steps(folder)


def assert_prints_only_the_record(page: Page, *record: Locator) -> None:
    """Printed, the page shows the record and none of what surrounds or acts on it: no header, menu, footer,
    sign-out, form or button."""
    page.emulate_media(media="print")
    try:
        for chrome in ("banner", "contentinfo", "button", "textbox", "radio", "checkbox", "combobox", "search"):
            expect(page.get_by_role(chrome)).to_have_count(0)  # roles match only what is shown
        expect(page.get_by_role("navigation", name="Staff menu")).to_have_count(0)
        expect(page.locator("form:visible")).to_have_count(0)
        expect(page.get_by_text("Signed in as")).to_be_hidden()
        for part in record:
            expect(part).to_be_visible()
    finally:
        page.emulate_media(media="screen")
