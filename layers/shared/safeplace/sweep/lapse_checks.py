from datetime import date, datetime, timedelta

from pydantic import BaseModel

from safeplace.adapters.dynamodb import Store
from safeplace.adapters.ses import Mailer
from safeplace.models import AuditEvent, CheckStatus, Due, DueState, EmployerStatus, Milestone
from safeplace.notifications import render_email
from safeplace.placements.flag_placements import flag_active_placements

SWEEP = "daily sweep"
# A sweep that has not run for a while catches up, but never reaches further back than this.
_CATCH_UP_DAYS = 31


class Lapses(BaseModel):
    days: list[date]
    lapsed: list[Due]


def _lapse(due: Due, *, store: Store, mailer: Mailer, dsl: str, now: datetime) -> bool:
    """Expire one check on its lapse day; False when a later decision made the milestone moot."""
    employer = store.get_employer(due.employer_id)
    current = next((c for c in employer.checks if c.type is due.check), None)
    if due.state is DueState.PENDING:
        if current is None or current.status is not CheckStatus.APPROVED or current.valid_until != due.valid_until:
            store.advance_due(due, DueState.DONE)
            return False
        expired = current.model_copy(
            update={
                "status": CheckStatus.EXPIRED,
                "updated_at": now,
                "reason": f"Expired: it was valid until {due.valid_until:%-d %B %Y}",
                "decided_by": SWEEP,
            }
        )
        after = employer.moved_to(
            EmployerStatus.NEEDS_ATTENTION, now, checks=[expired if c.type is due.check else c for c in employer.checks]
        )
        event = AuditEvent(
            subject=employer.subject,
            action="check.expired",
            actor=SWEEP,
            details={"check": due.check.value, "valid_until": due.valid_until.isoformat()},
        )
        due = store.act_on_due(due, employer, after, event)
        employer, current = after, expired
    # From here on a retry repeats nothing already done: flags are added once, and the email goes before DONE.
    if current is None:
        store.advance_due(due, DueState.DONE)
        return False
    flag = f"{due.check.label} expired on {due.due_on:%-d %B %Y}"
    flagged = flag_active_placements(employer, flag, actor=SWEEP, store=store, now=now)
    if flagged:
        mailer.send(render_email("placements_at_risk", to=dsl, employer=employer, check=current, placements=flagged))
    store.advance_due(due, DueState.DONE)
    return True


def lapse_checks(*, store: Store, mailer: Mailer, dsl: str, now: datetime) -> Lapses:
    """Lapse every check whose validity ended, day by day since the last sweep, each exactly once.

    Running twice on a day, or again after failing part-way, finds the days done and the milestones DONE.
    """
    today = now.date()
    last = store.sweep_progress() or today - timedelta(days=1)
    # Today is always looked at again: a milestone scheduled since the last run may already be due.
    first = max(min(last + timedelta(days=1), today), today - timedelta(days=_CATCH_UP_DAYS))
    days = [first + timedelta(days=n) for n in range((today - first).days + 1)]
    lapsed = []
    for day in days:
        for due in store.due_on(day):
            wanted = due.milestone is Milestone.LAPSE and due.state is not DueState.DONE
            if wanted and _lapse(due, store=store, mailer=mailer, dsl=dsl, now=now):
                lapsed.append(due)
        store.save_sweep_progress(day)
    return Lapses(days=days, lapsed=lapsed)
