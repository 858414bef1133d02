from datetime import datetime

from safeplace.core.audit import AuditEvent
from safeplace.core.notifications import render_email
from safeplace.core.ports import Mailer
from safeplace.onboarding.check_policy import POLICY, CheckPolicy
from safeplace.onboarding.models import Employer
from safeplace.placements import gate
from safeplace.placements.models import Placement, PlacementStatus
from safeplace.placements.ports import EmployerPlacements, GatedPlacements
from safeplace.placements.record_placement import standing_of


def release_placements(
    employer_id: str,
    *,
    placements: GatedPlacements,
    mailer: Mailer,
    now: datetime,
    policy: CheckPolicy = POLICY,
) -> list[Placement]:
    """Run the gate again for the employer's blocked placements: those it now allows become active, and
    whoever recorded them is told. The others keep waiting with the list of what is still missing brought up
    to date, so staff see what to chase (after approval, often only the SPOC's handbook receipt). The handbook
    version is read afresh: a release follows a receipt or an approval, not a stream of decisions."""
    read = placements.gate_reading(employer_id, fresh=True)
    employer = read.employer
    standing = standing_of(read, policy)
    released: list[Placement] = []
    for before in placements.employer_placements(employer.id):
        if before.status is not PlacementStatus.BLOCKED:
            continue
        decision = gate.decide(standing, before.date_of_birth, before.start_date, policy)
        if not decision.allowed:
            if decision.unmet != before.unmet:
                _still_waiting(before, decision, employer, placements=placements, now=now)
            continue
        after = before.model_copy(
            update={
                "status": PlacementStatus.ACTIVE,
                "unmet": [],
                "policy_version": decision.policy_version,
                "updated_at": now,
            }
        )
        event = AuditEvent(
            subject=before.subject,
            action="placement.released",
            actor="placement gate",
            details={"employer": employer.id, "policy_version": decision.policy_version},
        )
        placements.update_placement(before, after, employer, event)
        mailer.send(render_email("placement_released", to=before.recorded_by, placement=after, waited_for=before.unmet))
        released.append(after)
    return released


def _still_waiting(
    before: Placement,
    decision: gate.GateDecision,
    employer: Employer,
    *,
    placements: EmployerPlacements,
    now: datetime,
) -> None:
    after = before.model_copy(
        update={"unmet": decision.unmet, "policy_version": decision.policy_version, "updated_at": now}
    )
    event = AuditEvent(
        subject=before.subject,
        action="placement.rechecked",
        actor="placement gate",
        details={"employer": employer.id, "policy_version": decision.policy_version, "unmet": str(len(decision.unmet))},
    )
    placements.update_placement(before, after, employer, event)
