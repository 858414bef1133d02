from datetime import datetime

from pydantic import EmailStr

from safeplace.core.audit import AuditEvent
from safeplace.core.errors import Conflict
from safeplace.core.links import LinkIssuer, LinkPurpose
from safeplace.core.model import Model
from safeplace.core.notifications import render_email
from safeplace.core.ports import Mailer, Workflows
from safeplace.speakers.booking import BookingStatus
from safeplace.speakers.decide_booking import CLASH_ATTEMPTS, DECISION_STEP
from safeplace.speakers.ports import BookingRecords, TaskParking
from safeplace.speakers.wait_for_person import WORKFLOW, wait_for_person
from safeplace.staff.models import Role


class Approvers(Model):
    dsl: EmailStr
    # The reviewers' shared inbox: a low-risk booking may be decided by any reviewer.
    compliance_team: EmailStr


def request_decision(
    booking_id: str,
    task_token: str,
    *,
    bookings: BookingRecords,
    waits: TaskParking,
    mailer: Mailer,
    issuer: LinkIssuer,
    workflows: Workflows,
    approvers: Approvers,
    base_url: str,
    now: datetime,
) -> None:
    """Email the approver the booking's risk routes it to a link to decide it. Once escalated, the DSL."""
    waiting = BookingStatus.AWAITING_DECISION
    for attempt in range(1, CLASH_ATTEMPTS + 1):
        booking = bookings.get_booking(booking_id)
        parked = wait_for_person(
            booking, DECISION_STEP, task_token, waiting, bookings=bookings, waits=waits, workflows=workflows, now=now
        )
        if not parked:
            return
        to_dsl = booking.route.approver_role is Role.DSL or booking.escalations > 0
        approver = str(approvers.dsl if to_dsl else approvers.compliance_team)
        after = booking.moved_to(booking.status, now, decision_link_to=approver)
        event = AuditEvent(
            subject=booking.subject, action="booking.sent_for_decision", actor=WORKFLOW, details={"to": approver}
        )
        try:
            bookings.save_booking(booking, after, event)
            break
        except Conflict:
            # Changed meanwhile (a decision from the console, an upload): look again.
            if attempt == CLASH_ATTEMPTS:
                raise
    # Issued once the booking names who holds it, so a decision by the link is always theirs.
    url, issued = issuer.issue(booking_id, LinkPurpose.SPEAKER_DECISION, now=now)
    mailer.send(
        render_email(
            "speaker_decision_needed",
            to=approver,
            booking=after,
            link=f"{url}/speaker-decision",
            console=f"{base_url}/staff/speakers/{booking_id}",
            expires_at=issued.link.expires_at,
        )
    )
