from datetime import datetime

from safeplace.adapters.dynamodb import Store
from safeplace.core.audit import AuditEvent
from safeplace.onboarding.models import Employer
from safeplace.placements.models import Placement, PlacementStatus


def flag_active_placements(
    employer: Employer, flag: str, *, actor: str, store: Store, now: datetime
) -> list[Placement]:
    """Mark every active placement at the employer with `flag`; all those that carry it, for the DSL's email.

    Running it again adds nothing: a placement already carrying the flag is left as it is.
    """
    flagged = []
    for placement in store.employer_placements(employer.id):
        if placement.status is not PlacementStatus.ACTIVE:
            continue
        if flag not in placement.flags:
            marked = placement.model_copy(update={"flags": [*placement.flags, flag], "updated_at": now})
            event = AuditEvent(
                subject=placement.subject, action="placement.flagged", actor=actor, details={"flag": flag[:500]}
            )
            store.update_placement(placement, marked, employer, event)
            placement = marked
        flagged.append(placement)
    return flagged
