"""The speaker booking's emailed links: the approver decides on a phone, and the speaker confirms the conditions."""

import json
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import pytest
from markupsafe import escape

from safeplace.adapters.dynamodb import Store
from safeplace.core import clock
from safeplace.speakers.booking import Booking, BookingStatus
from safeplace.speakers.code_of_conduct import CODE_OF_CONDUCT
from safeplace.speakers.decide_booking import AlreadyDecided, decide_booking, decide_booking_by_link
from safeplace.speakers.models import Approval, CheckName, Condition, Decline, SpeakerBookingRequest
from safeplace.speakers.notify_outcome import notify_outcome
from safeplace.speakers.request_booking import BookingTimings, request_booking
from safeplace.speakers.request_decision import Approvers, request_decision
from safeplace.staff.models import Role, StaffUser
from safeplace_local.employer_link import PDF
from tests.support.aws import EVIDENCE_BUCKET, link_pages_dependencies, sent_emails, text_of
from tests.support.builders import BASE_URL, COMPLIANCE, DSL, a_request
from tests.support.fakes import TasksRecorded
from tests.support.handlers import FakeLambdaContext, header, load_handler
from tests.support.project import load_event
from tests.support.records import an_issuer

link_pages = load_handler("link_pages")
NOW = datetime(2027, 6, 4, 10, 0, tzinfo=UTC)  # ten working days before the event: not late
ARN = "arn:aws:states:eu-west-2:123456789012:stateMachine:safeplace-speaker-booking"
TIMINGS = BookingTimings(decision_wait_seconds=86_400, information_wait_seconds=14 * 86_400)
SAM = StaffUser(username="sam", email="sam.staff@example.org", roles=frozenset({Role.STAFF}))
RAE = StaffUser(username="rae", email="rae.reviewer@example.org", roles=frozenset({Role.REVIEWER}))
SPEAKER = "priya@northern-cyber.example.org"


@pytest.fixture
def deps(store: Store, sesv2, evidence_bucket):
    return link_pages_dependencies(store, TasksRecorded())


def call(name: str, token: str, deps, *, body: str | None = None, **changes: Any) -> dict:
    event = json.loads(json.dumps(load_event(name)).replace("TOKEN", token))
    if body is not None:
        event["body"] = body
    event.update(changes)
    with clock.simulate(NOW):
        return link_pages.lambda_handler(event, FakeLambdaContext(), deps=deps)


def open_page(token: str, deps, page: str) -> dict:
    return call("link_pages_open.json", token, deps, path=f"/link/{token}/{page}")


def decide(token: str, deps, **form: str) -> dict:
    return call("link_pages_speaker_decide.json", token, deps, body=urlencode(form) if form else None)


def acknowledge(token: str, deps, **form: str) -> dict:
    return call("link_pages_speaker_acknowledge.json", token, deps, body=urlencode(form) if form else None)


def sent_for_decision(deps, request: SpeakerBookingRequest | None = None) -> tuple[Booking, str]:
    """A booking as staff request it, and the token in the decision link the workflow's first step emails."""
    booking = request_booking(
        request or a_request(), SAM, bookings=deps.store.bookings, workflows=deps.workflows, state_machine_arn=ARN,
        timings=TIMINGS, now=NOW,
    )  # fmt: skip
    request_decision(
        booking.id, "token-1", bookings=deps.store.bookings, waits=deps.store.waits, mailer=deps.mailer,
        issuer=an_issuer(deps.store), workflows=deps.workflows,
        approvers=Approvers(dsl=DSL, compliance_team=COMPLIANCE), base_url=BASE_URL, now=NOW,
    )  # fmt: skip
    approver = DSL if booking.route.approver_role is Role.DSL else COMPLIANCE
    email = [m for m in sent_emails() if m["To"] == approver and "Decision needed" in m["Subject"]][-1]
    token = re.search(r"/link/([A-Za-z0-9_-]{43})/speaker-decision", text_of(email)).group(1)  # type: ignore[union-attr]
    return booking, token


def sent_to_the_speaker(deps, approval: Approval) -> tuple[Booking, str]:
    """An approved booking, and the token in the link the outcome step emails the speaker."""
    booking = request_booking(
        a_request(), SAM, bookings=deps.store.bookings, workflows=deps.workflows, state_machine_arn=ARN,
        timings=TIMINGS, now=NOW,
    )  # fmt: skip
    decide_booking(
        booking.id, approval, RAE, bookings=deps.store.bookings, waits=deps.store.waits, workflows=deps.workflows,
        now=NOW,
    )  # fmt: skip
    notify_outcome(
        booking.id, bookings=deps.store.bookings, audit=deps.store.audit, mailer=deps.mailer,
        issuer=an_issuer(deps.store), now=NOW,
    )  # fmt: skip
    [email] = [m for m in sent_emails() if m["To"] == SPEAKER]
    token = re.search(r"/link/([A-Za-z0-9_-]{43})/speaker\b", text_of(email)).group(1)  # type: ignore[union-attr]
    return booking, token


