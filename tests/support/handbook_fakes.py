"""In-memory stand-ins for what the handbook's use cases read and write, for tests of the use cases themselves.

Each behaves as its DynamoDB or S3 counterpart does where a use case can tell: a missing employer or file is
NotFound, and a version or copy is recorded once.
"""

from collections.abc import Sequence

from safeplace.core.audit import AuditEvent
from safeplace.core.errors import Conflict, NotFound
from safeplace.handbook.models import HandbookCopy, HandbookReceipt, HandbookVersion
from safeplace.handbook.text import HandbookText
from safeplace.onboarding.answers import Answers
from safeplace.onboarding.models import Employer, EmployerStatus


class EmployersOnFile:
    """Employers and what each sent in onboarding, read only, as the handbook sees them."""

    def __init__(self) -> None:
        self.employers: dict[str, Employer] = {}
        self.answers: dict[str, Answers] = {}

    def add(self, employer: Employer, answers: Answers | None = None) -> Employer:
        self.employers[employer.id] = employer
        if answers is not None:
            self.answers[employer.id] = answers
        return employer

    def get_employer(self, employer_id: str) -> Employer:
        if employer_id not in self.employers:
            raise NotFound("No employer has that reference")
        return self.employers[employer_id]

    def get_submission(self, employer_id: str) -> Answers | None:
        return self.answers.get(employer_id)

    def count_employers_in(self, statuses: Sequence[EmployerStatus]) -> int:
        return sum(1 for e in self.employers.values() if e.status in statuses)


class HandbookOnFile:
    """Published versions, each SPOC's copy and their receipts; `events` are the audit events handed in with them."""

    def __init__(self) -> None:
        self.versions: dict[int, HandbookVersion] = {}
        self.texts: dict[int, HandbookText] = {}
        self.copies: dict[tuple[str, int, str], HandbookCopy] = {}
        self.signed: list[HandbookReceipt] = []
        self.events: list[AuditEvent] = []

    def publish_handbook_version(self, version: HandbookVersion, text: HandbookText | None, event: AuditEvent) -> None:
        if version.number in self.versions:
            raise Conflict("This record was changed by someone else; reload and try again")
        self.versions[version.number] = version
        if text is not None:
            self.texts[version.number] = text
        self.events.append(event)

    def handbook_versions(self) -> list[HandbookVersion]:
        return sorted(self.versions.values(), key=lambda v: v.number, reverse=True)

    def latest_handbook_version(self) -> HandbookVersion | None:
        return max(self.versions.values(), key=lambda v: v.number, default=None)

    def handbook_text(self, number: int) -> HandbookText | None:
        return self.texts.get(number)

    def get_handbook_copy(self, employer_id: str, number: int, holder: str) -> HandbookCopy | None:
        return self.copies.get((employer_id, number, holder))

    def save_handbook_copy(self, copy: HandbookCopy) -> None:
        key = (copy.employer_id, copy.version, copy.holder)
        if key in self.copies:
            raise Conflict("This record was changed by someone else; reload and try again")
        self.copies[key] = copy

    def receipts(self, employer_id: str) -> list[HandbookReceipt]:
        return [r for r in self.signed if r.employer_id == employer_id]


class DocumentsInMemory:
    """Stored documents by key, as the evidence bucket keeps them: only the calls the handbook makes."""

    def __init__(self) -> None:
        self.documents: dict[str, bytes] = {}

    def put_document(self, key: str, body: bytes, *, content_type: str) -> None:
        self.documents[key] = body

    def read(self, key: str) -> bytes:
        if key not in self.documents:
            raise NotFound("The file was not found")
        return self.documents[key]

    def delete(self, key: str) -> None:
        self.documents.pop(key, None)
