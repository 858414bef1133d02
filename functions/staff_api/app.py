"""Staff console pages and JSON API. Who may call each route is decided in safeplace.staff.access."""

import base64
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.shared.cookies import Cookie, SameSite
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, TypeAdapter, ValidationError

from safeplace.core import clock
from safeplace.core.errors import NotFound
from safeplace.handbook.models import HOLDER, HandbookVersion
from safeplace.handbook.publish_handbook import Publication, publish_handbook
from safeplace.handbook.show_receipt import ReceiptView, read_signed_document, show_receipt
from safeplace.onboarding.change_spoc import change_spoc
from safeplace.onboarding.invite_employer import invite_employer
from safeplace.onboarding.list_employers import list_employers
from safeplace.onboarding.models import (
    CheckReview,
    CheckRevocation,
    CheckType,
    Employer,
    EmployerStatus,
    EmployerSummary,
    Invitation,
    Spoc,
)
from safeplace.onboarding.open_evidence import EVIDENCE_LINK_SECONDS, open_evidence
from safeplace.onboarding.resend_invitation import resend_invitation
from safeplace.onboarding.review_check import ReviewOutcome, review_check
from safeplace.onboarding.withdraw_invitation import withdraw_invitation
from safeplace.oversight.show_employer import EmployerDetail, show_employer
from safeplace.oversight.show_work_to_do import show_work_to_do
from safeplace.placements.list_placements import list_placements
from safeplace.placements.models import Placement, PlacementRequest, PlacementStatus
from safeplace.placements.record_placement import record_placement
from safeplace.placements.revoke_check import Revoked, revoke_check
from safeplace.speakers.booking import Booking, BookingStatus
from safeplace.speakers.decide_booking import decide_booking
from safeplace.speakers.export_register import export_register
from safeplace.speakers.list_bookings import list_bookings
from safeplace.speakers.models import Approval, BookingDecision, BookingDetails, Condition, Decline, InformationRequest
from safeplace.speakers.record_event import HowItWent, record_event
from safeplace.speakers.request_booking import request_booking
from safeplace.speakers.resubmit_booking import resubmit_booking
from safeplace.speakers.risk import refusal
from safeplace.speakers.show_booking import BookingDetail, show_booking
from safeplace.speakers.upload_materials import (
    MaterialsRejected,
    accept_materials,
    offer_materials_upload,
    open_materials,
)
from safeplace.staff import access
from safeplace.staff.access import Action
from safeplace.staff.models import StaffUser
from safeplace.staff.sign_in import SignInStarted, begin_sign_in, complete_sign_in, end_session
from safeplace.web import errors, guard
from safeplace.web.http import document, field_errors, flat_fields, form_fields, html, redirect, safe_next
from safeplace.web.pages import render
from safeplace.web.speaker_form import BOOKING_LABELS, booking_details, decision_errors, decision_fields, form_values
from safeplace.wiring import StaffApiDependencies, staff_api_dependencies

logger = Logger()
app = APIGatewayRestResolver(enable_validation=True)

PLACEMENT_LABELS = {
    "learner_reference": "the learner's reference (3 to 30 letters, numbers, / _ or -)",
    "date_of_birth": "the learner's date of birth",
    "employer_id": "the employer",
    "site": "the site where the learner will work",
    "start_date": "the start date",
    "assessor": "the assessor's name",
}
SPOC_LABELS = {
    "name": "the new SPOC's full name",
    "role": "their job title",
    "email": "their own email address, like name@example.com",
    "phone": "their phone number",
}
REVIEW_LABELS = {"decision": "whether you approve or reject this check", "reason": "the reason"}
INVITATION_LABELS = {
    "employer_name": "the employer's name",
    "contact_name": "the contact's full name",
    "contact_email": "the contact's email address, like name@example.com",
}
EVENT_LABELS = {"conditions_met": "whether all the conditions were kept", "concerns": "the concerns"}
_SIGN_IN_COOKIE = "safeplace_sign_in"


def _deps() -> StaffApiDependencies:
    deps: StaffApiDependencies = app.context["deps"]
    return deps


def _base() -> str:
    return _deps().settings.base_path


def _allow(action: Action) -> list[guard.Middleware]:
    return [guard.allow(action, secure_cookie=lambda: _deps().settings.secure_cookies)]


errors.register(app, base_path=_base)


def _user() -> StaffUser:
    user: StaffUser = app.context["user"]
    return user


def _page(template: str, http_status: int = 200, *, also_post_to: str = "", **context: Any) -> Response[str]:
    session = app.context.get("session")
    return html(
        render(template, base=_base(), user=_user(), csrf_token=session.csrf_token if session else "", **context),
        http_status,
        also_post_to=also_post_to,
    )


def _cookie(name: str, value: str, *, max_age: int) -> Cookie:
    secure = _deps().settings.secure_cookies
    return Cookie(
        name=name, value=value, path="/", secure=secure, http_only=True, same_site=SameSite.LAX_MODE, max_age=max_age
    )