def test_the_decision_page_shows_the_request_the_checks_the_rating_and_the_form(deps):
    # Given a booking with no materials and a speaker whose details hold markup, sent to the DSL to decide
    request = a_request(
        materials=None,
        speaker={"organisation": "Smith & <Sons>", "social_links": ["https://social.example.net/priya"]},
    )
    booking, token = sent_for_decision(deps, request)
    # When the DSL opens the link
    page = open_page(token, deps, "speaker-decision")
    body = page["body"]
    # Then they read the event, the audience, the speaker and the session, escaped
    assert page["statusCode"] == 200
    assert header(page, "Cache-Control") == "no-store"
    shown = ("Careers in cyber security", "21 June 2027", "10:00am to 11:00am", "Room 4, Leeds centre",
             "Level 3 digital", "Security analyst", "tom.tutor@example.org", "sam.staff@example.org")  # fmt: skip
    assert all(words in body for words in shown)
    assert "Smith &amp; &lt;Sons&gt;" in body and "<Sons>" not in body
    # And the speaker's own addresses are text, not links to follow
    assert "https://social.example.net/priya" in body and 'href="https://social.example.net' not in body
    assert 'href="https://northern-cyber.example.org' not in body
    # And every automated check with its message and outcome, the rating with its reasons, and who decides
    for check in booking.checks:
        assert check.name.label in body and str(escape(check.message)) in body
    assert 'id="check-materials"' in body and 'data-outcome="flagged"' in body
    assert {c.name for c in booking.checks} == set(CheckName)
    for reason in booking.rating.reasons:
        assert str(escape(reason)) in body
    assert booking.route.reason in body
    # And a form to approve with conditions, decline with a reason or ask a question, posting to the same link
    assert f'action="/v1/link/{token}/speaker-decision"' in body
    assert all(f'name="decision" type="radio" value="{v}"' in body for v in ("approve", "decline", "ask"))
    for condition in Condition:
        assert f'value="{condition.value}"' in body and condition.label in body
    assert all(f'name="{name}"' in body for name in ("other_conditions", "reason", "question"))
    assert "Record decision" in body and "style=" not in body


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        (
            {"reason": "Too late"},
            "decision",
            "Select whether to approve, decline or ask the requester for more information",
        ),
        (
            {"decision": "maybe"},
            "decision",
            "Select whether to approve, decline or ask the requester for more information",
        ),
        ({"decision": "decline", "reason": "  "}, "reason", "Say why the booking is declined"),
        ({"decision": "ask"}, "question", "Enter the question the requester needs to answer"),
        ({"decision": "approve", "conditions": "filmed"}, "conditions", "Select conditions from the list"),
    ],
)
def test_a_decision_the_form_cannot_take_is_explained_and_records_nothing(deps, form, field, message):
    # Given a booking waiting for a decision
    booking, token = sent_for_decision(deps)
    # When the approver sends the form without what the decision needs
    refused = decide(token, deps, **form)
    # Then the page comes back with the problem linked to its field, and the reviewer's words kept
    assert refused["statusCode"] == 400
    assert f'href="#{field}"' in refused["body"] and message in refused["body"]
    assert "<title>Error: Decide on a speaker booking" in refused["body"]
    # And nothing is recorded, the workflow still waits, and the link still works
    kept = deps.store.bookings.get_booking(booking.id)
    assert (kept.status, kept.decisions) == (BookingStatus.AWAITING_DECISION, [])
    assert deps.workflows.completed == []
    assert open_page(token, deps, "speaker-decision")["statusCode"] == 200


