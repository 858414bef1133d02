"""The speaker's slides or handout as a file: uploaded by the requester straight to S3, checked before it
counts, and opened by the approver through a link that works for five minutes."""

import uuid
from datetime import datetime

from safeplace.core.audit import AuditEvent
from safeplace.core.errors import InvalidRequest, NotFound
from safeplace.core.links import LinkStore
from safeplace.core.ports import AuditTrail, Files, UploadForm
from safeplace.speakers.booking import Booking
from safeplace.speakers.decide_booking import open_decision
from safeplace.speakers.models import MATERIALS_PREFIX, Materials
from safeplace.speakers.ports import BookingLookup, ReassessedBookings
from safeplace.speakers.request_booking import assess
from safeplace.speakers.risk import POLICY, SpeakerPolicy
from safeplace.staff.models import StaffUser

MAX_MATERIALS_BYTES = 20 * 1024 * 1024
UPLOAD_FORM_SECONDS = 30 * 60
OPEN_SECONDS = 300
# What a file starts with decides what it is: PowerPoint and Word files are zip archives.
_SIGNATURES = {
    b"%PDF-": ("application/pdf", "pdf"),
    b"PK\x03\x04": ("application/octet-stream", "pptx"),
    b"\xff\xd8\xff": ("image/jpeg", "jpg"),
    b"\x89PNG\r\n\x1a\n": ("image/png", "png"),
}


class MaterialsRejected(InvalidRequest):
    pass


def _prefix(booking_id: str) -> str:
    return f"{MATERIALS_PREFIX}{booking_id}/"


def _requester_changing(booking: Booking, by: StaffUser) -> None:
    if refused := booking.why_not_upload(by):
        raise refused


def offer_materials_upload(
    booking_id: str, by: StaffUser, *, bookings: BookingLookup, files: Files, return_to: str, now: datetime
) -> UploadForm:
    """A form that sends one file straight to S3 under a key we choose, then comes back to `return_to`."""
    _requester_changing(bookings.get_booking(booking_id), by)
    key = f"{_prefix(booking_id)}{now:%Y%m%dT%H%M%S}-{uuid.uuid4().hex}"
    return files.upload_form(key, redirect_to=return_to, max_bytes=MAX_MATERIALS_BYTES, expires_in=UPLOAD_FORM_SECONDS)


def accept_materials(
    booking_id: str,
    key: str,
    by: StaffUser,
    *,
    bookings: ReassessedBookings,
    files: Files,
    now: datetime,
    policy: SpeakerPolicy = POLICY,
) -> Booking:
    """Check what S3 received (our key, the size, really a PDF, an Office file or an image) before the booking
    refers to it; then the checks and rating run again, since materials to see in advance change them."""
    booking = bookings.get_booking(booking_id)
    _requester_changing(booking, by)
    if not key.startswith(_prefix(booking_id)):
        raise MaterialsRejected("That upload does not belong to this booking: choose the file and upload it again")
    try:
        stored = files.inspect(key)
    except NotFound as missing:
        raise MaterialsRejected("The upload did not arrive: choose the file and upload it again") from missing
    known = _kind(stored.head)
    if stored.size == 0 or stored.size > MAX_MATERIALS_BYTES or known is None:
        files.delete(key)
        raise MaterialsRejected(
            "The selected file is empty: choose the file and upload it again"
            if stored.size == 0
            else "The file must be smaller than 20 MB"
            if stored.size > MAX_MATERIALS_BYTES
            else "The file must be a PDF, a PowerPoint or Word file, or a JPG or PNG image"
        )
    request = booking.request.model_copy(update={"materials": Materials(file_key=key)})
    assessed = assess(request, bookings, now, policy)
    after = booking.moved_to(
        booking.status, now, request=request, checks=assessed.checks, rating=assessed.rating, route=assessed.route
    )
    event = AuditEvent(
        subject=booking.subject,
        action="booking.materials_uploaded",
        actor=str(by.email),
        details={"size": str(stored.size), "risk": after.rating.level.value},
    )
    bookings.save_booking(booking, after, event)
    return after


def _kind(head: bytes) -> tuple[str, str] | None:
    return next((kind for magic, kind in _SIGNATURES.items() if head.startswith(magic)), None)


def open_materials(
    booking_id: str, by: str, *, bookings: BookingLookup, audit: AuditTrail, files: Files, now: datetime
) -> str:
    """A download link to the uploaded materials that works for five minutes; who opened them is audited."""
    booking = bookings.get_booking(booking_id)
    materials = booking.request.materials
    if materials is None or materials.file_key is None:
        raise NotFound("This booking has no uploaded materials")
    content_type, extension = _kind(files.inspect(materials.file_key).head) or ("application/octet-stream", "bin")
    url = files.download_url(
        materials.file_key,
        content_type=content_type,
        filename=f"materials-{booking.id}.{extension}",
        expires_in=OPEN_SECONDS,
    )
    audit.append_audit(AuditEvent(subject=booking.subject, action="booking.materials_opened", actor=by), now)
    return url


def open_materials_by_link(
    token: str, *, links: LinkStore, bookings: BookingLookup, audit: AuditTrail, files: Files, now: datetime
) -> str:
    """The materials for the approver holding a decision link, while the booking waits for their decision; it is
    audited as opened by the address the link was sent to."""
    booking = open_decision(token, links=links, bookings=bookings, now=now)
    by = f"{booking.decision_link_to} (emailed link)"
    return open_materials(booking.id, by, bookings=bookings, audit=audit, files=files, now=now)
