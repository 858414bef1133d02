"""What each function works with, built once per cold start from its settings: the one place adapters are made.

Handlers take their dependencies as an argument with these as the production default, so tests pass their own.
Every adapter creates its boto3 client lazily: building them here costs nothing at import.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import cache, partial

from safeplace.adapters.cognito import HostedSignIn
from safeplace.adapters.dynamodb import Store
from safeplace.adapters.s3 import EvidenceFiles
from safeplace.adapters.ses import Mailer
from safeplace.adapters.stepfunctions import Workflows
from safeplace.core.notifications import sign_as
from safeplace.handbook.offer_handbook import offer_current_handbook
from safeplace.onboarding.models import Check, Employer
from safeplace.placements.admit_employer import Admitted, admit_employer
from safeplace.placements.flag_placements import put_learners_at_risk
from safeplace.placements.models import Placement
from safeplace.placements.release_placements import release_placements
from safeplace.settings import (
    DailySweepSettings,
    HandbookTasksSettings,
    LinkPagesSettings,
    OnboardingTasksSettings,
    SpeakerTasksSettings,
    StaffApiSettings,
    _FunctionSettings,
    _SendsLinks,
)


def _store(settings: _FunctionSettings) -> Store:
    return Store(settings.table_name, settings.retention)


def _mailer(settings: _SendsLinks | StaffApiSettings) -> Mailer:
    """Emails from the provider by name, signed with its contact details."""
    sign_as(settings.contact, f"{str(settings.public_base_url).rstrip('/')}/staff")
    return Mailer(settings.sender_email, settings.provider_name)


class _AdmitsEmployers:
    """What follows once an employer's checks all pass, connected here so onboarding never imports it: its waiting
    learners are released and its SPOC is sent the current handbook through the rollout workflow."""

    settings: StaffApiSettings | OnboardingTasksSettings
    store: Store
    mailer: Mailer
    workflows: Workflows

    def admit(self, employer_id: str, *, now: datetime) -> Admitted:
        store = self.store
        offer = partial(
            offer_current_handbook,
            employers=store.employers,
            handbook=store.handbook,
            workflows=self.workflows,
            rollout_arn=self.settings.handbook_rollout_state_machine_arn,
        )
        return admit_employer(
            employer_id,
            placements=store.placements,
            mailer=self.mailer,
            offer_handbook=offer,
            now=now,
        )


@dataclass(frozen=True)
class StaffApiDependencies(_AdmitsEmployers):
    settings: StaffApiSettings
    store: Store
    workflows: Workflows
    sign_in: HostedSignIn
    mailer: Mailer
    files: EvidenceFiles


@dataclass(frozen=True)
class LinkPagesDependencies:
    settings: LinkPagesSettings
    store: Store
    workflows: Workflows
    mailer: Mailer
    files: EvidenceFiles

    def release_learners(self, employer_id: str, *, now: datetime) -> list[Placement]:
        return release_placements(employer_id, placements=self.store.placements, mailer=self.mailer, now=now)


@dataclass(frozen=True)
class OnboardingTasksDependencies(_AdmitsEmployers):
    settings: OnboardingTasksSettings
    store: Store
    mailer: Mailer
    workflows: Workflows


@dataclass(frozen=True)
class DailySweepDependencies:
    settings: DailySweepSettings
    store: Store
    mailer: Mailer

    def learners_at_risk(
        self, employer: Employer, check: Check, flag: str, *, actor: str, now: datetime
    ) -> list[Placement]:
        return put_learners_at_risk(
            employer,
            check,
            flag,
            actor=actor,
            placements=self.store.placements,
            mailer=self.mailer,
            dsl=str(self.settings.dsl_email),
            now=now,
        )


@dataclass(frozen=True)
class SpeakerTasksDependencies:
    settings: SpeakerTasksSettings
    store: Store
    mailer: Mailer
    workflows: Workflows


@dataclass(frozen=True)
class HandbookTasksDependencies:
    settings: HandbookTasksSettings
    store: Store
    mailer: Mailer
    files: EvidenceFiles
    workflows: Workflows


# The settings classes read the environment the template gives each function; mypy cannot see that.
@cache
def staff_api_dependencies() -> StaffApiDependencies:
    settings = StaffApiSettings.from_environment()
    base = str(settings.public_base_url).rstrip("/")
    return StaffApiDependencies(
        settings=settings,
        store=_store(settings),
        workflows=Workflows(),
        sign_in=HostedSignIn(
            domain_url=str(settings.cognito_domain_url),
            issuer=str(settings.cognito_issuer),
            client_id=settings.cognito_client_id,
            redirect_uri=f"{base}/staff/auth/callback",
            signed_out_uri=f"{base}/staff/signed-out",
        ),
        mailer=_mailer(settings),
        files=EvidenceFiles(settings.evidence_bucket),
    )


@cache
def link_pages_dependencies() -> LinkPagesDependencies:
    settings = LinkPagesSettings.from_environment()
    return LinkPagesDependencies(
        settings=settings,
        store=_store(settings),
        workflows=Workflows(),
        mailer=_mailer(settings),
        files=EvidenceFiles(settings.evidence_bucket),
    )


@cache
def onboarding_tasks_dependencies() -> OnboardingTasksDependencies:
    settings = OnboardingTasksSettings.from_environment()
    return OnboardingTasksDependencies(
        settings=settings, store=_store(settings), mailer=_mailer(settings), workflows=Workflows()
    )


@cache
def daily_sweep_dependencies() -> DailySweepDependencies:
    settings = DailySweepSettings.from_environment()
    return DailySweepDependencies(settings=settings, store=_store(settings), mailer=_mailer(settings))


@cache
def speaker_tasks_dependencies() -> SpeakerTasksDependencies:
    settings = SpeakerTasksSettings.from_environment()
    return SpeakerTasksDependencies(
        settings=settings, store=_store(settings), mailer=_mailer(settings), workflows=Workflows()
    )


@cache
def handbook_tasks_dependencies() -> HandbookTasksDependencies:
    settings = HandbookTasksSettings.from_environment()
    return HandbookTasksDependencies(
        settings=settings,
        store=_store(settings),
        mailer=_mailer(settings),
        files=EvidenceFiles(settings.evidence_bucket),
        workflows=Workflows(),
    )
