import hashlib
from datetime import datetime
from typing import Annotated, Protocol

from pydantic import Field, StringConstraints

from safeplace.core.audit import AuditEvent
from safeplace.core.model import Model
from safeplace.core.ports import Workflows
from safeplace.core.types import PlainLines
from safeplace.handbook.models import HandbookVersion, RolloutPage
from safeplace.handbook.ports import PublishedTexts
from safeplace.handbook.text import HandbookText
from safeplace.staff import access
from safeplace.staff.access import Action
from safeplace.staff.models import StaffUser


class HandbookPublications(PublishedTexts, Protocol):
    def publish_handbook_version(
        self, version: HandbookVersion, text: HandbookText | None, event: AuditEvent
    ) -> None: ...


class Publication(Model):
    summary: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000), PlainLines] = (
        Field(description="What changed, as employers will read it")
    )
    material: bool = Field(description="Material: every active employer must acknowledge again. Minor: they are told.")
    text: HandbookText | None = Field(
        default=None,
        description="The handbook's sections, as plain text (## heading, paragraphs, - list items) or structured; "
        "leave out to keep the last version's text",
    )


def next_version(
    publication: Publication, by: StaffUser, *, handbook: PublishedTexts, now: datetime
) -> tuple[HandbookVersion, HandbookText | None]:
    """The version `publication` would become, and its text: the publication's, or else the latest version's."""
    latest = handbook.latest_handbook_version()
    version = HandbookVersion(
        number=latest.number + 1 if latest else 1,
        summary=publication.summary,
        material=publication.material,
        published_at=now,
        published_by=str(by.email),
    )
    return version, publication.text or (handbook.handbook_text(latest.number) if latest else None)


def publish_handbook(
    publication: Publication,
    by: StaffUser,
    *,
    handbook: HandbookPublications,
    workflows: Workflows,
    rollout_arn: str,
    now: datetime,
) -> HandbookVersion:
    """The next version of the handbook, then the rollout workflow that delivers it to every active employer.
    Copies already delivered stay exactly as they were."""
    access.authorise(by, Action.PUBLISH_HANDBOOK)
    version, text = next_version(publication, by, handbook=handbook, now=now)
    event = AuditEvent(
        subject="handbook",
        action="handbook.published",
        actor=str(by.email),
        details={
            "version": str(version.number),
            "material": str(version.material).lower(),
            "text_sha256": hashlib.sha256(text.source.encode()).hexdigest() if text else "fixed",
        },
    )
    handbook.publish_handbook_version(version, text, event)
    first = RolloutPage(version=version.number)
    workflows.start(rollout_arn, first.execution_name, {"version": version.number})
    return version
