"""What the speaker booking use cases ask of the records they read and write.

Each Protocol lists only what some use case calls; the bigger ones are the smaller ones put together. The DynamoDB
repositories (the bookings' and the workflow waits') satisfy them.
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from safeplace.core.audit import AuditEvent
from safeplace.core.links import Link
from safeplace.core.paging import Page
from safeplace.speakers.booking import Booking, BookingSummary
from safeplace.speakers.models import RegisterEntry


class BookingLookup(Protocol):
    def get_booking(self, booking_id: str) -> Booking: ...


class BookingRecords(BookingLookup, Protocol):
    """Bookings read and moved on one version at a time, with what the register learns from each change."""

    def save_booking(
        self,
        before: Booking,
        after: Booking,
        event: AuditEvent,
        *,
        register: Iterable[RegisterEntry] = (),
        consumed: Link | None = None,
    ) -> None: ...


class BookingPages(Protocol):
    """The register a page at a time: by event date, or by the first letters of a speaker's or organisation's name."""

    def booking_page(self, name_prefix: str, *, cursor: str | None, limit: int) -> Page[BookingSummary]: ...


class WaitingBookings(Protocol):
    def waiting_page(self, *, limit: int) -> Page[BookingSummary]: ...


class RegisterPages(Protocol):
    """Whole bookings, a page at a time by event date, for the register an inspector downloads."""

    def register_page(self, *, cursor: str | None, limit: int) -> tuple[list[Booking], str | None]: ...


class SpeakerRegister(Protocol):
    """What was decided about a speaker or their organisation before, and how their events went."""

    def speaker_register(self, speaker_name: str, organisation: str) -> list[RegisterEntry]: ...


class ReassessedBookings(BookingRecords, SpeakerRegister, Protocol):
    """Bookings whose checks and rating run again when the request changes, against the register."""


class TaskParking(Protocol):
    """Where the workflow parks its task token while it waits on a person."""

    def save_wait(self, subject_id: str, step: str, task_token: str, now: datetime) -> None: ...

    def clear_wait(self, subject_id: str, step: str, task_token: str) -> None: ...


class ParkedTasks(Protocol):
    """The task a person's action sends on, found where the workflow parked it."""

    def get_wait(self, subject_id: str, step: str) -> str | None: ...

    def clear_wait(self, subject_id: str, step: str, task_token: str) -> None: ...
