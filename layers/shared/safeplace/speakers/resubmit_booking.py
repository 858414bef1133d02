from datetime import datetime

from safeplace.core.audit import AuditEvent
from safeplace.core.ports import Workflows
from safeplace.speakers.booking import Booking, BookingStatus
from safeplace.speakers.models import BookingDetails, SpeakerBookingRequest
from safeplace.speakers.ports import ParkedTasks, ReassessedBookings
from safeplace.speakers.request_booking import assess, ensure_bookable
from safeplace.speakers.risk import POLICY, SpeakerPolicy
from safeplace.staff.models import StaffUser

INFORMATION_STEP = "information"


def resubmit_booking(
    booking_id: str,
    details: BookingDetails,
    by: StaffUser,
    *,
    bookings: ReassessedBookings,
    waits: ParkedTasks,
    workflows: Workflows,
    now: datetime,
    policy: SpeakerPolicy = POLICY,
) -> Booking:
    """The requester answers the approver's question by correcting the request: it is checked and rated
    again, and goes back to whoever the new rating routes it to."""
    booking = bookings.get_booking(booking_id)
    if refused := booking.why_not_resend(by):
        raise refused
    ensure_bookable(details, now)
    requester = booking.request.requested_by
    request = SpeakerBookingRequest.model_validate({**details.model_dump(), "requested_by": requester})
    assessed = assess(request, bookings, now, policy)
    after = booking.moved_to(
        BookingStatus.AWAITING_DECISION,
        now,
        request=request,
        checks=assessed.checks,
        rating=assessed.rating,
        route=assessed.route,
        decision_link_to=None,
    )
    event = AuditEvent(
        subject=booking.subject,
        action="booking.resubmitted",
        actor=str(by.email),
        details={"risk": after.rating.level.value, "decided_by": after.route.approver_role.value},
    )
    bookings.save_booking(booking, after, event)
    token = waits.get_wait(booking.id, INFORMATION_STEP)
    if token and workflows.complete(token, {"outcome": "resubmitted"}):
        waits.clear_wait(booking.id, INFORMATION_STEP, token)
    return after
