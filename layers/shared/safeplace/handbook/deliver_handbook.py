from datetime import datetime
from typing import Protocol

from safeplace.core.audit import AuditEvent
from safeplace.core.links import LinkIssuer, LinkPurpose
from safeplace.core.model import Model
from safeplace.core.notifications import render_email
from safeplace.core.ports import AuditTrail, Files, Mailer
from safeplace.handbook.models import HandbookVersion, ProviderDetails, SpocStanding, holder_key
from safeplace.handbook.ports import EmployerAnswers, HandbookCopies, HandbookStanding, StandingRecords
from safeplace.handbook.render_copy import employer_details, render_copy
from safeplace.handbook.standing import asks_to_sign, signed_by


class HandbookDeliveries(HandbookCopies, HandbookStanding, StandingRecords, Protocol):
    """The copies a delivery renders once, and the standing that says whether it asks the SPOC to sign."""


class Delivery(Model):
    delivered: bool
    # Whether the SPOC is asked to sign: false for a minor update to a version they signed for.
    to_sign: bool = False
    sha256: str | None = None


def deliver_handbook(
    employer_id: str,
    version: HandbookVersion,
    holder: str,
    *,
    provider: ProviderDetails,
    employers: EmployerAnswers,
    handbook: HandbookDeliveries,
    audit: AuditTrail,
    files: Files,
    mailer: Mailer,
    issuer: LinkIssuer,
    now: datetime,
) -> Delivery:
    """The SPOC's copy of `version`, and an email with a link to read it and, when it is theirs to, sign it."""
    details = employer_details(employer_id, employers)
    if holder_key(details.spoc) != holder:
        # The SPOC changed since this delivery started: the new one is sent their own copy.
        return Delivery(delivered=False)
    copy = render_copy(
        employer_id, version, provider=provider, employers=employers, handbook=handbook, files=files, now=now
    )
    signing = asks_to_sign(
        handbook.handbook_versions(), signed_by(handbook.receipts(employer_id), details.spoc), version.number
    )
    employer = employers.get_employer(employer_id)
    url, issued = issuer.issue(employer_id, LinkPurpose.HANDBOOK, now=now)
    mailer.send(
        render_email(
            "handbook_delivered",
            to=str(details.spoc.email),
            spoc=details.spoc,
            employer=employer,
            provider=provider,
            version=version,
            to_sign=signing,
            reminder=False,
            link=f"{url}/handbook",
            expires_at=issued.link.expires_at,
        )
    )
    handbook.record_delivered(
        version.number,
        SpocStanding(
            employer_id=employer_id,
            employer_name=employer.name,
            spoc_name=details.spoc.name,
            holder=holder,
            delivered_at=now,
            to_sign=signing,
        ),
    )
    audit.append_audit(
        AuditEvent(
            subject=employer.subject,
            action="handbook.delivered",
            actor="handbook delivery",
            details={"version": str(version.number), "sha256": copy.sha256, "to_sign": str(signing).lower()},
        ),
        now,
    )
    return Delivery(delivered=True, to_sign=signing, sha256=copy.sha256)
