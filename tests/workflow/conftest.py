import json
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import requests

from safeplace.adapters.dynamodb import Store
from safeplace.adapters.ses import Mailer
from safeplace.adapters.stepfunctions import Workflows
from safeplace.core.audit import AuditEvent
from safeplace.core.retention import Retention
from safeplace.handbook.models import holder_key
from safeplace.onboarding.answers import SpocAnswers
from safeplace.onboarding.models import CheckReview, CheckType, EmployerStatus, ReviewDecision, Spoc, new_employer_id
from safeplace.onboarding.review_check import review_check
from safeplace.staff.models import Role, StaffUser
from safeplace_local.client import RuntimeProcess
from safeplace_local.employer_link import EmployerAtTheLink
from safeplace_local.local_cognito import DEV_USER_COOKIE
from tests.support.builders import SENDER, a_submission, an_employer
from tests.support.records import a_published_version, a_stored_submission, an_admission, an_issuer, invite, withdraw

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


class Delivery:
    """One approved employer with a SPOC of its own, and the delivery executions started for it."""

    def __init__(self, runtime: RuntimeProcess) -> None:
        self.runtime = runtime
        self.sfn = runtime.client("stepfunctions")
        self.store = Store(
            runtime.resource_name("Table"), Retention(link_days=90, audit_years=7), client=runtime.client("dynamodb")
        )
        self.arn = runtime.state_machine_arn("HandbookDeliveryStateMachine")
        unique = time.monotonic_ns()
        self.spoc = Spoc(name="Kim Hollins", role="Owner", email=f"kim+{unique}@hollins.example", phone="0113 496 0000")
        now = datetime.now(UTC)
        employer = invite(self.store, an_employer(now, id=new_employer_id(), contact_email=f"main+{unique}@h.example"))
        answers = a_submission(now.date(), employer.id, spoc=SpocAnswers(spoc=self.spoc, commitment=True))
        sent = a_stored_submission(self.store, employer, answers, now)
        self.store.employers.save_employer(
            sent,
            sent.moved_to(EmployerStatus.CHECKS_PASSED, now),
            AuditEvent(subject=sent.subject, action="x", actor="y"),
        )
        self.employer_id = employer.id

    def start(self, version: int, wait_seconds: int = A_MINUTE, reminders: int = 2) -> str:
        return str(
            self.sfn.start_execution(
                stateMachineArn=self.arn,
                name=f"test-{time.monotonic_ns()}",
                input=json.dumps(
                    {
                        "employer_id": self.employer_id,
                        "version": version,
                        "holder": holder_key(self.spoc),
                        "wait_seconds": wait_seconds,
                        "reminders_before_escalation": reminders,
                    }
                ),
            )["executionArn"]
        )

    def finish(self, execution_arn: str, timeout: float = 40.0) -> dict[str, Any]:
        done = wait_for(
            lambda: (d := self.sfn.describe_execution(executionArn=execution_arn))["status"] != "RUNNING" and d,
            timeout=timeout,
            what="the delivery to finish",
        )
        assert done["status"] == "SUCCEEDED", (done["name"], done.get("error"), done.get("cause"))
        return json.loads(done["output"])

    def waiting(self, execution_arn: str) -> bool:
        return self.entered(execution_arn)[-1:] == ["WaitForAcknowledgement"]

    def pass_the_wait(self, execution_arn: str) -> None:
        """Once the delivery waits, the runtime's clock moves past the wait."""
        wait_for(lambda: self.waiting(execution_arn), what="the wait for the SPOC")
        self.runtime.advance_clock(A_MINUTE)

    def entered(self, execution_arn: str) -> list[str]:
        events = self.sfn.get_execution_history(executionArn=execution_arn, maxResults=1000)["events"]
        return [e["stateEnteredEventDetails"]["name"] for e in events if "stateEnteredEventDetails" in e]

    def publish(self, material: bool, summary: str, *, roll_out: bool = False) -> int:
        """A new version, as an admin publishes it; rolled out to every active employer only when asked, since
        every test's employers in this shared runtime are active and a rollout reaches them all."""
        if not roll_out:
            return int(a_published_version(self.store, datetime.now(UTC), material=material, summary=summary).number)
        admin = requests.Session()
        admin.cookies.set(DEV_USER_COOKIE, "ada.admin@example.org")
        published = admin.post(
            f"{self.runtime.base_url}/api/handbook/versions",
            json={"summary": summary, "material": material},
            timeout=10,
        )
        assert published.status_code == 201, published.text
        return int(published.json()["number"])

    def latest(self) -> int:
        latest = self.store.handbook.latest_handbook_version()
        assert latest is not None
        return latest.number


@pytest.fixture
def approved(runtime: RuntimeProcess) -> Iterator[Callable[[], Delivery]]:
    """Approved employers made for one test, withdrawn after it: a later test's rollout reaches only its own."""
    made: list[Delivery] = []

    def an_approved_employer() -> Delivery:
        made.append(Delivery(runtime))
        return made[-1]

    yield an_approved_employer
    for delivery in made:
        withdraw(delivery.store, delivery.employer_id)


def rollout_executions(
    runtime: RuntimeProcess, first: str, *, follow: bool = True, timeout: float = 60.0
) -> list[dict[str, Any]]:
    """A rollout's executions once each has finished: the one named `first` and (`follow`) each it handed on to.

    Each is described, with its output parsed and its history events under "events"."""
    sfn = runtime.client("stepfunctions")
    executions = runtime.state_machine_arn("HandbookRolloutStateMachine").replace(":stateMachine:", ":execution:")
    name: str | None = first
    found = []
    while name:
        arn = f"{executions}:{name}"
        done = wait_for(
            lambda arn=arn: (d := sfn.describe_execution(executionArn=arn))["status"] != "RUNNING" and d,
            timeout=timeout,
            what=f"the rollout execution {arn}",
        )
        assert done["status"] == "SUCCEEDED", (done["name"], done.get("error"), done.get("cause"))
        done["output"] = json.loads(done["output"])
        done["events"] = sfn.get_execution_history(executionArn=arn, maxResults=1000)["events"]
        found.append(done)
        name = done["output"].get("continued", {}).get("execution_name") if follow else None
    return found
