"""Under pytest-xdist, the tests that share a local runtime run on one worker: a run starts each runtime once."""

import pytest

from tests.support.runtime import runtime_group


class AnItem:
    def __init__(self, nodeid: str, *fixtures: str) -> None:
        self.nodeid = nodeid
        self.fixturenames = fixtures


@pytest.mark.parametrize(
    ("nodeid", "fixtures", "group"),
    [
        ("tests/workflow/test_onboarding_workflow.py::test_x", ("onboarding", "runtime"), "runtime"),
        ("tests/integration/test_skeleton_journey.py::test_x", ("runtime",), "runtime"),
        ("tests/browser/test_handbook_journey.py::test_x", ("page", "runtime"), "browser"),
        ("tests/integration/test_the_demo.py::test_x", ("demo",), "demo"),
        ("tests/unit/test_links.py::test_x", ("store", "aws"), None),
    ],
)
def test_each_runtime_s_tests_share_one_group(nodeid, fixtures, group):
    assert runtime_group(AnItem(nodeid, *fixtures)) == group  # type: ignore[arg-type]
