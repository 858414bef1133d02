"""What an employer tells us in onboarding: one section per check (guidance 5.2, 7.3, 11.4 to 11.6).

Each section is saved on its own as the employer goes (so the form can take several visits) and is
reviewed on its own, so a rejection sends the employer back to just that section.
"""

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, ClassVar, Literal

from pydantic import ConfigDict, EmailStr, Field, StringConstraints, ValidationInfo, field_validator, model_validator

from safeplace.core.model import Model
from safeplace.core.types import LongText, OptionalText, Phone, PlainLine, PlainLines, Text
from safeplace.onboarding.models import COMPANY_NUMBER, Address, CheckType, Spoc
from safeplace.onboarding.spoc_training import OTHER_COURSE, TRAINING, TrainingLevel

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
EVIDENCE_TYPES = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}
Optional = OptionalText


class EvidenceFile(Model):
    """A file the employer uploaded, after its content was checked. The key was chosen by us, not them."""

    key: str
    content_type: Literal["application/pdf", "image/jpeg", "image/png"]
    size: int = Field(ge=1, le=MAX_EVIDENCE_BYTES)
    uploaded_at: datetime

    @property
    def label(self) -> str:
        kilobytes = max(1, round(self.size / 1024))
        size = f"{kilobytes} KB" if kilobytes < 1024 else f"{self.size / 1024 / 1024:.1f} MB"
        return f"{EVIDENCE_TYPES[self.content_type]}, {size}"


class _Section(Model):
    model_config = ConfigDict(str_strip_whitespace=True)

    # The field holding this section's uploaded file, if it takes one.
    evidence_field: ClassVar[str | None] = None

    @property
    def evidence(self) -> EvidenceFile | None:
        found: EvidenceFile | None = getattr(self, self.evidence_field) if self.evidence_field else None
        return found

    @property
    def attested(self) -> bool:
        """The employer's word stands in for evidence (the policy says where that is enough)."""
        return False

    @property
    def dated_on(self) -> date | None:
        """When the evidence was produced; a policy's validity period runs from here."""
        return None

    @property
    def expiry(self) -> date | None:
        """The last day the evidence itself is good for (an insurance policy's end)."""
        return None


class Contact(Model):
    model_config = ConfigDict(str_strip_whitespace=True)

    name: Text
    email: EmailStr
    phone: Phone


class Site(Model):
    model_config = ConfigDict(str_strip_whitespace=True)

    name: Text
    address: Address


class Organisation(_Section):
    legal_name: Text
    companies_house_number: Annotated[str, StringConstraints(strip_whitespace=True, max_length=8), PlainLine] = ""
    address: Address
    sector: Text
    employees: int = Field(ge=1, le=1_000_000)
    main_contact: Contact
    sites: list[Site] = Field(min_length=1, max_length=20)

    @field_validator("companies_house_number")
    @classmethod
    def _company_number(cls, value: str) -> str:
        value = value.upper()
        if value and not COMPANY_NUMBER.match(value):
            raise ValueError("Enter a Companies House number of 8 characters, like 01234567 or SC123456")
        return value


class SpocAnswers(_Section):
    spoc: Spoc
    commitment: bool = Field(
        description="The employer guarantees the SPOC is available to the assessor and takes "
        "responsibility for the provider's requirements (guidance 11.5)"
    )

    @field_validator("commitment")
    @classmethod
    def _committed(cls, value: bool) -> bool:
        if not value:
            raise ValueError("Confirm that the SPOC will be available and takes responsibility")
        return value


