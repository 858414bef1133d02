"""Employers: the list, inviting one, the employer page, the invitation sent again or withdrawn, a new SPOC, and
opening the evidence they sent."""

from typing import Annotated, Any
from urllib.parse import urlencode

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from safeplace.core import clock
from safeplace.core.errors import NotFound
from safeplace.core.model import Model
from safeplace.core.paging import MAX_PAGE_SIZE, Page
from safeplace.onboarding.change_spoc import change_spoc
from safeplace.onboarding.correct_contact import contact_to_correct, correct_contact
from safeplace.onboarding.invite_employer import invite_employer
from safeplace.onboarding.list_employers import list_employers
from safeplace.onboarding.models import CheckType, Employer, EmployerStatus, EmployerSummary, Invitation, Spoc
from safeplace.onboarding.open_evidence import EVIDENCE_LINK_SECONDS, open_evidence
from safeplace.onboarding.resend_invitation import resend_invitation
from safeplace.onboarding.withdraw_invitation import withdraw_invitation
from safeplace.oversight.show_employer import EmployerDetail, show_employer
from safeplace.staff import access
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
from safeplace.web.forms.employers import CorrectContactForm, InviteEmployerForm, NewSpocForm
from safeplace.web.forms.form import Result
from safeplace.web.http import redirect
from safeplace.web.pages import NO_FORM

router = Router()

EmployerId = Annotated[str, Path(pattern=r"^emp-[0-9a-f]{12}$")]


class EvidenceLink(Model):
    url: str
    expires_in_seconds: int


def check_type(raw: str) -> CheckType:
    """A check named in a console address; an unknown one is a page that does not exist."""
    if raw not in CheckType._value2member_map_:
        raise NotFound("There is no such check")
    return CheckType(raw)


def decided_check(raw: str | None) -> CheckType | None:
    """The check a banner says was just decided, from the address; anything else, no banner."""
    return CheckType(raw) if raw and raw in CheckType._value2member_map_ else None


def _invite(invitation: Invitation) -> Employer:
    settings = deps(router).settings
    return invite_employer(
        invitation,
        user(router),
        employers=deps(router).store.employers,
        workflows=deps(router).workflows,
        state_machine_arn=settings.onboarding_state_machine_arn,
        timings=settings.onboarding_timings,
        now=clock.now(),
    )


def _change_spoc(employer_id: str, spoc: Spoc) -> Employer:
    store = deps(router).store
    return change_spoc(
        employer_id,
        spoc,
        str(user(router).email),
        employers=store.employers,
        mailer=deps(router).mailer,
        issuer=deps(router).settings.link_issuer(store.links),
        now=clock.now(),
    )


def _resending() -> dict[str, Any]:
    """What sending an invitation again works with, whether on its own or after correcting the contact."""
    store, settings = deps(router).store, deps(router).settings
    return {
        "employers": store.employers,
        "waits": store.waits,
        "audit": store.audit,
        "workflows": deps(router).workflows,
        "mailer": deps(router).mailer,
        "issuer": settings.link_issuer(store.links),
        "state_machine_arn": settings.onboarding_state_machine_arn,
        "timings": settings.onboarding_timings,
        "now": clock.now(),
    }


def _resend(employer_id: str) -> Employer:
    return resend_invitation(employer_id, user(router), **_resending())


def _withdraw(employer_id: str) -> Employer:
    store = deps(router).store
    return withdraw_invitation(
        employer_id,
        user(router),
        employers=store.employers,
        links=store.links,
        workflows=deps(router).workflows,
        state_machine_arn=deps(router).settings.onboarding_state_machine_arn,
        now=clock.now(),
    )


def _evidence_url(employer_id: str, raw_check: str) -> str:
    store = deps(router).store
    return open_evidence(
        employer_id,
        check_type(raw_check),
        user(router),
        employers=store.employers,
        audit=store.audit,
        files=deps(router).files,
        now=clock.now(),
    )


def employer_detail(employer_id: str) -> EmployerDetail:
    store = deps(router).store
    return show_employer(
        employer_id,
        employers=store.employers,
        audit=store.audit,
        handbook=store.handbook,
        links=store.links,
        now=clock.now(),
        history_before=history_before(router),
    )


# ---------------------------------------------------------------- JSON API (Cognito authorizer)


