"""In-memory fakes of the record ports, for use-case tests that need only a few of them.

Each keeps models in dicts and applies the conditions its DynamoDB repository applies (an employer saved from the
version it was read at, a placement written only while its employer is unchanged), raising the same domain errors.
Every change writes its audit entry to the trail the fakes share, as the table does.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from safeplace.core import audit
from safeplace.core.audit import AuditEntry, AuditEvent, AuditHead
from safeplace.core.errors import Conflict, InvalidRequest, NotFound
from safeplace.core.links import Link, LinkPurpose
from safeplace.core.notifications import Email
from safeplace.core.paging import Page, name_key
from safeplace.core.retention import Retention
from safeplace.handbook.models import HandbookReceipt, HandbookVersion
from safeplace.handbook.standing import current_material
from safeplace.onboarding.answers import Answers
from safeplace.onboarding.models import Check, CheckStatus, Due, Employer, EmployerStatus, EmployerSummary
from safeplace.onboarding.rules import checks_needed
from safeplace.placements.models import Placement, PlacementStatus, PlacementSummary
from safeplace.placements.ports import GateReading

# What the table says when a condition fails: the caller read something that has changed since.
_CHANGED = "This record was changed by someone else; reload and try again"
RETENTION = Retention(link_days=90, audit_years=7)
T = TypeVar("T")


def a_page(ordered: Sequence[T], cursor: str | None, limit: int) -> Page[T]:
    """A page of a list already in order, as the table pages: its cursor is opaque to the caller (here, where the
    page starts), and one that is not a cursor of this list is refused as the table refuses it."""
    start = 0
    if cursor is not None:
        if not cursor.startswith("at-") or not cursor[3:].isdigit() or int(cursor[3:]) > len(ordered):
            raise InvalidRequest("This page link is not valid. Start again from the first page.")
        start = int(cursor[3:])
    end = start + limit
    return Page[T](
        items=list(ordered[start:end]),
        next_cursor=f"at-{end}" if end < len(ordered) else None,
        previous_cursor=f"at-{max(start - limit, 0)}" if start else None,
    )


class InMemoryAuditTrail:
    """Satisfies core.ports.AuditTrail: each subject's entries chained as the table chains them."""

    def __init__(self, retention: Retention = RETENTION) -> None:
        self.retention = retention
        self.entries: dict[str, list[AuditEntry]] = {}

    def audit_head(self, subject: str) -> AuditHead:
        found = self.entries.get(subject)
        return audit.head_after(found[-1]) if found else AuditHead(subject=subject)

    def audit_trail(self, subject: str) -> tuple[list[AuditEntry], AuditHead]:
        return list(self.entries.get(subject, [])), self.audit_head(subject)

    def append_audit(self, event: AuditEvent, now: datetime) -> None:
        entry = audit.next_entry(self.audit_head(event.subject), event, now)
        self.entries.setdefault(event.subject, []).append(entry)


