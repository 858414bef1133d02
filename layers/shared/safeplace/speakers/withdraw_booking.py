from datetime import datetime

from safeplace.adapters.dynamodb import Store
from safeplace.adapters.ses import Mailer
from safeplace.core.audit import AuditEvent
from safeplace.core.notifications import render_email
from safeplace.speakers.booking import BookingStatus
from safeplace.speakers.wait_for_person import WORKFLOW


def withdraw_booking(booking_id: str, *, store: Store, mailer: Mailer, now: datetime) -> None:
    """The requester never sent the information asked for: the request is withdrawn, and they are told."""
    booking = store.get_booking(booking_id)
    if booking.status is not BookingStatus.MORE_INFORMATION:
        return
    after = booking.moved_to(BookingStatus.WITHDRAWN, now)
    store.save_booking(booking, after, AuditEvent(subject=booking.subject, action="booking.withdrawn", actor=WORKFLOW))
    mailer.send(render_email("speaker_outcome", to=str(booking.request.requested_by), booking=after))
