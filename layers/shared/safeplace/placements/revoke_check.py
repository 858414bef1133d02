from datetime import datetime

from safeplace.core.audit import AuditEvent
from safeplace.core.errors import Conflict
from safeplace.core.model import Model
from safeplace.core.ports import Mailer
from safeplace.onboarding.models import Check, CheckRevocation, CheckStatus, CheckType, Employer, EmployerStatus
from safeplace.onboarding.ports import EmployerRecords
from safeplace.placements.flag_placements import put_learners_at_risk
from safeplace.placements.models import Placement
from safeplace.placements.ports import EmployerPlacements
from safeplace.staff.models import StaffUser


class Revoked(Model):
    employer: Employer
    flagged: list[Placement]


def revoke_check(
    employer_id: str,
    check_type: CheckType,
    revocation: CheckRevocation,
    by: StaffUser,
    *,
    employers: EmployerRecords,
    placements: EmployerPlacements,
    mailer: Mailer,
    dsl: str,
    now: datetime,
) -> Revoked:
    """Withdraw an approved check. Learners already placed there are flagged and the DSL is told at once."""
    before = employers.get_employer(employer_id)
    current = next(c for c in before.checks if c.type is check_type)
    if current.status is not CheckStatus.APPROVED:
        raise Conflict(f"Only an approved check can be revoked: {check_type.label} is {current.status.value}")
    revoked = Check(
        type=check_type, status=CheckStatus.REVOKED, updated_at=now, reason=revocation.reason, decided_by=str(by.email)
    )
    after = before.moved_to(
        EmployerStatus.NEEDS_ATTENTION, now, checks=[revoked if c.type is check_type else c for c in before.checks]
    )
    employers.save_employer(
        before,
        after,
        AuditEvent(
            subject=before.subject,
            action="check.revoked",
            actor=str(by.email),
            details={"check": check_type.value, "reason": revocation.reason[:500]},
        ),
    )
    flag = f"{check_type.label} revoked on {now:%-d %B %Y}: {revocation.reason}"
    flagged = put_learners_at_risk(
        after, revoked, flag, actor=str(by.email), placements=placements, mailer=mailer, dsl=dsl, now=now
    )
    return Revoked(employer=after, flagged=flagged)
