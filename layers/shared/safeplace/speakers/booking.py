"""A speaker booking as recorded: the request, what the checks found, who decides, every decision taken on
it, the speaker's acknowledgement of the conditions and how the event went (guidance 8.4)."""

import uuid
from datetime import date, datetime, time
from enum import StrEnum
from typing import Literal

from pydantic import ConfigDict, EmailStr, Field, ValidationInfo, field_validator

from safeplace.core.errors import Conflict, Forbidden
from safeplace.core.model import Model
from safeplace.core.types import LongText, Text
from safeplace.speakers.models import (
    Approval,
    CheckResult,
    Decline,
    InformationRequest,
    PastOutcome,
    RegisterEntry,
    SpeakerBookingRequest,
    in_england,
)
from safeplace.speakers.risk import RiskLevel, RiskRating, Route, refusal
from safeplace.staff import access
from safeplace.staff.access import Action
from safeplace.staff.models import Role, StaffUser


def new_booking_id() -> str:
    return f"bkg-{uuid.uuid4().hex[:12]}"


class BookingStatus(StrEnum):
    AWAITING_DECISION = "awaiting_decision"
    MORE_INFORMATION = "more_information"
    APPROVED = "approved"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return {
            BookingStatus.AWAITING_DECISION: "Awaiting a decision",
            BookingStatus.MORE_INFORMATION: "More information asked for",
            BookingStatus.APPROVED: "Approved",
            BookingStatus.DECLINED: "Declined",
            BookingStatus.WITHDRAWN: "Withdrawn",
        }[self]


# Its materials may change until the booking is decided, while it waits for the approver or for the requester.
_MATERIALS_OPEN = (BookingStatus.AWAITING_DECISION, BookingStatus.MORE_INFORMATION)


class AlreadyDecided(Conflict):
    """A decision link used again, or a booking someone else decided first: say what happened, not 'expired'."""


class Decision(Model):
    """One decision as the register keeps it: what, by whom, when, and the conditions or the reason."""

    made: Approval | Decline | InformationRequest = Field(discriminator="decision")
    by: str = Field(description="The approver's address, or the address the decision link was sent to")
    through: Literal["console", "emailed link"]
    at: datetime


class SpeakerAcknowledgement(Model):
    typed_name: Text
    at: datetime


class EventRecord(Model):
    """After the event: whether the conditions were kept, and any concern (it goes into the register)."""

    model_config = ConfigDict(str_strip_whitespace=True)

    conditions_met: bool
    concerns: LongText | Literal[""] = ""
    recorded_by: EmailStr
    recorded_at: datetime


class BookingSummary(Model):
    """A booking as the register lists it: what the list page shows, and all that the list's index holds."""

    id: str
    title: str
    on: date
    starts_at: time
    speaker_name: str
    organisation: str
    risk: RiskLevel
    approver_role: Role
    status: BookingStatus

    @field_validator("starts_at")
    @classmethod
    def _as_clocks_read(cls, at: time, info: ValidationInfo) -> time:
        return in_england(at, info)