class SpocTraining(_Section):
    """The SPOC's safeguarding and Prevent training (guidance 7.3, 11.4), evidenced by its certificate."""

    course: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40), PlainLine]
    # Checked even when left blank: it is needed exactly when the course is not on the list.
    other_course: Optional = Field(default="", validate_default=True)
    training_provider: Text
    completed_on: date
    level: TrainingLevel
    certificate: EvidenceFile

    evidence_field: ClassVar[str | None] = "certificate"

    @field_validator("course")
    @classmethod
    def _known_course(cls, value: str) -> str:
        if value != OTHER_COURSE and TRAINING.course(value) is None:
            raise ValueError("Select the course from the list, or choose another course and name it")
        return value

    @field_validator("other_course")
    @classmethod
    def _named_if_other(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("course") == OTHER_COURSE and not value:
            raise ValueError("Enter the name of the course your SPOC completed")
        return value

    @property
    def course_name(self) -> str:
        found = TRAINING.course(self.course)
        return found.name if found else self.other_course

    @property
    def on_accepted_list(self) -> bool:
        return TRAINING.course(self.course) is not None

    @property
    def dated_on(self) -> date | None:
        return self.completed_on

    @property
    def expiry(self) -> date | None:
        """When a refresher is due: the refresher interval for the level runs from completion."""
        return TRAINING.valid_until(self.level, self.completed_on)


class Insurance(_Section):
    insurer: Text
    policy_number: Text
    cover_gbp: int = Field(ge=1, le=1_000_000_000, description="Cover in pounds")
    expires_on: date
    certificate: EvidenceFile

    evidence_field: ClassVar[str | None] = "certificate"

    @property
    def expiry(self) -> date | None:
        return self.expires_on


class HealthAndSafetyPolicy(_Section):
    reviewed_on: date
    document: EvidenceFile

    evidence_field: ClassVar[str | None] = "document"

    @property
    def dated_on(self) -> date | None:
        return self.reviewed_on


class RiskAssessment(_Section):
    assessed_on: date
    low_risk: bool = Field(description="An office or similar low-risk workplace: the employer may attest")
    document: EvidenceFile | None = None

    evidence_field: ClassVar[str | None] = "document"

    @model_validator(mode="after")
    def _evidence_unless_low_risk(self) -> "RiskAssessment":
        if self.document is None and not self.low_risk:
            raise ValueError("Upload your risk assessment: only a low-risk workplace may confirm it without one")
        return self

    @property
    def attested(self) -> bool:
        return self.document is None

    @property
    def dated_on(self) -> date | None:
        return self.assessed_on


class YoungPersons(_Section):
    takes_under_18: bool
    assessed_on: date | None = None
    measures: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000), PlainLines] = ""
    document: EvidenceFile | None = None

    evidence_field: ClassVar[str | None] = "document"

    @model_validator(mode="after")
    def _assessed_if_taking_under_18(self) -> "YoungPersons":
        if self.takes_under_18 and (self.assessed_on is None or not self.measures):
            raise ValueError(
                "Give the date of your young persons risk assessment and what you have put in place for learners "
                "under 18"
            )
        return self

    @property
    def dated_on(self) -> date | None:
        return self.assessed_on


class SafeguardingArrangements(_Section):
    concern_contact_name: Text
    concern_contact_role: Text
    how_learners_raise_concerns: LongText
    how_you_tell_the_provider: LongText


class MinimumRequirementsAcceptance(_Section):
    version: str
    accepted_by: Text
    accepted: bool

    @field_validator("accepted")
    @classmethod
    def _accepted(cls, value: bool) -> bool:
        if not value:
            raise ValueError("Confirm that you accept the minimum safeguarding requirements")
        return value


SECTION_MODELS: dict[CheckType, type[_Section]] = {
    CheckType.ORGANISATION: Organisation,
    CheckType.SPOC: SpocAnswers,
    CheckType.SPOC_TRAINING: SpocTraining,
    CheckType.EMPLOYERS_LIABILITY_INSURANCE: Insurance,
    CheckType.HEALTH_AND_SAFETY_POLICY: HealthAndSafetyPolicy,
    CheckType.RISK_ASSESSMENT: RiskAssessment,
    CheckType.YOUNG_PERSONS_RISK_ASSESSMENT: YoungPersons,
    CheckType.SAFEGUARDING_ARRANGEMENTS: SafeguardingArrangements,
    CheckType.MINIMUM_SAFEGUARDING_REQUIREMENTS: MinimumRequirementsAcceptance,
}


class Answers(Model):
    """Every section the employer has saved; a section is None until they save it."""

    organisation: Organisation | None = None
    spoc: SpocAnswers | None = None
    spoc_training: SpocTraining | None = None
    employers_liability_insurance: Insurance | None = None
    health_and_safety_policy: HealthAndSafetyPolicy | None = None
    risk_assessment: RiskAssessment | None = None
    young_persons_risk_assessment: YoungPersons | None = None
    safeguarding_arrangements: SafeguardingArrangements | None = None
    minimum_safeguarding_requirements: MinimumRequirementsAcceptance | None = None

    def section(self, check: CheckType) -> _Section | None:
        found: _Section | None = getattr(self, check.value)
        return found

    def with_section(self, check: CheckType, section: _Section | None) -> "Answers":
        return self.model_copy(update={check.value: section})


class SectionState(StrEnum):
    NOT_STARTED = "not_started"
    COMPLETED = "completed"
    CHANGES_NEEDED = "changes_needed"
    APPROVED = "approved"
    IN_REVIEW = "in_review"
    NOT_NEEDED = "not_needed"
    RENEWAL_DUE = "renewal_due"

    @property
    def label(self) -> str:
        return {
            SectionState.NOT_STARTED: "Not yet started",
            SectionState.COMPLETED: "Completed",
            SectionState.CHANGES_NEEDED: "Changes needed",
            SectionState.APPROVED: "Approved",
            SectionState.IN_REVIEW: "With the provider",
            SectionState.NOT_NEEDED: "Not needed",
            SectionState.RENEWAL_DUE: "Renewal due",
        }[self]
