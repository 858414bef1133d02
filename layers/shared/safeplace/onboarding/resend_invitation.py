from datetime import datetime

from safeplace.core.audit import AuditEvent
from safeplace.core.errors import Conflict
from safeplace.core.links import LinkIssuer, LinkPurpose
from safeplace.core.notifications import render_email
from safeplace.core.ports import AuditTrail, Mailer, Workflows
from safeplace.onboarding.invite_employer import OnboardingTimings
from safeplace.onboarding.models import Employer, EmployerStatus
from safeplace.onboarding.ports import EmployerRecords, ParkedTasks
from safeplace.onboarding.request_submission import SUBMISSION_STEP
from safeplace.staff.models import StaffUser

_WAITING = {EmployerStatus.INVITED, EmployerStatus.CHANGES_REQUESTED}
_ENDED = {EmployerStatus.STALLED, EmployerStatus.NEEDS_ATTENTION, EmployerStatus.WITHDRAWN}


def resend_invitation(
    employer_id: str,
    by: StaffUser,
    *,
    employers: EmployerRecords,
    waits: ParkedTasks,
    audit: AuditTrail,
    workflows: Workflows,
    mailer: Mailer,
    issuer: LinkIssuer,
    state_machine_arn: str,
    timings: OnboardingTimings,
    now: datetime,
) -> Employer:
    """Send the employer a fresh link. If onboarding is still waiting for them, the same workflow goes on
    waiting and the old link stops working; if it had ended, a new onboarding starts."""
    before = employers.get_employer(employer_id)
    if before.status in _WAITING and waits.get_wait(before.id, SUBMISSION_STEP):
        url, issued = issuer.issue(before.id, LinkPurpose.ONBOARDING_FORM, now=now)
        employers.note_invitation_link(before.id, issued.link.expires_at)
        audit.append_audit(AuditEvent(subject=before.subject, action="invitation.resent", actor=str(by.email)), now)
        mailer.send(
            render_email(
                "onboarding_renewed",
                to=str(before.contact_email),
                employer=before,
                link=url,
                expires_at=issued.link.expires_at,
            )
        )
        return before
    if before.status not in _ENDED and before.status not in _WAITING:
        raise Conflict(f"{before.name} is {before.status.label.lower()}: there is no invitation to send again")
    after = before.moved_to(EmployerStatus.INVITED, now).model_copy(
        update={"invitation_number": before.invitation_number + 1}
    )
    employers.save_employer(
        before,
        after,
        AuditEvent(
            subject=before.subject,
            action="invitation.restarted",
            actor=str(by.email),
            details={"invitation_number": str(after.invitation_number)},
        ),
    )
    workflows.start(
        state_machine_arn, after.onboarding_execution_name, {"employer_id": after.id, **timings.model_dump()}
    )
    return after
