from datetime import datetime
from enum import StrEnum
from typing import Protocol

from safeplace.core.audit import AuditEvent
from safeplace.core.links import LinkIssuer, LinkPurpose
from safeplace.core.notifications import render_email
from safeplace.core.ports import AuditTrail, Mailer
from safeplace.handbook.list_recipients import ACTIVE
from safeplace.handbook.models import HandbookVersion, ProviderDetails, holder_key
from safeplace.handbook.ports import EmployerAnswers, HandbookStanding, StandingRecords
from safeplace.handbook.standing import asks_to_sign, signed_by


class ChasedStanding(HandbookStanding, StandingRecords, Protocol):
    """Who has signed, and where the chase leaves this SPOC's delivery."""


class Chased(StrEnum):
    SIGNED = "signed"
    # A newer material version, a new SPOC or an employer no longer active: another delivery, or none, takes over.
    NO_LONGER_ASKED = "no_longer_asked"
    REMINDED = "reminded"
    ESCALATED = "escalated"


def chase_acknowledgement(
    employer_id: str,
    version: HandbookVersion,
    holder: str,
    reminders_sent: int,
    reminders_before_escalation: int,
    *,
    provider: ProviderDetails,
    employers: EmployerAnswers,
    handbook: ChasedStanding,
    audit: AuditTrail,
    mailer: Mailer,
    issuer: LinkIssuer,
    compliance_team: str,
    now: datetime,
) -> Chased:
    """Look again at one SPOC's delivery of `version`: nothing to do once they signed or it no longer applies;
    otherwise remind them with a fresh link, and after the last reminder tell the compliance team."""
    employer = employers.get_employer(employer_id)
    answers = employers.get_submission(employer_id)
    spoc = answers.spoc.spoc if answers and answers.spoc else None
    if employer.status not in ACTIVE or spoc is None or holder_key(spoc) != holder:
        return Chased.NO_LONGER_ASKED
    versions = handbook.handbook_versions()
    receipts = signed_by(handbook.receipts(employer_id), spoc)
    if not asks_to_sign(versions, receipts, version.number):
        still_current = any(r.version >= version.number for r in receipts)
        return Chased.SIGNED if still_current else Chased.NO_LONGER_ASKED
    details = {"version": str(version.number), "reminders_sent": str(reminders_sent)}
    if reminders_sent < reminders_before_escalation:
        url, issued = issuer.issue(employer_id, LinkPurpose.HANDBOOK, now=now)
        mailer.send(
            render_email(
                "handbook_delivered",
                to=str(spoc.email),
                spoc=spoc,
                employer=employer,
                provider=provider,
                version=version,
                to_sign=True,
                reminder=True,
                link=f"{url}/handbook",
                expires_at=issued.link.expires_at,
            )
        )
        handbook.record_reminder(version.number, employer_id, holder, reminders_sent + 1, now)
        audit.append_audit(
            AuditEvent(
                subject=employer.subject, action="handbook.reminder_sent", actor="handbook delivery", details=details
            ),
            now,
        )
        return Chased.REMINDED
    mailer.send(
        render_email(
            "handbook_escalated",
            to=compliance_team,
            employer=employer,
            version=version,
            reminders_sent=reminders_sent,
        )
    )
    handbook.record_escalation(version.number, employer_id, holder, now)
    audit.append_audit(
        AuditEvent(subject=employer.subject, action="handbook.escalated", actor="handbook delivery", details=details),
        now,
    )
    return Chased.ESCALATED
