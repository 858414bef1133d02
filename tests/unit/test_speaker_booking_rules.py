"""What may be done with a speaker booking, and by whom: the rules the use cases enforce and the console offers."""

from datetime import UTC, date, datetime, timedelta

import pytest

from safeplace.core.errors import Conflict, Forbidden
from safeplace.speakers.booking import AlreadyDecided, Booking, BookingStatus, Decision, EventRecord
from safeplace.speakers.models import Approval, Condition
from safeplace.speakers.risk import RiskLevel, RiskRating, route
from safeplace.staff.models import Role, StaffUser
from tests.support.builders import EVENT, a_request

AT = datetime(2027, 6, 4, 9, 30, tzinfo=UTC)


def someone(email: str, *roles: Role) -> StaffUser:
    return StaffUser(username=email, email=email, roles=frozenset(roles))


REQUESTER = someone("sam.staff@example.org", Role.STAFF)
COLLEAGUE = someone("sue.staff@example.org", Role.STAFF)
REVIEWER = someone("rae.reviewer@example.org", Role.REVIEWER)
DSL = someone("dee.dsl@example.org", Role.DSL)


def a_booking(status: BookingStatus, level: RiskLevel = RiskLevel.LOW, **changes: object) -> Booking:
    """Asked for by REQUESTER; low risk unless said, so any reviewer may decide it."""
    rating = RiskRating(level=level, reasons=("rated for the test",), flags=(), policy_version="test")
    booking = Booking(
        id="bkg-0123456789ab",
        request=a_request(),
        requested_at=AT,
        status=status,
        checks=[],
        rating=rating,
        route=route(rating),
        updated_at=AT,
    )
    return booking.model_copy(update=changes)


# Resending a changed request


def test_the_requester_may_resend_a_request_the_approver_asked_about_whatever_the_case_of_their_address():
    # Given a booking the approver asked more information about
    booking = a_booking(BookingStatus.MORE_INFORMATION)
    # When its requester signs in with their address in capitals, Then they may change and resend it
    assert booking.may_resend(someone("SAM.Staff@example.org", Role.STAFF))
    assert booking.why_not_resend(REQUESTER) is None


def test_a_colleague_may_not_resend_someone_elses_request():
    booking = a_booking(BookingStatus.MORE_INFORMATION)
    refused = booking.why_not_resend(COLLEAGUE)
    assert isinstance(refused, Forbidden)
    assert refused.message == "Only the person who asked for this booking can change and resend it."
    assert not booking.may_resend(COLLEAGUE)


@pytest.mark.parametrize("status", [s for s in BookingStatus if s is not BookingStatus.MORE_INFORMATION])
def test_a_request_nobody_asked_about_cannot_be_resent(status):
    # Given a booking that is not waiting for more information
    booking = a_booking(status)
    # When its requester tries to resend it, Then they are told why not
    refused = booking.why_not_resend(REQUESTER)
    assert isinstance(refused, Conflict)
    assert refused.message == f"This booking is {status.label.lower()}: it is not waiting for more information"
    assert not booking.may_resend(REQUESTER)


# Uploading materials


@pytest.mark.parametrize("status", [BookingStatus.AWAITING_DECISION, BookingStatus.MORE_INFORMATION])
def test_the_requester_may_upload_materials_until_the_booking_is_decided(status):
    booking = a_booking(status)
    assert booking.may_upload(REQUESTER)
    assert not booking.may_upload(COLLEAGUE)
    assert isinstance(booking.why_not_upload(COLLEAGUE), Forbidden)


@pytest.mark.parametrize("status", [BookingStatus.APPROVED, BookingStatus.DECLINED, BookingStatus.WITHDRAWN])
def test_materials_of_a_decided_or_withdrawn_booking_no_longer_change(status):
    booking = a_booking(status)
    refused = booking.why_not_upload(REQUESTER)
    assert isinstance(refused, Conflict)
    assert refused.message == f"This booking is {status.label.lower()}: its materials can no longer change"
    assert not booking.may_upload(REQUESTER)


