"""The employer naming a new SPOC through their onboarding link, which then stops working."""

from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from safeplace.core import clock
from safeplace.onboarding.change_spoc import change_spoc_by_link
from safeplace.onboarding.open_onboarding import Onboarding, open_onboarding
from safeplace.web.forms.employers import NewSpocForm
from safeplace.web.forms.form import Result
from safeplace.web.link import context

router = Router()


def _new_spoc_page(token: str, onboarding: Onboarding, form: Result[Any], status: int = 200) -> Response[str]:
    return context.page(
        router,
        "link/new_spoc.html",
        status,
        title="Name a new SPOC",
        token=token,
        employer_name=onboarding.employer.name,
        form=form,
    )


def _opened(token: str) -> Onboarding:
    store = context.deps(router).store
    return open_onboarding(token, links=store.links, employers=store.employers, now=clock.now())


@router.get("/link/<token>/new-spoc")
def new_spoc_form(token: str) -> Response[str]:
    onboarding = _opened(token)
    return _new_spoc_page(token, onboarding, NewSpocForm().show())


@router.post("/link/<token>/new-spoc")
def name_new_spoc(token: str) -> Response[str]:
    deps = context.deps(router)
    form = NewSpocForm().parse(router.current_event.decoded_body)
    if form.model is None:
        onboarding = _opened(token)
        return _new_spoc_page(token, onboarding, form, 400)
    spoc = form.model
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
