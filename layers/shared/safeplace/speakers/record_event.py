from datetime import datetime

from pydantic import ConfigDict, Field, model_validator

from safeplace.core.audit import AuditEvent
from safeplace.core.model import Model
from safeplace.speakers.booking import Booking, EventRecord, register_entries
from safeplace.speakers.ports import BookingRecords
from safeplace.staff import access
from safeplace.staff.access import Action
from safeplace.staff.models import StaffUser


class HowItWent(Model):
    model_config = ConfigDict(str_strip_whitespace=True)

    conditions_met: bool = Field(description="Whether every condition of the approval was kept")
    concerns: str = Field(default="", max_length=2000, description="Anything said or done that gave concern")

    @model_validator(mode="after")
    def _a_broken_condition_is_a_concern(self) -> "HowItWent":
        if not self.conditions_met and not self.concerns:
            raise ValueError("Say which condition was not kept, and what happened")
        return self


def record_event(booking_id: str, how: HowItWent, by: StaffUser, *, bookings: BookingRecords, now: datetime) -> Booking:
    """After the event: whether the conditions were kept and any concern. A concern goes into the register,
    so the next request for this speaker or organisation is rated with it."""
    access.authorise(by, Action.RECORD_SPEAKER_EVENT)
    booking = bookings.get_booking(booking_id)
    if refused := booking.why_not_record_event(now.date()):
        raise refused
    record = EventRecord(
        conditions_met=how.conditions_met, concerns=how.concerns, recorded_by=by.email, recorded_at=now
    )
    after = booking.moved_to(booking.status, now, event_record=record)
    event = AuditEvent(
        subject=booking.subject,
        action="booking.event_recorded",
        actor=str(by.email),
        details={"conditions_met": str(how.conditions_met).lower(), "concerns": str(bool(how.concerns)).lower()},
    )
    register = register_entries(after, now.date()) if how.concerns else ()
    bookings.save_booking(booking, after, event, register=register)
    return after
