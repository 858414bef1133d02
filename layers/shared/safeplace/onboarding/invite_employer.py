from datetime import datetime

from safeplace.core.audit import AuditEvent
from safeplace.core.model import Model
from safeplace.core.ports import Workflows
from safeplace.onboarding.models import Check, CheckType, Employer, EmployerStatus, Invitation, new_employer_id
from safeplace.onboarding.ports import NewEmployers
from safeplace.staff.models import StaffUser


class OnboardingTimings(Model):
    submission_wait_seconds: int
    reminders_before_escalation: int
    review_wait_seconds: int


def invite_employer(
    invitation: Invitation,
    by: StaffUser,
    *,
    employers: NewEmployers,
    workflows: Workflows,
    state_machine_arn: str,
    timings: OnboardingTimings,
    now: datetime,
) -> Employer:
    employer = Employer(
        id=new_employer_id(),
        name=invitation.employer_name,
        contact_name=invitation.contact_name,
        contact_email=invitation.contact_email,
        status=EmployerStatus.INVITED,
        invited_by=str(by.email),
        invited_at=now,
        updated_at=now,
        version=1,
        checks=[Check(type=t, updated_at=now) for t in CheckType],
    )
    employers.create_employer(
        employer,
        AuditEvent(
            subject=employer.subject,
            action="employer.invited",
            actor=str(by.email),
            details={"employer_name": employer.name},
        ),
    )
    workflows.start(
        state_machine_arn,
        employer.onboarding_execution_name,
        {"employer_id": employer.id, **timings.model_dump()},
    )
    return employer
