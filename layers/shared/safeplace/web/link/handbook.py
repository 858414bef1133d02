"""The SPOC's employer handbook: read it, open or download the stored copy, and sign for it."""

from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from safeplace.core import clock
from safeplace.handbook.acknowledge_handbook import (
    HandbookToAcknowledge,
    NotAcknowledged,
    acknowledge_handbook,
    open_handbook,
)
from safeplace.web.forms.form import Result
from safeplace.web.forms.handbook import SignHandbookForm
from safeplace.web.http import document
from safeplace.web.link import context

router = Router()


def _open(token: str) -> HandbookToAcknowledge:
    store = context.deps(router).store
    return open_handbook(token, links=store.links, employers=store.employers, handbook=store.handbook, now=clock.now())


def _handbook_page(token: str, form: Result[Any], status: int = 200) -> Response[str]:
    handbook = _open(token)
    return context.page(
        router,
        "link/handbook.html",
        status,
        title=f"Employer handbook, version {handbook.version.number}",
        token=token,
        handbook=handbook,
        form=form,
    )


@router.get("/link/<token>/handbook")
def show_handbook(token: str) -> Response[str]:
    return _handbook_page(token, SignHandbookForm().show())


@router.get("/link/<token>/handbook/document")
def handbook_document(token: str) -> Response[str]:
    deps = context.deps(router)
    handbook = _open(token)
    download = router.current_event.get_query_string_value("download", "") == "1"
    filename = f"employer-handbook-v{handbook.version.number}.html"
    return document(deps.files.read(handbook.copy_.key), filename, download=download)


@router.post("/link/<token>/handbook")
def sign_handbook(token: str) -> Response[str]:
    deps = context.deps(router)
    form = SignHandbookForm().parse(router.current_event.decoded_body)
    if form.model is None:
        return _handbook_page(token, form, 400)
    acknowledgement = form.model
    try:
        receipt = acknowledge_handbook(
            token,
            acknowledgement,
            links=deps.store.links,
            employers=deps.store.employers,
            handbook=deps.store.handbook,
            mailer=deps.mailer,
            release=deps.release_learners,
            link_url=f"{str(deps.settings.public_base_url).rstrip('/')}/link/{token}/handbook",
            now=clock.now(),
        )
    except NotAcknowledged as refused:
        return _handbook_page(token, form.with_problems(refused.problems), 400)
    return context.page(router, "link/handbook_acknowledged.html", title="Handbook acknowledged", receipt=receipt)
