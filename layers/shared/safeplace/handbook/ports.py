"""What the handbook's use cases ask of the records they read and write, and of the features that follow it.

Each Protocol lists only what some use case calls; the bigger ones are the smaller ones put together. The DynamoDB
repositories (the employers' and the handbook's) satisfy them, and each function's wiring (safeplace.wiring)
connects the features.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from safeplace.handbook.models import HandbookCopy, HandbookReceipt, HandbookVersion, SpocStanding
from safeplace.handbook.text import HandbookText
from safeplace.onboarding.answers import Answers
from safeplace.onboarding.models import Employer, EmployerStatus

# -- the employer, as onboarding left it: the handbook only reads it


class EmployerLookup(Protocol):
    def get_employer(self, employer_id: str) -> Employer: ...


class Submissions(Protocol):
    """What each employer sent in onboarding, which names its SPOC; None before it sent anything."""

    def get_submission(self, employer_id: str) -> Answers | None: ...


class EmployerAnswers(EmployerLookup, Submissions, Protocol):
    """The employer and its answers: what a copy is filled in with, and who it goes to."""


class EmployerCount(Protocol):
    """How many employers are in some statuses, counted by the status index rather than read one by one."""

    def count_employers_in(self, statuses: Sequence[EmployerStatus]) -> int: ...


class EmployerIdsByStatus(Protocol):
    """A page of the ids of the employers in some statuses, and an opaque cursor to the next page (None after the
    last): a rollout reads as many as it offers at a time, whatever the number of employers."""

    def employer_ids_in(
        self, statuses: Sequence[EmployerStatus], *, after: str | None, limit: int
    ) -> tuple[list[str], str | None]: ...


# -- the handbook's own records


class LatestHandbook(Protocol):
    def latest_handbook_version(self) -> HandbookVersion | None: ...


class StoredCopies(Protocol):
    """Each SPOC's rendered copy of a version, as recorded when it was stored."""

    def get_handbook_copy(self, employer_id: str, number: int, holder: str) -> HandbookCopy | None: ...


class HandbookTexts(Protocol):
    """The text each version was published with; None for one published before the text could be edited."""

    def handbook_text(self, number: int) -> HandbookText | None: ...


class PublishedTexts(LatestHandbook, HandbookTexts, Protocol):
    """The latest version and the text it was published with: what the next version starts from."""


class HandbookCopies(StoredCopies, HandbookTexts, Protocol):
    def save_handbook_copy(self, copy: HandbookCopy) -> None: ...


class HandbookStanding(Protocol):
    """The versions published and an employer's receipts: who has signed for what, and what they are asked to sign."""

    def handbook_versions(self) -> list[HandbookVersion]: ...

    def receipts(self, employer_id: str) -> list[HandbookReceipt]: ...


class StandingRecords(Protocol):
    """Where each SPOC's delivery of a version stands, kept by the delivery and its chase (the receipt records
    the signature), for the version's list."""

    def record_delivered(self, number: int, standing: SpocStanding) -> None: ...

    def record_reminder(self, number: int, employer_id: str, holder: str, reminders: int, at: datetime) -> None: ...

    def record_escalation(self, number: int, employer_id: str, holder: str, at: datetime) -> None: ...


# -- what the handbook asks of the features that follow it


class ReleaseLearners(Protocol):
    """A SPOC signed: the employer's learners waiting only for that may start."""

    def __call__(self, employer_id: str, *, now: datetime) -> object: ...
