from pydantic import Field

from safeplace.core.model import Model
from safeplace.handbook.ports import PublishedTexts
from safeplace.handbook.starting_text import STARTING_SOURCE
from safeplace.staff import access
from safeplace.staff.access import Action
from safeplace.staff.models import StaffUser


class HandbookDraft(Model):
    number: int = Field(ge=1, description="The number the next version will have")
    source: str = Field(description="The text to change, as the editor shows it")


def draft_handbook(by: StaffUser, *, handbook: PublishedTexts) -> HandbookDraft:
    """What an admin starts the next version from: the latest version's text, or the fixed text earlier versions
    were published with."""
    access.authorise(by, Action.PUBLISH_HANDBOOK)
    latest = handbook.latest_handbook_version()
    text = handbook.handbook_text(latest.number) if latest else None
    return HandbookDraft(number=latest.number + 1 if latest else 1, source=text.source if text else STARTING_SOURCE)
