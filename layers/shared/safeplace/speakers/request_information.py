from datetime import datetime

from safeplace.core.audit import AuditEvent
from safeplace.core.notifications import render_email
from safeplace.core.ports import AuditTrail, Mailer, Workflows
from safeplace.speakers.booking import BookingStatus
from safeplace.speakers.ports import BookingLookup, TaskParking
from safeplace.speakers.resubmit_booking import INFORMATION_STEP
from safeplace.speakers.wait_for_person import WORKFLOW, wait_for_person


def request_information(
    booking_id: str,
    task_token: str,
    *,
    bookings: BookingLookup,
    waits: TaskParking,
    audit: AuditTrail,
    mailer: Mailer,
    workflows: Workflows,
    base_url: str,
    now: datetime,
) -> None:
    """The approver's question goes to the requester, who answers by changing and resending the request."""
    booking = bookings.get_booking(booking_id)
    waiting = BookingStatus.MORE_INFORMATION
    parked = wait_for_person(
        booking, INFORMATION_STEP, task_token, waiting, bookings=bookings, waits=waits, workflows=workflows, now=now
    )
    if not parked:
        return
    audit.append_audit(AuditEvent(subject=booking.subject, action="booking.information_requested", actor=WORKFLOW), now)
    mailer.send(
        render_email(
            "speaker_outcome",
            to=str(booking.request.requested_by),
            booking=booking,
            console=f"{base_url}/staff/speakers/{booking.id}",
        )
    )
