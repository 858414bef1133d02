"""A speaker booking as recorded: the request, what the checks found, who decides, every decision taken on
it, the speaker's acknowledgement of the conditions and how the event went (guidance 8.4)."""

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from safeplace.core.types import LongText, Text
from safeplace.speakers.models import (
    Approval,
    CheckResult,
    Decline,
    InformationRequest,
    PastOutcome,
    RegisterEntry,
    SpeakerBookingRequest,
)
from safeplace.speakers.risk import RiskRating, Route


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


class Decision(BaseModel):
    """One decision as the register keeps it: what, by whom, when, and the conditions or the reason."""

    made: Approval | Decline | InformationRequest = Field(discriminator="decision")
    by: str = Field(description="The approver's address, or the address the decision link was sent to")
    through: Literal["console", "emailed link"]
    at: datetime


class SpeakerAcknowledgement(BaseModel):
    typed_name: Text
    at: datetime


class EventRecord(BaseModel):
    """After the event: whether the conditions were kept, and any concern (it goes into the register)."""

    model_config = ConfigDict(str_strip_whitespace=True)

    conditions_met: bool
    concerns: LongText | Literal[""] = ""
    recorded_by: EmailStr
    recorded_at: datetime


class Booking(BaseModel):
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
    def awaiting_decision(self) -> bool:
        """Whether the booking waits for a decision: only then may the console or the approver's link make one."""
        return self.status is BookingStatus.AWAITING_DECISION

    @property
    def approval(self) -> Approval | None:
        last = self.decisions[-1].made if self.decisions else None
        return last if isinstance(last, Approval) and self.status is BookingStatus.APPROVED else None

    def moved_to(self, status: BookingStatus, now: datetime, **changes: object) -> "Booking":
        return self.model_copy(update={"status": status, "updated_at": now, "version": self.version + 1, **changes})


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
