"""Speaker bookings from request to record: the automated checks and rating, who may decide, decisions from
the console and from the emailed link, more information, escalation, the outcome to the requester and the
speaker, the speaker's acknowledgement, how the event went, and the register an inspector reads."""

import csv
import io
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from safeplace.adapters.dynamodb import Store
from safeplace.adapters.dynamodb.bookings import BookingRepository
from safeplace.adapters.ses import Mailer
from safeplace.core import clock
from safeplace.core.errors import Conflict, Forbidden, LinkNotUsable
from safeplace.settings import SpeakerTasksSettings
from safeplace.speakers.acknowledge_conditions import (
    ConditionsNotAcknowledged,
    SpeakerConfirmation,
    acknowledge_conditions,
)
from safeplace.speakers.booking import BookingStatus
from safeplace.speakers.decide_booking import AlreadyDecided, decide_booking, decide_booking_by_link, open_decision
from safeplace.speakers.export_register import register_file
from safeplace.speakers.list_bookings import list_bookings
from safeplace.speakers.models import Approval, Condition, Decline, InformationRequest, PastOutcome
from safeplace.speakers.record_event import HowItWent, record_event
from safeplace.speakers.request_booking import BookingTimings, request_booking
from safeplace.speakers.resubmit_booking import resubmit_booking
from safeplace.speakers.risk import RiskLevel
from safeplace.staff.models import Role, StaffUser
from safeplace.wiring import SpeakerTasksDependencies
from tests.support.aws import sent_emails, text_of
from tests.support.builders import COMPLIANCE, DSL, EVENT, SENDER, a_request
from tests.support.fakes import TasksRecorded
from tests.support.handlers import FakeLambdaContext, load_handler
from tests.support.project import load_event
from tests.support.records import settings_for
from tests.support.speaker_fakes import BookingsInMemory

speaker_tasks = load_handler("speaker_tasks")
NOW = datetime(2027, 6, 4, 10, 0, tzinfo=UTC)  # ten working days before the event: not late
ARN = "arn:aws:states:eu-west-2:123456789012:stateMachine:safeplace-speaker-booking"
TIMINGS = BookingTimings(decision_wait_seconds=86_400, information_wait_seconds=14 * 86_400)
SAM = StaffUser(username="sam", email="sam.staff@example.org", roles=frozenset({Role.STAFF}))
RAE = StaffUser(username="rae", email="rae.reviewer@example.org", roles=frozenset({Role.REVIEWER}))
DEE = StaffUser(username="dee", email=DSL, roles=frozenset({Role.DSL}))


@pytest.fixture
def workflows() -> TasksRecorded:
    return TasksRecorded()


@pytest.fixture
def deps(store, sesv2, workflows):
    settings = SpeakerTasksSettings(**settings_for(store), dsl_email=DSL, compliance_team_email=COMPLIANCE)
    return SpeakerTasksDependencies(settings=settings, store=store, mailer=Mailer(SENDER), workflows=workflows)


def requested(deps, request=None, by: StaffUser = SAM, at: datetime = NOW):
    return request_booking(
        request or a_request(), by, bookings=deps.store.bookings, workflows=deps.workflows, state_machine_arn=ARN,
        timings=TIMINGS, now=at,
    )  # fmt: skip


def step(deps, name: str, booking_id: str, at: datetime = NOW, **fields: Any) -> dict[str, Any]:
    event = {"step": name, "booking_id": booking_id, **fields}
    with clock.simulate(at):
        result: dict[str, Any] = speaker_tasks.lambda_handler(event, FakeLambdaContext(), deps=deps)
        return result


def records(deps) -> dict[str, Any]:
    """What a decision or a resubmission reads and writes: the booking, and the workflow task waiting on it."""
    return {"bookings": deps.store.bookings, "waits": deps.store.waits}


def decision_link(to: str) -> str:
    email = [m for m in sent_emails() if m["To"] == to and m["Subject"].startswith("Decision needed")][-1]
    return re.search(r"/link/([A-Za-z0-9_-]{43})/speaker-decision", text_of(email)).group(1)  # type: ignore[union-attr]


