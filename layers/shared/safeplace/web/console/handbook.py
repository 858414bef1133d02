"""The employer handbook: publishing a new version, and each SPOC's receipt with the document they signed."""

from typing import Annotated, Any
from urllib.parse import urlencode

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from safeplace.core import clock
from safeplace.core.errors import NotFound
from safeplace.core.paging import MAX_PAGE_SIZE
from safeplace.handbook.draft_handbook import HandbookDraft, draft_handbook
from safeplace.handbook.list_signatures import VersionSignatures, list_signatures
from safeplace.handbook.models import HOLDER, HandbookVersion
from safeplace.handbook.preview_handbook import HandbookPreview, preview_handbook
from safeplace.handbook.publish_handbook import Publication, publish_handbook
from safeplace.handbook.show_receipt import ReceiptView, read_signed_document, show_receipt
from safeplace.handbook.text import PLACEHOLDERS
from safeplace.staff import access
from safeplace.staff.access import Action
from safeplace.web.components import pagination
from safeplace.web.console.context import (
    CURSOR,
    CURSOR_LENGTH,
    LIMIT,
    allow,
    base,
    deps,
    page,
    page_cursor,
    query,
    user,
)
from safeplace.web.console.employers import EmployerId
from safeplace.web.forms.form import Result
from safeplace.web.forms.handbook import PublishHandbookForm
from safeplace.web.http import document, flat_fields, redirect

router = Router()


def _version(raw: str) -> int:
    if not raw.isdigit() or not 1 <= int(raw) <= 999_999:
        raise NotFound("There is no such handbook version")
    return int(raw)


def _show_receipt(employer_id: str, version: int, holder: str) -> ReceiptView:
    store = deps(router).store
    return show_receipt(
        employer_id, version, holder, employers=store.employers, handbook=store.handbook, files=deps(router).files
    )


def _publish(publication: Publication) -> HandbookVersion:
    return publish_handbook(
        publication,
        user(router),
        handbook=deps(router).store.handbook,
        workflows=deps(router).workflows,
        rollout_arn=deps(router).settings.handbook_rollout_state_machine_arn,
        now=clock.now(),
    )


@router.get(
    "/api/employers/<employer_id>/handbook/<version>/<holder>",
    summary="A SPOC's receipt for a handbook version, with a fresh check that the stored document still matches",
    tags=["Handbook"],
    middlewares=allow(Action.VIEW_EMPLOYERS),
)
def api_show_receipt(
    employer_id: EmployerId,
    version: Annotated[int, Path(ge=1)],
    holder: Annotated[str, Path(pattern=HOLDER, description="Which SPOC signed: as listed with the employer")],
) -> ReceiptView:
    return _show_receipt(employer_id, version, holder)


@router.post(
    "/api/handbook/versions",
    summary="Publish a new version of the employer handbook; the rollout workflow sends it to every active SPOC",
    tags=["Handbook"],
    responses={201: {"description": "Published; the rollout has started"}},
    middlewares=allow(Action.PUBLISH_HANDBOOK),
)
def api_publish_handbook(publication: Publication) -> Response[HandbookVersion]:
    return Response(status_code=201, content_type=content_types.APPLICATION_JSON, body=_publish(publication))


@router.get(
    "/api/handbook/versions/<version>/spocs",
    summary="A page of the SPOCs a handbook version was sent to: who has signed, been reminded or been escalated",
    tags=["Handbook"],
    middlewares=allow(Action.VIEW_EMPLOYERS),
)
def api_list_signatures(
    version: Annotated[int, Path(ge=1, le=999_999)],
    cursor: Annotated[str | None, Query(max_length=CURSOR_LENGTH, description=CURSOR)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description=LIMIT)] = MAX_PAGE_SIZE,
) -> VersionSignatures:
    return list_signatures(version, cursor=cursor, limit=limit, handbook=deps(router).store.handbook)


@router.get("/staff/handbook", include_in_schema=False, middlewares=allow(Action.VIEW_EMPLOYERS))
def handbook_page() -> Response[str]:
    return page(
        router,
        "staff/handbook.html",
        title="Employer handbook",
        section="handbook",
        versions=deps(router).store.handbook.handbook_versions(),
        can_publish=access.may(user(router), Action.PUBLISH_HANDBOOK),
        published=query(router).get("published"),
        width="full",
    )


def _draft() -> HandbookDraft:
    return draft_handbook(user(router), handbook=deps(router).store.handbook)


