from datetime import datetime

from safeplace.core.audit import AuditEvent
from safeplace.handbook.standing import signed_by
from safeplace.onboarding.check_policy import POLICY, CheckPolicy, Requirement
from safeplace.placements import gate
from safeplace.placements.gate import EmployerStanding, PassedCheck
from safeplace.placements.handbook_check import handbook_check
from safeplace.placements.models import Placement, PlacementRequest, PlacementStatus, new_placement_id
from safeplace.placements.ports import GateReading, PlacementGate
from safeplace.placements.sites import site_named
from safeplace.staff.models import StaffUser


def standing_of(read: GateReading, policy: CheckPolicy) -> EmployerStanding:
    """What the gate needs to know of an employer: its size, its risk, the checks that passed and its
    handbook receipt."""
    employer, answers = read.employer, read.answers
    organisation = answers.organisation if answers else None
    risk = answers.risk_assessment if answers else None
    receipts = signed_by(read.receipts, answers.spoc.spoc if answers and answers.spoc else None)
    signed = handbook_check([read.handbook] if read.handbook else [], receipts, policy.handbook_grace_days)
    return EmployerStanding(
        employees=organisation.employees if organisation else 1,
        low_risk=risk is not None and risk.low_risk,
        passed=[
            PassedCheck(
                requirement=Requirement(c.type.value),
                approved_at=c.updated_at,
                valid_until=c.valid_until,
                attested=c.attested,
            )
            for c in employer.checks
            if c.holds
        ]
        + ([signed] if signed else []),
    )


def record_placement(
    request: PlacementRequest,
    by: StaffUser,
    *,
    placements: PlacementGate,
    now: datetime,
    policy: CheckPolicy = POLICY,
) -> Placement:
    """Place a learner: active only if every required check passes and holds on the start date, else blocked.

    Either way the placement and the gate's decision are recorded, with the reasons in plain words. One read of
    what the gate needs, one write that holds only while the employer is as it was read. The site must be one the
    employer named (UnknownSite otherwise), and is recorded as the employer spelt it.
    """
    read = placements.gate_reading(request.employer_id)
    employer = read.employer
    site = site_named(read.answers, request.site)
    decision = gate.decide(standing_of(read, policy), request.date_of_birth, request.start_date, policy)
    placement = Placement(
        **(request.model_dump() | {"site": site.name}),
        id=new_placement_id(),
        employer_name=employer.name,
        status=PlacementStatus.ACTIVE if decision.allowed else PlacementStatus.BLOCKED,
        unmet=decision.unmet,
        policy_version=decision.policy_version,
        learner_16_to_18=decision.learner_16_to_18,
        recorded_by=str(by.email),
        recorded_at=now,
        updated_at=now,
    )
    details = {
        "employer": employer.id,
        "gate": placement.status.value,
        "policy_version": decision.policy_version,
        **{f"unmet_{i}": reason for i, reason in enumerate(decision.unmet, start=1)},
    }
    event = AuditEvent(subject=placement.subject, action="placement.recorded", actor=str(by.email), details=details)
    placements.record_placement(placement, employer, event)
    return placement
