from datetime import datetime

from safeplace.core.audit import AuditEvent
from safeplace.core.notifications import render_email
from safeplace.core.ports import Mailer
from safeplace.onboarding.models import Check, Employer
from safeplace.placements.models import Placement, PlacementStatus
from safeplace.placements.ports import EmployerPlacements


def flag_active_placements(
    employer: Employer, flag: str, *, actor: str, placements: EmployerPlacements, now: datetime
) -> list[Placement]:
    """Mark every active placement at the employer with `flag`; all those that carry it, for the DSL's email.

    Running it again adds nothing: a placement already carrying the flag is left as it is.
    """
    flagged = []
    for placement in placements.employer_placements(employer.id):
        if placement.status is not PlacementStatus.ACTIVE:
            continue
        if flag not in placement.flags:
            marked = placement.model_copy(update={"flags": [*placement.flags, flag], "updated_at": now})
            event = AuditEvent(
                subject=placement.subject, action="placement.flagged", actor=actor, details={"flag": flag[:500]}
            )
            placements.update_placement(placement, marked, employer, event)
            placement = marked
        flagged.append(placement)
    return flagged


def put_learners_at_risk(
    employer: Employer,
    check: Check,
    flag: str,
    *,
    actor: str,
    placements: EmployerPlacements,
    mailer: Mailer,
    dsl: str,
    now: datetime,
) -> list[Placement]:
    """A check of the employer stopped holding (revoked or expired): flag its active placements and tell the DSL."""
    flagged = flag_active_placements(employer, flag, actor=actor, placements=placements, now=now)
    if flagged:
        mailer.send(render_email("placements_at_risk", to=dsl, employer=employer, check=check, placements=flagged))
    return flagged