def _review(employer_id: str, check_type: CheckType, review: CheckReview) -> ReviewOutcome:
    deps = _deps()
    return review_check(
        employer_id,
        check_type,
        review,
        _user(),
        store=deps.store,
        workflows=deps.workflows,
        mailer=deps.mailer,
        issuer=deps.settings.link_issuer(deps.store),
        admit=deps.admit,
        now=clock.now(),
        renewals=deps.settings.renewals,
    )


def _resend(employer_id: str) -> Employer:
    deps = _deps()
    return resend_invitation(
        employer_id,
        _user(),
        store=deps.store,
        workflows=deps.workflows,
        mailer=deps.mailer,
        issuer=deps.settings.link_issuer(deps.store),
        state_machine_arn=deps.settings.onboarding_state_machine_arn,
        timings=deps.settings.onboarding_timings,
        now=clock.now(),
    )


def _withdraw(employer_id: str) -> Employer:
    deps = _deps()
    return withdraw_invitation(
        employer_id,
        _user(),
        store=deps.store,
        workflows=deps.workflows,
        state_machine_arn=deps.settings.onboarding_state_machine_arn,
        now=clock.now(),
    )


def _version(raw: str) -> int:
    if not raw.isdigit() or not 1 <= int(raw) <= 999_999:
        raise NotFound("There is no such handbook version")
    return int(raw)


def _check_type(raw: str) -> CheckType:
    if raw not in CheckType._value2member_map_:
        raise NotFound("There is no such check")
    return CheckType(raw)


def _revoke(employer_id: str, check_type: CheckType, revocation: CheckRevocation) -> Revoked:
    deps = _deps()
    return revoke_check(
        employer_id,
        check_type,
        revocation,
        _user(),
        store=deps.store,
        mailer=deps.mailer,
        dsl=str(deps.settings.dsl_email),
        now=clock.now(),
    )


def _change_spoc(employer_id: str, spoc: Spoc) -> Employer:
    deps = _deps()
    return change_spoc(
        employer_id,
        spoc,
        str(_user().email),
        store=deps.store,
        mailer=deps.mailer,
        issuer=deps.settings.link_issuer(deps.store),
        now=clock.now(),
    )


def _invite(invitation: Invitation) -> Employer:
    deps = _deps()
    return invite_employer(
        invitation,
        _user(),
        store=deps.store,
        workflows=deps.workflows,
        state_machine_arn=deps.settings.onboarding_state_machine_arn,
        timings=deps.settings.onboarding_timings,
        now=clock.now(),
    )


# ---------------------------------------------------------------- JSON API (Cognito authorizer)


@app.get(
    "/api/employers",
    summary="List employers, newest change first",
    tags=["Employers"],
    middlewares=_allow(Action.VIEW_EMPLOYERS),
)
def api_list_employers(status: Annotated[EmployerStatus | None, Query()] = None) -> list[EmployerSummary]:
    return list_employers(status, None, store=_deps().store)


@app.post(
    "/api/employers",
    summary="Invite an employer to onboard",
    tags=["Employers"],
    responses={201: {"description": "Invited; the onboarding workflow has started"}},
    middlewares=_allow(Action.INVITE_EMPLOYER),
)
def api_invite_employer(invitation: Invitation) -> Response[Employer]:
    return Response(status_code=201, content_type=content_types.APPLICATION_JSON, body=_invite(invitation))


@app.get(
    "/api/employers/<employer_id>",
    summary="An employer with its checks, submission and audit trail",
    tags=["Employers"],
    middlewares=_allow(Action.VIEW_EMPLOYERS),
)
def api_show_employer(employer_id: Annotated[str, Path(pattern=r"^emp-[0-9a-f]{12}$")]) -> EmployerDetail:
    return show_employer(employer_id, store=_deps().store, now=clock.now())


@app.post(
    "/api/employers/<employer_id>/checks/<check_type>",
    summary="Approve a check, or reject it with a reason for the employer",
    tags=["Reviews"],
    middlewares=_allow(Action.REVIEW_CHECK),
)
def api_review_check(
    employer_id: Annotated[str, Path(pattern=r"^emp-[0-9a-f]{12}$")], check_type: CheckType, review: CheckReview
) -> Employer:
    return _review(employer_id, check_type, review).employer


class EvidenceLink(BaseModel):
    url: str
    expires_in_seconds: int


@app.get(
    "/api/employers/<employer_id>/evidence/<check_type>",
    summary="A short-lived address for the file sent with a check (the opening is audited)",
    tags=["Reviews"],
    middlewares=_allow(Action.OPEN_EVIDENCE),
)
def api_open_evidence(
    employer_id: Annotated[str, Path(pattern=r"^emp-[0-9a-f]{12}$")], check_type: CheckType
) -> EvidenceLink:
    return EvidenceLink(url=_evidence_url(employer_id, check_type), expires_in_seconds=EVIDENCE_LINK_SECONDS)


@app.get(
    "/api/placements",
    summary="Placements, newest first, with the gate's reasons for any that are blocked",
    tags=["Placements"],
    middlewares=_allow(Action.VIEW_PLACEMENTS),
)
def api_list_placements(status: Annotated[PlacementStatus | None, Query()] = None) -> list[Placement]:
    return list_placements(status, store=_deps().store)


