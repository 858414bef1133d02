"""What onboarding asks of the features that follow it. Onboarding says when; placements and the handbook say how,
and each function's wiring (safeplace.wiring) connects them, so onboarding never imports what depends on it."""

from datetime import datetime
from typing import Protocol

from safeplace.onboarding.models import Check, Employer


class Admission(Protocol):
    """An employer whose checks all passed: its waiting learners may start and its SPOC gets the handbook."""

    def __call__(self, employer_id: str, *, now: datetime) -> object: ...


class LearnersAtRisk(Protocol):
    """A check that stopped holding: learners already placed are flagged and the DSL is told."""

    def __call__(self, employer: Employer, check: Check, flag: str, *, actor: str, now: datetime) -> object: ...
