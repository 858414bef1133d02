from datetime import datetime

from safeplace.core.audit import AuditEvent
from safeplace.core.errors import Conflict, InvalidRequest
from safeplace.core.links import LinkPurpose, LinkStore, resolve
from safeplace.core.model import Model
from safeplace.core.notifications import render_email
from safeplace.core.ports import Mailer
from safeplace.speakers.booking import Booking, BookingStatus, SpeakerAcknowledgement
from safeplace.speakers.ports import BookingLookup, BookingRecords


class ConditionsNotAcknowledged(InvalidRequest):
    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(" ".join(problems.values()))
        self.problems = problems


class SpeakerConfirmation(Model):
    typed_name: str
    agreed: bool


def open_conditions(token: str, *, links: LinkStore, bookings: BookingLookup, now: datetime) -> Booking:
    """The approved booking behind a speaker's link. Reads only: mail scanners open links too."""
    link = resolve(links, token, LinkPurpose.SPEAKER_CONDITIONS, now=now)
    booking = bookings.get_booking(link.subject_id)
    if booking.status is not BookingStatus.APPROVED:
        raise Conflict(f"This booking is {booking.status.label.lower()}: there is nothing to acknowledge")
    return booking


def acknowledge_conditions(
    token: str,
    confirmation: SpeakerConfirmation,
    *,
    links: LinkStore,
    bookings: BookingRecords,
    mailer: Mailer,
    now: datetime,
) -> Booking:
    """The speaker accepts the conditions and the code of conduct by name; the requester is told."""
    booking = open_conditions(token, links=links, bookings=bookings, now=now)
    problems: dict[str, str] = {}
    if not confirmation.agreed:
        problems["agreed"] = "Confirm that you will keep to the conditions and the code of conduct"
    typed = " ".join(confirmation.typed_name.split())
    if typed.casefold() != " ".join(booking.request.speaker.name.split()).casefold():
        problems["typed_name"] = f"Type your full name as the booking gives it: {booking.request.speaker.name}"
    if problems:
        raise ConditionsNotAcknowledged(problems)
    link = resolve(links, token, LinkPurpose.SPEAKER_CONDITIONS, now=now)
    after = booking.moved_to(booking.status, now, acknowledgement=SpeakerAcknowledgement(typed_name=typed, at=now))
    event = AuditEvent(subject=booking.subject, action="booking.speaker_acknowledged", actor="speaker (emailed link)")
    bookings.save_booking(booking, after, event, consumed=link)
    mailer.send(render_email("speaker_acknowledged", to=str(booking.request.requested_by), booking=after))
    return after
