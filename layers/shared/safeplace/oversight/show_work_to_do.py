from datetime import date, timedelta

from pydantic import BaseModel

from safeplace.adapters.dynamodb import Store
from safeplace.onboarding.models import Due, EmployerStatus, EmployerSummary
from safeplace.placements.models import Placement, PlacementStatus


class WorkToDo(BaseModel):
    """The console's home page: what staff need to act on, most pressing first."""

    needs_attention: list[EmployerSummary]
    reviews_waiting: list[EmployerSummary]
    invitations_outstanding: list[EmployerSummary]
    no_response: list[EmployerSummary]
    expiring_within_30_days: list[Due]
    blocked_placements: list[Placement]
    # Until a handbook version is published there is nothing for SPOCs to sign, and the gate cannot ask.
    handbook_published: bool


def show_work_to_do(*, store: Store, today: date) -> WorkToDo:
    def in_status(*statuses: EmployerStatus) -> list[EmployerSummary]:
        return store.list_employers(statuses)

    return WorkToDo(
        needs_attention=in_status(EmployerStatus.NEEDS_ATTENTION),
        reviews_waiting=in_status(EmployerStatus.SUBMITTED),
        invitations_outstanding=in_status(EmployerStatus.INVITED, EmployerStatus.CHANGES_REQUESTED),
        no_response=in_status(EmployerStatus.STALLED),
        # A check lapses the day after its last valid day: these are still valid today.
        expiring_within_30_days=store.lapses_between(today + timedelta(days=1), today + timedelta(days=31)),
        blocked_placements=store.list_placements([PlacementStatus.BLOCKED]),
        handbook_published=store.latest_handbook_version() is not None,
    )
