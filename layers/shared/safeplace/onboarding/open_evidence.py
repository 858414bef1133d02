from datetime import datetime

from safeplace.core.audit import AuditEvent
from safeplace.core.errors import NotFound
from safeplace.core.ports import AuditTrail, Files
from safeplace.onboarding.answers import EVIDENCE_TYPES
from safeplace.onboarding.models import CheckType
from safeplace.onboarding.ports import EmployerAnswers
from safeplace.staff.models import StaffUser

# Long enough to open the file, short enough that a forwarded address soon stops working.
EVIDENCE_LINK_SECONDS = 300


def open_evidence(
    employer_id: str,
    check: CheckType,
    by: StaffUser,
    *,
    employers: EmployerAnswers,
    audit: AuditTrail,
    files: Files,
    now: datetime,
) -> str:
    """A short-lived address for the file an employer sent with a check; who opened it goes in the audit trail."""
    employer = employers.get_employer(employer_id)
    answers = employers.get_submission(employer.id)
    section = answers.section(check) if answers else None
    evidence = section.evidence if section else None
    if evidence is None:
        raise NotFound(f"{employer.name} has not sent a file for {check.label.lower()}")
    audit.append_audit(
        AuditEvent(
            subject=employer.subject, action="evidence.opened", actor=str(by.email), details={"check": check.value}
        ),
        now,
    )
    extension = EVIDENCE_TYPES[evidence.content_type].lower()
    return files.download_url(
        evidence.key,
        content_type=evidence.content_type,
        filename=f"{employer.id}-{check.value}.{extension}",
        expires_in=EVIDENCE_LINK_SECONDS,
    )
