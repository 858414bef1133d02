from datetime import datetime
from typing import Protocol

from safeplace.core.audit import AuditEntry, TrailStatus
from safeplace.core.links import Link, LinkPurpose
from safeplace.core.model import Model
from safeplace.core.ports import AuditHistory
from safeplace.core.read_history import read_history
from safeplace.handbook.models import HandbookReceipt
from safeplace.onboarding.answers import Answers
from safeplace.onboarding.models import Employer, EmployerStatus
from safeplace.onboarding.ports import EmployerAnswers


class ReceiptsOnRecord(Protocol):
    """Read only: the handbook receipts an employer's SPOCs signed."""

    def receipts(self, employer_id: str) -> list[HandbookReceipt]: ...


class EmployerDetail(Model):
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
    # While the employer is still to answer: when the link it was last sent works until, or stopped working (then
    # the invitation needs sending again).
    invitation_works_until: datetime | None = None
    invitation_expired: bool = False


class CurrentLinks(Protocol):
    def current_link(self, subject_id: str, purpose: LinkPurpose) -> Link | None: ...


_TO_ANSWER = frozenset({EmployerStatus.INVITED, EmployerStatus.CHANGES_REQUESTED, EmployerStatus.STALLED})


def show_employer(
    employer_id: str,
    *,
    employers: EmployerAnswers,
    audit: AuditHistory,
    handbook: ReceiptsOnRecord,
    links: CurrentLinks,
    now: datetime,
    history_before: int | None = None,
) -> EmployerDetail:
    employer = employers.get_employer(employer_id)
    link = links.current_link(employer.id, LinkPurpose.ONBOARDING_FORM) if employer.status in _TO_ANSWER else None
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
        invitation_works_until=link.expires_at if link else None,
        invitation_expired=link is not None and not link.usable_at(now),
    )
