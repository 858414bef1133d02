from datetime import datetime

from safeplace.core.audit import AuditEvent
from safeplace.core.errors import NotFound
from safeplace.core.model import Model
from safeplace.onboarding import minimum_requirements
from safeplace.onboarding.models import Check, CheckStatus, CheckType, EmployerStatus
from safeplace.onboarding.ports import ReviewedEmployers
from safeplace.onboarding.rules import submission_problems

AUTOMATIC = "automatic checks"
# Accepting a statement needs no person to judge it: the acceptance of the current version is the check.
_DECIDED_AUTOMATICALLY = {CheckType.MINIMUM_SAFEGUARDING_REQUIREMENTS}


class Verdict(Model):
    valid: bool
    review_needed: bool
    problems: dict[str, str]


def validate_submission(employer_id: str, *, employers: ReviewedEmployers, now: datetime) -> Verdict:
    """Automatic checks run by the workflow on what was stored, before any person reviews it."""
    answers = employers.get_submission(employer_id)
    if answers is None:
        raise NotFound("The employer has no submission to validate")
    before = employers.get_employer(employer_id)
    submitted = [c.type for c in before.checks if c.status is CheckStatus.SUBMITTED]
    problems = submission_problems(answers, submitted, now.date())
    checks: list[Check] = []
    for c in before.checks:
        if c.type in problems:
            c = Check(
                type=c.type, status=CheckStatus.REJECTED, updated_at=now, reason=" ".join(problems[c.type].values())
            )
        elif c.type in _DECIDED_AUTOMATICALLY and c.status is CheckStatus.SUBMITTED:
            c = Check(type=c.type, status=CheckStatus.APPROVED, updated_at=now, decided_by=AUTOMATIC)
        checks.append(c)
    flat = {f"{t.value}.{field}": p for t, found in problems.items() for field, p in found.items()}
    review_needed = any(c.status is CheckStatus.SUBMITTED for c in checks)
    if checks == before.checks:
        return Verdict(valid=True, review_needed=review_needed, problems={})
    if problems:
        status = EmployerStatus.CHANGES_REQUESTED
    elif review_needed:
        status = before.status
    else:
        status = EmployerStatus.CHECKS_PASSED
    after = before.moved_to(status, now, checks=checks)
    details = {f"problem_{i}": p for i, p in enumerate(flat.values(), start=1)}
    approved = [c.type.value for c in checks if c.decided_by == AUTOMATIC and c.updated_at == now]
    if approved:
        details |= {"approved_automatically": ", ".join(approved), "version": minimum_requirements.CURRENT.version}
    employers.save_employer(
        before,
        after,
        AuditEvent(
            subject=before.subject,
            action="organisation.returned" if problems else "check.approved_automatically",
            actor=AUTOMATIC,
            details=details,
        ),
    )
    return Verdict(valid=not problems, review_needed=review_needed, problems=flat)