@app.post(
    "/api/placements",
    summary="Place a learner with an employer: active if every check passes on the start date, else blocked",
    tags=["Placements"],
    responses={201: {"description": "Recorded, active or blocked with its reasons"}},
    middlewares=_allow(Action.RECORD_PLACEMENT),
)
def api_record_placement(request: PlacementRequest) -> Response[Placement]:
    placement = record_placement(request, _user(), store=_deps().store, now=clock.now())
    return Response(status_code=201, content_type=content_types.APPLICATION_JSON, body=placement)


@app.post(
    "/api/employers/<employer_id>/checks/<check_type>/revocation",
    summary="Revoke an approved check; learners placed with the employer are flagged and the DSL is emailed",
    tags=["Reviews"],
    middlewares=_allow(Action.REVOKE_CHECK),
)
def api_revoke_check(
    employer_id: Annotated[str, Path(pattern=r"^emp-[0-9a-f]{12}$")], check_type: CheckType, revocation: CheckRevocation
) -> Revoked:
    return _revoke(employer_id, check_type, revocation)


@app.get(
    "/api/employers/<employer_id>/handbook/<version>/<holder>",
    summary="A SPOC's receipt for a handbook version, with a fresh check that the stored document still matches",
    tags=["Handbook"],
    middlewares=_allow(Action.VIEW_EMPLOYERS),
)
def api_show_receipt(
    employer_id: Annotated[str, Path(pattern=r"^emp-[0-9a-f]{12}$")],
    version: Annotated[int, Path(ge=1)],
    holder: Annotated[str, Path(pattern=HOLDER, description="Which SPOC signed: as listed with the employer")],
) -> ReceiptView:
    return show_receipt(employer_id, version, holder, store=_deps().store, files=_deps().files)


@app.post(
    "/api/handbook/versions",
    summary="Publish a new version of the employer handbook; the rollout workflow sends it to every active SPOC",
    tags=["Handbook"],
    responses={201: {"description": "Published; the rollout has started"}},
    middlewares=_allow(Action.PUBLISH_HANDBOOK),
)
def api_publish_handbook(publication: Publication) -> Response[HandbookVersion]:
    return Response(status_code=201, content_type=content_types.APPLICATION_JSON, body=_publish(publication))


@app.post(
    "/api/employers/<employer_id>/spoc",
    summary="Name the employer's new SPOC, who is sent a link to evidence their training",
    tags=["Employers"],
    middlewares=_allow(Action.CHANGE_SPOC),
)
def api_change_spoc(employer_id: Annotated[str, Path(pattern=r"^emp-[0-9a-f]{12}$")], spoc: Spoc) -> Employer:
    return _change_spoc(employer_id, spoc)


@app.post(
    "/api/employers/<employer_id>/invitation/resend",
    summary="Send the employer a fresh link, or start onboarding again if it had ended",
    tags=["Employers"],
    middlewares=_allow(Action.MANAGE_INVITATION),
)
def api_resend_invitation(employer_id: Annotated[str, Path(pattern=r"^emp-[0-9a-f]{12}$")]) -> Employer:
    return _resend(employer_id)


@app.post(
    "/api/employers/<employer_id>/invitation/withdrawal",
    summary="Withdraw an open invitation: the link stops working and onboarding stops",
    tags=["Employers"],
    middlewares=_allow(Action.MANAGE_INVITATION),
)
def api_withdraw_invitation(employer_id: Annotated[str, Path(pattern=r"^emp-[0-9a-f]{12}$")]) -> Employer:
    return _withdraw(employer_id)


@app.get("/api/openapi.json", include_in_schema=False, middlewares=_allow(Action.SEE_PUBLIC_PAGES))
def openapi_document() -> Response[Any]:
    return Response(
        status_code=200,
        content_type=content_types.APPLICATION_JSON,
        body=app.get_openapi_json_schema(title="Safeplace staff API", version="0.1.0"),
    )


# ---------------------------------------------------------------- signing in and out


@app.get("/staff/sign-in", include_in_schema=False, middlewares=_allow(Action.SEE_PUBLIC_PAGES))
def sign_in() -> Response[str]:
    started = begin_sign_in(_deps().sign_in)
    after = safe_next((app.current_event.query_string_parameters or {}).get("next"), default="/staff")
    # Until Cognito sends the browser back: the state and PKCE verifier, and where to go afterwards.
    remember = base64.urlsafe_b64encode(started.model_copy(update={"redirect_to": after}).model_dump_json().encode())
    return Response(
        status_code=303,
        body="",
        headers={"Location": started.redirect_to, "Cache-Control": "no-store"},
        cookies=[_cookie(_SIGN_IN_COOKIE, remember.decode(), max_age=600)],
    )


def _remembered_sign_in(cookie: str | None) -> SignInStarted | None:
    if not cookie:
        return None
    try:
        return SignInStarted.model_validate_json(base64.urlsafe_b64decode(cookie.encode()))
    except (ValueError, ValidationError):
        return None


