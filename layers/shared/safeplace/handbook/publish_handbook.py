from datetime import datetime
from typing import Protocol

from pydantic import BaseModel, Field

from safeplace.core.audit import AuditEvent
from safeplace.core.ports import Workflows
from safeplace.handbook.models import HandbookVersion, RolloutPage
from safeplace.handbook.ports import LatestHandbook
from safeplace.staff import access
from safeplace.staff.access import Action
from safeplace.staff.models import StaffUser


class HandbookPublications(LatestHandbook, Protocol):
    def publish_handbook_version(self, version: HandbookVersion, event: AuditEvent) -> None: ...


class Publication(BaseModel):
    summary: str = Field(min_length=1, max_length=1000, description="What changed, as employers will read it")
    material: bool = Field(description="Material: every active employer must acknowledge again. Minor: they are told.")


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
    latest = handbook.latest_handbook_version()
    version = HandbookVersion(
        number=latest.number + 1 if latest else 1,
        summary=publication.summary,
        material=publication.material,
        published_at=now,
        published_by=str(by.email),
    )
    event = AuditEvent(
        subject="handbook",
        action="handbook.published",
        actor=str(by.email),
        details={"version": str(version.number), "material": str(version.material).lower()},
    )
    handbook.publish_handbook_version(version, event)
    first = RolloutPage(version=version.number)
    workflows.start(rollout_arn, first.execution_name, {"version": version.number})
    return version
