from datetime import datetime

from safeplace.core.audit import AuditEvent
from safeplace.core.errors import Conflict, Forbidden, LinkNotUsable
from safeplace.core.links import Link, LinkPurpose, LinkStore, find, resolve
from safeplace.core.ports import Workflows

# The link pages catch AlreadyDecided from here, where decisions are taken.
from safeplace.speakers.booking import AlreadyDecided as AlreadyDecided
from safeplace.speakers.booking import Booking, BookingStatus, Decision, already_decided, register_entries
from safeplace.speakers.models import Approval, Decline, InformationRequest
from safeplace.speakers.ports import BookingLookup, BookingRecords, ParkedTasks
from safeplace.staff import access
from safeplace.staff.access import Action
from safeplace.staff.models import StaffUser

DECISION_STEP = "decision"
_OUTCOME = {"approve": BookingStatus.APPROVED, "decline": BookingStatus.DECLINED, "ask": BookingStatus.MORE_INFORMATION}


# A decision races the workflow's own writes (the link it records, seconds after the request): on a clash the
# booking is read again and, if it still awaits a decision, the decision is written again.
CLASH_ATTEMPTS = 3


def _record(
    booking_id: str,
    made: Approval | Decline | InformationRequest,
    decision: Decision,
    *,
    bookings: BookingRecords,
    waits: ParkedTasks,
    workflows: Workflows,
    consumed: Link | None,
) -> Booking:
    status = _OUTCOME[made.decision]
    details: dict[str, str] = {"decision": made.decision, "through": decision.through}
    if isinstance(made, Approval):
        details["conditions"] = "; ".join(made.condition_labels)[:500]
    for attempt in range(1, CLASH_ATTEMPTS + 1):
        booking = bookings.get_booking(booking_id)
        if not booking.awaits_decision:
            raise already_decided(booking)
        after = booking.moved_to(status, decision.at, decisions=[*booking.decisions, decision])
        event = AuditEvent(subject=booking.subject, action="booking.decided", actor=decision.by, details=details)
        register = register_entries(after, decision.at.date())
        try:
            bookings.save_booking(booking, after, event, register=register, consumed=consumed)
            break
        except Conflict:
            if attempt == CLASH_ATTEMPTS:
                raise
    # Recorded first, then the workflow: a lost or repeated callback never loses a decision.
    token = waits.get_wait(booking_id, DECISION_STEP)
    if token and workflows.complete(token, {"outcome": status.value}):
        waits.clear_wait(booking_id, DECISION_STEP, token)
    return after


def decide_booking(
    booking_id: str,
    made: Approval | Decline | InformationRequest,
    by: StaffUser,
    *,
    bookings: BookingRecords,
    waits: ParkedTasks,
    workflows: Workflows,
    now: datetime,
) -> Booking:
    """A decision from the console: only someone the booking's risk routes it to, and never the requester."""
    access.authorise(by, Action.DECIDE_SPEAKER_BOOKING)
    booking = bookings.get_booking(booking_id)
    if refused := booking.why_not_decide(by):
        raise refused
    decision = Decision(made=made, by=str(by.email), through="console", at=now)
    return _record(booking.id, made, decision, bookings=bookings, waits=waits, workflows=workflows, consumed=None)


def open_decision(token: str, *, links: LinkStore, bookings: BookingLookup, now: datetime) -> Booking:
    """The booking behind an approver's decision link; a link already used says who decided, and when."""
    try:
        link = resolve(links, token, LinkPurpose.SPEAKER_DECISION, now=now)
    except LinkNotUsable:
        found = find(links, token)
        if found is None or found.purpose is not LinkPurpose.SPEAKER_DECISION:
            raise
        booking = bookings.get_booking(found.subject_id)
        if booking.awaits_decision:
            raise
        raise already_decided(booking) from None
    booking = bookings.get_booking(link.subject_id)
    if not booking.awaits_decision:
        raise already_decided(booking)
    return booking


def decide_booking_by_link(
    token: str,
    made: Approval | Decline | InformationRequest,
    *,
    links: LinkStore,
    bookings: BookingRecords,
    waits: ParkedTasks,
    workflows: Workflows,
    now: datetime,
) -> Booking:
    """A decision from the emailed link: its holder decides as the address it was sent to."""
    booking = open_decision(token, links=links, bookings=bookings, now=now)
    approver = str(booking.decision_link_to or "")
    if not approver or booking.request.is_from(approver):
        raise Forbidden("You asked for this booking, so a colleague must decide it.")
    decision = Decision(made=made, by=approver, through="emailed link", at=now)
    try:
        link = resolve(links, token, LinkPurpose.SPEAKER_DECISION, now=now)
        return _record(booking.id, made, decision, bookings=bookings, waits=waits, workflows=workflows, consumed=link)
    except LinkNotUsable:
        # Another use of the link won since this one opened it: say who decided, as the link itself now does.
        open_decision(token, links=links, bookings=bookings, now=now)
        raise
