from safeplace.core.paging import MAX_PAGE_SIZE, Page, page_size
from safeplace.speakers.booking import BookingSummary
from safeplace.speakers.ports import BookingPages


def list_bookings(
    *, bookings: BookingPages, text: str = "", cursor: str | None = None, limit: int = MAX_PAGE_SIZE
) -> Page[BookingSummary]:
    """A page of the register: soonest event first, or A to Z of the bookings whose speaker's or organisation's
    name starts with `text`."""
    return bookings.booking_page(text, cursor=cursor, limit=page_size(limit))
