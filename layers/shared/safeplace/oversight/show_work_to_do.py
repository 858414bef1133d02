from datetime import date, timedelta
from typing import Generic, Protocol, TypeVar

from safeplace.core.model import Model
from safeplace.core.paging import Page
from safeplace.handbook.models import HandbookVersion
from safeplace.onboarding.models import Due, EmployerStatus, EmployerSummary
from safeplace.onboarding.ports import EmployerPages
from safeplace.placements.models import PlacementStatus, PlacementSummary
from safeplace.placements.ports import PlacementPages
from safeplace.speakers.booking import BookingSummary
from safeplace.speakers.ports import WaitingBookings
from safeplace.staff.access import Action, may
from safeplace.staff.models import StaffUser

# What the home page shows of each list: the newest, with a link to the whole list when there are more. Its cost is
# one page of each, whatever the number of employers.
SHORTLIST = 20

T = TypeVar("T")


class EmployerOverview(EmployerPages, Protocol):
    def lapses_between(self, first: date, last: date) -> list[Due]: ...


class PublishedHandbook(Protocol):
    """Read only: the newest handbook version, if any."""

    def latest_handbook_version(self) -> HandbookVersion | None: ...


class Shortlist(Model, Generic[T]):
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


class WorkToDo(Model):
    """The console's home page: what the person signed in needs to act on, most pressing first. A list their roles
    do not act on is None, and not shown."""

    flagged_learners: Shortlist[PlacementSummary]
    bookings_waiting: Shortlist[BookingSummary] | None
    needs_attention: Shortlist[EmployerSummary] | None
    reviews_waiting: Shortlist[EmployerSummary] | None
    invitations_outstanding: Shortlist[EmployerSummary] | None
    no_response: Shortlist[EmployerSummary] | None
    expiring_within_30_days: list[Due]
    blocked_placements: Shortlist[PlacementSummary] | None
    # The version SPOCs are asked to sign, for those who chase them; None when there is none or nobody to chase.
    handbook_to_chase: HandbookVersion | None
    # Until a handbook version is published there is nothing for SPOCs to sign, and the gate cannot ask.
    handbook_published: bool


def show_work_to_do(
    user: StaffUser,
    *,
    employers: EmployerOverview,
    placements: PlacementPages,
    bookings: WaitingBookings,
    handbook: PublishedHandbook,
    today: date,
) -> WorkToDo:
    def in_status(*statuses: EmployerStatus) -> Shortlist[EmployerSummary]:
        pages = [employers.employer_page(s, "", cursor=None, limit=SHORTLIST) for s in statuses]
        newest = sorted((e for p in pages for e in p.items), key=lambda e: e.updated_at, reverse=True)
        more = len(newest) > SHORTLIST or any(p.next_cursor for p in pages)
        return Shortlist[EmployerSummary](items=newest[:SHORTLIST], more=more)

    def placement_list(found: Page[PlacementSummary]) -> Shortlist[PlacementSummary]:
        return Shortlist[PlacementSummary](items=found.items, more=found.next_cursor is not None)

    def waiting_for_them() -> Shortlist[BookingSummary]:
        # A booking goes to the role its risk needs (speakers.risk): each decider sees their own.
        found = bookings.waiting_page(limit=SHORTLIST)
        theirs = [b for b in found.items if user.has_any(b.approver_role)]
        return Shortlist[BookingSummary](items=theirs, more=found.next_cursor is not None)

    invites = may(user, Action.MANAGE_INVITATION)
    latest = handbook.latest_handbook_version()
    return WorkToDo(
        # Learners at an employer whose check lapsed or was revoked: everyone's business, first on every home page.
        flagged_learners=placement_list(placements.flagged_page(cursor=None, limit=SHORTLIST)),
        bookings_waiting=waiting_for_them() if may(user, Action.DECIDE_SPEAKER_BOOKING) else None,
        needs_attention=in_status(EmployerStatus.NEEDS_ATTENTION) if invites else None,
        reviews_waiting=in_status(EmployerStatus.SUBMITTED) if may(user, Action.REVIEW_CHECK) else None,
        invitations_outstanding=in_status(EmployerStatus.INVITED, EmployerStatus.CHANGES_REQUESTED)
        if invites
        else None,
        no_response=in_status(EmployerStatus.STALLED) if invites else None,
        # A check lapses the day after its last valid day: these are still valid today.
        expiring_within_30_days=employers.lapses_between(today + timedelta(days=1), today + timedelta(days=31)),
        blocked_placements=placement_list(
            placements.placement_page(PlacementStatus.BLOCKED, cursor=None, limit=SHORTLIST)
        )
        if may(user, Action.RECORD_PLACEMENT)
        else None,
        handbook_to_chase=latest if latest and (invites or may(user, Action.PUBLISH_HANDBOOK)) else None,
        handbook_published=latest is not None,
    )