# Recording how the event went


def test_an_approved_event_is_recorded_on_its_day_or_after_but_not_before():
    # Given an approved booking
    booking = a_booking(BookingStatus.APPROVED)
    # Then how it went may be recorded from the day of the event on
    assert booking.may_record_event(EVENT)
    assert booking.may_record_event(EVENT + timedelta(days=30))
    # But not the day before
    refused = booking.why_not_record_event(EVENT - timedelta(days=1))
    assert isinstance(refused, Conflict)
    assert refused.message == "The event has not happened yet: record how it went on or after the day"
    assert not booking.may_record_event(EVENT - timedelta(days=1))


def test_how_an_event_went_is_recorded_once():
    record = EventRecord(conditions_met=True, recorded_by="sam.staff@example.org", recorded_at=AT)
    booking = a_booking(BookingStatus.APPROVED, event_record=record)
    refused = booking.why_not_record_event(EVENT)
    assert isinstance(refused, Conflict) and refused.message == "How this event went is already recorded"
    assert not booking.may_record_event(EVENT)


@pytest.mark.parametrize("status", [s for s in BookingStatus if s is not BookingStatus.APPROVED])
def test_only_an_approved_event_is_recorded(status):
    booking = a_booking(status)
    refused = booking.why_not_record_event(date(2030, 1, 1))
    assert isinstance(refused, Conflict)
    assert refused.message == f"This booking is {status.label.lower()}: only an approved event can be recorded"


# Deciding


def test_a_reviewer_other_than_the_requester_may_decide_a_low_risk_booking_awaiting_a_decision():
    booking = a_booking(BookingStatus.AWAITING_DECISION)
    assert booking.awaits_decision
    assert booking.may_decide(REVIEWER) and booking.why_not_decide(REVIEWER) is None
    assert booking.may_decide(DSL)


def test_nobody_decides_a_booking_they_asked_for_even_with_the_role():
    # Given a reviewer who asked for a booking themselves
    booking = a_booking(BookingStatus.AWAITING_DECISION, request=a_request(requested_by="rae.reviewer@example.org"))
    # When they open it, Then a colleague must decide it
    refused = booking.why_not_decide(REVIEWER)
    assert isinstance(refused, Forbidden)
    assert refused.message == "You asked for this booking, so a colleague must decide it."
    assert not booking.may_decide(REVIEWER)


def test_a_reviewer_may_not_decide_a_booking_its_risk_sends_to_the_dsl():
    booking = a_booking(BookingStatus.AWAITING_DECISION, RiskLevel.MEDIUM)
    refused = booking.why_not_decide(REVIEWER)
    assert isinstance(refused, Forbidden) and refused.message.startswith("You cannot decide this booking.")
    assert not booking.may_decide(REVIEWER)
    assert booking.may_decide(DSL)


@pytest.mark.parametrize("roles", [(Role.STAFF,), (Role.ADMIN,), ()])
def test_staff_who_do_not_judge_speakers_are_not_offered_the_decision(roles):
    booking = a_booking(BookingStatus.AWAITING_DECISION)
    assert not booking.may_decide(someone("ada.admin@example.org", *roles))


def test_a_booking_already_decided_says_by_whom_and_when():
    # Given a booking a reviewer approved
    approval = Decision(
        made=Approval(conditions=frozenset({Condition.STAFF_CHAIR})),
        by="rae.reviewer@example.org",
        through="console",
        at=AT,
    )
    booking = a_booking(BookingStatus.APPROVED, decisions=[approval])
    # When the DSL opens it, Then it cannot be decided again, and they are told who decided it and when
    refused = booking.why_not_decide(DSL)
    assert isinstance(refused, AlreadyDecided)
    assert (
        refused.message
        == "This booking has already been decided: approved by rae.reviewer@example.org on 4 June 2027 at 09:30"
    )
    assert not booking.awaits_decision and not booking.may_decide(DSL)
