from datetime import datetime
from typing import Literal, Protocol

from safeplace.core.links import LinkIssuer, LinkPurpose
from safeplace.core.model import Model
from safeplace.core.notifications import render_email
from safeplace.core.ports import Mailer
from safeplace.onboarding.contacts import spoc_of
from safeplace.onboarding.models import CheckStatus, Employer
from safeplace.onboarding.ports import InvitedEmployers, Submissions, TaskParking

SUBMISSION_STEP = "submission"


class SubmissionRequest(Model):
    employer_id: str
    reason: Literal["invitation", "reminder", "changes_requested"]
    reminders_sent: int = 0
    task_token: str


def _problems(employer: Employer) -> list[str]:
    return [f"{c.type.label}: {c.reason}" for c in employer.checks if c.status is CheckStatus.REJECTED and c.reason]


def request_submission(
    request: SubmissionRequest,
    *,
    employers: InvitedEmployers,
    waits: TaskParking,
    mailer: Mailer,
    issuer: LinkIssuer,
    now: datetime,
) -> None:
    """Park the workflow's task token, issue the employer a fresh link and email it."""
    employer = employers.get_employer(request.employer_id)
    waits.save_wait(employer.id, SUBMISSION_STEP, request.task_token, now)
    url, issued = issuer.issue(employer.id, LinkPurpose.ONBOARDING_FORM, now=now)
    employers.note_invitation_link(employer.id, issued.link.expires_at)
    mailer.send(
        render_email(
            f"onboarding_{request.reason}",
            to=str(employer.contact_email),
            employer=employer,
            link=url,
            expires_at=issued.link.expires_at,
            reminder_number=request.reminders_sent,
            problems=_problems(employer),
        )
    )


class AskedEmployers(InvitedEmployers, Submissions, Protocol):
    """The answers an employer sent, and where the expiry of the link asking for changes is kept."""


def ask_for_changes(
    employer: Employer, *, employers: AskedEmployers, mailer: Mailer, issuer: LinkIssuer, now: datetime
) -> None:
    """Email the SPOC a fresh link to put right what a reviewer rejected, when no workflow is there to."""
    spoc = spoc_of(employer, employers.get_submission(employer.id))
    url, issued = issuer.issue(employer.id, LinkPurpose.ONBOARDING_FORM, now=now)
    employers.note_invitation_link(employer.id, issued.link.expires_at)
    mailer.send(
        render_email(
            "onboarding_changes_requested",
            to=spoc.email,
            dear=spoc.name,
            employer=employer,
            link=url,
            expires_at=issued.link.expires_at,
            problems=_problems(employer),
        )
    )