def test_a_request_is_checked_rated_recorded_and_its_workflow_started(deps, workflows):
    # When a member of staff asks for a complete, timely booking for adults, with materials
    booking = requested(deps, a_request(requested_by="someone.else@example.org"))
    # Then the checks pass, it is low risk, any reviewer may decide, and the signed-in user is the requester
    assert booking.rating.level is RiskLevel.LOW and booking.route.approver_role is Role.REVIEWER
    assert all(c.outcome == "passed" for c in booking.checks)
    assert booking.request.requested_by == "sam.staff@example.org"
    assert deps.store.bookings.get_booking(booking.id) == booking
    assert workflows.started == [(ARN, booking.id, {"booking_id": booking.id, **TIMINGS.model_dump()})]
    entries, _ = deps.store.audit.audit_trail(booking.subject)
    assert [(e.action, e.details["risk"]) for e in entries] == [("booking.requested", "low")]


def test_a_late_request_for_under_18s_online_goes_to_the_dsl_with_its_reasons(workflows):
    late = NOW + timedelta(days=10)
    request = a_request(audience={"under_18": True, "age_range": {"youngest": 16, "oldest": 18}},
                        event={"delivery": "online", "venue": ""})  # fmt: skip
    booking = request_booking(request, SAM, bookings=BookingsInMemory(), workflows=workflows, state_machine_arn=ARN,
                              timings=TIMINGS, now=late)  # fmt: skip
    assert booking.rating.level is RiskLevel.HIGH and booking.route.approver_role is Role.DSL
    assert any("under 18" in r.lower() for r in booking.rating.reasons)


def test_low_risk_goes_to_the_reviewers_by_link_and_a_second_click_says_it_is_already_decided(deps, workflows):
    # Given a low-risk booking, and the workflow's first step
    booking = requested(deps)
    step(deps, "request_decision", booking.id, task_token="token-1")
    # Then the reviewers' shared inbox is sent a link that opens the booking, each detail on a line of its own
    token = decision_link(COMPLIANCE)
    [email] = [m for m in sent_emails() if m["Subject"].startswith("Decision needed")]
    lines = text_of(email).splitlines()
    assert "Speaker: Priya Shah, Northern Cyber Ltd" in lines
    assert any(line.startswith("Event: Careers in cyber security, ") for line in lines)
    assert open_decision(token, links=deps.store.links, bookings=deps.store.bookings, now=NOW).id == booking.id
    # When a reviewer approves from it with conditions
    approval = Approval(conditions=frozenset({Condition.STAFF_CHAIR}), other_conditions="No filming of learners")
    decided = decide_booking_by_link(
        token, approval, links=deps.store.links, **records(deps), workflows=workflows, now=NOW
    )
    # Then the decision is recorded as theirs, the register learns it, and the workflow moves on
    assert decided.status is BookingStatus.APPROVED
    assert (decided.decisions[-1].by, decided.decisions[-1].through) == (COMPLIANCE, "emailed link")
    assert workflows.completed == [("token-1", {"outcome": "approved"})]
    [entry] = deps.store.bookings.speaker_register("PRIYA SHAH", "")
    assert entry.outcome is PastOutcome.APPROVED
    # And a second click is told who decided and when, and changes nothing
    decline = Decline(reason="Changed my mind")
    with pytest.raises(AlreadyDecided, match=f"already been decided: approved by {COMPLIANCE} on 4 June 2027"):
        decide_booking_by_link(token, decline, links=deps.store.links, **records(deps), workflows=workflows, now=NOW)
    with pytest.raises(AlreadyDecided):
        open_decision(token, links=deps.store.links, bookings=deps.store.bookings, now=NOW)
    assert deps.store.bookings.get_booking(booking.id).decisions == decided.decisions
    # And a token that never existed is simply not usable
    with pytest.raises(LinkNotUsable):
        open_decision("A" * 43, links=deps.store.links, bookings=deps.store.bookings, now=NOW)