class Booking(Model):
    id: str
    request: SpeakerBookingRequest
    requested_at: datetime
    status: BookingStatus
    checks: list[CheckResult]
    rating: RiskRating
    route: Route
    decisions: list[Decision] = []
    # Where the current decision link went: its holder decides as that address.
    decision_link_to: EmailStr | None = None
    escalations: int = 0
    acknowledgement: SpeakerAcknowledgement | None = None
    event_record: EventRecord | None = None
    version: int = 1
    updated_at: datetime

    @property
    def subject(self) -> str:
        return f"booking/{self.id}"

    @property
    def execution_name(self) -> str:
        return self.id

    @property
    def approval(self) -> Approval | None:
        last = self.decisions[-1].made if self.decisions else None
        return last if isinstance(last, Approval) and self.status is BookingStatus.APPROVED else None

    def summary(self) -> BookingSummary:
        request = self.request
        return BookingSummary(
            id=self.id,
            title=request.event.title,
            on=request.event.on,
            starts_at=request.event.starts_at,
            speaker_name=request.speaker.name,
            organisation=request.speaker.organisation,
            risk=self.rating.level,
            approver_role=self.route.approver_role,
            status=self.status,
        )

    def moved_to(self, status: BookingStatus, now: datetime, **changes: object) -> "Booking":
        return self.model_copy(update={"status": status, "updated_at": now, "version": self.version + 1, **changes})

    # What may be done with the booking, and by whom. Each rule is the use case's refusal (None: allowed),
    # so the console offers exactly what the use case would accept.

    @property
    def awaits_decision(self) -> bool:
        """Whether the booking waits for a decision: only then may the console or the approver's link make one."""
        return self.status is BookingStatus.AWAITING_DECISION

    def asked_for_by(self, user: StaffUser) -> bool:
        return self.request.is_from(str(user.email))

    def why_not_decide(self, user: StaffUser) -> AlreadyDecided | Forbidden | None:
        """Only while it awaits a decision, by someone its risk routes it to, never by the requester."""
        if not self.awaits_decision:
            return already_decided(self)
        reason = refusal(user, self.request, self.route)
        return Forbidden(reason) if reason else None

    def may_decide(self, user: StaffUser) -> bool:
        return access.may(user, Action.DECIDE_SPEAKER_BOOKING) and self.why_not_decide(user) is None

    def why_not_resend(self, user: StaffUser) -> Forbidden | Conflict | None:
        """Only the requester changes and resends a request, and only when the approver asked them to."""
        if not self.asked_for_by(user):
            return Forbidden("Only the person who asked for this booking can change and resend it.")
        if self.status is not BookingStatus.MORE_INFORMATION:
            return Conflict(f"This booking is {self.status.label.lower()}: it is not waiting for more information")
        return None

    def may_resend(self, user: StaffUser) -> bool:
        return self.why_not_resend(user) is None

    def why_not_upload(self, user: StaffUser) -> Forbidden | Conflict | None:
        """Only the requester adds materials, and only until the booking is decided."""
        if not self.asked_for_by(user):
            return Forbidden("Only the person who asked for this booking can add its materials.")
        if self.status not in _MATERIALS_OPEN:
            return Conflict(f"This booking is {self.status.label.lower()}: its materials can no longer change")
        return None

    def may_upload(self, user: StaffUser) -> bool:
        return self.why_not_upload(user) is None

    def why_not_record_event(self, today: date) -> Conflict | None:
        """How an approved event went is recorded once, on or after its day."""
        if self.status is not BookingStatus.APPROVED:
            return Conflict(f"This booking is {self.status.label.lower()}: only an approved event can be recorded")
        if self.event_record is not None:
            return Conflict("How this event went is already recorded")
        if self.request.event.on > today:
            return Conflict("The event has not happened yet: record how it went on or after the day")
        return None

    def may_record_event(self, today: date) -> bool:
        return self.why_not_record_event(today) is None


def already_decided(booking: Booking) -> AlreadyDecided:
    last = booking.decisions[-1] if booking.decisions else None
    if last is None:
        return AlreadyDecided(f"This booking is {booking.status.label.lower()}: there is nothing to decide")
    return AlreadyDecided(
        f"This booking has already been decided: {booking.status.label.lower()} by {last.by} on "
        f"{last.at:%-d %B %Y at %H:%M}"
    )


def register_entries(booking: Booking, on: date) -> list[RegisterEntry]:
    """What the register learns from a booking's latest decision or its event record."""
    speaker, request = booking.request.speaker, booking.request
    decision = booking.decisions[-1].made if booking.decisions else None
    if booking.event_record and booking.event_record.concerns:
        outcome, detail = PastOutcome.CONCERN_RAISED, booking.event_record.concerns
    elif isinstance(decision, Decline) and booking.status is BookingStatus.DECLINED:
        outcome, detail = PastOutcome.DECLINED, decision.reason
    elif isinstance(decision, Approval) and booking.status is BookingStatus.APPROVED:
        outcome, detail = PastOutcome.APPROVED, request.event.title
    else:
        return []
    return [
        RegisterEntry(
            speaker_name=speaker.name, organisation=speaker.organisation, outcome=outcome, on=on, detail=detail
        )
    ]
