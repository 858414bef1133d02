"""Reviewing an employer's checks: approve or reject each one, and revoke a check already approved."""

from typing import Any
from urllib.parse import urlencode

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from safeplace.core import clock
from safeplace.core.errors import NotFound
from safeplace.onboarding.models import CheckReview, CheckRevocation, CheckType, Employer
from safeplace.onboarding.review_check import review_check
from safeplace.placements.revoke_check import Revoked, revoke_check
from safeplace.staff import access
from safeplace.staff.access import Action
from safeplace.web.console.context import allow, base, deps, page, query, user
from safeplace.web.console.employers import EmployerId, decided_check, employer_detail, show_employer_page
from safeplace.web.console.employers import check_type as named_check
from safeplace.web.forms.employers import ReviewCheckForm, RevokeCheckForm
from safeplace.web.forms.form import Result
from safeplace.web.http import redirect
from safeplace.web.pages import NO_FORM

router = Router()


def _review(employer_id: str, check: CheckType, review: CheckReview) -> Employer:
    store, settings = deps(router).store, deps(router).settings
    return review_check(
        employer_id,
        check,
        review,
        user(router),
        employers=store.employers,
        waits=store.waits,
        workflows=deps(router).workflows,
        mailer=deps(router).mailer,
        issuer=settings.link_issuer(store.links),
        admit=deps(router).admit,
        now=clock.now(),
        renewals=settings.renewals,
    ).employer


def _revoke(employer_id: str, check: CheckType, revocation: CheckRevocation) -> Revoked:
    store = deps(router).store
    return revoke_check(
        employer_id,
        check,
        revocation,
        user(router),
        employers=store.employers,
        placements=store.placements,
        mailer=deps(router).mailer,
        dsl=str(deps(router).settings.dsl_email),
        now=clock.now(),
    )


@router.post(
    "/api/employers/<employer_id>/checks/<check_type>",
    summary="Approve a check, or reject it with a reason for the employer",
    tags=["Reviews"],
    middlewares=allow(Action.REVIEW_CHECK),
)
def api_review_check(employer_id: EmployerId, check_type: CheckType, review: CheckReview) -> Employer:
    return _review(employer_id, check_type, review)


@router.post(
    "/api/employers/<employer_id>/checks/<check_type>/revocation",
    summary="Revoke an approved check; learners placed with the employer are flagged and the DSL is emailed",
    tags=["Reviews"],
    middlewares=allow(Action.REVOKE_CHECK),
)
def api_revoke_check(employer_id: EmployerId, check_type: CheckType, revocation: CheckRevocation) -> Revoked:
    return _revoke(employer_id, check_type, revocation)


def _check_page(
    employer_id: str, check: CheckType, form: Result[Any] | None = None, status: int = 200
) -> Response[str]:
    """One check's own page: what the employer told us and its evidence, beside the one decision on it."""
    detail = employer_detail(employer_id)
    found = detail.employer.check(check)
    if found is None:
        raise NotFound(f"{check.label} is not one of this employer's checks")
    signed_in = user(router)
    return page(
        router,
        "staff/check.html",
        status,
        title=f"{check.label} - {detail.employer.name}",
        section="employers",
        detail=detail,
        check=found,
        decided=decided_check(query(router).get("decided")),
        can_review=access.may(signed_in, Action.REVIEW_CHECK),
        can_open_evidence=access.may(signed_in, Action.OPEN_EVIDENCE),
        form=form or NO_FORM,
        width="full",
    )


@router.get(
    "/staff/employers/<employer_id>/checks/<check_type>",
    include_in_schema=False,
    middlewares=allow(Action.VIEW_EMPLOYERS),
)
def check_page(employer_id: str, check_type: str) -> Response[str]:
    return _check_page(employer_id, named_check(check_type))


@router.post(
    "/staff/employers/<employer_id>/checks/<check_type>",
    include_in_schema=False,
    middlewares=allow(Action.REVIEW_CHECK),
)
def review_from_form(employer_id: str, check_type: str) -> Response[str]:
    check = named_check(check_type)
    form = ReviewCheckForm(check).parse(router.current_event.decoded_body)
    if form.model is None:
        return _check_page(employer_id, check, form, 400)
    employer = _review(employer_id, check, form.model)
    # On to the next check waiting, or back to the employer when none does: either says what was decided.
    following = employer.waiting_for_review(after=check)
    to = f"/checks/{following}" if following else ""
    return redirect(f"{base(router)}/staff/employers/{employer_id}{to}?{urlencode({'decided': check.value})}")


@router.post(
    "/staff/employers/<employer_id>/checks/<check_type>/revoke",
    include_in_schema=False,
    middlewares=allow(Action.REVOKE_CHECK),
)
def revoke_from_form(employer_id: str, check_type: str) -> Response[str]:
    check = named_check(check_type)
    form = RevokeCheckForm(check).parse(router.current_event.decoded_body)
    if form.model is None:
        detail = employer_detail(employer_id)
        return show_employer_page(detail, http_status=400, form=form, posted=f"revoke-{check}")
    _revoke(employer_id, check, form.model)
    return redirect(f"{base(router)}/staff/employers/{employer_id}?{urlencode({'revoked': check_type})}")
