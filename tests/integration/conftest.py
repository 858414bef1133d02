from collections.abc import Iterator

import pytest

from safeplace_local.client import RuntimeProcess
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def demo(request: pytest.FixtureRequest) -> Iterator[RuntimeProcess]:
    """A fresh `make run`: the local runtime with its demo data, one per test module so that none sees
    another's changes (the clock moved on, a version published)."""
    log = ROOT / "test-artifacts" / f"local-runtime-demo-{request.module.__name__.rsplit('.', 1)[-1]}.log"
    with RuntimeProcess(log, demo=True) as runtime:
        yield runtime
