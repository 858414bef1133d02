"""Pages behind emailed links. No sign-in: the link's token is the only authority. GET shows, POST acts."""

from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import ValidationError

from safeplace import clock
from safeplace.adapters.dynamodb import Store
from safeplace.adapters.ses import Mailer
from safeplace.adapters.stepfunctions import Workflows
from safeplace.errors import LinkNotUsable
from safeplace.models import OrganisationSubmission
from safeplace.onboarding.check_submission import check_submission
from safeplace.onboarding.open_onboarding_form import open_onboarding_form
from safeplace.onboarding.renew_link import renew_link
from safeplace.onboarding.submit_organisation import SubmissionRejected, submit_organisation
from safeplace.settings import LinkPagesSettings
from safeplace.web import errors
from safeplace.web.http import field_errors, flatten_fields, form_fields, html
from safeplace.web.pages import render

logger = Logger()
app = APIGatewayRestResolver()
errors.register(app, base_path=lambda: _base())

ORGANISATION_LABELS = {
    "legal_name": "the legal name",
    "companies_house_number": "Companies House number",
    "address.line1": "the first line of the address",
    "address.line2": "the second line of the address",
    "address.town": "the town or city",
    "address.postcode": "the postcode",
    "sector": "the sector",
    "employees": "the number of employees",
    "spoc.name": "the SPOC's full name",
    "spoc.role": "the SPOC's job title",
    "spoc.email": "the SPOC's email address, like name@example.com",
    "spoc.phone": "the SPOC's phone number",
    "spoc_commitment": "the SPOC commitment",
}


@dataclass(frozen=True)
class Dependencies:
    settings: LinkPagesSettings
    store: Store
    workflows: Workflows
    mailer: Mailer


@cache
def production_dependencies() -> Dependencies:
    settings = LinkPagesSettings()  # type: ignore[call-arg]
    return Dependencies(
        settings=settings,
        store=Store(settings.table_name, settings.retention),
        workflows=Workflows(),
        mailer=Mailer(settings.sender_email),
    )


def _deps() -> Dependencies:
    deps: Dependencies = app.context["deps"]
    return deps


def _base() -> str:
    return urlsplit(str(_deps().settings.public_base_url)).path.rstrip("/")


def _page(template: str, status: int = 200, **context: Any) -> Response[str]:
    return html(render(template, base=_base(), **context), status)


def _unusable(token: str) -> Response[str]:
    # Wrong, used, revoked and expired links all get this same page and status.
    return _page(
        "link/unusable.html",
        404,
        title="This link has expired or has already been used",
        renew_action=f"{_base()}/link/{token}/renew",
    )


def _blank_values() -> dict[str, Any]:
    return {"address": {}, "spoc": {}}


@app.get("/link/<token>")
def show_link(token: str) -> Response[str]:
    try:
        form = open_onboarding_form(token, store=_deps().store, now=clock.now())
    except LinkNotUsable:
        return _unusable(token)
    values = form.previous.model_dump() if form.previous else _blank_values()
    return _page(
        "link/onboarding_form.html", title="Tell us about your organisation", form=form, values=values, errors={}
    )


@app.post("/link/<token>")
def act_on_link(token: str) -> Response[str]:
    """Continue -> check your answers; Change -> the form again; Send -> recorded, and the link used up."""
    deps = _deps()
    fields = form_fields(app.current_event.decoded_body)
    action = fields.pop("action", "check")
    values = {**_blank_values(), **fields, "spoc_commitment": fields.get("spoc_commitment") == "yes"}
    problems: dict[str, str] = {}
    try:
        try:
            submission = OrganisationSubmission.model_validate(values)
            if action == "send":
                employer = submit_organisation(
                    token, submission, store=deps.store, workflows=deps.workflows, now=clock.now()
                )
                return _page("link/submitted.html", title="Details sent", employer_name=employer.name)
            if action != "change":
                employer = check_submission(token, submission, store=deps.store, now=clock.now())
                return _page(
                    "link/check_answers.html",
                    title="Check your answers before sending them",
                    employer_name=employer.name,
                    submission=submission,
                    carried=flatten_fields(submission.model_dump()),
                )
        except ValidationError as error:
            problems = field_errors(error, ORGANISATION_LABELS)
        except SubmissionRejected as rejected:
            problems = rejected.problems
        # Only a form that needs showing again pays for reading it.
        form = open_onboarding_form(token, store=deps.store, now=clock.now())
    except LinkNotUsable:
        return _unusable(token)
    return _page(
        "link/onboarding_form.html",
        400 if problems else 200,
        title="Tell us about your organisation",
        form=form,
        values=values,
        errors=problems,
    )


@app.post("/link/<token>/renew")
def renew(token: str) -> Response[str]:
    deps = _deps()
    renew_link(
        token, store=deps.store, mailer=deps.mailer, issuer=deps.settings.link_issuer(deps.store), now=clock.now()
    )
    return _page("link/renew_requested.html", title="Check your email")


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext, deps: Dependencies | None = None) -> dict[str, Any]:
    app.append_context(deps=deps or production_dependencies())
    return app.resolve(event, context)
