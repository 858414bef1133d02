"""The outside world as the features see it: email, workflows, files and the audit trail, each a Protocol.

The adapters (safeplace.adapters) satisfy them with boto3; tests pass small fakes. A use case names the
narrowest of these it needs, so no feature imports an adapter.
"""

from datetime import datetime
from typing import Any, Protocol

from safeplace.core.audit import AuditCheckpoint, AuditEntry, AuditEvent, AuditHead, AuditSpan
from safeplace.core.model import Model
from safeplace.core.notifications import Email
from safeplace.core.retention import Retention


class Mailer(Protocol):
    def send(self, email: Email) -> str: ...


class Workflows(Protocol):
    """Starting, stopping and completing Step Functions work; each answers False when there was nothing to do."""

    def start(self, state_machine_arn: str, name: str, payload: dict[str, Any]) -> bool: ...

    def stop(self, state_machine_arn: str, name: str, cause: str) -> bool: ...

    def complete(self, task_token: str, output: dict[str, Any]) -> bool: ...


class UploadForm(Model):
    """Where a browser's upload form posts, and the signed fields it must send before the file."""

    url: str
    fields: dict[str, str]


class StoredObject(Model):
    size: int
    head: bytes


class Files(Protocol):
    """Evidence, materials and handbook copies, stored by key; browsers upload straight to the store."""

    def upload_form(self, key: str, *, redirect_to: str, max_bytes: int, expires_in: int) -> UploadForm: ...

    def inspect(self, key: str, head_bytes: int = 16) -> StoredObject: ...

    def put_document(self, key: str, body: bytes, *, content_type: str) -> None: ...

    def read(self, key: str) -> bytes: ...

    def delete(self, key: str) -> None: ...

    def download_url(self, key: str, *, content_type: str, filename: str, expires_in: int) -> str: ...


class AuditTrail(Protocol):
    """The hash-chained trail of each subject, and how long its entries are kept."""

    @property
    def retention(self) -> Retention: ...

    def audit_head(self, subject: str) -> AuditHead: ...

    def audit_trail(self, subject: str) -> tuple[list[AuditEntry], AuditHead]: ...

    def append_audit(self, event: AuditEvent, now: datetime) -> None: ...


class AuditChecks(Protocol):
    """Each trail read from where it was last verified, and that checkpoint moved on."""

    @property
    def retention(self) -> Retention: ...

    def audit_written_on(self, day: str) -> dict[str, list[int]]: ...

    def audit_spans_since(self, written: dict[str, list[int]]) -> dict[str, AuditSpan]: ...

    def audit_due_whole_check(self, slot: int) -> list[str]: ...

    def audit_span(self, subject: str, from_seq: int | None = None) -> AuditSpan: ...

    def move_audit_checkpoints(self, moves: list[tuple[AuditCheckpoint, AuditCheckpoint]]) -> list[str]: ...


class AuditHistory(Protocol):
    """A page of a subject's trail, newest first, with what is known of its verification."""

    @property
    def retention(self) -> Retention: ...

    def audit_latest(self, subject: str, count: int) -> AuditSpan: ...

    def audit_before(self, subject: str, seq: int, count: int) -> list[AuditEntry]: ...