def test_an_approval_with_two_conditions_is_recorded_and_the_link_then_says_who_decided(deps):
    # Given a low-risk booking sent to the reviewers' shared inbox
    booking, token = sent_for_decision(deps)
    # When a reviewer approves it with two conditions (the sample event)
    decided = decide(token, deps)
    # Then the decision is recorded as the inbox's, from the link, with both conditions
    assert decided["statusCode"] == 200 and "Decision recorded" in decided["body"]
    assert Condition.STAFF_CHAIR.label in decided["body"] and Condition.MATERIALS_REVIEWED.label in decided["body"]
    stored = deps.store.bookings.get_booking(booking.id)
    [decision] = stored.decisions
    assert stored.status is BookingStatus.APPROVED
    assert decision.made == Approval(conditions=frozenset({Condition.STAFF_CHAIR, Condition.MATERIALS_REVIEWED}))
    assert (decision.by, decision.through) == (COMPLIANCE, "emailed link")
    # And the workflow moves on
    assert deps.workflows.completed == [("token-1", {"outcome": "approved"})]
    # And a second decision on the same link is told who decided, and changes nothing
    again = decide(token, deps, decision="decline", reason="Changed my mind")
    assert again["statusCode"] == 409
    assert "Already decided" in again["body"]
    assert f"This booking has already been decided: approved by {COMPLIANCE} on 4 June 2027" in again["body"]
    assert deps.store.bookings.get_booking(booking.id).decisions == stored.decisions
    # And so is opening the link again
    reopened = open_page(token, deps, "speaker-decision")
    assert reopened["statusCode"] == 409 and "already been decided" in reopened["body"]


class RivalDecidesFirst:
    """The bookings as the loser of a race reads them: the booking read for the `fire_on`th time still awaits a
    decision, and the winner's decision through the same link lands just after that read."""

    def __init__(self, bookings, rival, *, fire_on: int) -> None:
        self.bookings = bookings
        self.rival = rival
        self.reads = 0
        self.fire_on = fire_on

    def __getattr__(self, name: str):
        return getattr(self.bookings, name)

    def get_booking(self, booking_id: str) -> Booking:
        read = self.bookings.get_booking(booking_id)
        self.reads += 1
        if self.reads == self.fire_on:
            self.rival()
        return read


# The loser's first read opens the link (the winner then uses it up first); its second is the one it records on.
@pytest.mark.parametrize("fire_on", [1, 2], ids=["won after the link was opened", "won before the write"])
def test_who_loses_a_race_on_a_decision_link_is_told_who_decided(deps, fire_on):
    # Given a booking's decision link, used by someone else while this use of it is under way
    booking, token = sent_for_decision(deps)
    store = deps.store

    def winner() -> None:
        decide_booking_by_link(
            token, Decline(reason="Not for us"), links=store.links, bookings=store.bookings, waits=store.waits,
            workflows=deps.workflows, now=NOW,
        )  # fmt: skip

    racing = RivalDecidesFirst(store.bookings, winner, fire_on=fire_on)
    # When this use records its approval, Then it is told who decided, not that the link expired
    with pytest.raises(AlreadyDecided, match=f"already been decided: declined by {COMPLIANCE}"):
        decide_booking_by_link(
            token, Approval(), links=store.links, bookings=racing, waits=store.waits, workflows=deps.workflows, now=NOW
        )
    # And the winner's decision stands alone
    assert [d.made.decision for d in store.bookings.get_booking(booking.id).decisions] == ["decline"]


def test_a_booking_is_open_to_a_decision_only_while_it_awaits_one(deps):
    booking, _ = sent_for_decision(deps)
    assert booking.awaits_decision
    open_in = {status for status in BookingStatus if booking.model_copy(update={"status": status}).awaits_decision}
    assert open_in == {BookingStatus.AWAITING_DECISION}


def test_a_decline_with_its_reason_is_recorded(deps):
    booking, token = sent_for_decision(deps)
    declined = decide(token, deps, decision="decline", reason="The talk strays into party politics")
    assert declined["statusCode"] == 200 and "The talk strays into party politics" in declined["body"]
    assert deps.store.bookings.get_booking(booking.id).status is BookingStatus.DECLINED


def test_a_wrong_or_speaker_token_on_the_decision_page_is_the_standard_unusable_page(deps):
    _, speaker_token = sent_to_the_speaker(deps, Approval())
    for token in ("A" * 43, speaker_token):
        page = open_page(token, deps, "speaker-decision")
        assert page["statusCode"] == 404 and "This link has expired or does not work" in page["body"]


def test_the_speaker_page_shows_the_session_the_conditions_and_the_code_of_conduct(deps):
    # Given an approved booking with a listed and a written condition, and the speaker's emailed link
    approval = Approval(conditions=frozenset({Condition.RECORDED}), other_conditions="No filming of learners")
    _, token = sent_to_the_speaker(deps, approval)
    # When the speaker opens it
    page = open_page(token, deps, "speaker")
    body = page["body"]
    # Then they read their session, every condition, the numbered code of conduct and who will be with them
    assert page["statusCode"] == 200
    assert "Careers in cyber security" in body and "21 June 2027" in body and "tom.tutor@example.org" in body
    assert Condition.RECORDED.label in body and "No filming of learners" in body
    assert 'class="govuk-list govuk-list--number"' in body
    assert all(str(escape(item)) in body for item in CODE_OF_CONDUCT)
    # And a form to agree and sign by name
    assert f'action="/v1/link/{token}/speaker"' in body
    assert 'name="agreed"' in body and 'name="typed_name"' in body and re.search(r">\s*Confirm\s*</button>", body)
    assert "style=" not in body