@app.get("/staff/auth/callback", include_in_schema=False, middlewares=_allow(Action.SEE_PUBLIC_PAGES))
def signed_in() -> Response[str]:
    query = app.current_event.query_string_parameters or {}
    started = _remembered_sign_in(guard.request_cookies(app).get(_SIGN_IN_COOKIE))
    deps = _deps()
    done = complete_sign_in(
        query.get("code", ""),
        query.get("state", ""),
        started,
        provider=deps.sign_in,
        store=deps.store,
        now=clock.now(),
        lifetime=deps.settings.session_lifetime,
    )
    assert started is not None  # complete_sign_in refuses a callback without one
    name = guard.session_cookie_name(deps.settings.secure_cookies)
    lifetime = int(deps.settings.session_lifetime.total_seconds())
    return Response(
        status_code=303,
        body="",
        headers={"Location": f"{_base()}{started.redirect_to}", "Cache-Control": "no-store"},
        cookies=[_cookie(name, done.cookie_value, max_age=lifetime), _cookie(_SIGN_IN_COOKIE, "", max_age=0)],
    )


@app.post("/staff/sign-out", include_in_schema=False, middlewares=_allow(Action.SIGN_OUT))
def sign_out() -> Response[str]:
    deps = _deps()
    name = guard.session_cookie_name(deps.settings.secure_cookies)
    end_session(guard.request_cookies(app).get(name), store=deps.store)
    return Response(
        status_code=303,
        body="",
        headers={"Location": deps.sign_in.logout_url(), "Cache-Control": "no-store"},
        cookies=[_cookie(name, "", max_age=0)],
    )


@app.get("/staff/signed-out", include_in_schema=False, middlewares=_allow(Action.SEE_PUBLIC_PAGES))
def signed_out() -> Response[str]:
    return html(render("staff/signed_out.html", base=_base(), title="You have signed out"))


# ---------------------------------------------------------------- console pages


@app.get("/staff", include_in_schema=False, middlewares=_allow(Action.VIEW_EMPLOYERS))
def home() -> Response[str]:
    work = show_work_to_do(store=_deps().store, today=clock.now().date())
    return _page("staff/home.html", title="What needs doing", section="home", work=work, width="full")


@app.get("/staff/employers", include_in_schema=False, middlewares=_allow(Action.VIEW_EMPLOYERS))
def employers_page() -> Response[str]:
    query = app.current_event.query_string_parameters or {}
    raw_status = query.get("status") or None
    status = EmployerStatus(raw_status) if raw_status in EmployerStatus._value2member_map_ else None
    search = (query.get("search") or "").strip()[:100]
    found = list_employers(status, search or None, store=_deps().store)
    return _page(
        "staff/employers.html",
        title="Employers",
        section="employers",
        status_filter=status,
        search=search,
        statuses=list(EmployerStatus),
        employers=found,
        width="full",
    )


@app.get("/staff/employers/new", include_in_schema=False, middlewares=_allow(Action.INVITE_EMPLOYER))
def invite_form() -> Response[str]:
    return _page("staff/invite.html", title="Invite an employer", section="invite", values={}, errors={})


@app.post("/staff/employers", include_in_schema=False, middlewares=_allow(Action.INVITE_EMPLOYER))
def invite_from_form() -> Response[str]:
    values = flat_fields(app.current_event.decoded_body)
    try:
        invitation = Invitation.model_validate(values)
    except ValidationError as error:
        problems = field_errors(error, INVITATION_LABELS)
        return _page(
            "staff/invite.html", 400, title="Invite an employer", section="invite", values=values, errors=problems
        )
    employer = _invite(invitation)
    return redirect(f"{_base()}/staff/employers/{employer.id}?{urlencode({'invited': '1'})}")


@app.get("/staff/employers/<employer_id>", include_in_schema=False, middlewares=_allow(Action.VIEW_EMPLOYERS))
def employer_page(employer_id: str) -> Response[str]:
    return _employer_page(show_employer(employer_id, store=_deps().store, now=clock.now()))


def _employer_page(
    detail: EmployerDetail, http_status: int = 200, errors: dict[str, str] | None = None, values: Any = None
) -> Response[str]:
    query = app.current_event.query_string_parameters or {}
    return _page(
        "staff/employer.html",
        http_status,
        title=detail.employer.name,
        section="employers",
        detail=detail,
        invited=query.get("invited") == "1",
        decided=query.get("decided"),
        can_review=access.may(_user(), Action.REVIEW_CHECK),
        can_revoke=access.may(_user(), Action.REVOKE_CHECK),
        can_open_evidence=access.may(_user(), Action.OPEN_EVIDENCE),
        can_manage_invitation=access.may(_user(), Action.MANAGE_INVITATION),
        can_change_spoc=access.may(_user(), Action.CHANGE_SPOC),
        spoc_changed=query.get("spoc") == "changed",
        invitation=query.get("invitation"),
        revoked=query.get("revoked"),
        errors=errors or {},
        values=values or {},
        width="full",
    )


