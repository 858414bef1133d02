"""One settings model per function, read from the environment the template gives it.

Every field is required: a missing table name or sender fails the cold start with a clear message
instead of running with a silent default. Plain pydantic models read from the environment: pydantic-settings
would do the same and add a third of `import boto3, pydantic` to every cold start.
"""

import os
from collections.abc import Mapping
from datetime import timedelta
from typing import Self
from urllib.parse import urlsplit

from pydantic import ConfigDict, EmailStr, Field, HttpUrl, field_validator

from safeplace.core.links import LinkIssuer, LinkStore
from safeplace.core.model import Model
from safeplace.core.provider import ProviderContact
from safeplace.core.retention import Retention
from safeplace.handbook.models import ProviderDetails
from safeplace.handbook.offer_handbook import ChaseSchedule
from safeplace.onboarding.invite_employer import OnboardingTimings
from safeplace.onboarding.renewals import RenewalSchedule
from safeplace.speakers.request_booking import BookingTimings
from safeplace.speakers.request_decision import Approvers


class _FunctionSettings(Model):
    model_config = ConfigDict(frozen=True, extra="ignore")

    table_name: str = Field(min_length=3)
    link_retention_days: int = Field(ge=1)
    audit_retention_years: int = Field(ge=1)
    provider_name: str = Field(min_length=1)
    provider_email: EmailStr
    provider_phone: str = Field(min_length=1)
    provider_website: HttpUrl

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> Self:
        """The settings a function's environment gives it: `TABLE_NAME` is `table_name`."""
        return cls.model_validate({name.lower(): value for name, value in environ.items()})

    @property
    def contact(self) -> ProviderContact:
        return ProviderContact(
            name=self.provider_name, email=self.provider_email, phone=self.provider_phone, website=self.provider_website
        )

    @property
    def retention(self) -> Retention:
        return Retention(link_days=self.link_retention_days, audit_years=self.audit_retention_years)


class _SendsLinks(_FunctionSettings):
    sender_email: EmailStr
    public_base_url: HttpUrl
    invitation_valid_days: int = Field(ge=1)

    def link_issuer(self, store: LinkStore) -> LinkIssuer:
        return LinkIssuer(store, str(self.public_base_url), timedelta(days=self.invitation_valid_days))


class StaffApiSettings(_FunctionSettings):
    public_base_url: HttpUrl
    cognito_domain_url: HttpUrl
    cognito_issuer: HttpUrl
    cognito_client_id: str = Field(min_length=1)
    staff_session_hours: int = Field(ge=1, le=24)
    onboarding_state_machine_arn: str = Field(pattern=r"^arn:aws[a-z-]*:states:")
    handbook_rollout_state_machine_arn: str = Field(pattern=r"^arn:aws[a-z-]*:states:")
    speaker_booking_state_machine_arn: str = Field(pattern=r"^arn:aws[a-z-]*:states:")
    speaker_decision_wait_hours: int = Field(ge=1)
    speaker_information_wait_days: int = Field(ge=1)
    invitation_valid_days: int = Field(ge=1)
    submission_wait_hours: int = Field(ge=1)
    reminders_before_escalation: int = Field(ge=0)
    review_wait_hours: int = Field(ge=1)
    sender_email: EmailStr
    dsl_email: EmailStr
    evidence_bucket: str = Field(min_length=3)
    # CloudFormation hands a list parameter over as "60,30,7".
    renewal_reminder_days: tuple[int, ...]
    renewal_escalation_days: int = Field(ge=0)

    @field_validator("renewal_reminder_days", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        return tuple(part.strip() for part in value.split(",")) if isinstance(value, str) else value

    @property
    def renewals(self) -> RenewalSchedule:
        return RenewalSchedule(reminder_days=self.renewal_reminder_days, escalation_days=self.renewal_escalation_days)

    def link_issuer(self, store: LinkStore) -> LinkIssuer:
        return LinkIssuer(store, str(self.public_base_url), timedelta(days=self.invitation_valid_days))

    @property
    def base_path(self) -> str:
        return urlsplit(str(self.public_base_url)).path.rstrip("/")

    @property
    def secure_cookies(self) -> bool:
        return self.public_base_url.scheme == "https"

    @property
    def session_lifetime(self) -> timedelta:
        return timedelta(hours=self.staff_session_hours)

    @property
    def booking_timings(self) -> BookingTimings:
        return BookingTimings(
            decision_wait_seconds=self.speaker_decision_wait_hours * 3600,
            information_wait_seconds=self.speaker_information_wait_days * 86_400,
        )

    @property
    def onboarding_timings(self) -> OnboardingTimings:
        return OnboardingTimings(
            submission_wait_seconds=self.submission_wait_hours * 3600,
            reminders_before_escalation=self.reminders_before_escalation,
            review_wait_seconds=self.review_wait_hours * 3600,
        )


class LinkPagesSettings(_SendsLinks):
    evidence_bucket: str = Field(min_length=3)


class OnboardingTasksSettings(_SendsLinks):
    compliance_team_email: EmailStr
    handbook_rollout_state_machine_arn: str = Field(pattern=r"^arn:aws[a-z-]*:states:")


class DailySweepSettings(_SendsLinks):
    compliance_team_email: EmailStr
    dsl_email: EmailStr


class SpeakerTasksSettings(_SendsLinks):
    dsl_email: EmailStr
    compliance_team_email: EmailStr

    @property
    def approvers(self) -> Approvers:
        return Approvers(dsl=self.dsl_email, compliance_team=self.compliance_team_email)


class HandbookTasksSettings(_SendsLinks):
    evidence_bucket: str = Field(min_length=3)
    compliance_team_email: EmailStr
    # Named, not referenced, in the template: the delivery and rollout workflows call this function back.
    handbook_delivery_state_machine_arn: str = Field(pattern=r"^arn:aws[a-z-]*:states:")
    handbook_rollout_state_machine_arn: str = Field(pattern=r"^arn:aws[a-z-]*:states:")
    handbook_reminder_interval_days: int = Field(ge=1)
    handbook_reminders_before_escalation: int = Field(ge=0)
    dsl_name: str = Field(min_length=1)
    dsl_email: EmailStr
    dsl_phone: str = Field(min_length=1)
    safeguarding_phone: str = Field(min_length=1)
    absence_email: EmailStr
    absence_report_hours: int = Field(ge=1, le=24)

    @property
    def provider(self) -> ProviderDetails:
        return ProviderDetails(
            name=self.provider_name,
            dsl_name=self.dsl_name,
            dsl_email=self.dsl_email,
            dsl_phone=self.dsl_phone,
            safeguarding_phone=self.safeguarding_phone,
            absence_email=self.absence_email,
            absence_report_hours=self.absence_report_hours,
        )

    @property
    def chase(self) -> ChaseSchedule:
        return ChaseSchedule(
            reminder_interval_days=self.handbook_reminder_interval_days,
            reminders_before_escalation=self.handbook_reminders_before_escalation,
        )
