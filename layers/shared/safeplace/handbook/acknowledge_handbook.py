from datetime import datetime

from pydantic import BaseModel, Field

from safeplace import links
from safeplace.adapters.dynamodb import Store
from safeplace.adapters.ses import Mailer
from safeplace.errors import InvalidRequest, NotFound
from safeplace.handbook.models import STATEMENTS, HandbookCopy, HandbookReceipt, HandbookVersion
from safeplace.models import AuditEvent, Employer, LinkPurpose, Spoc
from safeplace.notifications import render_email


class HandbookToAcknowledge(BaseModel):
    employer: Employer
    spoc: Spoc
    version: HandbookVersion
    copy_: HandbookCopy = Field(alias="copy")
    statements: tuple[str, ...] = STATEMENTS


class Acknowledgement(BaseModel):
    typed_name: str = Field(max_length=200)
    accepted: list[int]


class NotAcknowledged(InvalidRequest):
    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(" ".join(problems.values()))
        self.problems = problems


def open_handbook(token: str, *, store: Store, now: datetime) -> HandbookToAcknowledge:
    """The copy behind a handbook link. Reads only: mail scanners open links too."""
    link = links.resolve(store, token, LinkPurpose.HANDBOOK, now=now)
    version = store.latest_handbook_version()
    copy = store.get_handbook_copy(link.subject_id, version.number) if version else None
    answers = store.get_submission(link.subject_id)
    if version is None or copy is None or answers is None or answers.spoc is None:
        raise NotFound("There is no handbook waiting for you: check the link in our latest email")
    employer = store.get_employer(link.subject_id)
    return HandbookToAcknowledge(employer=employer, spoc=answers.spoc.spoc, version=version, copy=copy)


def _same_name(typed: str, recorded: str) -> bool:
    return " ".join(typed.split()).casefold() == " ".join(recorded.split()).casefold()


def acknowledge_handbook(
    token: str, acknowledgement: Acknowledgement, *, store: Store, mailer: Mailer, now: datetime
) -> HandbookReceipt:
    """The SPOC's acknowledgement becomes a receipt of exactly this document; they are emailed a copy of it."""
    handbook = open_handbook(token, store=store, now=now)
    problems: dict[str, str] = {}
    if set(acknowledgement.accepted) != set(range(len(STATEMENTS))):
        problems["statements"] = "Confirm every statement: we cannot place learners until each one is true"
    if not _same_name(acknowledgement.typed_name, handbook.spoc.name):
        problems["typed_name"] = (
            f"Type your full name as we have it for your SPOC, {handbook.spoc.name}. If your SPOC has changed, "
            "tell us before you confirm"
        )
    if problems:
        raise NotAcknowledged(problems)
    receipt = HandbookReceipt(
        employer_id=handbook.employer.id,
        version=handbook.version.number,
        sha256=handbook.copy_.sha256,
        document_key=handbook.copy_.key,
        spoc=handbook.spoc,
        typed_name=" ".join(acknowledgement.typed_name.split()),
        statements=STATEMENTS,
        acknowledged_at=now,
    )
    link = links.resolve(store, token, LinkPurpose.HANDBOOK, now=now)
    event = AuditEvent(
        subject=handbook.employer.subject,
        action="handbook.acknowledged",
        actor="SPOC (emailed link)",
        details={"version": str(receipt.version), "sha256": receipt.sha256},
    )
    store.record_receipt(receipt, link, event)
    mailer.send(
        render_email("handbook_receipt", to=str(handbook.spoc.email), receipt=receipt, employer=handbook.employer)
    )
    return receipt