def test_nobody_decides_their_own_request_and_only_the_dsl_decides_a_risky_one(deps, workflows):
    low = requested(deps, by=RAE)
    with pytest.raises(Forbidden, match="You asked for this booking"):
        decide_booking(low.id, Approval(), RAE, **records(deps), workflows=workflows, now=NOW)
    risky = requested(deps, a_request(materials=None))
    assert risky.route.approver_role is Role.DSL
    with pytest.raises(Forbidden, match="the DSL decides"):
        decide_booking(risky.id, Approval(), RAE, **records(deps), workflows=workflows, now=NOW)
    with pytest.raises(Forbidden):
        decide_booking(risky.id, Approval(), SAM, **records(deps), workflows=workflows, now=NOW)
    declined = decide_booking(risky.id, Decline(reason="Talk strays into politics"), DEE, **records(deps),
                              workflows=workflows, now=NOW)  # fmt: skip
    assert declined.status is BookingStatus.DECLINED and declined.decisions[-1].by == DSL
    # And the next request for the same organisation is rated high, citing the earlier decline
    again = requested(deps, a_request(speaker={"name": "Someone Else"}))
    assert again.rating.level is RiskLevel.HIGH and again.route.approver_role is Role.DSL


def test_more_information_returns_the_request_to_the_requester_who_resends_it(deps, workflows):
    booking = requested(deps, a_request(materials=None))
    asked = decide_booking(booking.id, InformationRequest(question="Send the slides, please"), DEE,
                           **records(deps), workflows=workflows, now=NOW)  # fmt: skip
    assert asked.status is BookingStatus.MORE_INFORMATION
    step(deps, "request_information", booking.id, task_token="token-info")
    [email] = [m for m in sent_emails() if m["To"] == "sam.staff@example.org"]
    assert "Send the slides, please" in text_of(email) and f"/staff/speakers/{booking.id}" in text_of(email)
    # Only the requester may resend it
    fixed = a_request(materials={"link": "https://northern-cyber.example.org/slides.pdf"})
    with pytest.raises(Forbidden):
        resubmit_booking(booking.id, fixed, RAE, **records(deps), workflows=workflows, now=NOW)
    resent = resubmit_booking(booking.id, fixed, SAM, **records(deps), workflows=workflows, now=NOW)
    # Then it is checked and rated again, and the workflow goes back to waiting for a decision
    assert resent.status is BookingStatus.AWAITING_DECISION and resent.rating.level is RiskLevel.LOW
    assert ("token-info", {"outcome": "resubmitted"}) in workflows.completed
    with pytest.raises(Conflict):
        resubmit_booking(booking.id, fixed, SAM, **records(deps), workflows=workflows, now=NOW)


def test_an_overdue_decision_is_escalated_and_the_next_link_goes_to_the_dsl(deps):
    booking = requested(deps)
    step(deps, "request_decision", booking.id, task_token="token-1")
    step(deps, "escalate", booking.id)
    overdue = [m for m in sent_emails() if m["Subject"].startswith("Overdue")]
    assert sorted(m["To"] for m in overdue) == sorted([DSL, COMPLIANCE])
    step(deps, "request_decision", booking.id, task_token="token-2")
    assert decision_link(DSL)
    assert deps.store.bookings.get_booking(booking.id).escalations == 1


def test_a_decision_made_before_the_workflow_waits_is_passed_straight_on(deps, workflows):
    booking = requested(deps)
    decide_booking(booking.id, Approval(), RAE, **records(deps), workflows=workflows, now=NOW)
    step(deps, "request_decision", booking.id, task_token="late-token")
    assert ("late-token", {"outcome": "approved"}) in workflows.completed
    assert not [m for m in sent_emails() if m["Subject"].startswith("Decision needed")]


