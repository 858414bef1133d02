from datetime import datetime

from safeplace import links
from safeplace.adapters.dynamodb import Store
from safeplace.adapters.stepfunctions import Workflows
from safeplace.errors import InvalidRequest
from safeplace.models import (
    AuditEvent,
    Check,
    CheckStatus,
    CheckType,
    Employer,
    EmployerStatus,
    LinkPurpose,
    OrganisationSubmission,
)
from safeplace.onboarding.request_submission import SUBMISSION_STEP
from safeplace.onboarding.rules import submission_problems


class SubmissionRejected(InvalidRequest):
    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("The submission has problems to put right")
        self.problems = problems


def _part(submission: OrganisationSubmission, check: CheckType) -> dict[str, object]:
    """The answers a check is about."""
    spoc_fields = {"spoc", "spoc_commitment"}
    dumped = submission.model_dump(mode="json")
    return {k: v for k, v in dumped.items() if (k in spoc_fields) == (check is CheckType.SPOC)}


def submit_organisation(
    token: str, submission: OrganisationSubmission, *, store: Store, workflows: Workflows, now: datetime
) -> Employer:
    """Record the employer's submission (consuming the link), then let the waiting workflow move on."""
    link = links.resolve(store, token, LinkPurpose.ONBOARDING_FORM, now=now)
    problems = submission_problems(submission)
    if problems:
        raise SubmissionRejected(problems)
    before = store.get_employer(link.subject_id)
    previous = store.get_submission(before.id)
    after = before.moved_to(
        EmployerStatus.SUBMITTED,
        now,
        checks=[
            # An approved check whose answers are unchanged stays approved: only the rest go back to review.
            c
            if c.status is CheckStatus.APPROVED and previous and _part(previous, c.type) == _part(submission, c.type)
            else Check(type=c.type, status=CheckStatus.SUBMITTED, updated_at=now)
            for c in before.checks
        ],
    )
    event = AuditEvent(
        subject=before.subject,
        action="organisation.submitted",
        actor="employer (emailed link)",
        details={"legal_name": submission.legal_name, "spoc_role": submission.spoc.role},
    )
    store.record_submission(before, after, submission, link, event, now)
    # Recorded first, then the workflow: a lost or repeated callback never loses the submission.
    task_token = store.get_wait(after.id, SUBMISSION_STEP)
    if task_token and workflows.complete(task_token, {"submitted_at": now.isoformat()}):
        store.clear_wait(after.id, SUBMISSION_STEP, task_token)
    return after
