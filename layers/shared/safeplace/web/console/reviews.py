"""Reviewing an employer's checks: approve or reject each one, and revoke a check already approved."""

from urllib.parse import urlencode

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from safeplace.core import clock
from safeplace.onboarding.models import CheckReview, CheckRevocation, CheckType, Employer
from safeplace.onboarding.review_check import review_check
from safeplace.placements.revoke_check import Revoked, revoke_check
from safeplace.staff.access import Action
from safeplace.web.console.context import allow, base, deps, user
from safeplace.web.console.employers import EmployerId, employer_detail, show_employer_page
from safeplace.web.console.employers import check_type as named_check
from safeplace.web.forms.employers import ReviewCheckForm, RevokeCheckForm
from safeplace.web.http import redirect

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


@router.post(
    "/staff/employers/<employer_id>/checks/<check_type>",
    include_in_schema=False,
    middlewares=allow(Action.REVIEW_CHECK),
)
def review_from_form(employer_id: str, check_type: str) -> Response[str]:
    check = named_check(check_type)
    # The page has a decision and a reason per check: the form's ids name this one.
    form = ReviewCheckForm(check).parse(router.current_event.decoded_body)
    if form.model is None:
        detail = employer_detail(employer_id)
        return show_employer_page(detail, http_status=400, form=form, posted=f"review-{check}")
    _review(employer_id, check, form.model)
    return redirect(f"{base(router)}/staff/employers/{employer_id}?{urlencode({'decided': check_type})}")


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
