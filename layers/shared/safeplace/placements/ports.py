"""What the placement use cases ask of the records they keep, and of the handbook the gate also checks.

The DynamoDB repositories satisfy these; tests pass small fakes.
"""

from collections.abc import Iterable
from typing import Protocol

from safeplace.core.audit import AuditEvent
from safeplace.core.paging import Page
from safeplace.handbook.models import HandbookReceipt, HandbookVersion
from safeplace.onboarding.models import Employer
from safeplace.placements.models import Placement, PlacementStatus, PlacementSummary


class PlacementRecords(Protocol):
    """New placements, each written only if the employer is still as the gate read it."""

    def record_placement(self, placement: Placement, employer: Employer, event: AuditEvent) -> None: ...


class EmployerPlacements(Protocol):
    """The placements at one employer, updated one at a time with the employer the gate read."""

    def employer_placements(self, employer_id: str) -> list[Placement]: ...

    def update_placement(self, before: Placement, after: Placement, employer: Employer, event: AuditEvent) -> None: ...


class PlacementList(Protocol):
    def list_placements(self, statuses: Iterable[PlacementStatus]) -> list[PlacementSummary]: ...


class PlacementPages(Protocol):
    def placement_page(
        self, status: PlacementStatus | None, *, cursor: str | None, limit: int
    ) -> Page[PlacementSummary]: ...


class HandbookReceipts(Protocol):
    """Read only: the versions published and an employer's receipts, for the gate's handbook check."""

    def handbook_versions(self) -> list[HandbookVersion]: ...

    def receipts(self, employer_id: str) -> list[HandbookReceipt]: ...


class HandbookOffer(Protocol):
    """Send an admitted employer's SPOC the current handbook; False when nothing is published or there is no SPOC.

    The handbook feature does this; each function's wiring connects it."""

    def __call__(self, employer_id: str) -> bool: ...