def test_a_wrong_name_or_no_agreement_is_explained_and_records_nothing(deps):
    # Given the speaker's link
    booking, token = sent_to_the_speaker(deps, Approval())
    # When they type someone else's name and do not tick the box
    refused = acknowledge(token, deps, typed_name="P Shah")
    # Then both problems are shown against their fields, and nothing is recorded
    assert refused["statusCode"] == 400
    assert 'href="#agreed"' in refused["body"] and 'href="#typed_name"' in refused["body"]
    assert "Type your full name as the booking gives it: Priya Shah" in refused["body"]
    assert 'value="P Shah"' in refused["body"]
    assert deps.store.bookings.get_booking(booking.id).acknowledgement is None
    # And with the box ticked but the wrong name, only the name is wrong
    wrong_name = acknowledge(token, deps, agreed="yes", typed_name="Someone Else")
    assert wrong_name["statusCode"] == 400
    assert 'href="#typed_name"' in wrong_name["body"] and 'href="#agreed"' not in wrong_name["body"]


def test_the_speaker_confirms_by_name_and_the_link_is_then_used_up(deps):
    # Given the speaker's link
    booking, token = sent_to_the_speaker(deps, Approval(conditions=frozenset({Condition.STAFF_CHAIR})))
    # When they tick the box and type their name (the sample event)
    confirmed = acknowledge(token, deps)
    # Then the acknowledgement is recorded with the time, and the requester told
    assert confirmed["statusCode"] == 200 and "Conditions confirmed" in confirmed["body"]
    acknowledgement = deps.store.bookings.get_booking(booking.id).acknowledgement
    assert acknowledgement is not None and (acknowledgement.typed_name, acknowledgement.at) == ("Priya Shah", NOW)
    assert any(m["To"] == "sam.staff@example.org" and "confirmed the conditions" in m["Subject"] for m in sent_emails())
    # And the used link says what happened, whether opened or sent again, and records nothing more
    for used in (open_page(token, deps, "speaker"), acknowledge(token, deps)):
        assert used["statusCode"] == 200
        assert "You confirmed the conditions and our code of conduct on 4 June 2027 at 11:00am" in used["body"]
    assert deps.store.bookings.get_booking(booking.id).acknowledgement == acknowledgement


def test_the_approver_opens_uploaded_materials_through_a_five_minute_link(deps, evidence_bucket):
    # Given a booking whose materials were uploaded as a file
    key = "speaker-materials/bkg-0123456789ab/slides"
    evidence_bucket.put_object(Bucket=EVIDENCE_BUCKET, Key=key, Body=PDF)
    booking, token = sent_for_decision(deps, a_request(materials={"file_key": key}))
    # When the approver opens the decision page, it offers the file
    page = open_page(token, deps, "speaker-decision")["body"]
    assert f"/link/{token}/speaker-decision/materials" in page
    # Then opening it redirects to a link that works for five minutes, and the opening is audited
    opened = open_page(token, deps, "speaker-decision/materials")
    assert opened["statusCode"] == 303 and "X-Amz-Expires=300" in opened["multiValueHeaders"]["Location"][0]
    entries, _ = deps.store.audit.audit_trail(booking.subject)
    assert entries[-1].action == "booking.materials_opened" and entries[-1].actor == f"{COMPLIANCE} (emailed link)"


@pytest.mark.parametrize("typed", ["", "?", "x" * 2001])
def test_no_speaker_link_page_says_enter_a_valid_whatever_is_posted(deps, typed):
    _, deciding = sent_for_decision(deps)
    _, confirming = sent_to_the_speaker(deps, Approval())
    names = ("decision", "conditions", "other_conditions", "reason", "question")
    refused = [
        decide(deciding, deps, **dict.fromkeys(names, typed)),
        acknowledge(confirming, deps, **dict.fromkeys(("agreed", "typed_name"), typed)),
    ]
    for response in refused:
        assert response["statusCode"] == 400 and "There is a problem" in response["body"]
        assert not any(words in response["body"] for words in ("Enter a valid", "as a real date", "Value error"))
