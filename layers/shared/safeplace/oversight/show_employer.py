from datetime import datetime
from typing import Protocol

from pydantic import BaseModel

from safeplace.core.audit import AuditEntry, TrailStatus
from safeplace.core.ports import AuditHistory
from safeplace.core.read_history import read_history
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
    # A page of the audit trail: its latest entries, or those before `history_before`.
    audit: list[AuditEntry]
    audit_intact: bool
    audit_check: TrailStatus = TrailStatus()
    audit_total: int = 0
    audit_earlier: int | None = None
    audit_newer: int | None = None
    receipts: list[HandbookReceipt] = []


def show_employer(
    employer_id: str,
    *,
    employers: EmployerAnswers,
    audit: AuditHistory,
    handbook: ReceiptsOnRecord,
    now: datetime,
    history_before: int | None = None,
) -> EmployerDetail:
    employer = employers.get_employer(employer_id)
    history = read_history(employer.subject, audit=audit, now=now, before=history_before)
    return EmployerDetail(
        employer=employer,
        submission=employers.get_submission(employer.id),
        audit=history.entries,
        audit_intact=history.check.intact,
        audit_check=history.check,
        audit_total=history.total,
        audit_earlier=history.earlier,
        audit_newer=history.newer,
        receipts=handbook.receipts(employer.id),
    )
