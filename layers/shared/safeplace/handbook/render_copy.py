import hashlib
from datetime import datetime

from safeplace.core.errors import Conflict
from safeplace.core.notifications import render_document
from safeplace.core.ports import Files
from safeplace.handbook.models import (
    STATEMENTS,
    EmployerDetails,
    HandbookCopy,
    HandbookVersion,
    ProviderDetails,
    holder_key,
)
from safeplace.handbook.ports import EmployerAnswers, HandbookCopies
from safeplace.handbook.text import HandbookText, copy_details
from safeplace.onboarding import minimum_requirements


class NoSpocYet(Conflict):
    """The employer has not told us its SPOC: there is nobody to give a handbook to yet."""


def employer_details(employer_id: str, employers: EmployerAnswers) -> EmployerDetails:
    employer = employers.get_employer(employer_id)
    answers = employers.get_submission(employer_id)
    if answers is None or answers.organisation is None or answers.spoc is None:
        raise NoSpocYet(f"{employer.name} has not told us its organisation and SPOC yet: there is no one to send to")
    organisation = answers.organisation
    return EmployerDetails(
        name=employer.name,
        legal_name=organisation.legal_name,
        spoc=answers.spoc.spoc,
        sites=[
            ", ".join(p for p in (s.name, s.address.line1, s.address.town, s.address.postcode) if p)
            for s in organisation.sites
        ],
    )


def copy_document(
    version: HandbookVersion, text: HandbookText | None, *, provider: ProviderDetails, employer: EmployerDetails
) -> bytes:
    """One SPOC's copy as its document: the version's own text (None: published before the text could be edited,
    so the fixed text it was published with)."""
    return render_document(
        "handbook/handbook.html",
        provider=provider,
        employer=employer,
        version=version,
        text=text.filled(copy_details(provider, employer)) if text else None,
        requirements=minimum_requirements.CURRENT,
        statements=STATEMENTS,
    ).encode()


def render_copy(
    employer_id: str,
    version: HandbookVersion,
    *,
    provider: ProviderDetails,
    employers: EmployerAnswers,
    handbook: HandbookCopies,
    files: Files,
    now: datetime,
) -> HandbookCopy:
    """The current SPOC's copy of `version`: rendered and stored once with its SHA-256, then only ever read."""
    employer = employer_details(employer_id, employers)
    holder = holder_key(employer.spoc)
    existing = handbook.get_handbook_copy(employer_id, version.number, holder)
    if existing is not None:
        return existing
    html = copy_document(version, handbook.handbook_text(version.number), provider=provider, employer=employer)
    key = f"handbooks/{version.number:06d}/{employer_id}/{holder}.html"
    files.put_document(key, html, content_type="text/html; charset=utf-8")
    copy = HandbookCopy(
        employer_id=employer_id,
        version=version.number,
        holder=holder,
        key=key,
        sha256=hashlib.sha256(html).hexdigest(),
        size=len(html),
        rendered_at=now,
    )
    handbook.save_handbook_copy(copy)
    return copy
