from datetime import datetime
from typing import Literal

from pydantic import BaseModel

from safeplace.adapters.dynamodb import Store
from safeplace.adapters.ses import Mailer
from safeplace.links import LinkIssuer
from safeplace.models import CheckStatus, LinkPurpose
from safeplace.notifications import render_email

SUBMISSION_STEP = "submission"


class SubmissionRequest(BaseModel):
    employer_id: str
    reason: Literal["invitation", "reminder", "changes_requested"]
    reminders_sent: int = 0
    task_token: str


def request_submission(
    request: SubmissionRequest,
    *,
    store: Store,
    mailer: Mailer,
    links: LinkIssuer,
    now: datetime,
) -> None:
    """Park the workflow's task token, issue the employer a fresh link and email it."""
    employer = store.get_employer(request.employer_id)
    store.save_wait(employer.id, SUBMISSION_STEP, request.task_token, now)
    url, issued = links.issue(employer.id, LinkPurpose.ONBOARDING_FORM, now=now)
    problems = [f"{c.type.label}: {c.reason}" for c in employer.checks if c.status is CheckStatus.REJECTED and c.reason]
    mailer.send(
        render_email(
            f"onboarding_{request.reason}",
            to=str(employer.contact_email),
            employer=employer,
            link=url,
            expires_at=issued.link.expires_at,
            reminder_number=request.reminders_sent,
            problems=problems,
        )
    )
