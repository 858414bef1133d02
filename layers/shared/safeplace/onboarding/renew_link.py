from datetime import datetime

from safeplace.adapters.dynamodb import Store
from safeplace.adapters.ses import Mailer
from safeplace.core import links
from safeplace.core.audit import AuditEvent
from safeplace.core.links import LinkPurpose
from safeplace.core.notifications import render_email
from safeplace.onboarding.models import EmployerStatus

_AWAITING_EMPLOYER = {EmployerStatus.INVITED, EmployerStatus.CHANGES_REQUESTED}


def renew_link(
    token: str,
    *,
    store: Store,
    mailer: Mailer,
    issuer: links.LinkIssuer,
    now: datetime,
) -> None:
    """Send a fresh link to the address on record, if this token was ever issued and one is still needed.

    The caller answers the same whatever happens here, so the page reveals nothing about the token.
    A fresh link only ever goes to the address already on record, never to one typed in.
    """
    link = links.find(store, token)
    if link is None or link.purpose is not LinkPurpose.ONBOARDING_FORM:
        return
    employer = store.get_employer(link.subject_id)
    if (
        employer.status not in _AWAITING_EMPLOYER
        or store.current_link_hash(employer.id, link.purpose) != link.token_hash
    ):
        return
    url, issued = issuer.issue(employer.id, link.purpose, now=now)
    store.append_audit(
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
