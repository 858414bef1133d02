"""External speaker bookings: the register and its CSV, requesting a booking, the decision, resending a changed
request, the speaker's materials, and how the event went."""

from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query

from safeplace.core import clock
from safeplace.core.errors import Forbidden
from safeplace.core.paging import MAX_PAGE_SIZE, Page
from safeplace.speakers.booking import Booking, BookingSummary
from safeplace.speakers.decide_booking import decide_booking
from safeplace.speakers.export_register import register_file
from safeplace.speakers.list_bookings import list_bookings
from safeplace.speakers.models import Approval, BookingDecision, BookingDetails, Condition, Decline, InformationRequest
from safeplace.speakers.record_event import HowItWent, record_event
from safeplace.speakers.request_booking import BookingProblems, request_booking
from safeplace.speakers.resubmit_booking import resubmit_booking
from safeplace.speakers.show_booking import BookingDetail, show_booking
from safeplace.speakers.upload_materials import (
    MaterialsRejected,
    accept_materials,
    offer_materials_upload,
    open_materials,
)
from safeplace.staff.access import Action
from safeplace.web.components import pagination
from safeplace.web.console.context import (
    CURSOR,
    CURSOR_LENGTH,
    LIMIT,
    SEARCH,
    allow,
    base,
    deps,
    history_before,
    page,
    page_cursor,
    query,
    user,
)
from safeplace.web.forms.form import Result
from safeplace.web.forms.speakers import BookingForm, DecisionForm, MaterialsUploadForm, RecordEventForm
from safeplace.web.http import redirect
from safeplace.web.pages import NO_FORM

router = Router()

BookingId = Annotated[str, Path(pattern=r"^bkg-[0-9a-f]{12}$")]
_NOTICES = {
    "requested": "Request sent: the checks ran and it has gone to the approver",
    "decided": "Decision recorded",
    "resent": "Request sent again",
    "recorded": "How the event went is recorded",
    "materials": "File uploaded: the checks ran again",
}


def _request_booking(details: BookingDetails) -> Booking:
    settings = deps(router).settings
    return request_booking(
        details,
        user(router),
        bookings=deps(router).store.bookings,
        workflows=deps(router).workflows,
        state_machine_arn=settings.speaker_booking_state_machine_arn,
        timings=settings.booking_timings,
        now=clock.now(),
    )


def _decide_booking(booking_id: str, made: Approval | Decline | InformationRequest) -> Booking:
    store, workflows = deps(router).store, deps(router).workflows
    return decide_booking(
        booking_id, made, user(router), bookings=store.bookings, waits=store.waits, workflows=workflows, now=clock.now()
    )


def _resubmit_booking(booking_id: str, details: BookingDetails) -> Booking:
    store, workflows = deps(router).store, deps(router).workflows
    return resubmit_booking(
        booking_id,
        details,
        user(router),
        bookings=store.bookings,
        waits=store.waits,
        workflows=workflows,
        now=clock.now(),
    )


def _record_event(booking_id: str, how: HowItWent) -> Booking:
    return record_event(booking_id, how, user(router), bookings=deps(router).store.bookings, now=clock.now())


def _show_booking(booking_id: str) -> BookingDetail:
    store = deps(router).store
    return show_booking(
        booking_id, bookings=store.bookings, audit=store.audit, now=clock.now(), history_before=history_before(router)
    )


# ---------------------------------------------------------------- JSON API (Cognito authorizer)


@router.get(
    "/api/speakers",
    summary="A page of the speaker register: soonest event first, or A to Z by speaker or organisation name",
    tags=["Speakers"],
    middlewares=allow(Action.VIEW_SPEAKER_BOOKINGS),
)
def api_list_bookings(
    search: Annotated[str, Query(max_length=100, description=SEARCH)] = "",
    cursor: Annotated[str | None, Query(max_length=CURSOR_LENGTH, description=CURSOR)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description=LIMIT)] = MAX_PAGE_SIZE,
) -> Page[BookingSummary]:
    return list_bookings(bookings=deps(router).store.bookings, text=search, cursor=cursor, limit=limit)


@router.post(
    "/api/speakers",
    summary="Request an external speaker booking: it is checked, rated and sent to the right approver",
    tags=["Speakers"],
    middlewares=allow(Action.REQUEST_SPEAKER_BOOKING),
)
def api_request_booking(details: BookingDetails) -> Response[Booking]:
    return Response(status_code=201, content_type=content_types.APPLICATION_JSON, body=_request_booking(details))


@router.get(
    "/api/speakers/<booking_id>",
    summary="A speaker booking with its checks, rating, decisions and audit trail",
    tags=["Speakers"],
    middlewares=allow(Action.VIEW_SPEAKER_BOOKINGS),
)
def api_show_booking(booking_id: BookingId) -> BookingDetail:
    return _show_booking(booking_id)


