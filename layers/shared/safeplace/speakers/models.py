"""A speaker booking as staff request it, the register of earlier decisions, what the checks find, and the decision.

Guidance 8.4: due diligence on external speakers must happen in practice and its records be kept for
inspection, so every message here is written for the compliance officer who reads it later.
"""

import re
from datetime import date, time
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    ConfigDict,
    EmailStr,
    Field,
    HttpUrl,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from safeplace.core.model import Model
from safeplace.core.paging import name_key
from safeplace.core.times import wall_clock
from safeplace.core.types import Day, LongText, OptionalLongText, OptionalText, PlainLines, Text

DecisionText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000), PlainLines]

# The server chooses where uploaded materials go, so a request cannot point at another record's files.
MATERIALS_PREFIX = "speaker-materials/"
MaterialsKey = Annotated[str, StringConstraints(pattern=rf"^{re.escape(MATERIALS_PREFIX)}[A-Za-z0-9/_.-]{{1,200}}$")]


class Delivery(StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"
    HYBRID = "hybrid"

    @property
    def label(self) -> str:
        return {
            Delivery.IN_PERSON: "In person",
            Delivery.ONLINE: "Online",
            Delivery.HYBRID: "In person and online",
        }[self]


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def in_england(at: time, info: ValidationInfo) -> time:
    """A model's time of day as clocks in England read it on the model's `on` (validated before it), so a time sent
    with an offset, or stored with one before this rule, compares with any other."""
    on = info.data.get("on")
    return wall_clock(at, on) if isinstance(on, date) else at.replace(tzinfo=None)


class Event(Model):
    """The session itself. Times are as clocks in England read them; an event starts and ends on one day."""

    model_config = ConfigDict(str_strip_whitespace=True)

    title: Text
    on: Day
    starts_at: time
    ends_at: time
    delivery: Delivery
    venue: OptionalText = Field(default="", description="Where it is held; not needed for an online event")
    recorded: bool = Field(description="A recording of the session is kept")
    streamed: bool = Field(description="The session is shown live to people outside the room")

    @field_validator("starts_at", "ends_at")
    @classmethod
    def _as_clocks_read(cls, at: time, info: ValidationInfo) -> time:
        return in_england(at, info)

    def why_not_bookable(self, today: date) -> str | None:
        """Why no request can be for this day, seen from `today` in England: a day gone, or one more than two
        years off (nothing is planned that far ahead; a year typed wrongly is)."""
        if self.on < today:
            return "The date of the event must be today or in the future"
        if self.on > _years_after(today, 2):
            return "The date of the event must be within the next 2 years"
        return None

    @model_validator(mode="after")
    def _a_real_session(self) -> "Event":
        if self.ends_at <= self.starts_at:
            raise ValueError("The end time must be after the start time, on the same day")
        if self.delivery is not Delivery.ONLINE and not self.venue:
            raise ValueError("Enter the venue, or say the event is online")
        return self


class AgeRange(Model):
    youngest: int = Field(ge=14, le=100)
    oldest: int = Field(ge=14, le=100)

    @model_validator(mode="after")
    def _youngest_first(self) -> "AgeRange":
        if self.youngest > self.oldest:
            raise ValueError("The youngest age in the audience cannot be more than the oldest")
        return self


class Audience(Model):
    model_config = ConfigDict(str_strip_whitespace=True)

    size: int = Field(ge=1, le=10_000, description="How many people are expected")
    age_range: AgeRange | None = None
    # Asked outright, with no default: a missing answer must never read as "no under-18s".
    under_18: bool = Field(description="Learners under 18 attend")
    cohort: OptionalText = Field(default="", description="Which cohort or group attends")

    @model_validator(mode="after")
    def _ages_agree(self) -> "Audience":
        if self.age_range is not None and (self.age_range.youngest < 18) != self.under_18:
            raise ValueError(
                "The youngest in the age range is 18 or over, but you said learners under 18 attend: check both"
                if self.under_18
                else "The youngest in the audience is under 18: say that learners under 18 attend"
            )
        return self


class Speaker(Model):
    model_config = ConfigDict(str_strip_whitespace=True)

    name: Text
    # The speaker is sent the conditions and the code of conduct, and acknowledges them by link.
    email: EmailStr
    role: OptionalText = ""
    organisation: OptionalText = Field(default="", description="Blank when the speaker speaks for themselves")
    website: HttpUrl | None = None
    social_links: list[HttpUrl] = Field(default_factory=list, max_length=10)
    biography: OptionalLongText = ""


class Materials(Model):
    """What the speaker will show or hand out: an uploaded file or a link to it."""

    file_key: MaterialsKey | None = None
    link: HttpUrl | None = None

    @model_validator(mode="after")
    def _one_source(self) -> "Materials":
        if (self.file_key is None) == (self.link is None):
            raise ValueError("Upload the materials or give a link to them: one or the other")
        return self


class BookingDetails(Model):
    """What a member of staff asks for when they invite an external speaker or group to meet learners."""

    model_config = ConfigDict(str_strip_whitespace=True)

    event: Event
    audience: Audience
    speaker: Speaker
    topic: Text
    outline: OptionalLongText = Field(default="", description="What the session covers, in a few lines")
    materials: Materials | None = Field(default=None, description="None: nothing to see in advance")
    staff_present: EmailStr = Field(description="The member of staff who will be there throughout")


class SpeakerBookingRequest(BookingDetails):
    """The details with who asked: always the signed-in member of staff, never what a form said."""

    requested_by: EmailStr

    def is_from(self, address: str) -> bool:
        """Whether `address` is the requester's: addresses compare without regard to case."""
        return address.casefold() == str(self.requested_by).casefold()


class PastOutcome(StrEnum):
    APPROVED = "approved"
    DECLINED = "declined"
    CONCERN_RAISED = "concern_raised"


class RegisterEntry(Model):
    """One line of the provider's speaker register: an earlier decision, or a concern raised after an event."""

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    speaker_name: Text
    organisation: OptionalText = ""
    outcome: PastOutcome
    on: date
    detail: LongText = Field(description="The event's title, the reason it was declined, or the concern")


def register_key(name: str) -> str:
    """A name as the register matches it: as every list searches names (case, punctuation and spacing aside)."""
    return name_key(name)


class CheckName(StrEnum):
    COMPLETENESS = "completeness"
    LEAD_TIME = "lead_time"
    REGISTER = "register"
    UNDER_18 = "under_18"
    ONLINE = "online"
    MATERIALS = "materials"

    @property
    def label(self) -> str:
        return {
            CheckName.COMPLETENESS: "Details given",
            CheckName.LEAD_TIME: "Notice given",
            CheckName.REGISTER: "Speaker register",
            CheckName.UNDER_18: "Learners under 18",
            CheckName.ONLINE: "Online or streamed",
            CheckName.MATERIALS: "Materials",
        }[self]


class Flag(StrEnum):
    """Something a check found that raises the risk; the policy says by how much."""

    INCOMPLETE = "incomplete"
    LATE = "late"
    DECLINED_BEFORE = "declined_before"
    CONCERNS_RAISED = "concerns_raised"
    UNDER_18_AUDIENCE = "under_18_audience"
    ONLINE_OR_STREAMED = "online_or_streamed"
    NO_MATERIALS = "no_materials"

    @property
    def label(self) -> str:
        return {
            Flag.INCOMPLETE: "details the due diligence needs are missing",
            Flag.LATE: "requested with less notice than the policy asks",
            Flag.DECLINED_BEFORE: "the speaker or organisation was declined before",
            Flag.CONCERNS_RAISED: "concerns were raised after an earlier event",
            Flag.UNDER_18_AUDIENCE: "learners under 18 attend",
            Flag.ONLINE_OR_STREAMED: "the session reaches people beyond the room",
            Flag.NO_MATERIALS: "there are no materials to see in advance",
        }[self]


class Outcome(StrEnum):
    PASSED = "passed"
    FLAGGED = "flagged"


class CheckResult(Model):
    model_config = ConfigDict(frozen=True)

    name: CheckName
    outcome: Outcome
    message: str
    flags: tuple[Flag, ...] = ()

    @model_validator(mode="after")
    def _flagged_means_a_flag(self) -> "CheckResult":
        if (self.outcome is Outcome.FLAGGED) != bool(self.flags):
            raise ValueError("A flagged check names what it flags, and a passed check names nothing")
        return self


class Condition(StrEnum):
    STAFF_CHAIR = "staff_chair"
    MATERIALS_REVIEWED = "materials_reviewed"
    RECORDED = "recorded"
    OPPOSING_VIEW = "opposing_view"

    @property
    def label(self) -> str:
        return {
            Condition.STAFF_CHAIR: "A member of staff chairs the session",
            Condition.MATERIALS_REVIEWED: "The materials are reviewed before the event",
            Condition.RECORDED: "The session is recorded",
            Condition.OPPOSING_VIEW: "An opposing view is offered",
        }[self]


class Approval(Model):
    model_config = ConfigDict(str_strip_whitespace=True)

    decision: Literal["approve"] = "approve"
    conditions: frozenset[Condition] = frozenset()
    other_conditions: OptionalLongText = Field(default="", description="Any condition not on the list")

    @property
    def condition_labels(self) -> list[str]:
        """Every condition in words, the listed ones first in a fixed order."""
        listed = [c.label for c in Condition if c in self.conditions]
        return [*listed, self.other_conditions] if self.other_conditions else listed


class Decline(Model):
    model_config = ConfigDict(str_strip_whitespace=True)

    decision: Literal["decline"] = "decline"
    # Checked even when left out, so a missing reason gets the same message as a blank one.
    reason: DecisionText = Field(default="", validate_default=True)

    @field_validator("reason")
    @classmethod
    def _reason_given(cls, value: str) -> str:
        if not value:
            raise ValueError("Say why the booking is declined: the requester reads it and the register keeps it")
        return value


class InformationRequest(Model):
    model_config = ConfigDict(str_strip_whitespace=True)

    decision: Literal["ask"] = "ask"
    question: DecisionText = Field(default="", validate_default=True)

    @field_validator("question")
    @classmethod
    def _question_asked(cls, value: str) -> str:
        if not value:
            raise ValueError("Enter the question the requester needs to answer")
        return value


BookingDecision = Annotated[Approval | Decline | InformationRequest, Field(discriminator="decision")]
