from datetime import datetime

from safeplace.core.audit import AuditEvent
from safeplace.core.errors import Conflict
from safeplace.core.links import LinkPurpose
from safeplace.core.ports import Workflows
from safeplace.onboarding.models import Employer, EmployerStatus
from safeplace.onboarding.ports import EmployerRecords, RevocableLinks
from safeplace.staff.models import StaffUser

# An onboarding that stopped (an invitation that could not be sent) may be withdrawn too: nothing else ends it.
_OPEN = {
    EmployerStatus.INVITED,
    EmployerStatus.CHANGES_REQUESTED,
    EmployerStatus.STALLED,
    EmployerStatus.NEEDS_ATTENTION,
}


def withdraw_invitation(
    employer_id: str,
    by: StaffUser,
    *,
    employers: EmployerRecords,
    links: RevocableLinks,
    workflows: Workflows,
    state_machine_arn: str,
    now: datetime,
) -> Employer:
    """Stop onboarding an employer: its link stops working and its workflow is stopped."""
    before = employers.get_employer(employer_id)
    if before.status not in _OPEN:
        raise Conflict(f"{before.name} is {before.status.label.lower()}: there is no open invitation to withdraw")
    after = before.moved_to(EmployerStatus.WITHDRAWN, now)
    employers.save_employer(
        before, after, AuditEvent(subject=before.subject, action="invitation.withdrawn", actor=str(by.email))
    )
    links.revoke_current_link(before.id, LinkPurpose.ONBOARDING_FORM, now)
    workflows.stop(state_machine_arn, before.onboarding_execution_name, cause=f"Invitation withdrawn by {by.email}")
    return after