class InMemoryEmployers:
    """Employers and the answers each last sent, as EmployerRepository keeps them."""

    def __init__(self, trail: InMemoryAuditTrail) -> None:
        self.trail = trail
        self.employers: dict[str, Employer] = {}
        self.submissions: dict[str, Answers] = {}
        self.due: dict[tuple[str, str], Due] = {}

    def create_employer(self, employer: Employer, event: AuditEvent) -> None:
        if employer.id in self.employers:
            raise Conflict(_CHANGED)
        self.employers[employer.id] = employer
        self.trail.append_audit(event, employer.updated_at)

    def get_employer(self, employer_id: str) -> Employer:
        try:
            return self.employers[employer_id]
        except KeyError:
            raise NotFound("No employer has that reference") from None

    def save_employer(self, before: Employer, after: Employer, event: AuditEvent, *, due: Iterable[Due] = ()) -> None:
        if after.version != before.version + 1:
            raise ValueError("a saved employer moves on exactly one version")
        self.ensure_unchanged(before)
        self.employers[after.id] = after
        self.trail.append_audit(event, after.updated_at)
        self.due.update({(d.employer_id, d.key): d for d in due})

    def note_invitation_link(self, employer_id: str, expires_at: datetime) -> None:
        employer = self.get_employer(employer_id)
        self.employers[employer_id] = employer.model_copy(update={"invitation_expires_at": expires_at})

    def get_submission(self, employer_id: str) -> Answers | None:
        return self.submissions.get(employer_id)

    def employer_page(
        self, status: EmployerStatus | None, name_prefix: str, *, cursor: str | None, limit: int
    ) -> Page[EmployerSummary]:
        found = [e.summary() for e in self.employers.values() if status is None or e.status is status]
        prefix = name_key(name_prefix)
        if prefix:
            ordered = sorted((e for e in found if name_key(e.name).startswith(prefix)), key=lambda e: name_key(e.name))
        else:
            ordered = sorted(found, key=lambda e: e.updated_at, reverse=True)
        return a_page(ordered, cursor, limit)

    def ensure_unchanged(self, employer: Employer) -> None:
        """The condition a write across aggregates carries: the employer is still the version the caller read."""
        stored = self.employers.get(employer.id)
        if stored is None or stored.version != employer.version:
            raise Conflict(_CHANGED)


def a_held_submission(employers: InMemoryEmployers, employer: Employer, answers: Answers, at: datetime) -> Employer:
    """An employer whose answers were sent and now wait for review (conftest's a_stored_submission, in memory)."""
    checks = [Check(type=t, status=CheckStatus.SUBMITTED, updated_at=at) for t in checks_needed(answers)]
    after = employer.moved_to(EmployerStatus.SUBMITTED, at, checks=checks)
    employers.save_employer(
        employer, after, AuditEvent(subject=employer.subject, action="organisation.submitted", actor="employer")
    )
    employers.submissions[employer.id] = answers
    return after


class InMemoryPlacements:
    """Placements as PlacementRepository keeps them: written only while the employer is as the gate read it. The
    gate reads the employers and the handbook given (none published when there is none)."""

    def __init__(
        self,
        employers: InMemoryEmployers,
        trail: InMemoryAuditTrail,
        handbook: "InMemoryHandbookReceipts | None" = None,
    ) -> None:
        self.employers = employers
        self.trail = trail
        self.handbook = handbook or InMemoryHandbookReceipts()
        self.placements: dict[str, Placement] = {}

    def gate_reading(self, employer_id: str, *, fresh: bool = False) -> GateReading:
        return GateReading(
            employer=self.employers.get_employer(employer_id),
            answers=self.employers.get_submission(employer_id),
            receipts=self.handbook.receipts(employer_id),
            handbook=current_material(self.handbook.versions),
        )

    def record_placement(self, placement: Placement, employer: Employer, event: AuditEvent) -> None:
        self.employers.ensure_unchanged(employer)
        if placement.id in self.placements:
            raise Conflict(_CHANGED)
        self.placements[placement.id] = placement
        self.trail.append_audit(event, placement.recorded_at)

    def employer_placements(self, employer_id: str) -> list[Placement]:
        # The table keeps an employer's placements in the order of their ids.
        return sorted((p for p in self.placements.values() if p.employer_id == employer_id), key=lambda p: p.id)

    def update_placement(self, before: Placement, after: Placement, employer: Employer, event: AuditEvent) -> None:
        self.employers.ensure_unchanged(employer)
        stored = self.placements.get(before.id)
        if stored is None or stored.status is not before.status:
            raise Conflict(_CHANGED)
        self.placements[after.id] = after
        self.trail.append_audit(event, after.updated_at)

    def placement_page(
        self, status: PlacementStatus | None, *, cursor: str | None, limit: int
    ) -> Page[PlacementSummary]:
        found = [p.summary() for p in self.placements.values() if status in (None, p.status)]
        return a_page(sorted(found, key=lambda p: p.recorded_at, reverse=True), cursor, limit)

    def flagged_page(self, *, cursor: str | None, limit: int) -> Page[PlacementSummary]:
        found = [p.summary() for p in self.placements.values() if p.flags]
        return a_page(sorted(found, key=lambda p: p.recorded_at, reverse=True), cursor, limit)


