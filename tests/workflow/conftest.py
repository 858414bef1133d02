import json
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from safeplace.adapters.dynamodb import Store
from safeplace.adapters.ses import Mailer
from safeplace.adapters.stepfunctions import Workflows
from safeplace.core.retention import Retention
from safeplace.onboarding.models import CheckReview, CheckType, ReviewDecision, new_employer_id
from safeplace.onboarding.review_check import review_check
from safeplace.staff.models import Role, StaffUser
from safeplace_local.client import RuntimeProcess
from safeplace_local.employer_link import EmployerAtTheLink
from tests.support.builders import SENDER, an_employer
from tests.support.records import an_admission, an_issuer, invite, withdraw

# The waits the workflows are started with here. A test passes one by moving the runtime's clock on, not by
# sleeping; without a move they end in real time. Small, since every tier shares the runtime and its clock.
A_MINUTE = 60


def wait_for(predicate: Callable[[], Any], timeout: float = 20.0, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


class Onboarding:
    """Drives one employer's onboarding execution in the local runtime and reads what it did."""

    def __init__(self, runtime: RuntimeProcess) -> None:
        self.runtime = runtime
        self.sfn = runtime.client("stepfunctions")
        dynamodb = runtime.client("dynamodb")
        table = runtime.resource_name("Table")
        self.store = Store(table, Retention(link_days=90, audit_years=7), client=dynamodb)
        self.state_machine_arn = runtime.state_machine_arn("OnboardingStateMachine")
        self.employer = an_employer(
            datetime.now(UTC), id=new_employer_id(), contact_email=f"kim+{time.monotonic_ns()}@hollins.example"
        )
        invite(self.store, self.employer)
        self.execution_arn = ""

    def start(self, wait_seconds: int = A_MINUTE, reminders: int = 2, review_wait_seconds: int = A_MINUTE) -> None:
        self.execution_arn = self.sfn.start_execution(
            stateMachineArn=self.state_machine_arn,
            name=self.employer.onboarding_execution_name,
            input=json.dumps(
                {
                    "employer_id": self.employer.id,
                    "submission_wait_seconds": wait_seconds,
                    "reminders_before_escalation": reminders,
                    "review_wait_seconds": review_wait_seconds,
                }
            ),
        )["executionArn"]

    def emails(self) -> list[dict[str, Any]]:
        return [m for m in self.runtime.outbox() if str(self.employer.contact_email) in m["to"]]

    def wait_for_email(self, count: int) -> dict[str, Any]:
        return wait_for(lambda: len(self.emails()) >= count and self.emails()[count - 1], what=f"email {count}")

    def finish(self, timeout: float = 30.0) -> dict[str, Any]:
        return wait_for(
            lambda: (d := self.sfn.describe_execution(executionArn=self.execution_arn))["status"] != "RUNNING" and d,
            timeout=timeout,
            what="the execution to finish",
        )

    def history(self) -> list[dict[str, Any]]:
        return self.sfn.get_execution_history(executionArn=self.execution_arn, maxResults=1000)["events"]

    def entered(self) -> list[str]:
        return [e["stateEnteredEventDetails"]["name"] for e in self.history() if "stateEnteredEventDetails" in e]

    def review(self, check: str, decision: str, reason: str = "", workflows: Any = None) -> None:
        """A reviewer's decision, through the same use case the console calls."""
        reviewer = StaffUser(username="rae", email="rae.reviewer@example.org", roles=frozenset({Role.REVIEWER}))
        workflows = workflows or Workflows(self.sfn)
        mailer = Mailer(SENDER, client=self.runtime.client("sesv2"))
        rollout_arn = self.runtime.state_machine_arn("HandbookRolloutStateMachine")
        review_check(
            self.employer.id,
            CheckType(check),
            CheckReview(decision=ReviewDecision(decision), reason=reason),
            reviewer,
            employers=self.store.employers,
            waits=self.store.waits,
            workflows=workflows,
            mailer=mailer,
            issuer=an_issuer(self.store),
            admit=an_admission(self.store, workflows, mailer, rollout_arn),
            now=datetime.now(UTC),
        )

    def answer(self, link: str, sections: Any = None, changes: dict[str, dict[str, str]] | None = None) -> None:
        """The employer completes the sections through the emailed link, files and all, and sends them."""
        employer = EmployerAtTheLink(link, datetime.now(UTC).date())
        employer.complete(sections, changes)
        sent = employer.send()
        assert sent.status_code == 200 and "Answers sent" in sent.text, sent.text

    def submitted(self) -> list[str]:
        employer = self.store.employers.get_employer(self.employer.id)
        return [c.type.value for c in employer.checks if c.status.value == "submitted"]

    def approve_everything(self) -> None:
        for check in self.submitted():
            self.review(check, "approve")

    def waiting_in(self, state: str) -> bool:
        entered = self.entered()
        return bool(entered) and entered[-1] == state


@pytest.fixture
def onboarding(runtime: RuntimeProcess) -> Iterator[Onboarding]:
    made = Onboarding(runtime)
    yield made
    withdraw(made.store, made.employer.id)  # no later test's rollout reaches it
