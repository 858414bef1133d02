"""The SPOC's safeguarding and Prevent training the provider accepts, and how often it must be refreshed.

Guidance 7.3 and 11.4: the SPOC must have received, and evidenced, training "deemed acceptable to the
provider (including refreshers)". Generic online training alone is a known risk (11.4), so the provider
lists the courses it accepts and a reviewer judges anything else. A provider changes these defaults here,
as a new version, so every decision can be read against the rules that stood on the day.
"""

from datetime import date, timedelta
from enum import StrEnum

from pydantic import ConfigDict, Field

from safeplace.core.model import Model


class TrainingLevel(StrEnum):
    AWARENESS = "awareness"
    ENHANCED = "enhanced"
    DSL = "dsl"

    @property
    def label(self) -> str:
        return {
            TrainingLevel.AWARENESS: "Awareness, such as an online Prevent or safeguarding course",
            TrainingLevel.ENHANCED: "Enhanced or role-specific, usually face to face",
            TrainingLevel.DSL: "Designated safeguarding lead (DSL) level",
        }[self]


class AcceptedCourse(Model):
    model_config = ConfigDict(frozen=True)

    id: str = Field(pattern=r"^[a-z0-9-]{1,40}$")
    name: str


OTHER_COURSE = "other"


class TrainingPolicy(Model):
    model_config = ConfigDict(frozen=True)

    version: str
    accepted_courses: tuple[AcceptedCourse, ...]
    refresher_days: dict[TrainingLevel, int]

    def course(self, course_id: str) -> AcceptedCourse | None:
        return next((c for c in self.accepted_courses if c.id == course_id), None)

    def valid_until(self, level: TrainingLevel, completed_on: date) -> date:
        return completed_on + timedelta(days=self.refresher_days[level])


TRAINING = TrainingPolicy(
    version="2026-11",
    accepted_courses=(
        AcceptedCourse(id="home-office-prevent", name="Home Office Prevent duty training (GOV.UK)"),
        AcceptedCourse(
            id="etf-prevent", name="Education and Training Foundation: Prevent for further education and training"
        ),
        AcceptedCourse(id="provider-spoc", name="Our own safeguarding and Prevent course for employer SPOCs"),
        AcceptedCourse(id="lscp-safeguarding", name="Local safeguarding children partnership: safeguarding training"),
        AcceptedCourse(id="dsl-accredited", name="Accredited designated safeguarding lead course"),
    ),
    # Awareness is refreshed yearly; DSL-level training every two years, as Keeping children safe in
    # education asks of a DSL; enhanced training sits with it.
    refresher_days={TrainingLevel.AWARENESS: 365, TrainingLevel.ENHANCED: 730, TrainingLevel.DSL: 730},
)
