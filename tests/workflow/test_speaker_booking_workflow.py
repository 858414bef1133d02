"""The speaker booking state machine run by moto's interpreter with the real handler: the decision link to the
right approver, a decision by that link, the outcome to the requester and the speaker; an overdue decision
escalated to the DSL; a question back to the requester and the resent request; a request never completed,
withdrawn. The waits are a minute here, passed by moving the runtime's clock; hours and days on AWS."""

import re
import time
from datetime import UTC, datetime
from typing import Any

import pytest
import requests

from safeplace.adapters.dynamodb import Store
from safeplace.adapters.stepfunctions import Workflows
from safeplace.core.retention import Retention
from safeplace.speakers.booking import BookingStatus
from safeplace.speakers.models import Materials
from safeplace.speakers.request_booking import BookingTimings, request_booking
from safeplace.speakers.resubmit_booking import resubmit_booking
from safeplace.staff.models import Role, StaffUser
from safeplace_local.client import RuntimeProcess
from tests.support.builders import a_request, in_good_time
from tests.workflow.conftest import A_MINUTE, wait_for

pytestmark = pytest.mark.workflow

COMPLIANCE = "compliance@example.org"
DSL = "dsl@example.org"


class Bookings:
    def __init__(self, runtime: RuntimeProcess) -> None:
        self.runtime = runtime
        self.sfn = runtime.client("stepfunctions")
        self.store = Store(
            runtime.resource_name("Table"), Retention(link_days=90, audit_years=7), client=runtime.client("dynamodb")
        )
        self.arn = runtime.state_machine_arn("SpeakerBookingStateMachine")
        unique = time.monotonic_ns()
        self.requester = StaffUser(username=f"sam{unique}", email=f"sam+{unique}@example.org",
                                   roles=frozenset({Role.STAFF}))  # fmt: skip
        self.speaker = f"priya+{unique}@northern-cyber.example.org"

    def request(self, decision_wait: int = A_MINUTE, information_wait: int = A_MINUTE, **changes: Any) -> str:
        # In good time whatever today is; a speaker and organisation of its own, so that the register's earlier
        # decisions in this shared runtime do not change its rating.
        unique = time.monotonic_ns()
        speaker = {"email": self.speaker, "name": f"Priya {unique}", "organisation": f"Northern Cyber {unique}"}
        details = a_request(event={"on": in_good_time()}, speaker=speaker, **changes)
        booking = request_booking(
            details, self.requester, bookings=self.store.bookings, workflows=Workflows(self.sfn),
            state_machine_arn=self.arn,
            timings=BookingTimings(decision_wait_seconds=decision_wait, information_wait_seconds=information_wait),
            now=datetime.now(UTC),
        )  # fmt: skip
        return booking.id

    def execution(self, booking_id: str) -> str:
        return f"{self.arn.replace(':stateMachine:', ':execution:')}:{booking_id}"

    def entered(self, booking_id: str) -> list[str]:
        events = self.sfn.get_execution_history(executionArn=self.execution(booking_id), maxResults=1000)["events"]
        return [e["stateEnteredEventDetails"]["name"] for e in events if "stateEnteredEventDetails" in e]

    def waiting_in(self, booking_id: str, state: str) -> bool:
        entered = self.entered(booking_id)
        return bool(entered) and entered[-1] == state

    def finish(self, booking_id: str, timeout: float = 30.0) -> dict[str, Any]:
        return wait_for(
            lambda: (
                (d := self.sfn.describe_execution(executionArn=self.execution(booking_id)))["status"] != "RUNNING" and d
            ),
            timeout=timeout,
            what="the booking workflow to finish",
        )

    def decision_link(self, booking_id: str, to: str) -> str:
        title = self.store.bookings.get_booking(booking_id).request.speaker.name
        email = self.runtime.wait_for_email(to, f"speaker booking, {title}")
        return next(u for u in email["links"] if u.endswith("/speaker-decision"))


@pytest.fixture
def bookings(runtime: RuntimeProcess) -> Bookings:
    return Bookings(runtime)


def decide(link: str, form: dict[str, str] | list[tuple[str, str]]) -> requests.Response:
    return requests.post(link, data=form, timeout=10)


