import contextlib
from datetime import datetime

from safeplace.core import links as link_tokens
from safeplace.core.audit import AuditEvent
from safeplace.core.errors import EmailNotSent, InvalidRequest, TemporaryFailure
from safeplace.core.links import LinkLookup, LinkPurpose
from safeplace.core.notifications import render_email
from safeplace.core.ports import Mailer, Workflows
from safeplace.onboarding.contacts import main_contact_of, spoc_of
from safeplace.onboarding.models import Check, CheckStatus, CheckType, Employer, EmployerStatus
from safeplace.onboarding.open_onboarding import read_onboarding
from safeplace.onboarding.ports import ResumedTasks, SentAnswers
from safeplace.onboarding.request_submission import SUBMISSION_STEP
from safeplace.onboarding.rules import checks_needed, submission_problems


class NotReadyToSend(InvalidRequest):
    def __init__(self, sections: list[str], *, changed: bool = False) -> None:
        lead = (
            "Check these sections again: something has changed since you saved them"
            if changed
            else "Complete every section before you send"
        )
        super().__init__(f"{lead}: " + ", ".join(sections))
        self.sections = sections


def _sent(check: CheckType, current: Check | None, now: datetime) -> Check:
    sent = Check(type=check, status=CheckStatus.SUBMITTED, updated_at=now)
    if current is not None and current.holds and current.renewing_until:
        # A renewal: the approval it replaces keeps holding for the gate until it runs out.
        return sent.model_copy(
            update={
                "valid_until": current.valid_until,
                "attested": current.attested,
                "renewing_until": current.renewing_until,
            }
        )
    return sent


def send_answers(
    token: str,
    *,
    links: LinkLookup,
    employers: SentAnswers,
    waits: ResumedTasks,
    workflows: Workflows,
    mailer: Mailer,
    now: datetime,
) -> Employer:
    """Send the saved sections for review (consuming the link), then let the waiting workflow move on, and email the
    main contact and the SPOC what was sent and what happens next.

    Approved checks stay approved; only what the employer completed or changed goes to review.
    """
    link = link_tokens.resolve(links, token, LinkPurpose.ONBOARDING_FORM, now=now)
    onboarding = read_onboarding(link.subject_id, employers=employers)
    if not onboarding.ready_to_send:
        raise NotReadyToSend([c.label for c in onboarding.outstanding] or ["nothing has changed since you last sent"])
    answers = onboarding.draft
    to_send = onboarding.to_send
    problems = submission_problems(answers, to_send, now.date())
    if problems:
        raise NotReadyToSend([c.label for c in problems], changed=True)
    before = onboarding.employer
    current = {c.type: c for c in before.checks}
    checks = [
        current[t] if t in current and t not in to_send else _sent(t, current.get(t), now)
        for t in checks_needed(answers)
    ]
    after = before.moved_to(EmployerStatus.SUBMITTED, now, checks=checks)
    organisation = answers.organisation
    event = AuditEvent(
        subject=before.subject,
        action="organisation.submitted",
        actor="employer (emailed link)",
        details={
            "sections": ", ".join(t.value for t in to_send),
            **({"legal_name": organisation.legal_name} if organisation else {}),
        },
    )
    employers.record_submission(before, after, answers, link, event, now)
    # Recorded first, then the workflow: a lost or repeated callback never loses the submission.
    task_token = waits.get_wait(after.id, SUBMISSION_STEP)
    if task_token and workflows.complete(task_token, {"submitted_at": now.isoformat()}):
        waits.clear_wait(after.id, SUBMISSION_STEP, task_token)
    people = {a.email: a for a in (main_contact_of(after, answers), spoc_of(after, answers))}
    for person in people.values():
        email = render_email(
            "answers_received", to=person.email, dear=person.name, employer=after, sections=to_send, sent_at=now
        )
        # A confirmation is a courtesy: the answers are recorded and the page says so, whether or not SES takes it.
        with contextlib.suppress(EmailNotSent, TemporaryFailure):
            mailer.send(email)
    return after
