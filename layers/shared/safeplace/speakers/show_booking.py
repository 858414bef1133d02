from datetime import datetime

from safeplace.core.audit import AuditEntry, TrailStatus
from safeplace.core.model import Model
from safeplace.core.ports import AuditHistory
from safeplace.core.read_history import read_history
from safeplace.speakers.booking import Booking
from safeplace.speakers.ports import BookingLookup


class BookingDetail(Model):
    booking: Booking
    # A page of the audit trail: its latest entries, or those before `history_before`.
    audit: list[AuditEntry]
    audit_intact: bool
    audit_check: TrailStatus = TrailStatus()
    audit_total: int = 0
    audit_earlier: int | None = None
    audit_newer: int | None = None


def show_booking(
    booking_id: str, *, bookings: BookingLookup, audit: AuditHistory, now: datetime, history_before: int | None = None
) -> BookingDetail:
    """A booking with a page of its audit trail and what the last check (and this view) found of the trail."""
    booking = bookings.get_booking(booking_id)
    history = read_history(booking.subject, audit=audit, now=now, before=history_before)
    return BookingDetail(
        booking=booking,
        audit=history.entries,
        audit_intact=history.check.intact,
        audit_check=history.check,
        audit_total=history.total,
        audit_earlier=history.earlier,
        audit_newer=history.newer,
    )
