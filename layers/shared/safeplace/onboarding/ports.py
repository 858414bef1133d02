"""What onboarding's use cases ask of the records they keep, and of the features that follow it.

Each records Protocol lists only what some use case calls; the DynamoDB repositories satisfy them,
and tests pass small fakes. Onboarding says when; placements and the handbook say how, and each function's wiring
(safeplace.wiring) connects them, so onboarding never imports what depends on it.
"""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Protocol

from safeplace.core.audit import AuditEvent
from safeplace.core.links import Link, LinkLookup, LinkPurpose
from safeplace.core.paging import Page
from safeplace.onboarding.answers import Answers, EvidenceFile, _Section
from safeplace.onboarding.models import Check, CheckType, Due, DueState, Employer, EmployerStatus, EmployerSummary

# -- employers --------------------------------------------------------------------------------


class KnownEmployers(Protocol):
    def get_employer(self, employer_id: str) -> Employer: ...


class InvitedEmployers(KnownEmployers, Protocol):
    def note_invitation_link(self, employer_id: str, expires_at: datetime) -> None:
        """Keep when the onboarding link just sent stops working, beside the employer (its version unchanged)."""


class EmployerRecords(InvitedEmployers, Protocol):
    """Employers whose status and checks move on, a version at a time, each change with its audit entry."""

    def save_employer(
        self, before: Employer, after: Employer, event: AuditEvent, *, due: Iterable[Due] = ()
    ) -> None: ...


class NewEmployers(Protocol):
    def create_employer(self, employer: Employer, event: AuditEvent) -> None: ...


class EmployerPages(Protocol):
    """Employers a page at a time: newest change first, or by the first letters of their name."""

    def employer_page(
        self, status: EmployerStatus | None, name_prefix: str, *, cursor: str | None, limit: int
    ) -> Page[EmployerSummary]: ...


class EmployerChoices(EmployerPages, KnownEmployers, Protocol):
    """Employers to choose one from: those found by name, and one already chosen by its id."""


class Submissions(Protocol):
    """The answers each employer last sent."""

    def get_submission(self, employer_id: str) -> Answers | None: ...


class EmployerAnswers(KnownEmployers, Submissions, Protocol):
    """An employer with the answers it sent: what the gate, the evidence and the employer's page read."""


class ReviewedEmployers(EmployerRecords, Submissions, Protocol):
    """Employers whose sent answers are checked, automatically or by a reviewer."""


class SpocChanges(EmployerAnswers, Protocol):
    def change_spoc(
        self, before: Employer, after: Employer, answers: Answers, event: AuditEvent, now: datetime
    ) -> None: ...


# -- the onboarding form, as the employer fills it in -------------------------------------------


class OnboardingForms(EmployerAnswers, Protocol):
    def get_draft(self, employer_id: str) -> tuple[Answers, dict[CheckType, EvidenceFile]]: ...


class DraftAnswers(OnboardingForms, Protocol):
    def save_draft_section(self, employer_id: str, check: CheckType, section: _Section, now: datetime) -> None: ...


class DraftEvidence(DraftAnswers, Protocol):
    def save_upload(self, employer_id: str, check: CheckType, file: EvidenceFile) -> None: ...


class SentAnswers(OnboardingForms, Protocol):
    def record_submission(
        self, before: Employer, after: Employer, answers: Answers, consumed: Link, event: AuditEvent, now: datetime
    ) -> None: ...


# -- check milestones: what the daily sweep chases and lapses ----------------------------------


class DueMilestones(KnownEmployers, Protocol):
    def advance_due(
        self, due: Due, to: DueState, *, event: AuditEvent | None = None, now: datetime | None = None
    ) -> Due: ...

    def act_on_due(self, due: Due, before: Employer, after: Employer, event: AuditEvent) -> Due: ...


class ChasedMilestones(DueMilestones, Submissions, Protocol):
    """Milestones whose emails go to the people named in the employer's answers."""


class MilestoneSweep(ChasedMilestones, Protocol):
    def due_on(self, day: date) -> list[Due]: ...

    def sweep_progress(self) -> date | None: ...

    def save_sweep_progress(self, day: date) -> None: ...


# -- workflows parked until the employer or a reviewer acts -------------------------------------


class TaskParking(Protocol):
    def save_wait(self, employer_id: str, step: str, task_token: str, now: datetime) -> None: ...


class ParkedTasks(Protocol):
    def get_wait(self, employer_id: str, step: str) -> str | None: ...


class ResumedTasks(ParkedTasks, Protocol):
    """Parked tasks a use case completes, then clears."""

    def clear_wait(self, employer_id: str, step: str, task_token: str) -> None: ...


# -- the employer's emailed link --------------------------------------------------------------


class CurrentLinks(LinkLookup, Protocol):
    def current_link_hash(self, subject_id: str, purpose: LinkPurpose) -> str | None: ...


class RevocableLinks(Protocol):
    def revoke_current_link(self, subject_id: str, purpose: LinkPurpose, now: datetime) -> None: ...


# -- the features that follow onboarding -----------------------------------------------------


class Admission(Protocol):
    """An employer whose checks all passed: its waiting learners may start and its SPOC gets the handbook."""

    def __call__(self, employer_id: str, *, now: datetime) -> object: ...


class LearnersAtRisk(Protocol):
    """A check that stopped holding: learners already placed are flagged and the DSL is told."""

    def __call__(self, employer: Employer, check: Check, flag: str, *, actor: str, now: datetime) -> object: ...
