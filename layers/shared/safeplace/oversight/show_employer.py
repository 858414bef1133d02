from datetime import datetime
from typing import Protocol

from pydantic import BaseModel

from safeplace.core import audit as audit_chain
from safeplace.core.audit import AuditEntry
from safeplace.core.ports import AuditTrail
from safeplace.core.retention import RecordKind
from safeplace.handbook.models import HandbookReceipt
from safeplace.onboarding.answers import Answers
from safeplace.onboarding.models import Employer
from safeplace.onboarding.ports import EmployerAnswers


class ReceiptsOnRecord(Protocol):
    """Read only: the handbook receipts an employer's SPOCs signed."""

    def receipts(self, employer_id: str) -> list[HandbookReceipt]: ...


class EmployerDetail(BaseModel):
    employer: Employer
    submission: Answers | None
    audit: list[AuditEntry]
    audit_intact: bool
    receipts: list[HandbookReceipt] = []


def show_employer(
    employer_id: str, *, employers: EmployerAnswers, audit: AuditTrail, handbook: ReceiptsOnRecord, now: datetime
) -> EmployerDetail:
    employer = employers.get_employer(employer_id)
    entries, head = audit.audit_trail(employer.subject)
    breaks = audit_chain.verify(entries, head, now=now, retention=audit.retention.period(RecordKind.AUDIT))
    return EmployerDetail(
        employer=employer,
        submission=employers.get_submission(employer.id),
        audit=entries,
        audit_intact=not breaks,
        receipts=handbook.receipts(employer.id),
    )
