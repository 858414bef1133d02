from datetime import datetime

from safeplace.adapters.dynamodb import Store
from safeplace.adapters.s3 import EvidenceFiles
from safeplace.adapters.ses import Mailer
from safeplace.handbook.models import HandbookCopy, HandbookVersion, ProviderDetails
from safeplace.handbook.render_copy import employer_details, render_copy
from safeplace.links import LinkIssuer
from safeplace.models import AuditEvent, LinkPurpose
from safeplace.notifications import render_email


def deliver_handbook(
    employer_id: str,
    version: HandbookVersion,
    *,
    provider: ProviderDetails,
    store: Store,
    files: EvidenceFiles,
    mailer: Mailer,
    issuer: LinkIssuer,
    now: datetime,
) -> HandbookCopy:
    """The employer's copy of `version`, and an email to its SPOC with a link to read and acknowledge it."""
    spoc = employer_details(employer_id, store).spoc
    copy = render_copy(employer_id, version, provider=provider, store=store, files=files, now=now)
    employer = store.get_employer(employer_id)
    url, issued = issuer.issue(employer_id, LinkPurpose.HANDBOOK, now=now)
    mailer.send(
        render_email(
            "handbook_delivered",
            to=str(spoc.email),
            spoc=spoc,
            employer=employer,
            provider=provider,
            version=version,
            link=f"{url}/handbook",
            expires_at=issued.link.expires_at,
        )
    )
    store.append_audit(
        AuditEvent(
            subject=employer.subject,
            action="handbook.delivered",
            actor="handbook delivery",
            details={"version": str(version.number), "sha256": copy.sha256},
        ),
        now,
    )
    return copy
