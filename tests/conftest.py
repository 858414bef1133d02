import os
from pathlib import Path

import pytest

# What the template's Globals give every function; handler modules read it when they are imported.
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "Safeplace")
# Pages compiled once for the whole run, by the test processes and the local runtimes' workers alike.
_COMPILED = Path(__file__).resolve().parent.parent / "test-artifacts" / "compiled-templates"
_COMPILED.mkdir(parents=True, exist_ok=True)
os.environ.setdefault("SAFEPLACE_TEMPLATE_CACHE", str(_COMPILED))

pytest_plugins = ["tests.support.aws", "tests.support.runtime", "tests.support.tier_times"]


@pytest.fixture(autouse=True, scope="session")
def _emails_signed_by_the_provider() -> None:
    """What each function's wiring does as it starts: emails name the provider and say how to reach it."""
    from safeplace.core.notifications import sign_as
    from tests.support.builders import BASE_URL, CONTACT

    sign_as(CONTACT, f"{BASE_URL}/staff")
