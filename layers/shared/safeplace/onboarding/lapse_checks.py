from datetime import datetime

from safeplace.onboarding.chase_renewal import SWEEP, milestone_event
from safeplace.onboarding.models import CheckStatus, Due, DueState, EmployerStatus
from safeplace.onboarding.ports import DueMilestones, LearnersAtRisk


def lapse_check(due: Due, *, employers: DueMilestones, at_risk: LearnersAtRisk, now: datetime) -> bool:
    """Expire one check on its lapse day; False when a later decision made the milestone moot."""
    employer = employers.get_employer(due.employer_id)
    current = next((c for c in employer.checks if c.type is due.check), None)
    if due.state is DueState.PENDING:
        if current is None or not current.holds or current.valid_until != due.valid_until:
            employers.advance_due(due, DueState.DONE)
            return False
        in_review = current.status is CheckStatus.SUBMITTED
        expired = current.model_copy(
            update={
                # A renewal waiting for review stays with the reviewer; only the approval it replaced ends.
                "status": CheckStatus.SUBMITTED if in_review else CheckStatus.EXPIRED,
                "updated_at": now,
                "reason": f"Expired: it was valid until {due.valid_until:%-d %B %Y}",
                "decided_by": SWEEP,
                "valid_until": None if in_review else current.valid_until,
                "renewing_until": None,
            }
        )
        after = employer.moved_to(
            employer.status if in_review else EmployerStatus.NEEDS_ATTENTION,
            now,
            checks=[expired if c.type is due.check else c for c in employer.checks],
        )
        event = milestone_event(employer, due, "check.expired")
        due = employers.act_on_due(due, employer, after, event)
        employer, current = after, expired
    # From here on a retry repeats nothing already done: flags are added once, and the email goes before DONE.
    if current is None:
        employers.advance_due(due, DueState.DONE)
        return False
    flag = f"{due.check.label} expired on {due.due_on:%-d %B %Y}"
    at_risk(employer, current, flag, actor=SWEEP, now=now)
    employers.advance_due(due, DueState.DONE)
    return True
