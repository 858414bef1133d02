import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.conftest import ROOT

ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Without the background-networking flags Chromium keeps dialling out, and this network refuses it.
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


def chromium_path() -> str:
    found = shutil.which(os.environ.get("CHROMIUM", "chromium"))
    if not found:
        pytest.fail("Chromium is missing: install Debian's package (apt-get install chromium); .ci/run does this")
    return found


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Journey:
    """A page in a browser context, saving a screenshot and an axe report of every step it checks."""

    def __init__(self, page: Page, folder: Path, who: str) -> None:
        self.page = page
        self.folder = folder
        self.who = who
        self.step = 0

    def check(self, name: str) -> None:
        self.step += 1
        stem = f"{self.who}-{self.step:02d}-{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}"
        self.page.screenshot(path=str(self.folder / f"{stem}.png"), full_page=True)
        if not AXE.exists():
            pytest.fail(f"axe-core is missing at {AXE}: run `npm ci` (make test does)")
        self.page.add_script_tag(path=str(AXE))
        results: dict[str, Any] = self.page.evaluate(
            """async () => await axe.run(document, {
                runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}
            })"""
        )
        (self.folder / f"{stem}.axe.json").write_text(json.dumps(results["violations"], indent=2))
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
            for v in results["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert not serious, f"accessibility problems on '{name}':\n" + "\n".join(serious)


def _journey(browser: Browser, request: pytest.FixtureRequest, width: int, who: str) -> Iterator[Journey]:
    folder = ARTIFACTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(f"{who}-*"):
        old.unlink()
    # bypass_csp lets the test inject axe; the pages' own CSP is what the other tiers check.
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield Journey(page, folder, who)
    context.close()


@pytest.fixture
def desk(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Journey]:
    """A member of staff at a desk."""
    yield from _journey(browser, request, 1280, "desk")


@pytest.fixture
def phone(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Journey]:
    """An employer's SPOC on a small phone: 320 CSS pixels wide."""
    yield from _journey(browser, request, 320, "phone")