@app.post(
    "/staff/employers/<employer_id>/checks/<check_type>",
    include_in_schema=False,
    middlewares=_allow(Action.REVIEW_CHECK),
)
def review_from_form(employer_id: str, check_type: str) -> Response[str]:
    check = _check_type(check_type)
    values = flat_fields(app.current_event.decoded_body)
    try:
        review = CheckReview.model_validate({k: values.get(k, "") for k in ("decision", "reason")})
    except ValidationError as error:
        # The page has one decision and one reason field per check: point the error summary at this one.
        problems = {
            f"{'decision' if field == 'decision' else 'reason'}-{check_type}": message
            for field, message in field_errors(error, REVIEW_LABELS).items()
        }
        detail = show_employer(employer_id, store=_deps().store, now=clock.now())
        return _employer_page(detail, http_status=400, errors=problems, values={check_type: values})
    _review(employer_id, check, review)
    return redirect(f"{_base()}/staff/employers/{employer_id}?{urlencode({'decided': check_type})}")


def _evidence_url(employer_id: str, check_type: str) -> str:
    deps = _deps()
    check = _check_type(check_type)
    return open_evidence(employer_id, check, _user(), store=deps.store, files=deps.files, now=clock.now())


@app.get(
    "/staff/employers/<employer_id>/evidence/<check_type>",
    include_in_schema=False,
    middlewares=_allow(Action.OPEN_EVIDENCE),
)
def evidence_from_console(employer_id: str, check_type: str) -> Response[str]:
    return redirect(_evidence_url(employer_id, check_type))


@app.get("/staff/placements", include_in_schema=False, middlewares=_allow(Action.VIEW_PLACEMENTS))
def placements_page() -> Response[str]:
    return _page(
        "staff/placements.html",
        title="Placements",
        section="placements",
        placements=list_placements(None, store=_deps().store),
        recorded=(app.current_event.query_string_parameters or {}).get("recorded"),
        width="full",
    )


@app.get("/staff/placements/new", include_in_schema=False, middlewares=_allow(Action.RECORD_PLACEMENT))
def placement_form() -> Response[str]:
    employer = (app.current_event.query_string_parameters or {}).get("employer_id", "")
    return _placement_form({"employer_id": employer}, {})


def _placement_form(values: dict[str, Any], problems: dict[str, str], http_status: int = 200) -> Response[str]:
    employers = list_employers(None, None, store=_deps().store)
    return _page(
        "staff/placement_new.html",
        http_status,
        title="Place a learner",
        section="placements",
        employers=employers,
        values=values,
        errors=problems,
    )


@app.post("/staff/placements", include_in_schema=False, middlewares=_allow(Action.RECORD_PLACEMENT))
def placement_from_form() -> Response[str]:
    values = flat_fields(app.current_event.decoded_body)
    try:
        request = PlacementRequest.model_validate(values)
    except ValidationError as error:
        return _placement_form(values, field_errors(error, PLACEMENT_LABELS), 400)
    placement = record_placement(request, _user(), store=_deps().store, now=clock.now())
    return redirect(f"{_base()}/staff/placements?{urlencode({'recorded': placement.id})}")


@app.post(
    "/staff/employers/<employer_id>/checks/<check_type>/revoke",
    include_in_schema=False,
    middlewares=_allow(Action.REVOKE_CHECK),
)
def revoke_from_form(employer_id: str, check_type: str) -> Response[str]:
    check = _check_type(check_type)
    values = flat_fields(app.current_event.decoded_body)
    try:
        revocation = CheckRevocation.model_validate({"reason": values.get("reason", "")})
    except ValidationError:
        detail = show_employer(employer_id, store=_deps().store, now=clock.now())
        problems = {f"revoke-{check_type}": "Say why you are revoking this check: the DSL reads this reason"}
        return _employer_page(detail, http_status=400, errors=problems)
    _revoke(employer_id, check, revocation)
    return redirect(f"{_base()}/staff/employers/{employer_id}?{urlencode({'revoked': check_type})}")


@app.post(
    "/staff/employers/<employer_id>/spoc",
    include_in_schema=False,
    middlewares=_allow(Action.CHANGE_SPOC),
)
def spoc_from_form(employer_id: str) -> Response[str]:
    values = flat_fields(app.current_event.decoded_body)
    try:
        spoc = Spoc.model_validate({k: values.get(f"spoc-{k}", "") for k in SPOC_LABELS})
    except ValidationError as error:
        detail = show_employer(employer_id, store=_deps().store, now=clock.now())
        problems = {f"spoc-{field}": message for field, message in field_errors(error, SPOC_LABELS).items()}
        return _employer_page(detail, http_status=400, errors=problems, values={"spoc": values})
    _change_spoc(employer_id, spoc)
    return redirect(f"{_base()}/staff/employers/{employer_id}?{urlencode({'spoc': 'changed'})}")


PUBLICATION_LABELS = {"summary": "what changed", "material": "whether every SPOC must sign again"}


def _publish(publication: Publication) -> HandbookVersion:
    deps = _deps()
    return publish_handbook(
        publication,
        _user(),
        store=deps.store,
        workflows=deps.workflows,
        rollout_arn=deps.settings.handbook_rollout_state_machine_arn,
        now=clock.now(),
    )


