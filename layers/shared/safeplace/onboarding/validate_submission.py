from datetime import datetime

from pydantic import BaseModel

from safeplace.adapters.dynamodb import Store
from safeplace.errors import NotFound
from safeplace.models import AuditEvent, Check, CheckStatus, CheckType, EmployerStatus
from safeplace.onboarding.rules import submission_problems

_CHECK_OF_FIELD = {"spoc": CheckType.SPOC}


class Verdict(BaseModel):
    valid: bool
    problems: dict[str, str]


def validate_submission(employer_id: str, *, store: Store, now: datetime) -> Verdict:
    """Automatic checks run by the workflow on what was stored, before any person reviews it."""
    submission = store.get_submission(employer_id)
    if submission is None:
        raise NotFound("The employer has no submission to validate")
    problems = submission_problems(submission)
    if not problems:
        return Verdict(valid=True, problems={})
    before = store.get_employer(employer_id)
    reasons: dict[CheckType, list[str]] = {}
    for field, problem in problems.items():
        reasons.setdefault(_CHECK_OF_FIELD.get(field.split(".")[0], CheckType.ORGANISATION), []).append(problem)
    after = before.moved_to(
        EmployerStatus.CHANGES_REQUESTED,
        now,
        checks=[
            Check(type=c.type, status=CheckStatus.REJECTED, updated_at=now, reason=" ".join(reasons[c.type]))
            if c.type in reasons
            else c
            for c in before.checks
        ],
    )
    store.save_employer(
        before,
        after,
        AuditEvent(
            subject=before.subject,
            action="organisation.returned",
            actor="automatic checks",
            details={f"problem_{i}": p for i, p in enumerate(problems.values(), start=1)},
        ),
    )
    return Verdict(valid=False, problems=problems)
