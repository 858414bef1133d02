from datetime import datetime

from safeplace.core import links as link_tokens
from safeplace.core.audit import AuditEvent
from safeplace.core.errors import Conflict
from safeplace.core.links import LinkIssuer, LinkLookup, LinkPurpose
from safeplace.core.notifications import render_email
from safeplace.core.ports import Mailer
from safeplace.onboarding.answers import SpocAnswers
from safeplace.onboarding.models import Check, CheckStatus, CheckType, Employer, EmployerStatus, Spoc
from safeplace.onboarding.ports import SpocChanges


def change_spoc(
    employer_id: str,
    spoc: Spoc,
    by: str,
    *,
    employers: SpocChanges,
    mailer: Mailer,
    issuer: LinkIssuer,
    now: datetime,
) -> Employer:
    """Name a new SPOC (guidance 11.5): the last SPOC's training no longer counts and their link stops working;
    the new SPOC is sent a link to evidence their own training before the gate passes again."""
    before = employers.get_employer(employer_id)
    if before.status is EmployerStatus.SUBMITTED:
        raise Conflict(f"{before.name}'s answers are being reviewed: name the new SPOC once the review is finished")
    answers = employers.get_submission(employer_id)
    if answers is None or answers.spoc is None:
        raise Conflict(f"{before.name} has not named a SPOC yet: they do that in their onboarding form")
    if str(answers.spoc.spoc.email).lower() == str(spoc.email).lower():
        raise Conflict(f"{spoc.name} is already the SPOC of {before.name}")
    training_needed = Check(
        type=CheckType.SPOC_TRAINING,
        status=CheckStatus.REVOKED,
        updated_at=now,
        reason=f"A new SPOC was named on {now:%-d %B %Y}: send their safeguarding and Prevent training",
        decided_by=by,
    )
    named = Check(type=CheckType.SPOC, status=CheckStatus.APPROVED, updated_at=now, decided_by=by)
    replaced = {CheckType.SPOC: named, CheckType.SPOC_TRAINING: training_needed}
    checks = [replaced.pop(c.type, c) for c in before.checks] + list(replaced.values())
    after = before.moved_to(EmployerStatus.CHANGES_REQUESTED, now, checks=checks)
    renamed = answers.with_section(
        CheckType.SPOC, SpocAnswers(spoc=spoc, commitment=answers.spoc.commitment)
    ).with_section(CheckType.SPOC_TRAINING, None)
    # Who the SPOC is stays out of the audit details: the answers hold it, the trail says who changed it.
    event = AuditEvent(subject=before.subject, action="spoc.changed", actor=by)
    employers.change_spoc(before, after, renamed, event, now)
    # A fresh link revokes whatever link the last SPOC held.
    url, issued = issuer.issue(after.id, LinkPurpose.ONBOARDING_FORM, now=now)
    mailer.send(
        render_email(
            "spoc_named", to=str(spoc.email), spoc=spoc, employer=after, link=url, expires_at=issued.link.expires_at
        )
    )
    return after


def change_spoc_by_link(
    token: str,
    spoc: Spoc,
    *,
    links: LinkLookup,
    employers: SpocChanges,
    mailer: Mailer,
    issuer: LinkIssuer,
    now: datetime,
) -> Employer:
    """The employer names the new SPOC through their own link, which then stops working."""
    link = link_tokens.resolve(links, token, LinkPurpose.ONBOARDING_FORM, now=now)
    return change_spoc(
        link.subject_id, spoc, "employer (emailed link)", employers=employers, mailer=mailer, issuer=issuer, now=now
    )
