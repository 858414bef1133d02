from datetime import datetime

from safeplace.core.audit import AuditEvent
from safeplace.core.links import LinkIssuer, LinkPurpose
from safeplace.core.notifications import render_email
from safeplace.core.ports import AuditTrail, Mailer
from safeplace.speakers.booking import BookingStatus
from safeplace.speakers.code_of_conduct import CODE_OF_CONDUCT
from safeplace.speakers.ports import BookingLookup
from safeplace.speakers.wait_for_person import WORKFLOW


def notify_outcome(
    booking_id: str, *, bookings: BookingLookup, audit: AuditTrail, mailer: Mailer, issuer: LinkIssuer, now: datetime
) -> str:
    """The requester hears the decision; for an approval the speaker is sent the conditions and the code of
    conduct, with a link to acknowledge them."""
    booking = bookings.get_booking(booking_id)
    mailer.send(render_email("speaker_outcome", to=str(booking.request.requested_by), booking=booking))
    if booking.status is BookingStatus.APPROVED:
        url, issued = issuer.issue(booking.id, LinkPurpose.SPEAKER_CONDITIONS, now=now)
        mailer.send(
            render_email(
                "speaker_conditions",
                to=str(booking.request.speaker.email),
                booking=booking,
                code=CODE_OF_CONDUCT,
                link=f"{url}/speaker",
                expires_at=issued.link.expires_at,
            )
        )
    audit.append_audit(
        AuditEvent(
            subject=booking.subject,
            action="booking.outcome_sent",
            actor=WORKFLOW,
            details={"status": booking.status.value},
        ),
        now,
    )
    return booking.status.value
