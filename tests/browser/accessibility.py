"""axe-core, from the project's own node_modules, run against a page in the browser tier."""

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.support.project import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA (axe-core 4.14 has no rule tagged wcag22a yet; asking costs nothing).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


@cache
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"axe-core is missing at {AXE}: run `npm ci` (make test does it from package-lock.json)")
    return AXE.read_text(encoding="utf-8")


def run_axe(page: Page) -> dict[str, Any]:
    """axe's full results for the page as it is now.

    The script goes in as a <script> element, which the pages' CSP forbids: the browser context must be made
    with bypass_csp=True (the fixtures do), never by loosening the application's own policy.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(content=axe_source())
    # Every element is still checked; only the rules that passed or did not apply are listed without their elements,
    # which halves axe's time on a long page.
    results: dict[str, Any] = page.evaluate(
        "async (tags) => await axe.run(document,"
        " {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations', 'incomplete']})",
        WCAG_TAGS,
    )
    return results


def selector(target: list[Any]) -> str:
    """axe's target: one CSS selector, or a frame's then the element's, a list for each level of shadow DOM."""
    return " >> ".join(part if isinstance(part, str) else " >>> ".join(part) for part in target)


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        targets = ", ".join(selector(node["target"]) for node in v["nodes"])
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}\n    at: {targets}\n    see: {v['helpUrl']}")
    return "\n".join(lines)


def assert_accessible(page: Page, step_name: str, save_to: Path | None = None) -> dict[str, Any]:
    """Fail listing every WCAG A/AA violation axe finds, whatever its impact; save the full results to `save_to`."""
    results = run_axe(page)
    if save_to is not None:
        save_to.parent.mkdir(parents=True, exist_ok=True)
        save_to.write_text(json.dumps(results, indent=1), encoding="utf-8")
    failing = results["violations"]
    where = f" (axe's full results: {save_to})" if save_to else ""
    assert not failing, f"{len(failing)} accessibility problem(s) on '{step_name}' at {page.url}{where}:\n" + describe(
        failing
    )
    return results