class InMemoryHandbookReceipts:
    """The handbook as the gate reads it: the versions published and each employer's receipts."""

    def __init__(self, versions: Iterable[HandbookVersion] = (), receipts: Iterable[HandbookReceipt] = ()) -> None:
        self.versions = list(versions)
        self.signed = list(receipts)

    def handbook_versions(self) -> list[HandbookVersion]:
        return sorted(self.versions, key=lambda v: v.number, reverse=True)

    def receipts(self, employer_id: str) -> list[HandbookReceipt]:
        return sorted((r for r in self.signed if r.employer_id == employer_id), key=lambda r: (r.version, r.holder))

    def latest_handbook_version(self) -> HandbookVersion | None:
        return max(self.versions, key=lambda v: v.number, default=None)


class InMemoryWaits:
    """The task tokens of the workflow steps that wait, as WaitRepository keeps them."""

    def __init__(self) -> None:
        self.tokens: dict[tuple[str, str], str] = {}

    def save_wait(self, employer_id: str, step: str, task_token: str, now: datetime) -> None:
        self.tokens[(employer_id, step)] = task_token

    def get_wait(self, employer_id: str, step: str) -> str | None:
        return self.tokens.get((employer_id, step))

    def clear_wait(self, employer_id: str, step: str, task_token: str) -> None:
        # A newer wait may have replaced this one; that one is not ours to clear.
        if self.tokens.get((employer_id, step)) == task_token:
            del self.tokens[(employer_id, step)]


class InMemoryLinks:
    """Links by the hash of their token, as LinkRepository keeps them: a new one revokes the subject's last."""

    def __init__(self) -> None:
        self.links: dict[str, Link] = {}
        self.current: dict[tuple[str, LinkPurpose], str] = {}

    def save_link(self, link: Link) -> None:
        if link.token_hash in self.links:
            raise Conflict(_CHANGED)
        previous = self.current.get((link.subject_id, link.purpose))
        if previous is not None:
            self.links[previous] = self.links[previous].model_copy(update={"revoked_at": link.issued_at})
        self.links[link.token_hash] = link
        self.current[(link.subject_id, link.purpose)] = link.token_hash

    def get_link(self, token_hash: str) -> Link | None:
        return self.links.get(token_hash)


class RecordingMailer:
    """Satisfies core.ports.Mailer: keeps every email it is asked to send."""

    def __init__(self) -> None:
        self.sent: list[Email] = []

    def send(self, email: Email) -> str:
        self.sent.append(email)
        return f"message-{len(self.sent)}"


class StartsRecorded:
    """Workflows whose executions are only recorded: for use cases that start one and move on."""

    def __init__(self) -> None:
        self.started: list[tuple[str, str, dict[str, Any]]] = []

    def start(self, state_machine_arn: str, name: str, payload: dict[str, Any]) -> bool:
        self.started.append((state_machine_arn, name, payload))
        return True


class TasksRecorded(StartsRecorded):
    """Step Functions as the use cases see it: executions started and tasks completed are recorded."""

    def __init__(self) -> None:
        super().__init__()
        self.completed: list[tuple[str, dict[str, Any]]] = []

    def complete(self, task_token: str, output: dict[str, Any]) -> bool:
        self.completed.append((task_token, output))
        return True


class NothingWaiting(StartsRecorded):
    """Step Functions for a use case run outside a workflow: no task is waiting, so a callback has nothing to do;
    executions it starts are recorded."""

    def complete(self, task_token: str, output: dict[str, Any]) -> bool:
        return True