def _handbook_page(values: dict[str, Any], problems: dict[str, str], http_status: int = 200) -> Response[str]:
    return _page(
        "staff/handbook.html",
        http_status,
        title="Employer handbook",
        section="handbook",
        versions=_deps().store.handbook_versions(),
        can_publish=access.may(_user(), Action.PUBLISH_HANDBOOK),
        published=(app.current_event.query_string_parameters or {}).get("published"),
        values=values,
        errors=problems,
        width="full",
    )


@app.get("/staff/handbook", include_in_schema=False, middlewares=_allow(Action.VIEW_EMPLOYERS))
def handbook_page() -> Response[str]:
    return _handbook_page({}, {})


@app.post("/staff/handbook", include_in_schema=False, middlewares=_allow(Action.PUBLISH_HANDBOOK))
def publish_from_form() -> Response[str]:
    values = flat_fields(app.current_event.decoded_body)
    material = {"yes": True, "no": False}.get(values.get("material", ""))
    try:
        publication = Publication.model_validate({"summary": values.get("summary", ""), "material": material})
    except ValidationError as error:
        problems = field_errors(error, PUBLICATION_LABELS)
        if "material" in problems:
            problems["material"] = "Select whether every SPOC must sign for this version again"
        return _handbook_page(values, problems, 400)
    version = _publish(publication)
    return redirect(f"{_base()}/staff/handbook?{urlencode({'published': version.number})}")


@app.get(
    "/staff/employers/<employer_id>/handbook/<version>/<holder>",
    include_in_schema=False,
    middlewares=_allow(Action.VIEW_EMPLOYERS),
)
def receipt_page(employer_id: str, version: str, holder: str) -> Response[str]:
    view = show_receipt(employer_id, _version(version), holder, store=_deps().store, files=_deps().files)
    return _page("staff/receipt.html", title=f"Handbook receipt, version {version}", section="employers", view=view)


@app.get(
    "/staff/employers/<employer_id>/handbook/<version>/<holder>/document",
    include_in_schema=False,
    middlewares=_allow(Action.VIEW_EMPLOYERS),
)
def signed_document(employer_id: str, version: str, holder: str) -> Response[str]:
    deps = _deps()
    body = read_signed_document(employer_id, _version(version), holder, store=deps.store, files=deps.files)
    return document(body, f"{employer_id}-handbook-v{version}.html", download=True)


@app.post(
    "/staff/employers/<employer_id>/invitation/<action>",
    include_in_schema=False,
    middlewares=_allow(Action.MANAGE_INVITATION),
)
def invitation_from_form(employer_id: str, action: str) -> Response[str]:
    if action == "resend":
        _resend(employer_id)
    elif action == "withdraw":
        _withdraw(employer_id)
    else:
        raise NotFound("There is no such action")
    return redirect(f"{_base()}/staff/employers/{employer_id}?{urlencode({'invitation': action})}")


# -- external speaker bookings ---------------------------------------------------------------------

BookingId = Annotated[str, Path(pattern=r"^bkg-[0-9a-f]{12}$")]
_DECISIONS = TypeAdapter(BookingDecision)


def _request_booking(details: BookingDetails) -> Booking:
    deps = _deps()
    return request_booking(
        details,
        _user(),
        store=deps.store,
        workflows=deps.workflows,
        state_machine_arn=deps.settings.speaker_booking_state_machine_arn,
        timings=deps.settings.booking_timings,
        now=clock.now(),
    )


def _decide_booking(booking_id: str, made: Approval | Decline | InformationRequest) -> Booking:
    return decide_booking(booking_id, made, _user(), store=_deps().store, workflows=_deps().workflows, now=clock.now())


def _resubmit_booking(booking_id: str, details: BookingDetails) -> Booking:
    return resubmit_booking(
        booking_id, details, _user(), store=_deps().store, workflows=_deps().workflows, now=clock.now()
    )


@app.get(
    "/api/speakers",
    summary="The speaker register: every booking, soonest event first, optionally searched",
    tags=["Speakers"],
    middlewares=_allow(Action.VIEW_SPEAKER_BOOKINGS),
)
def api_list_bookings(search: Annotated[str, Query(max_length=100)] = "") -> list[Booking]:
    return list_bookings(store=_deps().store, text=search)


@app.post(
    "/api/speakers",
    summary="Request an external speaker booking: it is checked, rated and sent to the right approver",
    tags=["Speakers"],
    middlewares=_allow(Action.REQUEST_SPEAKER_BOOKING),
)
def api_request_booking(details: BookingDetails) -> Response[Booking]:
    return Response(status_code=201, content_type=content_types.APPLICATION_JSON, body=_request_booking(details))


@app.get(
    "/api/speakers/<booking_id>",
    summary="A speaker booking with its checks, rating, decisions and audit trail",
    tags=["Speakers"],
    middlewares=_allow(Action.VIEW_SPEAKER_BOOKINGS),
)
def api_show_booking(booking_id: BookingId) -> BookingDetail:
    return show_booking(booking_id, store=_deps().store, now=clock.now())


@app.post(
    "/api/speakers/<booking_id>/decision",
    summary="Approve (with conditions), decline with a reason, or ask the requester for more information",
    tags=["Speakers"],
    middlewares=_allow(Action.DECIDE_SPEAKER_BOOKING),
)
def api_decide_booking(booking_id: BookingId, decision: Annotated[BookingDecision, Body()]) -> Booking:
    return _decide_booking(booking_id, decision)


