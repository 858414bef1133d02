from datetime import datetime
from typing import Protocol

from pydantic import Field

from safeplace.core.audit import AuditEvent
from safeplace.core.errors import Conflict, InvalidRequest, NotFound
from safeplace.core.links import Link, LinkPurpose, LinkStore, resolve
from safeplace.core.model import Model
from safeplace.core.notifications import render_email
from safeplace.core.ports import Mailer
from safeplace.handbook.models import STATEMENTS, HandbookCopy, HandbookReceipt, HandbookVersion, holder_key
from safeplace.handbook.ports import EmployerAnswers, HandbookStanding, ReleaseLearners, StoredCopies
from safeplace.handbook.standing import asks_to_sign, signed_by
from safeplace.onboarding.models import Employer, Spoc


class HandbookToRead(HandbookStanding, StoredCopies, Protocol):
    """The copies a SPOC was given, and whether the newest is theirs to sign."""


class HandbookSignatures(HandbookToRead, Protocol):
    def record_receipt(self, receipt: HandbookReceipt, consumed: Link, event: AuditEvent) -> None: ...


class HandbookToAcknowledge(Model):
    employer: Employer
    spoc: Spoc
    version: HandbookVersion
    copy_: HandbookCopy = Field(alias="copy")
    statements: tuple[str, ...] = STATEMENTS
    # False for a minor update to a version already signed for: it is there to read, not to sign.
    to_sign: bool
    signed: HandbookReceipt | None = Field(default=None, description="The SPOC's latest receipt")


class Acknowledgement(Model):
    typed_name: str = Field(max_length=200)
    accepted: list[int]


class NotAcknowledged(InvalidRequest):
    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(" ".join(problems.values()))
        self.problems = problems


def _newest_copy(
    handbook: StoredCopies, employer_id: str, versions: list[HandbookVersion], holder: str
) -> tuple[HandbookVersion, HandbookCopy] | None:
    for version in versions:
        copy = handbook.get_handbook_copy(employer_id, version.number, holder)
        if copy is not None:
            return version, copy
    return None


def open_handbook(
    token: str, *, links: LinkStore, employers: EmployerAnswers, handbook: HandbookToRead, now: datetime
) -> HandbookToAcknowledge:
    """The newest copy the SPOC was given, and whether it is theirs to sign. Reads only: mail scanners
    open links too."""
    link = resolve(links, token, LinkPurpose.HANDBOOK, now=now)
    answers = employers.get_submission(link.subject_id)
    spoc = answers.spoc.spoc if answers and answers.spoc else None
    versions = handbook.handbook_versions()
    given = _newest_copy(handbook, link.subject_id, versions, holder_key(spoc)) if spoc else None
    if spoc is None or given is None:
        raise NotFound("There is no handbook waiting for you: check the link in our latest email")
    version, copy = given
    receipts = signed_by(handbook.receipts(link.subject_id), spoc)
    return HandbookToAcknowledge(
        employer=employers.get_employer(link.subject_id),
        spoc=spoc,
        version=version,
        copy=copy,
        to_sign=asks_to_sign(versions, receipts, version.number),
        signed=max(receipts, key=lambda r: r.version, default=None),
    )


def _same_name(typed: str, recorded: str) -> bool:
    return " ".join(typed.split()).casefold() == " ".join(recorded.split()).casefold()


def _nothing_to_sign(opened: HandbookToAcknowledge) -> str:
    number = opened.version.number
    if opened.signed is None:
        return "There is nothing for you to sign yet: the current version is on its way to you by email"
    if opened.signed.version == number:
        # Signed a moment ago, from another tab or a second press of the button.
        return f"You have already acknowledged version {number}: there is nothing more to do"
    return (
        f"There is nothing for you to sign: version {number} is a minor update to a version you have already "
        "acknowledged"
    )


def acknowledge_handbook(
    token: str,
    acknowledgement: Acknowledgement,
    *,
    links: LinkStore,
    employers: EmployerAnswers,
    handbook: HandbookSignatures,
    mailer: Mailer,
    release: ReleaseLearners,
    link_url: str,
    now: datetime,
) -> HandbookReceipt:
    """The SPOC's acknowledgement becomes a receipt of exactly this document; they are emailed a copy of it, with
    `link_url` (this link's address, which then shows what they signed), and the employer's learners waiting only
    for it are released."""
    opened = open_handbook(token, links=links, employers=employers, handbook=handbook, now=now)
    if not opened.to_sign:
        raise Conflict(_nothing_to_sign(opened))
    problems: dict[str, str] = {}
    if set(acknowledgement.accepted) != set(range(len(STATEMENTS))):
        problems["statements"] = "Confirm every statement: we cannot place learners until each one is true"
    if not _same_name(acknowledgement.typed_name, opened.spoc.name):
        problems["typed_name"] = (
            f"Type your full name as we have it for your SPOC, {opened.spoc.name}. If your SPOC has changed, "
            "tell us before you confirm"
        )
    if problems:
        raise NotAcknowledged(problems)
    receipt = HandbookReceipt(
        employer_id=opened.employer.id,
        version=opened.version.number,
        sha256=opened.copy_.sha256,
        document_key=opened.copy_.key,
        spoc=opened.spoc,
        typed_name=" ".join(acknowledgement.typed_name.split()),
        statements=STATEMENTS,
        acknowledged_at=now,
    )
    link = resolve(links, token, LinkPurpose.HANDBOOK, now=now)
    event = AuditEvent(
        subject=opened.employer.subject,
        action="handbook.acknowledged",
        actor="SPOC (emailed link)",
        details={"version": str(receipt.version), "sha256": receipt.sha256},
    )
    handbook.record_receipt(receipt, link, event)
    mailer.send(
        render_email(
            "handbook_receipt", to=str(opened.spoc.email), receipt=receipt, employer=opened.employer, link=link_url
        )
    )
    release(opened.employer.id, now=now)
    return receipt
