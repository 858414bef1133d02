from datetime import datetime

from safeplace.core.audit import AuditEvent
from safeplace.core.notifications import render_email
from safeplace.core.ports import Mailer
from safeplace.speakers.booking import BookingStatus
from safeplace.speakers.ports import BookingRecords
from safeplace.speakers.wait_for_person import WORKFLOW


def withdraw_booking(booking_id: str, *, bookings: BookingRecords, mailer: Mailer, now: datetime) -> None:
    """The requester never sent the information asked for: the request is withdrawn, and they are told."""
    booking = bookings.get_booking(booking_id)
    if booking.status is not BookingStatus.MORE_INFORMATION:
        return
    after = booking.moved_to(BookingStatus.WITHDRAWN, now)
    event = AuditEvent(subject=booking.subject, action="booking.withdrawn", actor=WORKFLOW)
    bookings.save_booking(booking, after, event)
    mailer.send(render_email("speaker_outcome", to=str(booking.request.requested_by), booking=after))
