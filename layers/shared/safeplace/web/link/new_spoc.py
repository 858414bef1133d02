"""The employer naming a new SPOC through their onboarding link, which then stops working."""

from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from pydantic import ValidationError

from safeplace.core import clock
from safeplace.onboarding.change_spoc import change_spoc_by_link
from safeplace.onboarding.models import Spoc
from safeplace.onboarding.open_onboarding import Onboarding, open_onboarding
from safeplace.web.http import field_errors, flat_fields
from safeplace.web.link import context

router = Router()

_SPOC_LABELS = {
    "name": "the new SPOC's full name",
    "role": "their job title",
    "email": "their own email address, like name@example.com",
    "phone": "their phone number",
}


def _new_spoc_page(
    token: str, onboarding: Onboarding, values: dict[str, Any], problems: dict[str, str], status: int = 200
) -> Response[str]:
    return context.page(
        router,
        "link/new_spoc.html",
        status,
        title="Name a new SPOC",
        token=token,
        employer_name=onboarding.employer.name,
        values=values,
        errors=problems,
    )


def _opened(token: str) -> Onboarding:
    store = context.deps(router).store
    return open_onboarding(token, links=store.links, employers=store.employers, now=clock.now())


@router.get("/link/<token>/new-spoc")
def new_spoc_form(token: str) -> Response[str]:
    onboarding = _opened(token)
    return _new_spoc_page(token, onboarding, {}, {})


@router.post("/link/<token>/new-spoc")
def name_new_spoc(token: str) -> Response[str]:
    deps = context.deps(router)
    values = flat_fields(router.current_event.decoded_body)
    try:
        spoc = Spoc.model_validate({k: values.get(f"spoc-{k}", "") for k in _SPOC_LABELS})
    except ValidationError as error:
        onboarding = _opened(token)
        problems = {f"spoc-{field}": message for field, message in field_errors(error, _SPOC_LABELS).items()}
        return _new_spoc_page(token, onboarding, values, problems, 400)
    store = deps.store
    employer = change_spoc_by_link(
        token,
        spoc,
        links=store.links,
        employers=store.employers,
        mailer=deps.mailer,
        issuer=deps.settings.link_issuer(store.links),
        now=clock.now(),
    )
    return context.page(router, "link/spoc_named.html", title="New SPOC named", spoc=spoc, employer_name=employer.name)
