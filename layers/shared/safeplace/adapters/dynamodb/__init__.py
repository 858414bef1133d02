"""All state in one DynamoDB table: `Table` holds its mechanics, and a repository per aggregate is built over it.

`Store` is TEMPORARY: the one object every use case was handed before the repositories, kept while they move
to the repository (or two) each needs. It builds one `Table` and the repositories, and only delegates.
"""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from safeplace.adapters.dynamodb.bookings import BookingRepository
from safeplace.adapters.dynamodb.employers import EmployerRepository
from safeplace.adapters.dynamodb.handbook import HandbookRepository
from safeplace.adapters.dynamodb.links import LinkRepository
from safeplace.adapters.dynamodb.placements import PlacementRepository
from safeplace.adapters.dynamodb.sessions import SessionRepository
from safeplace.adapters.dynamodb.table import Table, booking_pk, employer_pk
from safeplace.adapters.dynamodb.table import to_item as _item
from safeplace.adapters.dynamodb.table import to_plain as _plain
from safeplace.adapters.dynamodb.waits import WaitRepository
from safeplace.core import audit
from safeplace.core.audit import AuditEntry, AuditEvent
from safeplace.core.links import Link, LinkPurpose
from safeplace.core.retention import Retention
from safeplace.handbook.models import HandbookCopy, HandbookReceipt, HandbookVersion
from safeplace.onboarding.answers import Answers, EvidenceFile, _Section
from safeplace.onboarding.models import CheckType, Due, DueState, Employer, EmployerStatus, EmployerSummary
from safeplace.placements.models import Placement, PlacementStatus
from safeplace.speakers.booking import Booking, BookingStatus
from safeplace.speakers.models import RegisterEntry
from safeplace.staff.models import StaffSession

__all__ = [
    "BookingRepository",
    "EmployerRepository",
    "HandbookRepository",
    "LinkRepository",
    "PlacementRepository",
    "SessionRepository",
    "Store",
    "Table",
    "WaitRepository",
    # The names the benchmarks (and anything written before the split) import from here.
    "_item",
    "_plain",
    "booking_pk",
    "employer_pk",
]


