from datetime import datetime

from safeplace.core.audit import AuditEvent
from safeplace.core.links import LinkIssuer, LinkPurpose
from safeplace.core.notifications import render_email
from safeplace.core.ports import Mailer
from safeplace.onboarding.contacts import main_contact_of, spoc_of
from safeplace.onboarding.models import Check, CheckStatus, Due, DueState, Employer
from safeplace.onboarding.ports import ChasedMilestones

SWEEP = "daily sweep"


def milestone_event(employer: Employer, due: Due, action: str, **details: str) -> AuditEvent:
    """The audit entry of what the sweep did for one milestone."""
    return AuditEvent(
        subject=employer.subject,
        action=action,
        actor=SWEEP,
        details={"check": due.check.value, "valid_until": due.valid_until.isoformat(), **details},
    )


def _still_running_out(due: Due, employer: Employer) -> Check | None:
    """The check this milestone chases, unless it was renewed, revoked or sent for review since."""
    current = next((c for c in employer.checks if c.type is due.check), None)
    if current is None or current.status is not CheckStatus.APPROVED or current.valid_until != due.valid_until:
        return None
    return current


def remind_renewal(due: Due, *, employers: ChasedMilestones, mailer: Mailer, issuer: LinkIssuer, now: datetime) -> bool:
    """Remind the SPOC that a check runs out, with a link to send the renewed details; False when it no longer does."""
    employer = employers.get_employer(due.employer_id)
    current = _still_running_out(due, employer)
    if current is None:
        employers.advance_due(due, DueState.DONE)
        return False
    if due.state is DueState.PENDING:
        if current.renewing_until is None:
            # The first reminder opens the section for renewal; the approval holds until it runs out.
            renewing = current.model_copy(update={"renewing_until": current.valid_until})
            after = employer.moved_to(
                employer.status, now, checks=[renewing if c.type is due.check else c for c in employer.checks]
            )
            due = employers.act_on_due(due, employer, after, milestone_event(employer, due, "check.renewal_opened"))
        else:
            due = employers.advance_due(due, DueState.ACTED)
    # From ACTED a retry sends the email again with a fresh link: the one it may have issued was never sent.
    spoc = spoc_of(employer, employers.get_submission(employer.id))
    url, issued = issuer.issue(employer.id, LinkPurpose.ONBOARDING_FORM, now=now)
    mailer.send(
        render_email(
            "renewal_reminder",
            to=spoc.email,
            dear=spoc.name,
            employer=employer,
            due=due,
            link=url,
            expires_at=issued.link.expires_at,
        )
    )
    event = milestone_event(employer, due, "check.renewal_reminder_sent", days_left=str(due.days_left))
    employers.advance_due(due, DueState.DONE, event=event, now=now)
    return True


def escalate_renewal(
    due: Due, *, employers: ChasedMilestones, mailer: Mailer, compliance_team: str, now: datetime
) -> bool:
    """Tell the employer's main contact, then the compliance team, that the reminders went unanswered."""
    employer = employers.get_employer(due.employer_id)
    if _still_running_out(due, employer) is None:
        employers.advance_due(due, DueState.DONE)
        return False
    if due.state is DueState.PENDING:
        contact = main_contact_of(employer, employers.get_submission(employer.id))
        mailer.send(
            render_email(
                "renewal_escalated",
                to=contact.email,
                dear=contact.name,
                employer=employer,
                due=due,
                for_staff=False,
            )
        )
        event = milestone_event(employer, due, "check.renewal_escalated")
        # ACTED: the employer was told; a retry goes straight on to the compliance team.
        due = employers.advance_due(due, DueState.ACTED, event=event, now=now)
    mailer.send(render_email("renewal_escalated", to=compliance_team, employer=employer, due=due, for_staff=True))
    employers.advance_due(due, DueState.DONE)
    return True
