from datetime import datetime

from pydantic import BaseModel

from safeplace.core.audit import AuditEntry, verify
from safeplace.core.ports import AuditTrail
from safeplace.core.retention import RecordKind
from safeplace.speakers.booking import Booking
from safeplace.speakers.ports import BookingLookup


class BookingDetail(BaseModel):
    booking: Booking
    audit: list[AuditEntry]
    audit_intact: bool


def show_booking(booking_id: str, *, bookings: BookingLookup, audit: AuditTrail, now: datetime) -> BookingDetail:
    """A booking with its audit trail, verified each time it is shown."""
    booking = bookings.get_booking(booking_id)
    entries, head = audit.audit_trail(booking.subject)
    breaks = verify(entries, head, now=now, retention=audit.retention.period(RecordKind.AUDIT))
    return BookingDetail(booking=booking, audit=entries, audit_intact=not breaks)
