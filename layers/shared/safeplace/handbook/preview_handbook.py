from datetime import datetime

from safeplace.core.model import Model
from safeplace.handbook.list_recipients import ACTIVE
from safeplace.handbook.models import EmployerDetails, HandbookVersion, ProviderDetails
from safeplace.handbook.ports import EmployerCount, PublishedTexts
from safeplace.handbook.publish_handbook import Publication, next_version
from safeplace.handbook.render_copy import copy_document
from safeplace.handbook.text import HandbookText, copy_details
from safeplace.onboarding.models import Spoc
from safeplace.staff import access
from safeplace.staff.access import Action
from safeplace.staff.models import StaffUser


class HandbookPreview(Model):
    version: HandbookVersion
    publication: Publication
    # None: the version keeps the fixed text versions were published with before it could be edited.
    text: HandbookText | None
    # The same, with the example details in place of each {name}, as the copy shows it.
    example_text: HandbookText | None
    # Active employers, each of which named its SPOC to pass its checks: each SPOC is emailed their copy.
    spocs: int
    # An employer's copy as it will read, filled in with example details.
    document: str


def example_details() -> tuple[ProviderDetails, EmployerDetails]:
    """Details that show where each copy's own go, and cannot be taken for anyone's."""
    provider = ProviderDetails(
        name="[Our name]",
        dsl_name="[Our DSL's name]",
        dsl_email="dsl@provider.example",
        dsl_phone="[Our DSL's phone]",
        safeguarding_phone="[Our safeguarding line]",
        absence_email="absence@provider.example",
        absence_report_hours=1,
    )
    spoc = Spoc(name="[SPOC's name]", role="[SPOC's role]", email="spoc@employer.example", phone="01234 567890")
    employer = EmployerDetails(
        name="[Employer's name]", legal_name="[Employer's legal name]", spoc=spoc, sites=["[Each site's address]"]
    )
    return provider, employer


def preview_handbook(
    publication: Publication, by: StaffUser, *, handbook: PublishedTexts, employers: EmployerCount, now: datetime
) -> HandbookPreview:
    """The version `publication` would become, an employer's copy of it, and how many SPOCs publishing emails:
    what an admin checks before they publish."""
    access.authorise(by, Action.PUBLISH_HANDBOOK)
    version, text = next_version(publication, by, handbook=handbook, now=now)
    provider, employer = example_details()
    return HandbookPreview(
        version=version,
        publication=publication,
        text=text,
        example_text=text.filled(copy_details(provider, employer)) if text else None,
        spocs=employers.count_employers_in(ACTIVE),
        document=copy_document(version, text, provider=provider, employer=employer).decode(),
    )
