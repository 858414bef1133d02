from datetime import date, timedelta
from typing import Generic, Protocol, TypeVar

from pydantic import BaseModel

from safeplace.handbook.models import HandbookVersion
from safeplace.onboarding.models import Due, EmployerStatus, EmployerSummary
from safeplace.onboarding.ports import EmployerPages
from safeplace.placements.models import PlacementStatus, PlacementSummary
from safeplace.placements.ports import PlacementPages

# What the home page shows of each list: the newest, with a link to the whole list when there are more. Its cost is
# one page of each, whatever the number of employers.
SHORTLIST = 20

T = TypeVar("T")


class EmployerOverview(EmployerPages, Protocol):
    def lapses_between(self, first: date, last: date) -> list[Due]: ...


class PublishedHandbook(Protocol):
    """Read only: the newest handbook version, if any."""

    def latest_handbook_version(self) -> HandbookVersion | None: ...


class Shortlist(BaseModel, Generic[T]):
    """The newest of a list, and whether there are more than these."""

    items: list[T]
    more: bool

    @property
    def count(self) -> str:
        """How many, as the page says it: exactly, or "more than N" when the list goes on."""
        return f"More than {len(self.items)}" if self.more else str(len(self.items))

    @property
    def one(self) -> bool:
        return len(self.items) == 1 and not self.more


class WorkToDo(BaseModel):
    """The console's home page: what staff need to act on, most pressing first."""

    needs_attention: Shortlist[EmployerSummary]
    reviews_waiting: Shortlist[EmployerSummary]
    invitations_outstanding: Shortlist[EmployerSummary]
    no_response: Shortlist[EmployerSummary]
    expiring_within_30_days: list[Due]
    blocked_placements: Shortlist[PlacementSummary]
    # Until a handbook version is published there is nothing for SPOCs to sign, and the gate cannot ask.
    handbook_published: bool


def show_work_to_do(
    *, employers: EmployerOverview, placements: PlacementPages, handbook: PublishedHandbook, today: date
) -> WorkToDo:
    def in_status(*statuses: EmployerStatus) -> Shortlist[EmployerSummary]:
        pages = [employers.employer_page(s, "", cursor=None, limit=SHORTLIST) for s in statuses]
        newest = sorted((e for p in pages for e in p.items), key=lambda e: e.updated_at, reverse=True)
        more = len(newest) > SHORTLIST or any(p.next_cursor for p in pages)
        return Shortlist[EmployerSummary](items=newest[:SHORTLIST], more=more)

    blocked = placements.placement_page(PlacementStatus.BLOCKED, cursor=None, limit=SHORTLIST)
    return WorkToDo(
        needs_attention=in_status(EmployerStatus.NEEDS_ATTENTION),
        reviews_waiting=in_status(EmployerStatus.SUBMITTED),
        invitations_outstanding=in_status(EmployerStatus.INVITED, EmployerStatus.CHANGES_REQUESTED),
        no_response=in_status(EmployerStatus.STALLED),
        # A check lapses the day after its last valid day: these are still valid today.
        expiring_within_30_days=employers.lapses_between(today + timedelta(days=1), today + timedelta(days=31)),
        blocked_placements=Shortlist[PlacementSummary](items=blocked.items, more=blocked.next_cursor is not None),
        handbook_published=handbook.latest_handbook_version() is not None,
    )