def test_the_speaker_is_sent_the_conditions_and_acknowledges_them_by_name(deps, workflows):
    booking = requested(deps)
    approval = Approval(conditions=frozenset({Condition.MATERIALS_REVIEWED}))
    decide_booking(booking.id, approval, RAE, **records(deps), workflows=workflows, now=NOW)
    assert step(deps, "notify_outcome", booking.id) == {"status": "approved"}
    [outcome] = [m for m in sent_emails() if m["To"] == "sam.staff@example.org"]
    assert outcome["Subject"].startswith("Approved: your speaker booking")
    [to_speaker] = [m for m in sent_emails() if m["To"] == "priya@northern-cyber.example.org"]
    body = text_of(to_speaker)
    assert Condition.MATERIALS_REVIEWED.label in body and "fundamental British values" in body
    token = re.search(r"/link/([A-Za-z0-9_-]{43})/speaker", body).group(1)  # type: ignore[union-attr]
    with pytest.raises(ConditionsNotAcknowledged) as refused:
        acknowledge_conditions(
            token,
            SpeakerConfirmation(typed_name="P Shah", agreed=False),
            links=deps.store.links,
            bookings=deps.store.bookings,
            mailer=deps.mailer,
            now=NOW,
        )
    assert set(refused.value.problems) == {"agreed", "typed_name"}
    done = acknowledge_conditions(
        token,
        SpeakerConfirmation(typed_name="priya  shah", agreed=True),
        links=deps.store.links,
        bookings=deps.store.bookings,
        mailer=deps.mailer,
        now=NOW,
    )
    assert done.acknowledgement is not None and done.acknowledgement.at == NOW
    assert any("has confirmed the conditions" in m["Subject"] for m in sent_emails())
    with pytest.raises(LinkNotUsable):
        acknowledge_conditions(
            token,
            SpeakerConfirmation(typed_name="Priya Shah", agreed=True),
            links=deps.store.links,
            bookings=deps.store.bookings,
            mailer=deps.mailer,
            now=NOW,
        )


def test_a_concern_after_the_event_goes_into_the_register_and_raises_the_next_rating(deps, workflows):
    booking = requested(deps)
    decide_booking(booking.id, Approval(), RAE, **records(deps), workflows=workflows, now=NOW)
    before = datetime.combine(EVENT - timedelta(days=1), NOW.timetz())
    with pytest.raises(Conflict, match="has not happened yet"):
        record_event(booking.id, HowItWent(conditions_met=True), SAM, bookings=deps.store.bookings, now=before)
    with pytest.raises(ValueError, match="Say which condition was not kept"):
        HowItWent(conditions_met=False)
    after = datetime.combine(EVENT, NOW.timetz())
    how = HowItWent(conditions_met=False, concerns="Handed out leaflets we had not seen")
    recorded = record_event(booking.id, how, SAM, bookings=deps.store.bookings, now=after)
    assert recorded.event_record is not None and not recorded.event_record.conditions_met
    outcomes = [e.outcome for e in deps.store.bookings.speaker_register("Priya Shah", "Northern Cyber Ltd")]
    assert outcomes == [PastOutcome.APPROVED, PastOutcome.CONCERN_RAISED]
    again = requested(deps, a_request(event={"on": EVENT + timedelta(days=30)}), at=after)
    assert again.rating.level is RiskLevel.HIGH


def test_the_register_is_searchable_and_exports_every_decision_for_an_inspector(deps, workflows):
    first = requested(deps)
    other = requested(deps, a_request(speaker={"name": "=HYPERLINK(1)", "organisation": "Quayside Drama"}))
    decide_booking(first.id, InformationRequest(question="Who else attends?"), RAE, **records(deps),
                   workflows=workflows, now=NOW)  # fmt: skip
    resubmit_booking(first.id, a_request(), SAM, **records(deps), workflows=workflows, now=NOW)
    decide_booking(first.id, Approval(conditions=frozenset({Condition.RECORDED})), RAE, **records(deps),
                   workflows=workflows, now=NOW)  # fmt: skip
    assert [b.id for b in list_bookings(bookings=deps.store.bookings, text="northern cyber").items] == [first.id]
    assert [b.id for b in list_bookings(bookings=deps.store.bookings, text="QUAYSIDE").items] == [other.id]
    rows = list(csv.DictReader(io.StringIO(register_file(bookings=deps.store.bookings).csv)))
    mine = [r for r in rows if r["booking"] == first.id]
    assert [(r["decision"], r["decided by"], r["conditions, reason or question"]) for r in mine] == [
        ("ask", "rae.reviewer@example.org", "Who else attends?"),
        ("approve", "rae.reviewer@example.org", Condition.RECORDED.label),
    ]
    [undecided] = [r for r in rows if r["booking"] == other.id]
    assert undecided["speaker"] == "'=HYPERLINK(1)" and undecided["status"] == "awaiting_decision"