@router.get(
    "/api/employers",
    summary="A page of employers: newest change first, or A to Z of those whose name starts with `search`",
    tags=["Employers"],
    middlewares=allow(Action.VIEW_EMPLOYERS),
)
def api_list_employers(
    status: Annotated[EmployerStatus | None, Query()] = None,
    search: Annotated[str, Query(max_length=100, description=SEARCH)] = "",
    cursor: Annotated[str | None, Query(max_length=CURSOR_LENGTH, description=CURSOR)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description=LIMIT)] = MAX_PAGE_SIZE,
) -> Page[EmployerSummary]:
    return list_employers(status, search, employers=deps(router).store.employers, cursor=cursor, limit=limit)


@router.post(
    "/api/employers",
    summary="Invite an employer to onboard",
    tags=["Employers"],
    responses={201: {"description": "Invited; the onboarding workflow has started"}},
    middlewares=allow(Action.INVITE_EMPLOYER),
)
def api_invite_employer(invitation: Invitation) -> Response[Employer]:
    return Response(status_code=201, content_type=content_types.APPLICATION_JSON, body=_invite(invitation))


@router.get(
    "/api/employers/<employer_id>",
    summary="An employer with its checks, submission and audit trail",
    tags=["Employers"],
    middlewares=allow(Action.VIEW_EMPLOYERS),
)
def api_show_employer(employer_id: EmployerId) -> EmployerDetail:
    return employer_detail(employer_id)


@router.get(
    "/api/employers/<employer_id>/evidence/<check_type>",
    summary="A short-lived address for the file sent with a check (the opening is audited)",
    tags=["Reviews"],
    middlewares=allow(Action.OPEN_EVIDENCE),
)
def api_open_evidence(employer_id: EmployerId, check_type: CheckType) -> EvidenceLink:
    return EvidenceLink(url=_evidence_url(employer_id, check_type), expires_in_seconds=EVIDENCE_LINK_SECONDS)


@router.post(
    "/api/employers/<employer_id>/spoc",
    summary="Name the employer's new SPOC, who is sent a link to evidence their training",
    tags=["Employers"],
    middlewares=allow(Action.CHANGE_SPOC),
)
def api_change_spoc(employer_id: EmployerId, spoc: Spoc) -> Employer:
    return _change_spoc(employer_id, spoc)


@router.post(
    "/api/employers/<employer_id>/invitation/resend",
    summary="Send the employer a fresh link, or start onboarding again if it had ended",
    tags=["Employers"],
    middlewares=allow(Action.MANAGE_INVITATION),
)
def api_resend_invitation(employer_id: EmployerId) -> Employer:
    return _resend(employer_id)


@router.post(
    "/api/employers/<employer_id>/invitation/withdrawal",
    summary="Withdraw an open invitation: the link stops working and onboarding stops",
    tags=["Employers"],
    middlewares=allow(Action.MANAGE_INVITATION),
)
def api_withdraw_invitation(employer_id: EmployerId) -> Employer:
    return _withdraw(employer_id)


# ---------------------------------------------------------------- console pages


@router.get("/staff/employers", include_in_schema=False, middlewares=allow(Action.VIEW_EMPLOYERS))
def employers_page() -> Response[str]:
    asked = query(router)
    raw_status = asked.get("status") or ""
    status = EmployerStatus(raw_status) if raw_status in EmployerStatus._value2member_map_ else None
    search = (asked.get("search") or "").strip()[:100]
    found = list_employers(status, search, employers=deps(router).store.employers, cursor=page_cursor(router))
    return page(
        router,
        "staff/employers.html",
        title="Employers",
        section="employers",
        status_filter=status,
        search=search,
        statuses=list(EmployerStatus),
        employers=found.items,
        pagination=pagination(f"{base(router)}/staff/employers", {"status": status or "", "search": search}, found),
        width="full",
    )


@router.get("/staff/employers/new", include_in_schema=False, middlewares=allow(Action.INVITE_EMPLOYER))
def invite_form() -> Response[str]:
    form = InviteEmployerForm().show()
    return page(router, "staff/invite.html", title="Invite an employer", section="invite", form=form)


@router.post("/staff/employers", include_in_schema=False, middlewares=allow(Action.INVITE_EMPLOYER))
def invite_from_form() -> Response[str]:
    form = InviteEmployerForm().parse(router.current_event.decoded_body)
    if form.model is None:
        return page(router, "staff/invite.html", 400, title="Invite an employer", section="invite", form=form)
    employer = _invite(form.model)
    return redirect(f"{base(router)}/staff/employers/{employer.id}?{urlencode({'invited': '1'})}")


