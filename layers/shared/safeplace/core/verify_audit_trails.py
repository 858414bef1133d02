from datetime import datetime, timedelta

from pydantic import BaseModel

from safeplace.adapters.dynamodb import Store
from safeplace.adapters.ses import Mailer
from safeplace.core import audit
from safeplace.core.notifications import render_email
from safeplace.core.retention import RecordKind


class AuditVerification(BaseModel):
    day: str
    subjects_checked: int
    broken: dict[str, list[audit.ChainBreak]]


def verify_audit_trails(*, store: Store, mailer: Mailer, compliance_team: str, now: datetime) -> AuditVerification:
    """Verify every audit trail that changed yesterday (found by index, not by scanning) and raise the alarm."""
    day = (now - timedelta(days=1)).date().isoformat()
    broken: dict[str, list[audit.ChainBreak]] = {}
    subjects = store.audit_subjects_changed_on(day)
    for subject in subjects:
        entries, head = store.audit_trail(subject)
        breaks = audit.verify(entries, head, now=now, retention=store.retention.period(RecordKind.AUDIT))
        if breaks:
            broken[subject] = breaks
    if broken:
        mailer.send(render_email("audit_broken", to=compliance_team, day=day, broken=broken))
    return AuditVerification(day=day, subjects_checked=len(subjects), broken=broken)