@app.put(
    "/api/speakers/<booking_id>/request",
    summary="The requester changes the request to answer the approver's question and sends it again",
    tags=["Speakers"],
    middlewares=_allow(Action.REQUEST_SPEAKER_BOOKING),
)
def api_resubmit_booking(booking_id: BookingId, details: BookingDetails) -> Booking:
    return _resubmit_booking(booking_id, details)


@app.post(
    "/api/speakers/<booking_id>/event",
    summary="After the event: whether the conditions were kept, and any concern (it goes into the register)",
    tags=["Speakers"],
    middlewares=_allow(Action.RECORD_SPEAKER_EVENT),
)
def api_record_event(booking_id: BookingId, how: HowItWent) -> Booking:
    return record_event(booking_id, how, _user(), store=_deps().store, now=clock.now())


@app.get("/staff/speaker-register.csv", include_in_schema=False, middlewares=_allow(Action.VIEW_SPEAKER_BOOKINGS))
def register_csv() -> Response[str]:
    body = export_register(list_bookings(store=_deps().store))
    return Response(
        200,
        "text/csv; charset=utf-8",
        body,
        headers={"Content-Disposition": f'attachment; filename="speaker-register-{clock.now():%Y-%m-%d}.csv"'},
    )


@app.get("/staff/speakers", include_in_schema=False, middlewares=_allow(Action.VIEW_SPEAKER_BOOKINGS))
def speakers_page() -> Response[str]:
    search = ((app.current_event.query_string_parameters or {}).get("search") or "").strip()[:100]
    bookings = list_bookings(store=_deps().store, text=search)
    return _page(
        "staff/speakers.html", title="External speakers", section="speakers", bookings=bookings, search=search,
        width="full",
    )  # fmt: skip


def _booking_form(
    values: dict[str, Any], problems: dict[str, str], http_status: int = 200, booking: Booking | None = None
) -> Response[str]:
    action = f"{_base()}/staff/speakers/{booking.id}/request" if booking else f"{_base()}/staff/speakers"
    return _page(
        "staff/speaker_new.html",
        http_status,
        title="Change and resend the request" if booking else "Request a speaker booking",
        section="speakers",
        values=values,
        errors=problems,
        booking=booking,
        action=action,
        button="Send the request again" if booking else "Check and send the request",
    )


@app.get("/staff/speakers/new", include_in_schema=False, middlewares=_allow(Action.REQUEST_SPEAKER_BOOKING))
def booking_form() -> Response[str]:
    return _booking_form({}, {})


def _details_from_form() -> tuple[BookingDetails | None, dict[str, Any], dict[str, str]]:
    values = form_fields(app.current_event.decoded_body)
    try:
        return BookingDetails.model_validate(booking_details(values)), values, {}
    except ValidationError as error:
        return None, values, field_errors(error, BOOKING_LABELS)


@app.post("/staff/speakers", include_in_schema=False, middlewares=_allow(Action.REQUEST_SPEAKER_BOOKING))
def booking_from_form() -> Response[str]:
    details, values, problems = _details_from_form()
    if details is None:
        return _booking_form(values, problems, 400)
    booking = _request_booking(details)
    return redirect(f"{_base()}/staff/speakers/{booking.id}?{urlencode({'done': 'requested'})}")


_NOTICES = {
    "requested": "Request sent: the checks ran and it has gone to the approver",
    "decided": "Decision recorded",
    "resent": "Request sent again",
    "recorded": "How the event went is recorded",
    "materials": "File uploaded: the checks ran again",
}


def _booking_page(
    detail: BookingDetail, http_status: int = 200, errors: dict[str, str] | None = None, values: Any = None
) -> Response[str]:
    booking, user, today = detail.booking, _user(), clock.now().date()
    refused = refusal(user, booking.request, booking.route)
    done = (app.current_event.query_string_parameters or {}).get("done", "")
    return _page(
        "staff/speaker.html",
        http_status,
        title=booking.request.event.title,
        section="speakers",
        detail=detail,
        notice=_NOTICES.get(done, ""),
        conditions=list(Condition),
        may_decide=booking.status is BookingStatus.AWAITING_DECISION
        and access.may(user, Action.DECIDE_SPEAKER_BOOKING)
        and refused is None,
        refusal=refused,
        may_resend=booking.status is BookingStatus.MORE_INFORMATION
        and str(user.email).casefold() == str(booking.request.requested_by).casefold(),
        may_upload=booking.status in (BookingStatus.AWAITING_DECISION, BookingStatus.MORE_INFORMATION)
        and str(user.email).casefold() == str(booking.request.requested_by).casefold(),
        may_record_event=booking.status is BookingStatus.APPROVED
        and booking.event_record is None
        and booking.request.event.on <= today,
        errors=errors or {},
        values=values or {},
    )


@app.get("/staff/speakers/<booking_id>", include_in_schema=False, middlewares=_allow(Action.VIEW_SPEAKER_BOOKINGS))
def booking_page(booking_id: str) -> Response[str]:
    return _booking_page(show_booking(booking_id, store=_deps().store, now=clock.now()))