@router.get("/staff/employers/<employer_id>", include_in_schema=False, middlewares=allow(Action.VIEW_EMPLOYERS))
def employer_page(employer_id: str) -> Response[str]:
    return show_employer_page(employer_detail(employer_id))


def show_employer_page(
    detail: EmployerDetail, http_status: int = 200, form: Result[Any] | None = None, posted: str = ""
) -> Response[str]:
    """The employer page, also shown again with the problems of a form on it: `posted` names which one ("spoc",
    "revoke-<check>"), as several share field names."""
    asked, signed_in = query(router), user(router)
    return page(
        router,
        "staff/employer.html",
        http_status,
        title=detail.employer.name,
        section="employers",
        detail=detail,
        invited=asked.get("invited") == "1",
        decided=decided_check(asked.get("decided")),
        can_review=access.may(signed_in, Action.REVIEW_CHECK),
        can_revoke=access.may(signed_in, Action.REVOKE_CHECK),
        can_open_evidence=access.may(signed_in, Action.OPEN_EVIDENCE),
        can_manage_invitation=access.may(signed_in, Action.MANAGE_INVITATION),
        can_change_spoc=access.may(signed_in, Action.CHANGE_SPOC),
        can_place=access.may(signed_in, Action.RECORD_PLACEMENT),
        spoc_changed=asked.get("spoc") == "changed",
        invitation=asked.get("invitation"),
        revoked=asked.get("revoked"),
        form=form or NO_FORM,
        posted=posted,
        width="full",
    )


@router.post(
    "/staff/employers/<employer_id>/invitation/<action>",
    include_in_schema=False,
    middlewares=allow(Action.MANAGE_INVITATION),
)
def invitation_from_form(employer_id: str, action: str) -> Response[str]:
    if action == "resend":
        _resend(employer_id)
    elif action == "withdraw":
        _withdraw(employer_id)
    else:
        raise NotFound("There is no such action")
    return redirect(f"{base(router)}/staff/employers/{employer_id}?{urlencode({'invitation': action})}")


def _contact_page(employer: Employer, form: Result[Any], http_status: int = 200) -> Response[str]:
    title = f"Correct the contact: {employer.name}"
    return page(router, "staff/contact.html", http_status, title=title, employer=employer, form=form)


@router.get(
    "/staff/employers/<employer_id>/contact", include_in_schema=False, middlewares=allow(Action.MANAGE_INVITATION)
)
def contact_form(employer_id: str) -> Response[str]:
    employer = contact_to_correct(employer_id, employers=deps(router).store.employers)
    return _contact_page(employer, CorrectContactForm().show(employer.model_dump()))


@router.post(
    "/staff/employers/<employer_id>/contact", include_in_schema=False, middlewares=allow(Action.MANAGE_INVITATION)
)
def contact_from_form(employer_id: str) -> Response[str]:
    store = deps(router).store
    form = CorrectContactForm().parse(router.current_event.decoded_body)
    if form.model is None:
        return _contact_page(contact_to_correct(employer_id, employers=store.employers), form, 400)
    correct_contact(employer_id, form.model, user(router), links=store.links, **_resending())
    return redirect(f"{base(router)}/staff/employers/{employer_id}?{urlencode({'invitation': 'corrected'})}")


@router.post(
    "/staff/employers/<employer_id>/spoc",
    include_in_schema=False,
    middlewares=allow(Action.CHANGE_SPOC),
)
def spoc_from_form(employer_id: str) -> Response[str]:
    form = NewSpocForm().parse(router.current_event.decoded_body)
    if form.model is None:
        detail = employer_detail(employer_id)
        return show_employer_page(detail, http_status=400, form=form, posted="spoc")
    _change_spoc(employer_id, form.model)
    return redirect(f"{base(router)}/staff/employers/{employer_id}?{urlencode({'spoc': 'changed'})}")


@router.get(
    "/staff/employers/<employer_id>/evidence/<check_type>",
    include_in_schema=False,
    middlewares=allow(Action.OPEN_EVIDENCE),
)
def evidence_from_console(employer_id: str, check_type: str) -> Response[str]:
    return redirect(_evidence_url(employer_id, check_type))