@router.post(
    "/api/speakers/<booking_id>/decision",
    summary="Approve (with conditions), decline with a reason, or ask the requester for more information",
    tags=["Speakers"],
    middlewares=allow(Action.DECIDE_SPEAKER_BOOKING),
)
def api_decide_booking(booking_id: BookingId, decision: Annotated[BookingDecision, Body()]) -> Booking:
    return _decide_booking(booking_id, decision)


@router.put(
    "/api/speakers/<booking_id>/request",
    summary="The requester changes the request to answer the approver's question and sends it again",
    tags=["Speakers"],
    middlewares=allow(Action.REQUEST_SPEAKER_BOOKING),
)
def api_resubmit_booking(booking_id: BookingId, details: BookingDetails) -> Booking:
    return _resubmit_booking(booking_id, details)


@router.post(
    "/api/speakers/<booking_id>/event",
    summary="After the event: whether the conditions were kept, and any concern (it goes into the register)",
    tags=["Speakers"],
    middlewares=allow(Action.RECORD_SPEAKER_EVENT),
)
def api_record_event(booking_id: BookingId, how: HowItWent) -> Booking:
    return _record_event(booking_id, how)


# ---------------------------------------------------------------- console pages


@router.get("/staff/speaker-register.csv", include_in_schema=False, middlewares=allow(Action.VIEW_SPEAKER_BOOKINGS))
def register_csv() -> Response[str]:
    file = register_file(bookings=deps(router).store.bookings, cursor=page_cursor(router))
    headers = {"Content-Disposition": f'attachment; filename="speaker-register-{clock.now():%Y-%m-%d}.csv"'}
    if file.next_cursor:
        # A register bigger than one file comes in parts; the next one is linked from this.
        headers["Link"] = (
            f'<{base(router)}/staff/speaker-register.csv?{urlencode({"cursor": file.next_cursor})}>; rel="next"'
        )
    return Response(200, "text/csv; charset=utf-8", file.csv, headers=headers)


@router.get("/staff/speakers", include_in_schema=False, middlewares=allow(Action.VIEW_SPEAKER_BOOKINGS))
def speakers_page() -> Response[str]:
    search = (query(router).get("search") or "").strip()[:100]
    found = list_bookings(bookings=deps(router).store.bookings, text=search, cursor=page_cursor(router))
    return page(
        router,
        "staff/speakers.html",
        title="External speakers",
        section="speakers",
        bookings=found.items,
        search=search,
        pagination=pagination(f"{base(router)}/staff/speakers", {"search": search}, found),
        width="full",
    )


def _booking_form(
    form: Result[BookingDetails], http_status: int = 200, booking: Booking | None = None
) -> Response[str]:
    here = f"{base(router)}/staff/speakers"
    return page(
        router,
        "staff/speaker_new.html",
        http_status,
        title="Change and resend the request" if booking else "Request a speaker booking",
        section="speakers",
        form=form,
        booking=booking,
        action=f"{here}/{booking.id}/request" if booking else here,
        button="Send the request again" if booking else "Check and send the request",
    )


def _keeping_upload(details: BookingDetails, booking: Booking) -> BookingDetails:
    """The form posts only a link to the materials: a file uploaded for the booking stays unless a link replaces it."""
    uploaded = booking.request.materials
    if details.materials is None and uploaded is not None and uploaded.file_key is not None:
        return details.model_copy(update={"materials": uploaded})
    return details


def _done(booking_id: str, notice: str) -> Response[str]:
    return redirect(f"{base(router)}/staff/speakers/{booking_id}?{urlencode({'done': notice})}")


@router.get("/staff/speakers/new", include_in_schema=False, middlewares=allow(Action.REQUEST_SPEAKER_BOOKING))
def booking_form() -> Response[str]:
    return _booking_form(BookingForm().show())


@router.post("/staff/speakers", include_in_schema=False, middlewares=allow(Action.REQUEST_SPEAKER_BOOKING))
def booking_from_form() -> Response[str]:
    form = BookingForm().parse(router.current_event.decoded_body)
    if form.model is None:
        return _booking_form(form, 400)
    try:
        return _done(_request_booking(form.model).id, "requested")
    except BookingProblems as refused:
        return _booking_form(form.with_problems(refused.problems), 400)


def _booking_page(detail: BookingDetail, http_status: int = 200, form: Result[Any] = NO_FORM) -> Response[str]:
    # What the page offers is what the use cases would accept: the booking decides both.
    booking, signed_in = detail.booking, user(router)
    refused = booking.why_not_decide(signed_in)
    return page(
        router,
        "staff/speaker.html",
        http_status,
        title=booking.request.event.title,
        section="speakers",
        detail=detail,
        notice=_NOTICES.get(query(router).get("done", ""), ""),
        conditions=list(Condition),
        may_decide=booking.may_decide(signed_in),
        refusal=refused.message if isinstance(refused, Forbidden) else None,
        may_resend=booking.may_resend(signed_in),
        may_upload=booking.may_upload(signed_in),
        may_record_event=booking.may_record_event(clock.now().date()),
        form=form,
    )


