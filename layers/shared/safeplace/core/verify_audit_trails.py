from datetime import datetime, timedelta

from pydantic import BaseModel

from safeplace.core import audit as audit_chain
from safeplace.core.notifications import render_email
from safeplace.core.ports import AuditTrail, Mailer
from safeplace.core.retention import RecordKind


class AuditVerification(BaseModel):
    day: str
    subjects_checked: int
    broken: dict[str, list[audit_chain.ChainBreak]]


def verify_audit_trails(*, audit: AuditTrail, mailer: Mailer, compliance_team: str, now: datetime) -> AuditVerification:
    """Verify every audit trail that changed yesterday (found by index, not by scanning) and raise the alarm."""
    day = (now - timedelta(days=1)).date().isoformat()
    broken: dict[str, list[audit_chain.ChainBreak]] = {}
    subjects = audit.audit_subjects_changed_on(day)
    for subject in subjects:
        entries, head = audit.audit_trail(subject)
        breaks = audit_chain.verify(entries, head, now=now, retention=audit.retention.period(RecordKind.AUDIT))
        if breaks:
            broken[subject] = breaks
    if broken:
        mailer.send(render_email("audit_broken", to=compliance_team, day=day, broken=broken))
    return AuditVerification(day=day, subjects_checked=len(subjects), broken=broken)