def _edit_page(form: Result[Any], http_status: int = 200, draft: HandbookDraft | None = None) -> Response[str]:
    draft = draft or _draft()
    return page(
        router,
        "staff/handbook_edit.html",
        http_status,
        title=f"Handbook version {draft.number}",
        section="handbook",
        number=draft.number,
        placeholders=PLACEHOLDERS,
        form=form,
    )


def _preview(publication: Publication) -> HandbookPreview:
    store = deps(router).store
    return preview_handbook(
        publication, user(router), handbook=store.handbook, employers=store.employers, now=clock.now()
    )


def _posted() -> Result[Publication]:
    return PublishHandbookForm().parse(router.current_event.decoded_body)


@router.get("/staff/handbook/new", include_in_schema=False, middlewares=allow(Action.PUBLISH_HANDBOOK))
def edit_page() -> Response[str]:
    draft = _draft()
    return _edit_page(PublishHandbookForm().show({"text": draft.source}), draft=draft)


@router.post("/staff/handbook/new", include_in_schema=False, middlewares=allow(Action.PUBLISH_HANDBOOK))
def change_draft() -> Response[str]:
    """Back from the check page to the text as it was posted, to change it."""
    return _edit_page(_posted())


@router.post("/staff/handbook/preview", include_in_schema=False, middlewares=allow(Action.PUBLISH_HANDBOOK))
def preview_page() -> Response[str]:
    form = _posted()
    if form.model is None:
        return _edit_page(form, 400)
    preview = _preview(form.model)
    return page(
        router,
        "staff/handbook_preview.html",
        title=f"Check version {preview.version.number} before you publish it",
        section="handbook",
        preview=preview,
        form=form,
    )


@router.post("/staff/handbook/preview/copy", include_in_schema=False, middlewares=allow(Action.PUBLISH_HANDBOOK))
def preview_copy() -> Response[str]:
    """An employer's copy as it will read: a document like the ones SPOCs are sent, with nothing that runs."""
    form = _posted()
    if form.model is None:
        return _edit_page(form, 400)
    preview = _preview(form.model)
    return document(preview.document.encode(), f"handbook-v{preview.version.number}-preview.html", download=False)


@router.post("/staff/handbook", include_in_schema=False, middlewares=allow(Action.PUBLISH_HANDBOOK))
def publish_from_form() -> Response[str]:
    """Publishes only once the admin confirmed on the check page, which says how many SPOCs are emailed."""
    if flat_fields(router.current_event.decoded_body).get("confirmed") != "yes":
        return preview_page()
    form = _posted()
    if form.model is None:
        return _edit_page(form, 400)
    version = _publish(form.model)
    return redirect(f"{base(router)}/staff/handbook?{urlencode({'published': version.number})}")


@router.get("/staff/handbook/<version>", include_in_schema=False, middlewares=allow(Action.VIEW_EMPLOYERS))
def signatures_page(version: str) -> Response[str]:
    found = list_signatures(
        _version(version), cursor=page_cursor(router), limit=MAX_PAGE_SIZE, handbook=deps(router).store.handbook
    )
    return page(
        router,
        "staff/handbook_version.html",
        title=f"Handbook version {found.version.number}: who has signed",
        section="handbook",
        found=found,
        pagination=pagination(f"{base(router)}/staff/handbook/{found.version.number}", {}, found.spocs),
        width="full",
    )


@router.get(
    "/staff/employers/<employer_id>/handbook/<version>/<holder>",
    include_in_schema=False,
    middlewares=allow(Action.VIEW_EMPLOYERS),
)
def receipt_page(employer_id: str, version: str, holder: str) -> Response[str]:
    view = _show_receipt(employer_id, _version(version), holder)
    title = f"Handbook receipt, version {version}"
    return page(router, "staff/receipt.html", title=title, section="employers", view=view)


@router.get(
    "/staff/employers/<employer_id>/handbook/<version>/<holder>/document",
    include_in_schema=False,
    middlewares=allow(Action.VIEW_EMPLOYERS),
)
def signed_document(employer_id: str, version: str, holder: str) -> Response[str]:
    store = deps(router).store
    body = read_signed_document(
        employer_id,
        _version(version),
        holder,
        employers=store.employers,
        handbook=store.handbook,
        files=deps(router).files,
    )
    return document(body, f"{employer_id}-handbook-v{version}.html", download=True)
