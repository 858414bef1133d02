from datetime import datetime

from safeplace.core import links as link_tokens
from safeplace.core.audit import AuditEvent
from safeplace.core.links import LinkIssuer, LinkPurpose
from safeplace.core.notifications import render_email
from safeplace.core.ports import AuditTrail, Mailer
from safeplace.onboarding.models import EmployerStatus
from safeplace.onboarding.ports import CurrentLinks, KnownEmployers

_AWAITING_EMPLOYER = {EmployerStatus.INVITED, EmployerStatus.CHANGES_REQUESTED}


def renew_link(
    token: str,
    *,
    links: CurrentLinks,
    employers: KnownEmployers,
    audit: AuditTrail,
    mailer: Mailer,
    issuer: LinkIssuer,
    now: datetime,
) -> None:
    """Send a fresh link to the address on record, if this token was ever issued and one is still needed.

    The caller answers the same whatever happens here, so the page reveals nothing about the token.
    A fresh link only ever goes to the address already on record, never to one typed in.
    """
    link = link_tokens.find(links, token)
    if link is None or link.purpose is not LinkPurpose.ONBOARDING_FORM:
        return
    employer = employers.get_employer(link.subject_id)
    if (
        employer.status not in _AWAITING_EMPLOYER
        or links.current_link_hash(employer.id, link.purpose) != link.token_hash
    ):
        return
    url, issued = issuer.issue(employer.id, link.purpose, now=now)
    audit.append_audit(
        AuditEvent(subject=employer.subject, action="link.renewed", actor="employer (emailed link)"), now
    )
    mailer.send(
        render_email(
            "onboarding_renewed",
            to=str(employer.contact_email),
            employer=employer,
            link=url,
            expires_at=issued.link.expires_at,
        )
    )
