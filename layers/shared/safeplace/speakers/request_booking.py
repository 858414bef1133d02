from datetime import datetime
from typing import Protocol

from pydantic import Field

from safeplace.core.audit import AuditEvent
from safeplace.core.errors import InvalidRequest
from safeplace.core.model import Model
from safeplace.core.ports import Workflows
from safeplace.speakers.booking import Booking, BookingStatus, new_booking_id
from safeplace.speakers.checks import run_checks
from safeplace.speakers.models import BookingDetails, CheckResult, SpeakerBookingRequest
from safeplace.speakers.ports import SpeakerRegister
from safeplace.speakers.risk import POLICY, RiskRating, Route, SpeakerPolicy, rate, route
from safeplace.speakers.working_days import day_in_england
from safeplace.staff import access
from safeplace.staff.access import Action
from safeplace.staff.models import StaffUser


class BookingRequests(SpeakerRegister, Protocol):
    def create_booking(self, booking: Booking, event: AuditEvent) -> None: ...


class BookingTimings(Model):
    """How long the workflow waits for a decision before escalating, and for more information before it
    withdraws the request."""

    decision_wait_seconds: int = Field(ge=1)
    information_wait_seconds: int = Field(ge=1)


class BookingProblems(InvalidRequest):
    """A request no booking can be made of; the problems are keyed by the request's field names."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(" ".join(problems.values()))
        self.problems = problems


def ensure_bookable(details: BookingDetails, now: datetime) -> None:
    if problem := details.event.why_not_bookable(day_in_england(now)):
        raise BookingProblems({"event.on": problem})


class Assessment(Model):
    checks: list[CheckResult]
    rating: RiskRating
    route: Route


def assess(
    request: SpeakerBookingRequest, register: SpeakerRegister, now: datetime, policy: SpeakerPolicy
) -> Assessment:
    """The checks, the rating they add up to and who decides: run on every request and every resubmission."""
    known = register.speaker_register(request.speaker.name, request.speaker.organisation)
    checks = run_checks(request, day_in_england(now), known, policy)
    rating = rate(checks, policy)
    return Assessment(checks=checks, rating=rating, route=route(rating))


def request_booking(
    details: BookingDetails,
    by: StaffUser,
    *,
    bookings: BookingRequests,
    workflows: Workflows,
    state_machine_arn: str,
    timings: BookingTimings,
    now: datetime,
    policy: SpeakerPolicy = POLICY,
) -> Booking:
    """Record a booking request with its automated checks and risk rating, and start the workflow that takes
    it to the right approver (guidance 8.4)."""
    access.authorise(by, Action.REQUEST_SPEAKER_BOOKING)
    ensure_bookable(details, now)
    request = SpeakerBookingRequest.model_validate({**details.model_dump(), "requested_by": by.email})
    assessed = assess(request, bookings, now, policy)
    booking = Booking(
        id=new_booking_id(),
        request=request,
        requested_at=now,
        status=BookingStatus.AWAITING_DECISION,
        updated_at=now,
        checks=assessed.checks,
        rating=assessed.rating,
        route=assessed.route,
    )
    event = AuditEvent(
        subject=booking.subject,
        action="booking.requested",
        actor=str(by.email),
        details={"risk": booking.rating.level.value, "decided_by": booking.route.approver_role.value},
    )
    bookings.create_booking(booking, event)
    workflows.start(state_machine_arn, booking.execution_name, {"booking_id": booking.id, **timings.model_dump()})
    return booking
