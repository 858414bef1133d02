from datetime import date, datetime, timedelta

from pydantic import EmailStr

from safeplace.core.links import LinkIssuer
from safeplace.core.model import Model
from safeplace.core.ports import Mailer
from safeplace.onboarding.chase_renewal import escalate_renewal, remind_renewal
from safeplace.onboarding.lapse_checks import lapse_check
from safeplace.onboarding.models import Due, DueState, Milestone
from safeplace.onboarding.ports import LearnersAtRisk, MilestoneSweep

# A sweep that has not run for a while catches up, but never reaches further back than this.
_CATCH_UP_DAYS = 31
# Lapses first: a check that already ran out is not then chased as if it could still be renewed.
_ORDER = {Milestone.LAPSE: 0, Milestone.ESCALATION: 1, Milestone.REMINDER: 2}


class Recipients(Model):
    compliance_team: EmailStr


class MilestonesActedOn(Model):
    days: list[date]
    reminded: list[Due]
    escalated: list[Due]
    lapsed: list[Due]


def act_on_milestones(
    *,
    employers: MilestoneSweep,
    mailer: Mailer,
    issuer: LinkIssuer,
    recipients: Recipients,
    at_risk: LearnersAtRisk,
    now: datetime,
) -> MilestonesActedOn:
    """Remind, escalate and lapse every check due, day by day since the last sweep, each exactly once.

    Each day's milestones come from that day's index, so the work follows what falls due, not how many
    employers there are. Running twice on a day, or again after failing part-way, finds the days done and
    the milestones DONE.
    """
    today = now.date()
    last = employers.sweep_progress() or today - timedelta(days=1)
    # Today is always looked at again: a milestone scheduled since the last run may already be due.
    first = max(min(last + timedelta(days=1), today), today - timedelta(days=_CATCH_UP_DAYS))
    days = [first + timedelta(days=n) for n in range((today - first).days + 1)]
    done = MilestonesActedOn(days=days, reminded=[], escalated=[], lapsed=[])
    for day in days:
        for due in sorted(employers.due_on(day), key=lambda d: _ORDER[d.milestone]):
            if due.state is DueState.DONE:
                continue
            match due.milestone:
                case Milestone.LAPSE:
                    if lapse_check(due, employers=employers, at_risk=at_risk, now=now):
                        done.lapsed.append(due)
                case Milestone.ESCALATION:
                    team = str(recipients.compliance_team)
                    if escalate_renewal(due, employers=employers, mailer=mailer, compliance_team=team, now=now):
                        done.escalated.append(due)
                case Milestone.REMINDER:
                    if remind_renewal(due, employers=employers, mailer=mailer, issuer=issuer, now=now):
                        done.reminded.append(due)
        employers.save_sweep_progress(day)
    return done