def test_a_request_never_completed_is_withdrawn_and_the_requester_told(deps, workflows):
    booking = requested(deps)
    decide_booking(booking.id, InformationRequest(question="Which room?"), RAE, **records(deps),
                   workflows=workflows, now=NOW)  # fmt: skip
    step(deps, "withdraw", booking.id)
    assert deps.store.bookings.get_booking(booking.id).status is BookingStatus.WITHDRAWN
    assert any(m["Subject"].startswith("Withdrawn: your speaker booking") for m in sent_emails())


def test_the_sample_events_are_steps_the_function_accepts(deps):
    booking = requested(deps)
    for name in ("speaker_tasks_request_decision.json", "speaker_tasks_notify_outcome.json"):
        event = json.loads(json.dumps(load_event(name)).replace("BOOKING_ID", booking.id))
        with clock.simulate(NOW):
            speaker_tasks.lambda_handler(event, FakeLambdaContext(), deps=deps)
    assert decision_link(COMPLIANCE)


class ClashingBookings(BookingRepository):
    """The bookings, with someone else's write landing just before this caller's next save."""

    def __init__(self, bookings: BookingRepository, other: Callable[[], object]) -> None:
        super().__init__(bookings.table)
        self.other: Callable[[], object] | None = other

    def save_booking(self, *args: Any, **kwargs: Any) -> None:
        if self.other:
            other, self.other = self.other, None
            other()
        super().save_booking(*args, **kwargs)


class ClashingStore(Store):
    """The store with clashing bookings, for a handler: it hands its steps the store's repositories."""

    def __init__(self, store: Store, other: Callable[[], object]) -> None:
        super().__init__(store.table.name, store.table.retention, client=store.table.client)
        self.bookings = ClashingBookings(self.bookings, other)


def test_a_decision_that_clashes_with_the_workflows_own_write_is_written_again(deps, workflows):
    # Given the workflow records its decision link at the very moment a reviewer decides in the console
    booking = requested(deps)
    workflow = lambda: step(deps, "request_decision", booking.id, task_token="token-1")  # noqa: E731
    clashing = ClashingBookings(deps.store.bookings, workflow)
    # When the reviewer's decision finds the booking changed, it is read again and written again
    decided = decide_booking(
        booking.id, Approval(), RAE, bookings=clashing, waits=deps.store.waits, workflows=workflows, now=NOW
    )
    assert decided.status is BookingStatus.APPROVED and decided.decision_link_to == COMPLIANCE
    assert ("token-1", {"outcome": "approved"}) in workflows.completed


def test_a_workflow_step_that_clashes_with_a_decision_sends_the_workflow_on(deps, workflows):
    # Given a reviewer decides at the very moment the workflow records its decision link
    booking = requested(deps)
    console = lambda: decide_booking(booking.id, Approval(), RAE, **records(deps), workflows=workflows, now=NOW)  # noqa: E731
    clashing_deps = SpeakerTasksDependencies(
        settings=deps.settings, store=ClashingStore(deps.store, console), mailer=deps.mailer, workflows=workflows
    )
    # When the step finds the booking decided, it sends the workflow on and emails nobody
    step(clashing_deps, "request_decision", booking.id, task_token="token-1")
    assert ("token-1", {"outcome": "approved"}) in workflows.completed
    assert not [m for m in sent_emails() if m["Subject"].startswith("Decision needed")]
