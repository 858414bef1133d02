from datetime import datetime

from safeplace.core.audit import AuditEvent
from safeplace.core.errors import Conflict
from safeplace.core.links import LinkIssuer
from safeplace.core.model import Model
from safeplace.core.ports import Mailer, Workflows
from safeplace.onboarding.check_policy import POLICY, CheckPolicy, Requirement
from safeplace.onboarding.contacts import suppliers_of
from safeplace.onboarding.models import (
    Check,
    CheckReview,
    CheckStatus,
    CheckType,
    Employer,
    EmployerStatus,
    ReviewDecision,
)
from safeplace.onboarding.ports import Admission, ResumedTasks, ReviewedEmployers
from safeplace.onboarding.renewals import RENEWALS, RenewalSchedule
from safeplace.onboarding.request_submission import ask_for_changes
from safeplace.staff import access
from safeplace.staff.access import Action
from safeplace.staff.models import StaffUser

REVIEW_STEP = "review"


class ReviewOutcome(Model):
    employer: Employer
    all_decided: bool


def review_check(
    employer_id: str,
    check_type: CheckType,
    review: CheckReview,
    by: StaffUser,
    *,
    employers: ReviewedEmployers,
    waits: ResumedTasks,
    workflows: Workflows,
    now: datetime,
    mailer: Mailer,
    issuer: LinkIssuer,
    admit: Admission,
    policy: CheckPolicy = POLICY,
    renewals: RenewalSchedule = RENEWALS,
) -> ReviewOutcome:
    """Record a reviewer's decision on one check; once every check is decided, the workflow moves on."""
    before = employers.get_employer(employer_id)
    answers = employers.get_submission(employer_id)
    # Maker-checker: what the employer submitted is decided by staff, never by anyone who supplied it.
    access.authorise_decision(by, Action.REVIEW_CHECK, supplied_by=suppliers_of(before, answers))
    current = next((c for c in before.checks if c.type is check_type), None)
    if current is None:
        raise Conflict(f"{check_type.label} is not one of this employer's checks")
    if before.status is not EmployerStatus.SUBMITTED or current.status is not CheckStatus.SUBMITTED:
        raise Conflict(f"{check_type.label} is not waiting for review: it is {current.status.value.replace('_', ' ')}")
    approved = review.decision is ReviewDecision.APPROVE
    section = answers.section(check_type) if answers else None
    decided = Check(
        type=check_type,
        status=CheckStatus.APPROVED if approved else CheckStatus.REJECTED,
        updated_at=now,
        reason=None if approved else review.reason,
        decided_by=str(by.email),
        valid_until=policy.valid_until(Requirement(check_type), section.dated_on, section.expiry)
        if approved and section
        else None,
        attested=approved and section is not None and section.attested,
    )
    if not approved and current.renewing_until:
        # A renewal sent back: the approval it was to replace still stands until it runs out.
        decided = decided.model_copy(
            update={
                "valid_until": current.valid_until,
                "attested": current.attested,
                "renewing_until": current.renewing_until,
            }
        )
    checks = [decided if c.type is check_type else c for c in before.checks]
    all_decided = all(c.status in (CheckStatus.APPROVED, CheckStatus.REJECTED) for c in checks)
    status: EmployerStatus = before.status
    if all_decided:
        all_passed = all(c.status is CheckStatus.APPROVED for c in checks)
        status = EmployerStatus.CHECKS_PASSED if all_passed else EmployerStatus.CHANGES_REQUESTED
    after = before.moved_to(status, now, checks=checks)
    details = {"check": check_type.value, "decision": review.decision.value}
    if review.reason:
        details["reason"] = review.reason[:500]
    # An approval that runs out schedules the days the daily sweep chases and then lapses it.
    milestones = (
        renewals.milestones(after.id, after.name, check_type, decided.valid_until, now.date())
        if decided.valid_until
        else []
    )
    event = AuditEvent(subject=before.subject, action="check.reviewed", actor=str(by.email), details=details)
    employers.save_employer(before, after, event, due=milestones)
    if all_decided:
        # Recorded first, then the workflow: a lost or repeated callback never loses a decision.
        task_token = waits.get_wait(after.id, REVIEW_STEP)
        outcome = "approved" if status is EmployerStatus.CHECKS_PASSED else "changes_requested"
        if task_token and workflows.complete(task_token, {"outcome": outcome}):
            waits.clear_wait(after.id, REVIEW_STEP, task_token)
        # No workflow waits (a renewal, a new SPOC's training): what the workflow would do next happens here.
        elif status is EmployerStatus.CHANGES_REQUESTED:
            ask_for_changes(after, employers=employers, mailer=mailer, issuer=issuer, now=now)
        else:
            admit(after.id, now=now)
    return ReviewOutcome(employer=after, all_decided=all_decided)
