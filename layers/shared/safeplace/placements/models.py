"""A learner's placement with an employer: what staff enter and what the gate decided."""

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import ConfigDict, Field, StringConstraints, model_validator

from safeplace.core.model import Model
from safeplace.core.types import Day, Text
from safeplace.onboarding.models import EmployerId
from safeplace.placements.gate import age_on


class PlacementStatus(StrEnum):
    ACTIVE = "active"
    BLOCKED = "blocked"

    @property
    def label(self) -> str:
        return {PlacementStatus.ACTIVE: "Active", PlacementStatus.BLOCKED: "Blocked"}[self]


LearnerReference = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9/_-]{3,30}$")]


class PlacementRequest(Model):
    """What staff enter to place a learner. The learner is a reference and a date of birth, not a profile."""

    model_config = ConfigDict(str_strip_whitespace=True)

    learner_reference: LearnerReference = Field(description="The provider's own reference for the learner")
    date_of_birth: Day
    employer_id: EmployerId
    site: Text = Field(
        description="Where the learner will work: the name of one of the sites the employer gave in its "
        "organisation's details (case and spacing aside)"
    )
    start_date: Day
    assessor: Text

    @model_validator(mode="after")
    def _plausible_learner(self) -> "PlacementRequest":
        if not 14 <= age_on(self.date_of_birth, self.start_date) <= 100:
            raise ValueError("Check the date of birth and the start date: the learner's age does not look right")
        return self


class PlacementSummary(Model):
    """A placement as the list shows it, and all that the list's index holds: no date of birth."""

    id: str
    learner_reference: str
    learner_16_to_18: bool
    employer_id: str
    employer_name: str
    site: str
    start_date: date
    status: PlacementStatus
    unmet: list[str]
    flags: list[str]
    recorded_at: datetime


class Placement(PlacementRequest):
    id: str
    employer_name: str
    status: PlacementStatus
    unmet: list[str]
    policy_version: str
    learner_16_to_18: bool
    recorded_by: str
    recorded_at: datetime
    updated_at: datetime
    flags: list[str] = Field(default_factory=list)

    @property
    def subject(self) -> str:
        return f"placement/{self.id}"

    def summary(self) -> PlacementSummary:
        return PlacementSummary.model_validate(self.model_dump(include=set(PlacementSummary.model_fields)))


def new_placement_id() -> str:
    return f"plc-{uuid.uuid4().hex[:12]}"
