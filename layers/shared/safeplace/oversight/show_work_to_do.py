from datetime import date, timedelta
from typing import Protocol

from pydantic import BaseModel

from safeplace.handbook.models import HandbookVersion
from safeplace.onboarding.models import Due, EmployerStatus, EmployerSummary
from safeplace.onboarding.ports import EmployerDirectory
from safeplace.placements.models import PlacementStatus, PlacementSummary
from safeplace.placements.ports import PlacementList


class EmployerOverview(EmployerDirectory, Protocol):
    def lapses_between(self, first: date, last: date) -> list[Due]: ...


class PublishedHandbook(Protocol):
    """Read only: the newest handbook version, if any."""

    def latest_handbook_version(self) -> HandbookVersion | None: ...


class WorkToDo(BaseModel):
    """The console's home page: what staff need to act on, most pressing first."""

    needs_attention: list[EmployerSummary]
    reviews_waiting: list[EmployerSummary]
    invitations_outstanding: list[EmployerSummary]
    no_response: list[EmployerSummary]
    expiring_within_30_days: list[Due]
    blocked_placements: list[PlacementSummary]
    # Until a handbook version is published there is nothing for SPOCs to sign, and the gate cannot ask.
    handbook_published: bool


def show_work_to_do(
    *, employers: EmployerOverview, placements: PlacementList, handbook: PublishedHandbook, today: date
) -> WorkToDo:
    def in_status(*statuses: EmployerStatus) -> list[EmployerSummary]:
        return employers.list_employers(statuses)

    return WorkToDo(
        needs_attention=in_status(EmployerStatus.NEEDS_ATTENTION),
        reviews_waiting=in_status(EmployerStatus.SUBMITTED),
        invitations_outstanding=in_status(EmployerStatus.INVITED, EmployerStatus.CHANGES_REQUESTED),
        no_response=in_status(EmployerStatus.STALLED),
        # A check lapses the day after its last valid day: these are still valid today.
        expiring_within_30_days=employers.lapses_between(today + timedelta(days=1), today + timedelta(days=31)),
        blocked_placements=placements.list_placements([PlacementStatus.BLOCKED]),
        handbook_published=handbook.latest_handbook_version() is not None,
    )
