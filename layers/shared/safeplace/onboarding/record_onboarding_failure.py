from datetime import datetime

from safeplace.core.audit import AuditEvent
from safeplace.core.notifications import render_email
from safeplace.core.ports import Mailer
from safeplace.onboarding.models import EmployerStatus
from safeplace.onboarding.ports import EmployerRecords


def record_onboarding_failure(
    employer_id: str, error: str, *, employers: EmployerRecords, mailer: Mailer, compliance_team: str, now: datetime
) -> None:
    before = employers.get_employer(employer_id)
    after = before.moved_to(EmployerStatus.NEEDS_ATTENTION, now)
    employers.save_employer(
        before,
        after,
        AuditEvent(
            subject=before.subject,
            action="onboarding.failed",
            actor="onboarding workflow",
            details={"error": error[:200]},
        ),
    )
    mailer.send(render_email("onboarding_failed", to=compliance_team, employer=after, error=error))
