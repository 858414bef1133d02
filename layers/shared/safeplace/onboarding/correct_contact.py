from datetime import datetime

from safeplace.core.audit import AuditEvent
from safeplace.core.errors import Conflict
from safeplace.core.links import LinkIssuer, LinkPurpose
from safeplace.core.ports import AuditTrail, Mailer, Workflows
from safeplace.onboarding.invite_employer import OnboardingTimings
from safeplace.onboarding.models import ContactCorrection, Employer, EmployerStatus
from safeplace.onboarding.ports import EmployerRecords, ParkedTasks, RevocableLinks
from safeplace.onboarding.resend_invitation import resend_invitation
from safeplace.staff.models import StaffUser

# Before the employer has sent anything: the invitation is all there is to put right.
CORRECTABLE = frozenset(
    {EmployerStatus.INVITED, EmployerStatus.CHANGES_REQUESTED, EmployerStatus.STALLED, EmployerStatus.NEEDS_ATTENTION}
)


def contact_to_correct(employer_id: str, *, employers: EmployerRecords) -> Employer:
    """The employer whose invitation's contact may still be corrected."""
    employer = employers.get_employer(employer_id)
    if employer.status not in CORRECTABLE:
        raise Conflict(f"{employer.name} is {employer.status.label.lower()}: its contact is no longer the invitation's")
    return employer


def correct_contact(
    employer_id: str,
    correction: ContactCorrection,
    by: StaffUser,
    *,
    employers: EmployerRecords,
    links: RevocableLinks,
    waits: ParkedTasks,
    audit: AuditTrail,
    workflows: Workflows,
    mailer: Mailer,
    issuer: LinkIssuer,
    state_machine_arn: str,
    timings: OnboardingTimings,
    now: datetime,
) -> Employer:
    """Send the invitation to the right person: the contact is corrected, any link sent to the old address stops
    working, and the invitation goes again to the new one."""
    before = contact_to_correct(employer_id, employers=employers)
    after = before.moved_to(before.status, now).model_copy(
        update={"contact_name": correction.contact_name, "contact_email": correction.contact_email}
    )
    event = AuditEvent(subject=before.subject, action="invitation.contact_corrected", actor=str(by.email))
    employers.save_employer(before, after, event)
    links.revoke_current_link(before.id, LinkPurpose.ONBOARDING_FORM, now)
    return resend_invitation(
        employer_id,
        by,
        employers=employers,
        waits=waits,
        audit=audit,
        workflows=workflows,
        mailer=mailer,
        issuer=issuer,
        state_machine_arn=state_machine_arn,
        timings=timings,
        now=now,
    )
