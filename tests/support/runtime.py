"""The local runtimes the workflow, integration and browser tiers drive: one of each per test process.

Under pytest-xdist every test that uses one is sent to the same worker as the others using it, so a run starts
each runtime once, whatever the number of workers.
"""

from collections.abc import Iterator

import pytest
import requests

from safeplace_local.client import RuntimeProcess
from safeplace_local.local_cognito import DEV_USER_COOKIE
from tests.support.builders import ADA
from tests.support.project import ROOT

# Each runtime fixture and the xdist group its tests share.
RUNTIME_GROUPS = {"runtime": "runtime", "demo": "demo"}


@pytest.fixture(scope="session")
def runtime() -> Iterator[RuntimeProcess]:
    """The local runtime serving the real template, shared by the workflow, integration and browser tiers.

    As at any provider using it, a handbook is published before employers are approved: each then signs for
    it before the gate passes, whichever test runs first.
    """
    with RuntimeProcess(ROOT / "test-artifacts" / "local-runtime.log") as rt:
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
    """`make run` as a person starts it: the local runtime with its demo data, one for the whole run."""
    with RuntimeProcess(ROOT / "test-artifacts" / "local-runtime-demo.log", demo=True) as rt:
        yield rt


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        for fixture, group in RUNTIME_GROUPS.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(pytest.mark.xdist_group(group))
