from safeplace.adapters.dynamodb import Store
from safeplace.speakers.booking import Booking, BookingStatus
from safeplace.speakers.models import register_key


def _searchable(booking: Booking) -> tuple[str, ...]:
    request = booking.request
    return (request.speaker.name, request.speaker.organisation, request.topic, request.event.title)


def list_bookings(*, store: Store, text: str = "") -> list[Booking]:
    """The register of bookings, soonest event first, searchable by speaker, organisation, topic or title."""
    wanted = register_key(text)
    found = store.list_bookings(tuple(BookingStatus))
    return [b for b in found if not wanted or any(wanted in register_key(v) for v in _searchable(b))]
