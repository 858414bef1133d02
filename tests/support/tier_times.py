"""How long each tier of the suite took, printed at the end of every run, so the next person sees where time goes.

A test's time counts its setup and teardown too: a tier's shared runtime or moto session is paid where it starts.
"""

from collections import defaultdict

import pytest


class TierTimes:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.tests: dict[str, int] = defaultdict(int)
        self.by_worker: dict[str, float] = defaultdict(float)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        tier = tier_of(report.nodeid)
        self.seconds[tier] += report.duration
        if report.when == "call":
            self.tests[tier] += 1
        worker = getattr(report, "node", None)  # set by pytest-xdist on the reports its workers send
        if worker is not None:
            self.by_worker[worker.gateway.id] += report.duration

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if not self.seconds:
            return
        terminalreporter.section("time per tier")
        for tier, seconds in sorted(self.seconds.items(), key=lambda spent: -spent[1]):
            terminalreporter.write_line(f"{tier:<12} {self.tests[tier]:>5} tests {seconds:8.1f} s")
        for worker, seconds in sorted(self.by_worker.items()):
            # A worker busy far longer than the others is holding up the run: move a group off it.
            terminalreporter.write_line(f"worker {worker:<5} {seconds:14.1f} s")


def tier_of(nodeid: str) -> str:
    parts = nodeid.split("/")
    return parts[1] if len(parts) > 2 and parts[0] == "tests" else "other"


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(TierTimes(), "tier-times")