class Store:
    def __init__(self, table_name: str, retention: Retention, client: Any = None) -> None:
        self.table = Table(table_name, retention, client)
        self.employers = EmployerRepository(self.table)
        self.links = LinkRepository(self.table)
        self.placements = PlacementRepository(self.table)
        self.handbook = HandbookRepository(self.table)
        self.bookings = BookingRepository(self.table)
        self.sessions = SessionRepository(self.table)
        self.waits = WaitRepository(self.table)

    @property
    def table_name(self) -> str:
        return self.table.name

    @property
    def retention(self) -> Retention:
        return self.table.retention

    @property
    def client(self) -> Any:
        return self.table.client

    # -- employers

    def create_employer(self, employer: Employer, event: AuditEvent) -> None:
        self.employers.create_employer(employer, event)

    def get_employer(self, employer_id: str) -> Employer:
        return self.employers.get_employer(employer_id)

    def list_employers(self, statuses: Iterable[EmployerStatus]) -> list[EmployerSummary]:
        return self.employers.list_employers(statuses)

    def save_employer(self, before: Employer, after: Employer, event: AuditEvent, *, due: Iterable[Due] = ()) -> None:
        self.employers.save_employer(before, after, event, due=due)

    def due_on(self, day: date) -> list[Due]:
        return self.employers.due_on(day)

    def lapses_between(self, first: date, last: date) -> list[Due]:
        return self.employers.lapses_between(first, last)

    def advance_due(
        self, due: Due, to: DueState, *, event: AuditEvent | None = None, now: datetime | None = None
    ) -> Due:
        return self.employers.advance_due(due, to, event=event, now=now)

    def act_on_due(self, due: Due, before: Employer, after: Employer, event: AuditEvent) -> Due:
        return self.employers.act_on_due(due, before, after, event)

    def sweep_progress(self) -> date | None:
        return self.employers.sweep_progress()

    def save_sweep_progress(self, day: date) -> None:
        self.employers.save_sweep_progress(day)

    def record_submission(
        self, before: Employer, after: Employer, answers: Answers, consumed: Link, event: AuditEvent, now: datetime
    ) -> None:
        self.employers.record_submission(before, after, answers, consumed, event, now)

    def change_spoc(
        self, before: Employer, after: Employer, answers: Answers, event: AuditEvent, now: datetime
    ) -> None:
        self.employers.change_spoc(before, after, answers, event, now)

    def get_submission(self, employer_id: str) -> Answers | None:
        return self.employers.get_submission(employer_id)

    def save_draft_section(self, employer_id: str, check: CheckType, section: _Section, now: datetime) -> None:
        self.employers.save_draft_section(employer_id, check, section, now)

    def save_upload(self, employer_id: str, check: CheckType, file: EvidenceFile) -> None:
        self.employers.save_upload(employer_id, check, file)

    def get_draft(self, employer_id: str) -> tuple[Answers, dict[CheckType, EvidenceFile]]:
        return self.employers.get_draft(employer_id)

    # -- links

    def save_link(self, link: Link) -> None:
        self.links.save_link(link)

    def revoke_current_link(self, subject_id: str, purpose: LinkPurpose, now: datetime) -> None:
        self.links.revoke_current_link(subject_id, purpose, now)

    def get_link(self, token_hash: str) -> Link | None:
        return self.links.get_link(token_hash)

    def current_link_hash(self, subject_id: str, purpose: LinkPurpose) -> str | None:
        return self.links.current_link_hash(subject_id, purpose)

    # -- placements

    def record_placement(self, placement: Placement, employer: Employer, event: AuditEvent) -> None:
        self.placements.record_placement(placement, employer, event)

    def employer_placements(self, employer_id: str) -> list[Placement]:
        return self.placements.employer_placements(employer_id)

    def update_placement(self, before: Placement, after: Placement, employer: Employer, event: AuditEvent) -> None:
        self.placements.update_placement(before, after, employer, event)

    def list_placements(self, statuses: Iterable[PlacementStatus]) -> list[Placement]:
        return self.placements.list_placements(statuses)

    # -- handbook

    def publish_handbook_version(self, version: HandbookVersion, event: AuditEvent) -> None:
        self.handbook.publish_handbook_version(version, event)

    def handbook_versions(self) -> list[HandbookVersion]:
        return self.handbook.handbook_versions()

    def latest_handbook_version(self) -> HandbookVersion | None:
        return self.handbook.latest_handbook_version()

    def handbook_version(self, number: int) -> HandbookVersion | None:
        return self.handbook.handbook_version(number)

    def get_handbook_copy(self, employer_id: str, number: int, holder: str) -> HandbookCopy | None:
        return self.handbook.get_handbook_copy(employer_id, number, holder)

    def record_receipt(self, receipt: HandbookReceipt, consumed: Link, event: AuditEvent) -> None:
        self.handbook.record_receipt(receipt, consumed, event)

    def receipts(self, employer_id: str) -> list[HandbookReceipt]:
        return self.handbook.receipts(employer_id)

    def save_handbook_copy(self, copy: HandbookCopy) -> None:
        self.handbook.save_handbook_copy(copy)

    # -- bookings

    def create_booking(self, booking: Booking, event: AuditEvent) -> None:
        self.bookings.create_booking(booking, event)

    def get_booking(self, booking_id: str) -> Booking:
        return self.bookings.get_booking(booking_id)

    def save_booking(
        self,
        before: Booking,
        after: Booking,
        event: AuditEvent,
        *,
        register: Iterable[RegisterEntry] = (),
        consumed: Link | None = None,
    ) -> None:
        self.bookings.save_booking(before, after, event, register=register, consumed=consumed)

    def list_bookings(self, statuses: Iterable[BookingStatus]) -> list[Booking]:
        return self.bookings.list_bookings(statuses)

    def speaker_register(self, speaker_name: str, organisation: str) -> list[RegisterEntry]:
        return self.bookings.speaker_register(speaker_name, organisation)

    # -- sessions

    def save_session(self, session: StaffSession) -> None:
        self.sessions.save_session(session)

    def get_session(self, id_hash: str) -> StaffSession | None:
        return self.sessions.get_session(id_hash)

    def delete_session(self, id_hash: str) -> None:
        self.sessions.delete_session(id_hash)

    # -- waits

    def save_wait(self, employer_id: str, step: str, task_token: str, now: datetime) -> None:
        self.waits.save_wait(employer_id, step, task_token, now)

    def get_wait(self, employer_id: str, step: str) -> str | None:
        return self.waits.get_wait(employer_id, step)

    def clear_wait(self, employer_id: str, step: str, task_token: str) -> None:
        self.waits.clear_wait(employer_id, step, task_token)

    # -- the audit trail, kept by the table

    def audit_head(self, subject: str) -> audit.AuditHead:
        return self.table.audit_head(subject)

    def audit_trail(self, subject: str) -> tuple[list[AuditEntry], audit.AuditHead]:
        return self.table.audit_trail(subject)

    def audit_subjects_changed_on(self, day: str) -> list[str]:
        return self.table.audit_subjects_changed_on(day)

    def append_audit(self, event: AuditEvent, now: datetime) -> None:
        self.table.append_audit(event, now)