def test_a_low_risk_request_is_decided_by_link_and_the_speaker_acknowledges(bookings: Bookings):
    booking_id = bookings.request()
    # The reviewers' shared inbox gets the link; a reviewer approves with a condition
    link = bookings.decision_link(booking_id, COMPLIANCE)
    assert "Careers in cyber security" in requests.get(link, timeout=10).text
    decided = decide(link, [("decision", "approve"), ("conditions", "staff_chair")])
    assert decided.status_code == 200, decided.text
    assert bookings.finish(booking_id)["status"] == "SUCCEEDED"
    assert bookings.entered(booking_id) == ["AwaitDecision", "Decided", "NotifyOutcome"]
    # The requester hears, and the speaker is sent the conditions with a link to confirm them
    outcome = bookings.runtime.wait_for_email(str(bookings.requester.email), "Approved: your speaker booking")
    assert "A member of staff chairs the session" in outcome["text"]
    to_speaker = bookings.runtime.wait_for_email(bookings.speaker, "please confirm the conditions")
    [speaker_link] = [u for u in to_speaker["links"] if u.endswith("/speaker")]
    name = bookings.store.bookings.get_booking(booking_id).request.speaker.name
    confirmed = requests.post(speaker_link, data={"agreed": "yes", "typed_name": name}, timeout=10)
    assert confirmed.status_code == 200, confirmed.text
    assert bookings.store.bookings.get_booking(booking_id).acknowledgement is not None
    # And a second click on the decision link says it is already decided
    again = decide(link, {"decision": "decline", "reason": "No"})
    assert again.status_code == 409 and "already been decided" in again.text


def test_an_overdue_decision_is_escalated_and_the_dsl_decides(bookings: Bookings):
    booking_id = bookings.request()
    bookings.decision_link(booking_id, COMPLIANCE)
    wait_for(lambda: bookings.waiting_in(booking_id, "AwaitDecision"), what="the decision wait")
    # When nobody decides in time, the DSL and the compliance team are told, and the DSL gets the next link
    bookings.runtime.advance_clock(A_MINUTE)
    overdue = bookings.runtime.wait_for_email(DSL, "Overdue: nobody has decided the speaker booking")
    assert booking_id in overdue["text"]
    link = bookings.decision_link(booking_id, DSL)
    assert decide(link, {"decision": "decline", "reason": "Too late to check"}).status_code == 200
    assert bookings.finish(booking_id)["status"] == "SUCCEEDED"
    assert "Escalate" in bookings.entered(booking_id)
    assert bookings.store.bookings.get_booking(booking_id).status is BookingStatus.DECLINED
    assert bookings.runtime.wait_for_email(str(bookings.requester.email), "Declined: your speaker booking")


def test_more_information_goes_back_to_the_requester_and_the_resent_request_is_decided(bookings: Bookings):
    booking_id = bookings.request(materials=None)
    link = bookings.decision_link(booking_id, DSL)
    assert decide(link, {"decision": "ask", "question": "Send the slides"}).status_code == 200
    asked = bookings.runtime.wait_for_email(str(bookings.requester.email), "More information asked for")
    assert "Send the slides" in asked["text"]
    wait_for(lambda: bookings.waiting_in(booking_id, "AwaitInformation"), what="the information wait")
    current = bookings.store.bookings.get_booking(booking_id).request
    fixed = current.model_copy(update={"materials": Materials(link="https://northern-cyber.example.org/slides.pdf")})
    resubmit_booking(booking_id, fixed, bookings.requester, bookings=bookings.store.bookings,
                     waits=bookings.store.waits, workflows=Workflows(bookings.sfn), now=datetime.now(UTC))  # fmt: skip
    # Now low risk: the next link goes to the reviewers
    wait_for(lambda: bookings.entered(booking_id).count("AwaitDecision") == 2, what="a second decision wait")
    second = bookings.decision_link(booking_id, COMPLIANCE)
    assert decide(second, {"decision": "approve"}).status_code == 200
    assert bookings.finish(booking_id)["status"] == "SUCCEEDED"
    assert bookings.store.bookings.get_booking(booking_id).status is BookingStatus.APPROVED


def test_a_request_never_completed_is_withdrawn(bookings: Bookings):
    booking_id = bookings.request(materials=None)
    link = bookings.decision_link(booking_id, DSL)
    assert decide(link, {"decision": "ask", "question": "Which room?"}).status_code == 200
    wait_for(lambda: bookings.waiting_in(booking_id, "AwaitInformation"), what="the information wait")
    # When the requester never answers in time
    bookings.runtime.advance_clock(A_MINUTE)
    assert bookings.finish(booking_id)["status"] == "SUCCEEDED"
    assert bookings.entered(booking_id)[-1] == "Withdraw"
    assert bookings.store.bookings.get_booking(booking_id).status is BookingStatus.WITHDRAWN
    assert bookings.runtime.wait_for_email(str(bookings.requester.email), "Withdrawn: your speaker booking")
    assert re.search(r"withdrawn", bookings.runtime.wait_for_email(str(bookings.requester.email), "Withdrawn")["text"])
