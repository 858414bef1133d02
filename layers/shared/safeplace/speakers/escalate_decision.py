from datetime import datetime

from safeplace.core.audit import AuditEvent
from safeplace.core.notifications import render_email
from safeplace.core.ports import Mailer
from safeplace.speakers.ports import BookingRecords
from safeplace.speakers.request_decision import Approvers
from safeplace.speakers.wait_for_person import WORKFLOW


def escalate_decision(
    booking_id: str, *, bookings: BookingRecords, mailer: Mailer, approvers: Approvers, now: datetime
) -> None:
    """Nobody decided in time: the DSL and the compliance team are told, and the next link goes to the DSL."""
    booking = bookings.get_booking(booking_id)
    after = booking.moved_to(booking.status, now, escalations=booking.escalations + 1)
    event = AuditEvent(subject=booking.subject, action="booking.decision_overdue", actor=WORKFLOW)
    bookings.save_booking(booking, after, event)
    for to in (approvers.dsl, approvers.compliance_team):
        mailer.send(render_email("speaker_decision_overdue", to=str(to), booking=after))