@router.get("/staff/speakers/<booking_id>", include_in_schema=False, middlewares=allow(Action.VIEW_SPEAKER_BOOKINGS))
def booking_page(booking_id: str) -> Response[str]:
    return _booking_page(_show_booking(booking_id))


@router.post(
    "/staff/speakers/<booking_id>/decision",
    include_in_schema=False,
    middlewares=allow(Action.DECIDE_SPEAKER_BOOKING),
)
def decision_from_form(booking_id: str) -> Response[str]:
    form = DecisionForm().parse(router.current_event.decoded_body)
    if form.model is None:
        return _booking_page(_show_booking(booking_id), 400, form)
    _decide_booking(booking_id, form.model)
    return _done(booking_id, "decided")


@router.get(
    "/staff/speakers/<booking_id>/edit",
    include_in_schema=False,
    middlewares=allow(Action.REQUEST_SPEAKER_BOOKING),
)
def booking_edit_form(booking_id: str) -> Response[str]:
    booking = deps(router).store.bookings.get_booking(booking_id)
    return _booking_form(BookingForm().show(booking.request), booking=booking)


@router.post(
    "/staff/speakers/<booking_id>/request",
    include_in_schema=False,
    middlewares=allow(Action.REQUEST_SPEAKER_BOOKING),
)
def booking_resent_from_form(booking_id: str) -> Response[str]:
    booking = deps(router).store.bookings.get_booking(booking_id)
    form = BookingForm().parse(router.current_event.decoded_body)
    if form.model is None:
        return _booking_form(form, 400, booking=booking)
    try:
        _resubmit_booking(booking_id, _keeping_upload(form.model, booking))
    except BookingProblems as refused:
        return _booking_form(form.with_problems(refused.problems), 400, booking=booking)
    return _done(booking_id, "resent")


def _materials_page(booking_id: str, form: Result[Any], http_status: int = 200) -> Response[str]:
    public = str(deps(router).settings.public_base_url).rstrip("/")
    upload = offer_materials_upload(
        booking_id,
        user(router),
        bookings=deps(router).store.bookings,
        files=deps(router).files,
        return_to=f"{public}/staff/speakers/{booking_id}/materials/uploaded",
        now=clock.now(),
    )
    origin = urlsplit(upload.url)
    return page(
        router,
        "staff/speaker_materials.html",
        http_status,
        also_post_to=f"{origin.scheme}://{origin.netloc}",
        title="Upload the slides or handout",
        section="speakers",
        booking=deps(router).store.bookings.get_booking(booking_id),
        upload=upload,
        form=form,
    )


@router.get(
    "/staff/speakers/<booking_id>/materials",
    include_in_schema=False,
    middlewares=allow(Action.REQUEST_SPEAKER_BOOKING),
)
def materials_form(booking_id: str) -> Response[str]:
    return _materials_page(booking_id, MaterialsUploadForm().show())


@router.get(
    "/staff/speakers/<booking_id>/materials/uploaded",
    include_in_schema=False,
    middlewares=allow(Action.REQUEST_SPEAKER_BOOKING),
)
def materials_uploaded(booking_id: str) -> Response[str]:
    """Where S3 sends the browser after the upload: the file is checked here before the booking refers to it."""
    key = router.current_event.get_query_string_value("key", "")
    try:
        accept_materials(
            booking_id,
            key,
            user(router),
            bookings=deps(router).store.bookings,
            files=deps(router).files,
            now=clock.now(),
        )
    except MaterialsRejected as rejected:
        return _materials_page(booking_id, MaterialsUploadForm().show().with_problems({"file": rejected.message}), 400)
    return _done(booking_id, "materials")


@router.get(
    "/staff/speakers/<booking_id>/materials/file",
    include_in_schema=False,
    middlewares=allow(Action.VIEW_SPEAKER_BOOKINGS),
)
def materials_file(booking_id: str) -> Response[str]:
    by, store = str(user(router).email), deps(router).store
    url = open_materials(
        booking_id, by, bookings=store.bookings, audit=store.audit, files=deps(router).files, now=clock.now()
    )
    return redirect(url)


@router.post(
    "/staff/speakers/<booking_id>/event",
    include_in_schema=False,
    middlewares=allow(Action.RECORD_SPEAKER_EVENT),
)
def event_from_form(booking_id: str) -> Response[str]:
    form = RecordEventForm().parse(router.current_event.decoded_body)
    if form.model is None:
        return _booking_page(_show_booking(booking_id), 400, form)
    _record_event(booking_id, form.model)
    return _done(booking_id, "recorded")