@app.post(
    "/staff/speakers/<booking_id>/decision",
    include_in_schema=False,
    middlewares=_allow(Action.DECIDE_SPEAKER_BOOKING),
)
def decision_from_form(booking_id: str) -> Response[str]:
    values = decision_fields(app.current_event.decoded_body)
    try:
        made = _DECISIONS.validate_python(values)
    except ValidationError as error:
        detail = show_booking(booking_id, store=_deps().store, now=clock.now())
        return _booking_page(detail, 400, decision_errors(error), values)
    _decide_booking(booking_id, made)
    return redirect(f"{_base()}/staff/speakers/{booking_id}?{urlencode({'done': 'decided'})}")


@app.get(
    "/staff/speakers/<booking_id>/edit",
    include_in_schema=False,
    middlewares=_allow(Action.REQUEST_SPEAKER_BOOKING),
)
def booking_edit_form(booking_id: str) -> Response[str]:
    booking = _deps().store.get_booking(booking_id)
    return _booking_form(form_values(booking.request.model_dump()), {}, booking=booking)


@app.post(
    "/staff/speakers/<booking_id>/request",
    include_in_schema=False,
    middlewares=_allow(Action.REQUEST_SPEAKER_BOOKING),
)
def booking_resent_from_form(booking_id: str) -> Response[str]:
    details, values, problems = _details_from_form()
    if details is None:
        return _booking_form(values, problems, 400, booking=_deps().store.get_booking(booking_id))
    _resubmit_booking(booking_id, details)
    return redirect(f"{_base()}/staff/speakers/{booking_id}?{urlencode({'done': 'resent'})}")


def _materials_page(booking_id: str, problems: dict[str, str], http_status: int = 200) -> Response[str]:
    deps = _deps()
    public = str(deps.settings.public_base_url).rstrip("/")
    upload = offer_materials_upload(
        booking_id,
        _user(),
        store=deps.store,
        files=deps.files,
        return_to=f"{public}/staff/speakers/{booking_id}/materials/uploaded",
        now=clock.now(),
    )
    origin = urlsplit(upload.url)
    return _page(
        "staff/speaker_materials.html",
        http_status,
        also_post_to=f"{origin.scheme}://{origin.netloc}",
        title="Upload the slides or handout",
        section="speakers",
        booking=deps.store.get_booking(booking_id),
        upload=upload,
        errors=problems,
    )


@app.get(
    "/staff/speakers/<booking_id>/materials",
    include_in_schema=False,
    middlewares=_allow(Action.REQUEST_SPEAKER_BOOKING),
)
def materials_form(booking_id: str) -> Response[str]:
    return _materials_page(booking_id, {})


@app.get(
    "/staff/speakers/<booking_id>/materials/uploaded",
    include_in_schema=False,
    middlewares=_allow(Action.REQUEST_SPEAKER_BOOKING),
)
def materials_uploaded(booking_id: str) -> Response[str]:
    """Where S3 sends the browser after the upload: the file is checked here before the booking refers to it."""
    deps = _deps()
    key = app.current_event.get_query_string_value("key", "")
    try:
        accept_materials(booking_id, key, _user(), store=deps.store, files=deps.files, now=clock.now())
    except MaterialsRejected as rejected:
        return _materials_page(booking_id, {"file": rejected.message}, 400)
    return redirect(f"{_base()}/staff/speakers/{booking_id}?{urlencode({'done': 'materials'})}")


@app.get(
    "/staff/speakers/<booking_id>/materials/file",
    include_in_schema=False,
    middlewares=_allow(Action.VIEW_SPEAKER_BOOKINGS),
)
def materials_file(booking_id: str) -> Response[str]:
    deps = _deps()
    return redirect(open_materials(booking_id, str(_user().email), store=deps.store, files=deps.files, now=clock.now()))


@app.post(
    "/staff/speakers/<booking_id>/event",
    include_in_schema=False,
    middlewares=_allow(Action.RECORD_SPEAKER_EVENT),
)
def event_from_form(booking_id: str) -> Response[str]:
    values = flat_fields(app.current_event.decoded_body)
    met = {"yes": True, "no": False}.get(values.get("conditions_met", ""))
    try:
        how = HowItWent.model_validate({"conditions_met": met, "concerns": values.get("concerns", "")})
    except ValidationError as error:
        problems = field_errors(
            error, {"conditions_met": "whether all the conditions were kept", "concerns": "the concerns"}
        )
        if "" in problems:
            problems["concerns"] = problems.pop("")
        detail = show_booking(booking_id, store=_deps().store, now=clock.now())
        return _booking_page(detail, 400, problems, values)
    record_event(booking_id, how, _user(), store=_deps().store, now=clock.now())
    return redirect(f"{_base()}/staff/speakers/{booking_id}?{urlencode({'done': 'recorded'})}")


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
def lambda_handler(
    event: dict[str, Any], context: LambdaContext, deps: StaffApiDependencies | None = None
) -> dict[str, Any]:
    app.append_context(deps=deps or staff_api_dependencies())
    return app.resolve(event, context)
