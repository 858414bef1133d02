from pydantic import BaseModel

from safeplace.adapters.dynamodb import Store
from safeplace.models import EmployerStatus, EmployerSummary


class WorkToDo(BaseModel):
    """The console's home page: what staff need to act on, most pressing first."""

    needs_attention: list[EmployerSummary]
    reviews_waiting: list[EmployerSummary]
    invitations_outstanding: list[EmployerSummary]
    no_response: list[EmployerSummary]
    expiring_within_30_days: list[str]
    blocked_placements: list[str]


def show_work_to_do(*, store: Store) -> WorkToDo:
    def in_status(*statuses: EmployerStatus) -> list[EmployerSummary]:
        return store.list_employers(statuses)

    return WorkToDo(
        needs_attention=in_status(EmployerStatus.NEEDS_ATTENTION),
        reviews_waiting=in_status(EmployerStatus.SUBMITTED),
        invitations_outstanding=in_status(EmployerStatus.INVITED, EmployerStatus.CHANGES_REQUESTED),
        no_response=in_status(EmployerStatus.STALLED),
        # Nothing in this release expires or places learners yet: checks with a validity period and
        # placements arrive with the onboarding, training and placement features.
        expiring_within_30_days=[],
        blocked_placements=[],
    )
