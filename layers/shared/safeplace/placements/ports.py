"""What the placement use cases ask of the records they keep, and of the handbook the gate also checks.

The DynamoDB repositories satisfy these; tests pass small fakes.
"""

from typing import Protocol

from safeplace.core.audit import AuditEvent
from safeplace.core.model import Model
from safeplace.core.paging import Page
from safeplace.handbook.models import HandbookReceipt, HandbookVersion
from safeplace.onboarding.answers import Answers
from safeplace.onboarding.models import Employer
from safeplace.onboarding.ports import EmployerChoices, Submissions
from safeplace.placements.models import Placement, PlacementStatus, PlacementSummary


class GateReading(Model):
    """Everything one gate decision reads of an employer."""

    employer: Employer
    answers: Answers | None
    # Those that can count for the gate: each SPOC's latest at least (older ones change nothing it decides).
    receipts: list[HandbookReceipt]
    # The current material version; None before one is published.
    handbook: HandbookVersion | None


class GateRecords(Protocol):
    """What the gate reads, in one request. The current handbook version may have been read up to a minute
    before (the DynamoDB adapter says how long); `fresh` reads it again."""

    def gate_reading(self, employer_id: str, *, fresh: bool = False) -> GateReading: ...


class PlacementRecords(Protocol):
    """New placements, each written only if the employer is still as the gate read it."""

    def record_placement(self, placement: Placement, employer: Employer, event: AuditEvent) -> None: ...


class EmployerPlacements(Protocol):
    """The placements at one employer, updated one at a time with the employer the gate read."""

    def employer_placements(self, employer_id: str) -> list[Placement]: ...

    def update_placement(self, before: Placement, after: Placement, employer: Employer, event: AuditEvent) -> None: ...


class PlacementGate(GateRecords, PlacementRecords, Protocol):
    """A placement decided on what the gate read, and written only if the employer is still as it was read."""


class GatedPlacements(GateRecords, EmployerPlacements, Protocol):
    """An employer's placements, decided again on what the gate reads now."""


class PlacementPages(Protocol):
    def placement_page(
        self, status: PlacementStatus | None, *, cursor: str | None, limit: int
    ) -> Page[PlacementSummary]: ...

    def flagged_page(self, *, cursor: str | None, limit: int) -> Page[PlacementSummary]: ...


class HandbookOffer(Protocol):
    """Send an admitted employer's SPOC the current handbook; False when nothing is published or there is no SPOC.

    The handbook feature does this; each function's wiring connects it."""

    def __call__(self, employer_id: str) -> bool: ...


class EmployerSites(EmployerChoices, Submissions, Protocol):
    """Employers to place a learner with, and the sites each named in the answers it sent."""
