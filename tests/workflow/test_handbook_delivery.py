"""Each SPOC's handbook delivery run by moto's interpreter with the real handler: the copy and the email, then
reminders until they sign, the compliance team told after the last, and a stop when a newer material version
or a new SPOC takes over. The waits are a minute here, passed by moving the runtime's clock; days on AWS
(HandbookReminderIntervalDays)."""

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from safeplace.adapters.ses import Mailer
from safeplace.onboarding.change_spoc import change_spoc
from safeplace.onboarding.models import Spoc
from safeplace_local.client import RuntimeProcess
from safeplace_local.employer_link import sign_the_handbook
from tests.support.builders import COMPLIANCE, SENDER
from tests.support.records import an_issuer
from tests.workflow.conftest import Delivery, rollout_executions, wait_for

pytestmark = pytest.mark.workflow


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
    mailer = Mailer(SENDER, client=delivery.runtime.client("sesv2"))
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
    offers = {
        o["employer_id"]: o["started"]
        for e in rollout_executions(runtime, f"handbook-v{number}")
        for o in e["output"]["offers"]
    }
    assert all(offers[e.employer_id] is True for e in employers)
    subject = f"Please read and acknowledge: our employer handbook, version {number},"
    for employer in employers:
        runtime.wait_for_email(str(employer.spoc.email), subject, timeout=60)
    outbox = runtime.outbox()
    for employer in employers:
        sent = [m for m in outbox if str(employer.spoc.email) in m["to"] and subject in m["subject"]]
        assert len(sent) == 1, [m["subject"] for m in sent]
