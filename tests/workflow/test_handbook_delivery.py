"""Each SPOC's handbook delivery run by moto's interpreter with the real handler: the copy and the email, then
reminders until they sign, the compliance team told after the last, and a stop when a newer material version
or a new SPOC takes over. The waits are a minute here, passed by moving the runtime's clock; days on AWS
(HandbookReminderIntervalDays)."""

import json
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import requests

from safeplace.adapters.dynamodb import Store
from safeplace.adapters.ses import Mailer
from safeplace.core.audit import AuditEvent
from safeplace.core.retention import Retention
from safeplace.handbook.models import holder_key
from safeplace.onboarding.answers import SpocAnswers
from safeplace.onboarding.change_spoc import change_spoc
from safeplace.onboarding.models import EmployerStatus, Spoc, new_employer_id
from safeplace_local.client import RuntimeProcess
from safeplace_local.employer_link import sign_the_handbook
from safeplace_local.local_cognito import DEV_USER_COOKIE
from tests.support.builders import COMPLIANCE, SENDER, a_submission, an_employer
from tests.support.records import a_published_version, a_stored_submission, an_issuer, invite, withdraw
from tests.workflow.conftest import A_MINUTE, wait_for

pytestmark = pytest.mark.workflow


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
        assert done["status"] == "SUCCEEDED", done
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


@pytest.fixture
def delivery(approved: Callable[[], Delivery]) -> Delivery:
    return approved()


def handbook_emails(delivery: Delivery, to: str) -> list[dict[str, Any]]:
    """The emails asking `to` to sign: the delivery and its reminders."""
    return [m for m in delivery.runtime.outbox() if to in m["to"] and "read and acknowledge" in m["subject"]]


def test_a_spoc_who_never_signs_is_reminded_then_the_compliance_team_is_told(delivery: Delivery):
    # When the current version is delivered to a SPOC who does nothing, while each wait passes
    execution = delivery.start(delivery.latest(), reminders=2)
    for _ in range(3):
        delivery.pass_the_wait(execution)
    output = delivery.finish(execution)
    # Then they get the handbook and two reminders, and after the last the compliance team is told
    spoc = str(delivery.spoc.email)
    subjects = [m["subject"] for m in handbook_emails(delivery, spoc)]
    assert len(subjects) == 3 and subjects[0].startswith("Please read and acknowledge")
    assert all(s.startswith("Reminder: please read and acknowledge") for s in subjects[1:])
    assert output["chased"] == {"outcome": "escalated"}
    assert delivery.entered(execution).count("Chase") == 3
    told = [m for m in delivery.runtime.outbox() if COMPLIANCE in m["to"] and "has not acknowledged" in m["subject"]]
    assert any(delivery.store.employers.get_employer(delivery.employer_id).name in m["subject"] for m in told)


def test_a_spoc_who_signs_is_not_chased(delivery: Delivery):
    # Given the delivery is waiting before its first reminder
    execution = delivery.start(delivery.latest())
    spoc = str(delivery.spoc.email)
    email = wait_for(lambda: handbook_emails(delivery, spoc), what="the handbook email")[0]
    # When the SPOC signs through the emailed link
    link = next(u for u in email["links"] if u.endswith("/handbook"))
    assert sign_the_handbook(link, "Kim Hollins").status_code == 200
    # Then the delivery ends at its next look, without a reminder
    delivery.pass_the_wait(execution)
    assert delivery.finish(execution)["chased"] == {"outcome": "signed"}
    assert len(handbook_emails(delivery, spoc)) == 1


def test_a_delivery_overtaken_by_a_new_material_version_or_a_new_spoc_stops_chasing(delivery: Delivery):
    # Given a delivery waiting before its first reminder
    execution = delivery.start(delivery.latest())
    wait_for(lambda: handbook_emails(delivery, str(delivery.spoc.email)), what="the handbook email")
    # When a new material version is published mid-way
    delivery.publish(material=True, summary="Absence to be reported by 10am")
    # Then this delivery stops at its next look: the new version's own delivery does the chasing
    delivery.pass_the_wait(execution)
    assert delivery.finish(execution)["chased"] == {"outcome": "no_longer_asked"}
    # And a delivery to a SPOC since replaced is not chased either
    replaced = delivery.start(delivery.latest())
    wait_for(lambda: delivery.waiting(replaced), what="the wait")
    ola = Spoc(name="Ola Nowak", role="Supervisor", email=f"ola+{time.monotonic_ns()}@h.example", phone="0113 496 0001")
    mailer = Mailer(SENDER, delivery.runtime.client("sesv2"))
    change_spoc(
        delivery.employer_id, ola, "sam.staff@example.org", employers=delivery.store.employers, mailer=mailer,
        issuer=an_issuer(delivery.store), now=datetime.now(UTC),
    )  # fmt: skip
    delivery.pass_the_wait(replaced)
    assert delivery.finish(replaced)["chased"] == {"outcome": "no_longer_asked"}


def test_a_minor_version_to_a_spoc_who_signed_is_delivered_and_not_chased(delivery: Delivery):
    # Given the SPOC signed the current version
    first = delivery.start(delivery.latest())
    spoc = str(delivery.spoc.email)
    email = wait_for(lambda: handbook_emails(delivery, spoc), what="the handbook email")[0]
    assert sign_the_handbook(next(u for u in email["links"] if u.endswith("/handbook")), "Kim Hollins").ok
    # When a minor version is delivered to them
    minor = delivery.publish(material=False, summary="New phone number for the DSL")
    output = delivery.finish(delivery.start(minor))
    # Then they are told, not asked to sign, and nothing waits
    assert output["delivery"] == {"delivered": True, "to_sign": False}
    assert "chased" not in output
    update = f"Updated: our employer handbook, version {minor}"
    assert delivery.runtime.wait_for_email(spoc, update)
    delivery.sfn.stop_execution(executionArn=first)


def test_a_material_version_fans_out_to_every_active_employer_once(runtime: RuntimeProcess, approved):
    # Given eight approved employers (more than the Map state runs at once), each with a SPOC of its own
    employers = [approved() for _ in range(8)]
    # When an admin publishes a material version
    number = employers[0].publish(material=True, summary="New Prevent referral route", roll_out=True)
    # Then the rollout offers it to every one of them, and each SPOC is sent exactly one link to sign
    rollout = runtime.state_machine_arn("HandbookRolloutStateMachine").replace(":stateMachine:", ":execution:")
    sfn = employers[0].sfn
    done = wait_for(
        lambda: (
            (d := sfn.describe_execution(executionArn=f"{rollout}:handbook-v{number}"))["status"] != "RUNNING" and d
        ),
        timeout=60,
        what="the rollout",
    )
    assert done["status"] == "SUCCEEDED", done
    offers = {o["employer_id"]: o["started"] for o in json.loads(done["output"])["offers"]}
    assert all(offers[e.employer_id] is True for e in employers)
    subject = f"Please read and acknowledge: our employer handbook, version {number},"
    for employer in employers:
        runtime.wait_for_email(str(employer.spoc.email), subject, timeout=60)
    outbox = runtime.outbox()
    for employer in employers:
        sent = [m for m in outbox if str(employer.spoc.email) in m["to"] and subject in m["subject"]]
        assert len(sent) == 1, [m["subject"] for m in sent]
