from datetime import datetime

from safeplace import audit
from safeplace.adapters.dynamodb import Store
from safeplace.models import EmployerDetail
from safeplace.retention import RecordKind


def show_employer(employer_id: str, *, store: Store, now: datetime) -> EmployerDetail:
    employer = store.get_employer(employer_id)
    entries, head = store.audit_trail(employer.subject)
    breaks = audit.verify(entries, head, now=now, retention=store.retention.period(RecordKind.AUDIT))
    return EmployerDetail(
        employer=employer,
        submission=store.get_submission(employer.id),
        audit=entries,
        audit_intact=not breaks,
    )
