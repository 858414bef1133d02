"""The local runtimes the workflow, integration and browser tiers drive: one of each per test process.

Under pytest-xdist the tests that use one are sent to one worker together, so a run starts few runtimes whatever the
number of workers: one for the workflow and integration tiers, one for the browser tier (so that the two longest
groups can run side by side), and the demo.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from safeplace_local.client import RuntimeProcess
from safeplace_local.local_cognito import DEV_USER_COOKIE
from tests.support.builders import ADA
from tests.support.project import ROOT


def _log(name: str) -> Path:
    """Each test process's own log: two runtimes writing one file would each read the other's "ready"."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    return ROOT / "test-artifacts" / (f"{name}-{worker}.log" if worker else f"{name}.log")


@pytest.fixture(scope="session")
def runtime() -> Iterator[RuntimeProcess]:
    """The local runtime serving the real template, shared by the workflow, integration and browser tiers.

    As at any provider using it, a handbook is published before employers are approved: each then signs for
    it before the gate passes, whichever test runs first.
    """
    with RuntimeProcess(_log("local-runtime")) as rt:
        admin = requests.Session()
        admin.cookies.set(DEV_USER_COOKIE, str(ADA.email))
        admin.post(
            f"{rt.base_url}/api/handbook/versions",
            json={"summary": "The first version of our employer handbook", "material": True},
            timeout=30,
        ).raise_for_status()
        yield rt


@pytest.fixture(scope="session")
def demo() -> Iterator[RuntimeProcess]:
    """`make run` as a person starts it: the local runtime with its demo data, one for the whole run.

    test_the_demo.py reads the demo as seeded; test_time_travel.py, after it in the same worker, lives through two
    months on its clock, and nothing that reads the seeded dates may run after that.
    """
    with RuntimeProcess(_log("local-runtime-demo"), demo=True) as rt:
        yield rt


def runtime_group(item: pytest.Item) -> str | None:
    """The xdist group of a test that drives a local runtime, or None for one that does not."""
    fixtures = getattr(item, "fixturenames", ())
    if "demo" in fixtures:
        return "demo"
    if "runtime" in fixtures:
        return "browser" if item.nodeid.startswith("tests/browser/") else "runtime"
    return None


def pytest_itemcollected(item: pytest.Item) -> None:
    # Marked as each test is collected: xdist names a test's group from its marks when collection ends.
    if group := runtime_group(item):
        item.add_marker(pytest.mark.xdist_group(group))
