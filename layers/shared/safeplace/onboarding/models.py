"""The employer and its checks: what onboarding records, from the invitation to the renewals."""

import re
import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import ConfigDict, EmailStr, Field, StringConstraints, field_validator, model_validator

from safeplace.core.model import Model
from safeplace.core.types import Phone, PlainLines, Text

EmployerId = Annotated[str, StringConstraints(pattern=r"^emp-[0-9a-f]{12}$")]


POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")


COMPANY_NUMBER = re.compile(r"^(?:[0-9]{8}|[A-Z]{2}[0-9]{6})$")


def new_employer_id() -> str:
    return f"emp-{uuid.uuid4().hex[:12]}"


class EmployerStatus(StrEnum):
    INVITED = "invited"
    CHANGES_REQUESTED = "changes_requested"
    SUBMITTED = "submitted"
    STALLED = "stalled"
    NEEDS_ATTENTION = "needs_attention"
    CHECKS_PASSED = "checks_passed"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return {
            EmployerStatus.INVITED: "Invited",
            EmployerStatus.CHANGES_REQUESTED: "Changes requested",
            EmployerStatus.SUBMITTED: "Submitted, awaiting review",
            EmployerStatus.STALLED: "No response",
            EmployerStatus.NEEDS_ATTENTION: "Needs attention",
            EmployerStatus.CHECKS_PASSED: "Onboarding checks passed",
            EmployerStatus.WITHDRAWN: "Invitation withdrawn",
        }[self]


class CheckType(StrEnum):
    """One check per section of the onboarding form; the values are the placement gate's requirement names."""

    ORGANISATION = "organisation"
    SPOC = "spoc"
    SPOC_TRAINING = "spoc_training"
    EMPLOYERS_LIABILITY_INSURANCE = "employers_liability_insurance"
    HEALTH_AND_SAFETY_POLICY = "health_and_safety_policy"
    RISK_ASSESSMENT = "risk_assessment"
    YOUNG_PERSONS_RISK_ASSESSMENT = "young_persons_risk_assessment"
    SAFEGUARDING_ARRANGEMENTS = "safeguarding_arrangements"
    MINIMUM_SAFEGUARDING_REQUIREMENTS = "minimum_safeguarding_requirements"

    @property
    def label(self) -> str:
        return {
            CheckType.ORGANISATION: "Organisation, sites and main contact",
            CheckType.SPOC: "Single point of contact (SPOC)",
            CheckType.EMPLOYERS_LIABILITY_INSURANCE: "Employer's liability insurance",
            CheckType.HEALTH_AND_SAFETY_POLICY: "Health and safety policy",
            CheckType.RISK_ASSESSMENT: "Workplace risk assessment",
            CheckType.YOUNG_PERSONS_RISK_ASSESSMENT: "Learners aged 16 to 18",
            CheckType.SAFEGUARDING_ARRANGEMENTS: "Safeguarding arrangements",
            CheckType.MINIMUM_SAFEGUARDING_REQUIREMENTS: "Minimum safeguarding requirements",
            CheckType.SPOC_TRAINING: "SPOC safeguarding and Prevent training",
        }[self]

    @property
    def in_a_sentence(self) -> str:
        """The label inside a sentence: a leading acronym keeps its capitals."""
        label = self.label
        return label if label[:2].isupper() else label[0].lower() + label[1:]


class CheckStatus(StrEnum):
    NOT_STARTED = "not_started"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    EXPIRED = "expired"
    REVOKED = "revoked"


class Check(Model):
    type: CheckType
    status: CheckStatus = CheckStatus.NOT_STARTED
    updated_at: datetime
    reason: str | None = None
    decided_by: str | None = None
    # Set when approved, from the evidence and the check policy: the gate compares it with a start date.
    valid_until: date | None = None
    attested: bool = False
    # Set by the first reminder: the employer may send renewed evidence, and the approval it replaces
    # still holds until this day while the renewal is reviewed.
    renewing_until: date | None = None

    @property
    def holds(self) -> bool:
        """Whether the gate counts this check: approved, or approved before with its renewal in review or
        sent back (the earlier evidence stands until it runs out)."""
        renewing = self.status in (CheckStatus.SUBMITTED, CheckStatus.REJECTED) and self.renewing_until is not None
        return self.status is CheckStatus.APPROVED or renewing


class Milestone(StrEnum):
    """A day the daily sweep acts on for a check with a validity period."""

    REMINDER = "reminder"
    ESCALATION = "escalation"
    LAPSE = "lapse"


class DueState(StrEnum):
    PENDING = "pending"
    ACTED = "acted"  # the record changed; the emails may not have gone yet
    DONE = "done"


