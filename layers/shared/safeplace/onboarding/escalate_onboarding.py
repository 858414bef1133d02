from datetime import datetime

from safeplace.core.audit import AuditEvent
from safeplace.core.notifications import render_email
from safeplace.core.ports import Mailer
from safeplace.onboarding.models import EmployerStatus
from safeplace.onboarding.ports import EmployerRecords


def escalate_onboarding(
    employer_id: str,
    reminders_sent: int,
    *,
    employers: EmployerRecords,
    mailer: Mailer,
    compliance_team: str,
    now: datetime,
) -> None:
    """The employer has not answered the invitation or its reminders: tell the inviter and the team."""
    before = employers.get_employer(employer_id)
    after = before.moved_to(EmployerStatus.STALLED, now)
    employers.save_employer(
        before,
        after,
        AuditEvent(
            subject=before.subject,
            action="onboarding.escalated",
            actor="onboarding workflow",
            details={"reminders_sent": str(reminders_sent)},
        ),
    )
    for to in sorted({before.invited_by, compliance_team}):
        mailer.send(render_email("onboarding_escalated", to=to, employer=after, reminders_sent=reminders_sent))
