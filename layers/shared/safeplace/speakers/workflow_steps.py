"""What the speaker booking workflow does between people's decisions: send the decision link to the right
approver, escalate an overdue decision, tell the requester and the speaker the outcome, ask the requester
for more information, and withdraw a request nobody completed."""

from datetime import datetime

from pydantic import BaseModel, EmailStr

from safeplace.adapters.dynamodb import Store
from safeplace.adapters.ses import Mailer
from safeplace.adapters.stepfunctions import Workflows
from safeplace.links import LinkIssuer
from safeplace.models import AuditEvent, LinkPurpose, Role
from safeplace.notifications import render_email
from safeplace.speakers.booking import Booking, BookingStatus
from safeplace.speakers.code_of_conduct import CODE_OF_CONDUCT
from safeplace.speakers.decide_booking import DECISION_STEP
from safeplace.speakers.resubmit_booking import INFORMATION_STEP

WORKFLOW = "speaker booking workflow"


class Approvers(BaseModel):
    dsl: EmailStr
    # The reviewers' shared inbox: a low-risk booking may be decided by any reviewer.
    compliance_team: EmailStr


def _wait(
    booking: Booking,
    step: str,
    task_token: str,
    waiting_in: BookingStatus,
    store: Store,
    workflows: Workflows,
    now: datetime,
) -> bool:
    """Park the task token; False when the booking already moved on (decided before the wait began), in which
    case the workflow is sent straight on."""
    store.save_wait(booking.id, step, task_token, now)
    current = store.get_booking(booking.id)
    if current.status is waiting_in:
        return True
    if workflows.complete(task_token, {"outcome": current.status.value}):
        store.clear_wait(booking.id, step, task_token)
    return False


def request_decision(
    booking_id: str,
    task_token: str,
    *,
    store: Store,
    mailer: Mailer,
    issuer: LinkIssuer,
    workflows: Workflows,
    approvers: Approvers,
    base_url: str,
    now: datetime,
) -> None:
    """Email the approver the booking's risk routes it to a link to decide it. Once escalated, the DSL."""
    booking = store.get_booking(booking_id)
    if not _wait(booking, DECISION_STEP, task_token, BookingStatus.AWAITING_DECISION, store, workflows, now):
        return
    to_dsl = booking.route.approver_role is Role.DSL or booking.escalations > 0
    approver = str(approvers.dsl if to_dsl else approvers.compliance_team)
    url, issued = issuer.issue(booking.id, LinkPurpose.SPEAKER_DECISION, now=now)
    after = booking.moved_to(booking.status, now, decision_link_to=approver)
    event = AuditEvent(
        subject=booking.subject, action="booking.sent_for_decision", actor=WORKFLOW, details={"to": approver}
    )
    store.save_booking(booking, after, event)
    mailer.send(
        render_email(
            "speaker_decision_needed",
            to=approver,
            booking=after,
            link=f"{url}/speaker-decision",
            console=f"{base_url}/staff/speakers/{booking.id}",
            expires_at=issued.link.expires_at,
        )
    )


def escalate_decision(booking_id: str, *, store: Store, mailer: Mailer, approvers: Approvers, now: datetime) -> None:
    """Nobody decided in time: the DSL and the compliance team are told, and the next link goes to the DSL."""
    booking = store.get_booking(booking_id)
    after = booking.moved_to(booking.status, now, escalations=booking.escalations + 1)
    event = AuditEvent(subject=booking.subject, action="booking.decision_overdue", actor=WORKFLOW)
    store.save_booking(booking, after, event)
    for to in (approvers.dsl, approvers.compliance_team):
        mailer.send(render_email("speaker_decision_overdue", to=str(to), booking=after))


def notify_outcome(booking_id: str, *, store: Store, mailer: Mailer, issuer: LinkIssuer, now: datetime) -> str:
    """The requester hears the decision; for an approval the speaker is sent the conditions and the code of
    conduct, with a link to acknowledge them."""
    booking = store.get_booking(booking_id)
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
    return booking.status.value


def request_information(
    booking_id: str,
    task_token: str,
    *,
    store: Store,
    mailer: Mailer,
    workflows: Workflows,
    base_url: str,
    now: datetime,
) -> None:
    """The approver's question goes to the requester, who answers by changing and resending the request."""
    booking = store.get_booking(booking_id)
    if not _wait(booking, INFORMATION_STEP, task_token, BookingStatus.MORE_INFORMATION, store, workflows, now):
        return
    mailer.send(
        render_email(
            "speaker_outcome",
            to=str(booking.request.requested_by),
            booking=booking,
            console=f"{base_url}/staff/speakers/{booking.id}",
        )
    )


def withdraw_booking(booking_id: str, *, store: Store, mailer: Mailer, now: datetime) -> None:
    """The requester never sent the information asked for: the request is withdrawn, and they are told."""
    booking = store.get_booking(booking_id)
    if booking.status is not BookingStatus.MORE_INFORMATION:
        return
    after = booking.moved_to(BookingStatus.WITHDRAWN, now)
    store.save_booking(booking, after, AuditEvent(subject=booking.subject, action="booking.withdrawn", actor=WORKFLOW))
    mailer.send(render_email("speaker_outcome", to=str(booking.request.requested_by), booking=after))
