from datetime import datetime

from pydantic import BaseModel

from safeplace.adapters.dynamodb import Store
from safeplace.core import audit
from safeplace.core.audit import AuditEntry
from safeplace.core.retention import RecordKind
from safeplace.speakers.booking import Booking


class BookingDetail(BaseModel):
    booking: Booking
    audit: list[AuditEntry]
    audit_intact: bool


def show_booking(booking_id: str, *, store: Store, now: datetime) -> BookingDetail:
    """A booking with its audit trail, verified each time it is shown."""
    booking = store.get_booking(booking_id)
    entries, head = store.audit_trail(booking.subject)
    breaks = audit.verify(entries, head, now=now, retention=store.retention.period(RecordKind.AUDIT))
    return BookingDetail(booking=booking, audit=entries, audit_intact=not breaks)
