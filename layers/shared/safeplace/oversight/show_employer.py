from datetime import datetime

from pydantic import BaseModel

from safeplace.adapters.dynamodb import Store
from safeplace.core import audit
from safeplace.core.audit import AuditEntry
from safeplace.core.retention import RecordKind
from safeplace.handbook.models import HandbookReceipt
from safeplace.onboarding.answers import Answers
from safeplace.onboarding.models import Employer


class EmployerDetail(BaseModel):
    employer: Employer
    submission: Answers | None
    audit: list[AuditEntry]
    audit_intact: bool
    receipts: list[HandbookReceipt] = []


def show_employer(employer_id: str, *, store: Store, now: datetime) -> EmployerDetail:
    employer = store.get_employer(employer_id)
    entries, head = store.audit_trail(employer.subject)
    breaks = audit.verify(entries, head, now=now, retention=store.retention.period(RecordKind.AUDIT))
    return EmployerDetail(
        employer=employer,
        submission=store.get_submission(employer.id),
        audit=entries,
        audit_intact=not breaks,
        receipts=store.receipts(employer.id),
    )