class Due(Model):
    """A milestone of one approved check, found by the daily sweep through the index of its day."""

    employer_id: str
    employer_name: str
    check: CheckType
    milestone: Milestone
    due_on: date
    valid_until: date
    state: DueState = DueState.PENDING

    @property
    def key(self) -> str:
        # Several reminders share a check and a validity; their days tell them apart.
        return f"{self.check}#{self.valid_until.isoformat()}#{self.milestone}#{self.due_on.isoformat()}"

    @property
    def days_left(self) -> int:
        """Days from the milestone to the check's last valid day: the lead time the provider set."""
        return (self.valid_until - self.due_on).days


class ReviewDecision(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"


class CheckRevocation(Model):
    """Withdrawing an approval: the reason is recorded, and the DSL reads it."""

    model_config = ConfigDict(str_strip_whitespace=True)

    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000), PlainLines]


class CheckReview(Model):
    """A reviewer's decision on one check: approve, or reject with a reason the employer will read."""

    model_config = ConfigDict(str_strip_whitespace=True)

    decision: ReviewDecision
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000), PlainLines] = ""

    @model_validator(mode="after")
    def _reason_for_rejection(self) -> "CheckReview":
        if self.decision is ReviewDecision.REJECT and not self.reason:
            raise ValueError("Say what the employer needs to put right: they will read this reason")
        return self


class Invitation(Model):
    """What staff enter to invite an employer."""

    model_config = ConfigDict(str_strip_whitespace=True)

    employer_name: Text = Field(description="The employer's name as staff know it")
    contact_name: Text = Field(description="Who at the employer should receive the invitation")
    contact_email: EmailStr = Field(description="Where the invitation is sent")


class ContactCorrection(Model):
    """Who the invitation should go to instead: an address that was wrong, or bounced."""

    model_config = ConfigDict(str_strip_whitespace=True)

    contact_name: Text = Field(description="Who at the employer should receive the invitation")
    contact_email: EmailStr = Field(description="Where the invitation is sent")


class Employer(Model):
    id: EmployerId
    name: str
    contact_name: str
    contact_email: EmailStr
    status: EmployerStatus
    invited_by: str
    invited_at: datetime
    updated_at: datetime
    version: int = Field(ge=1)
    invitation_number: int = Field(default=1, ge=1)
    checks: list[Check] = Field(default_factory=list)
    # When the onboarding link it was last sent stops working: kept beside it so a list can say an invitation
    # expired without reading each employer's link.
    invitation_expires_at: datetime | None = None

    @property
    def subject(self) -> str:
        return f"employer/{self.id}"

    def summary(self) -> "EmployerSummary":
        return EmployerSummary(
            id=self.id,
            name=self.name,
            status=self.status,
            updated_at=self.updated_at,
            invitation_expires_at=self.invitation_expires_at,
        )

    def moved_to(self, status: EmployerStatus, now: datetime, checks: list[Check] | None = None) -> "Employer":
        """The next version of this employer; saving it is conditional on this version."""
        return self.model_copy(
            update={
                "status": status,
                "updated_at": now,
                "version": self.version + 1,
                "checks": self.checks if checks is None else checks,
            }
        )

    def waiting_for_review(self, after: CheckType | None = None) -> CheckType | None:
        """The next check a reviewer can decide, in the page's order from `after` and round to the start; None
        when none waits (the employer's answers are no longer under review)."""
        if self.status is not EmployerStatus.SUBMITTED:
            return None
        order = [c.type for c in self.checks]
        start = order.index(after) + 1 if after in order else 0
        waiting = [c.type for c in self.checks[start:] + self.checks[:start] if c.status is CheckStatus.SUBMITTED]
        return waiting[0] if waiting else None

    def check(self, check: CheckType) -> "Check | None":
        return next((c for c in self.checks if c.type is check), None)

    @property
    def onboarding_execution_name(self) -> str:
        # Deterministic from the business key, so a repeated start is harmless.
        return f"onboarding-{self.id}-{self.invitation_number}"


class Address(Model):
    model_config = ConfigDict(str_strip_whitespace=True)

    line1: Text
    line2: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    town: Text
    postcode: Text

    @field_validator("postcode")
    @classmethod
    def _uk_postcode(cls, value: str) -> str:
        normalised = value.upper()
        if not POSTCODE.match(normalised):
            raise ValueError("Enter a real UK postcode, like SW1A 1AA")
        return normalised


class Spoc(Model):
    """The employer's single point of contact (guidance 7.3, 11.4, 11.5)."""

    model_config = ConfigDict(str_strip_whitespace=True)

    name: Text
    role: Text
    email: EmailStr
    phone: Phone


class EmployerSummary(Model):
    id: str
    name: str
    status: EmployerStatus
    updated_at: datetime
    invitation_expires_at: datetime | None = None

    def invitation_expired(self, now: datetime) -> bool:
        """Still to answer, and the link it was last sent no longer works: the invitation needs sending again."""
        waiting = self.status in (EmployerStatus.INVITED, EmployerStatus.CHANGES_REQUESTED)
        return waiting and self.invitation_expires_at is not None and self.invitation_expires_at <= now
