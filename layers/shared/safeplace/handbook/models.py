"""The employer handbook (guidance 5.2, 7.3, 11.6): versions, each employer's copy, and what the SPOC confirms."""

import hashlib
from datetime import datetime
from typing import Annotated

from pydantic import ConfigDict, EmailStr, Field, StringConstraints, computed_field

from safeplace.core.model import Model
from safeplace.core.types import PlainLines
from safeplace.onboarding.models import Spoc

Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]

# What the SPOC confirms on the employer's behalf: guidance 11.6 asks for acknowledgement that every
# requirement is understood and the measures are in place before learners start.
STATEMENTS = (
    "I have received and read this version of the employer handbook.",
    "I understand the safeguarding, Prevent, learning and health and safety requirements it sets out.",
    "The measures it asks for are in place at our sites before any learner starts, and I will keep them in place.",
    "I am the single point of contact (SPOC) and I accept responsibility for meeting these requirements on the "
    "employer's behalf.",
)


HOLDER = r"^[0-9a-f]{16}$"


def holder_key(spoc: Spoc) -> str:
    """Who a copy is for, without their address: a new SPOC gets and signs a copy of their own (guidance 11.5)."""
    return hashlib.sha256(str(spoc.email).casefold().encode()).hexdigest()[:16]


class ProviderDetails(Model):
    """The provider's own details printed in every copy, from the template's parameters."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(min_length=1)
    dsl_name: str = Field(min_length=1)
    dsl_email: EmailStr
    dsl_phone: str = Field(min_length=1)
    safeguarding_phone: str = Field(min_length=1)
    absence_email: EmailStr
    absence_report_hours: int = Field(ge=1, le=24)


class HandbookVersion(Model):
    number: int = Field(ge=1)
    summary: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000), PlainLines]
    # A material change asks every active employer to acknowledge again; a minor one only tells them.
    material: bool
    published_at: datetime
    published_by: str


class EmployerDetails(Model):
    """The employer's details printed in their copy."""

    name: str
    legal_name: str
    spoc: Spoc
    sites: list[str]


class HandbookCopy(Model):
    """One SPOC's copy of one version for their employer, rendered once and never changed: its hash is its identity."""

    employer_id: str
    version: int = Field(ge=1)
    holder: str = Field(pattern=HOLDER, description="holder_key of the SPOC it names")
    key: str
    sha256: Sha256
    size: int = Field(ge=1)
    rendered_at: datetime


class CopyCheck(Model):
    copy_: HandbookCopy = Field(alias="copy")
    stored_sha256: Sha256 | None
    matches: bool


def receipt_reference(sha256: str) -> str:
    """How a person quotes a receipt ("3F9A-21C0"): the start of its document's fingerprint, which staff verify in
    full on the receipt's page."""
    start = sha256[:8].upper()
    return f"{start[:4]}-{start[4:]}"


class HandbookReceipt(Model):
    """What an inspector asks for: who acknowledged which version of which document, when, and to what."""

    employer_id: str
    version: int = Field(ge=1)
    sha256: Sha256
    document_key: str
    spoc: Spoc
    typed_name: str
    statements: tuple[str, ...]
    acknowledged_at: datetime

    @computed_field  # type: ignore[prop-decorator]
    @property
    def holder(self) -> str:
        """Which SPOC signed, as the receipt's address names them: /handbook/<version>/<holder>."""
        return holder_key(self.spoc)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def reference(self) -> str:
        return receipt_reference(self.sha256)


class SpocStanding(Model):
    """Where one SPOC's delivery of one version stands: sent, reminded, passed to the compliance team, signed."""

    employer_id: str
    # None, as is delivered_at: sent before these were kept, and known here only because the SPOC signed.
    employer_name: str | None = None
    spoc_name: str
    holder: str = Field(pattern=HOLDER)
    delivered_at: datetime | None = None
    to_sign: bool = True
    reminders: int = Field(default=0, ge=0)
    reminded_at: datetime | None = None
    escalated_at: datetime | None = None
    signed_at: datetime | None = None


# 200 ids fill about 7 x 200 = 1,400 history events and a few KiB of state per rollout execution, far inside
# Step Functions' 25,000 events and 256 KiB, while 50,000 employers still need only 250 executions.
ROLLOUT_PAGE_SIZE = 200
# The most one execution may offer: 7 events each keeps its history inside 25,000 with room to spare.
MAX_ROLLOUT_PAGE_SIZE = 1000


class RolloutPage(Model):
    """Which page of a version's recipients one rollout execution offers: it starts the next page's execution."""

    model_config = ConfigDict(frozen=True)

    version: int = Field(ge=1)
    page: int = Field(default=1, ge=1)
    page_size: int = Field(default=ROLLOUT_PAGE_SIZE, ge=1, le=MAX_ROLLOUT_PAGE_SIZE)
    cursor: str | None = None

    @property
    def execution_name(self) -> str:
        """Named by version and page, so a repeated start of a page is refused by Step Functions."""
        return f"handbook-v{self.version}" if self.page == 1 else f"handbook-v{self.version}-page-{self.page}"


class Recipients(Model):
    """One page of the employers a version goes to, and the page after it (None after the last)."""

    employer_ids: list[str]
    next: RolloutPage | None
