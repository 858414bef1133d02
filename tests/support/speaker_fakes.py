"""In-memory stand-ins for what the speaker booking use cases read and write, for tests of the use cases themselves."""

from collections.abc import Iterable

from safeplace.core.audit import AuditEvent
from safeplace.core.errors import Conflict, NotFound
from safeplace.core.paging import Page, name_key
from safeplace.speakers.booking import Booking, BookingSummary
from safeplace.speakers.models import RegisterEntry, register_key
from tests.support.fakes import a_page


class BookingsInMemory:
    """New bookings and the speaker register they are checked against; `events` are the audit events handed in.

    The register matches a speaker's or an organisation's name as the table's keys do (register_key).
    """

    def __init__(self, register: Iterable[RegisterEntry] = ()) -> None:
        self.bookings: dict[str, Booking] = {}
        self.register = list(register)
        self.events: list[AuditEvent] = []

    def create_booking(self, booking: Booking, event: AuditEvent) -> None:
        if booking.id in self.bookings:
            raise Conflict("This record was changed by someone else; reload and try again")
        self.bookings[booking.id] = booking
        self.events.append(event)

    def get_booking(self, booking_id: str) -> Booking:
        if booking_id not in self.bookings:
            raise NotFound("There is no such speaker booking")
        return self.bookings[booking_id]

    def _by_event(self) -> list[Booking]:
        return sorted(self.bookings.values(), key=lambda b: (b.request.event.on, b.request.event.starts_at, b.id))

    def booking_page(self, name_prefix: str, *, cursor: str | None, limit: int) -> Page[BookingSummary]:
        prefix = name_key(name_prefix)
        found = [
            b.summary()
            for b in self._by_event()
            if not prefix
            or any(name_key(n).startswith(prefix) for n in (b.request.speaker.name, b.request.speaker.organisation))
        ]
        return a_page(found, cursor, limit)

    def register_page(self, *, cursor: str | None, limit: int) -> tuple[list[Booking], str | None]:
        found = a_page(self._by_event(), cursor, limit)
        return found.items, found.next_cursor

    def speaker_register(self, speaker_name: str, organisation: str) -> list[RegisterEntry]:
        speaker, org = register_key(speaker_name), register_key(organisation)
        found = [
            e
            for e in self.register
            if register_key(e.speaker_name) == speaker or (org and register_key(e.organisation) == org)
        ]
        return sorted(found, key=lambda e: e.on)
