from collections.abc import Iterable
from typing import Protocol

from safeplace.speakers.booking import Booking, BookingStatus
from safeplace.speakers.models import register_key


class BookingsByStatus(Protocol):
    def list_bookings(self, statuses: Iterable[BookingStatus]) -> list[Booking]: ...


def _searchable(booking: Booking) -> tuple[str, ...]:
    request = booking.request
    return (request.speaker.name, request.speaker.organisation, request.topic, request.event.title)


def list_bookings(*, bookings: BookingsByStatus, text: str = "") -> list[Booking]:
    """The register of bookings, soonest event first, searchable by speaker, organisation, topic or title."""
    wanted = register_key(text)
    found = bookings.list_bookings(tuple(BookingStatus))
    return [b for b in found if not wanted or any(wanted in register_key(v) for v in _searchable(b))]
