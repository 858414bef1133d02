"""The employer's onboarding form: a task list of sections, each saved on its own (the link keeps working), files
sent straight to S3 and checked when S3 sends the browser back, then check answers and send, which uses the link up.

A section that holds a file asks for it on a page of its own, before the details where the file is required: each page
has one form and one button, so nothing chosen or typed is lost whichever is pressed.
"""

from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from safeplace.core import clock
from safeplace.core.errors import NotFound
from safeplace.onboarding import minimum_requirements
from safeplace.onboarding.accept_upload import UploadRejected, accept_upload
from safeplace.onboarding.models import CheckType
from safeplace.onboarding.offer_upload import offer_upload
from safeplace.onboarding.open_onboarding import Onboarding, open_onboarding
from safeplace.onboarding.save_section import SectionProblems, save_section
from safeplace.onboarding.send_answers import send_answers
from safeplace.onboarding.spoc_training import OTHER_COURSE, TRAINING, TrainingLevel
from safeplace.placements.gate import POLICY
from safeplace.web.forms.fields import UploadField
from safeplace.web.forms.form import Result
from safeplace.web.forms.sections import SECTION_FORMS
from safeplace.web.http import flat_fields, redirect
from safeplace.web.link import context

router = Router()

_UPLOAD_WORDS = {
    CheckType.SPOC_TRAINING: ("Upload the certificate", "Training certificate"),
    CheckType.EMPLOYERS_LIABILITY_INSURANCE: (
        "Upload your certificate",
        "Certificate of employer's liability insurance",
    ),
    CheckType.HEALTH_AND_SAFETY_POLICY: ("Upload your policy", "Health and safety policy"),
    CheckType.RISK_ASSESSMENT: ("Upload your risk assessment", "Risk assessment (not needed for a low-risk workplace)"),
    CheckType.YOUNG_PERSONS_RISK_ASSESSMENT: ("Upload your assessment (optional)", "Young persons risk assessment"),
}


def _check(raw: str) -> CheckType:
    try:
        return CheckType(raw)
    except ValueError:
        raise NotFound("There is no such section: check the address") from None


def _opened(token: str) -> Onboarding:
    store = context.deps(router).store
    return open_onboarding(token, links=store.links, employers=store.employers, now=clock.now())


def _site_count(form: Result[Any]) -> int:
    """How many sites the organisation's form shows: each saved or sent, and at least one."""
    return max(1, len({f.path[1] for f in form.fields if f.path[:1] == ("sites",)}))


def _file_required(check: CheckType) -> bool:
    return any(isinstance(f, UploadField) and f.required for f in SECTION_FORMS[check]().fields)


def _uploaded(onboarding: Onboarding, check: CheckType) -> Any:
    saved = onboarding.draft.section(check)
    return onboarding.uploads.get(check) or (saved.evidence if saved else None)


def _section_page(
    token: str,
    onboarding: Onboarding,
    check: CheckType,
    form: Result[Any],
    *,
    status: int = 200,
    site_count: int | None = None,
    just_uploaded: bool = False,
) -> Response[str]:
    view = onboarding.view(check)
    upload_heading, upload_label = _UPLOAD_WORDS.get(check, ("", ""))
    return context.page(
        router,
        f"link/sections/{check}.html",
        status,
        title=check.label,
        token=token,
        check=check,
        employer_name=onboarding.employer.name,
        reason=view.reason,
        form=form,
        takes_upload=view.takes_upload,
        file_required=_file_required(check),
        saved=onboarding.draft.section(check) is not None,
        uploaded=_uploaded(onboarding, check),
        just_uploaded=just_uploaded,
        upload_heading=upload_heading,
        upload_label=upload_label,
        site_count=site_count or _site_count(form),
        minimum_cover=POLICY.minimum_insurance_cover_gbp,
        requirements=minimum_requirements.CURRENT,
        training=TRAINING,
        training_courses=[(c.id, c.name, "") for c in TRAINING.accepted_courses]
        + [(OTHER_COURSE, "Another course", "")],
        training_levels=[(level.value, level.label, "") for level in TrainingLevel],
    )


def _file_page(
    token: str, onboarding: Onboarding, check: CheckType, *, problem: str = "", status: int = 200
) -> Response[str]:
    deps = context.deps(router)
    view = onboarding.view(check)
    view.ensure_editable()
    if not view.takes_upload:
        raise NotFound("This section does not take a file: check the address")
    public = str(deps.settings.public_base_url).rstrip("/")
    upload = offer_upload(
        onboarding.employer.id,
        check,
        files=deps.files,
        return_to=f"{public}/link/{token}/section/{check}/uploaded",
        now=clock.now(),
    )
    origin = urlsplit(upload.url)
    upload_heading, upload_label = _UPLOAD_WORDS[check]
    form = SECTION_FORMS[check]().show(None)
    return context.page(
        router,
        "link/section_file.html",
        status,
        also_post_to=f"{origin.scheme}://{origin.netloc}",
        title=f"{upload_heading}: {check.label}",
        token=token,
        check=check,
        employer_name=onboarding.employer.name,
        reason=view.reason,
        form=form.with_problems({"file": problem}) if problem else form,
        upload=upload,
        uploaded=_uploaded(onboarding, check),
        upload_heading=upload_heading,
        upload_label=upload_label,
        file_required=_file_required(check),
    )


@router.get("/link/<token>")
def show_sections(token: str) -> Response[str]:
    onboarding = _opened(token)
    saved = router.current_event.get_query_string_value("saved", "")
    return context.page(
        router,
        "link/task_list.html",
        title="Set up placements with us",
        token=token,
        onboarding=onboarding,
        saved=CheckType(saved) if saved in CheckType.__members__.values() else None,
        spoc_check=CheckType.SPOC,
    )


@router.get("/link/<token>/section/<section>")
def show_section(token: str, section: str) -> Response[str]:
    check = _check(section)
    onboarding = _opened(token)
    just_uploaded = router.current_event.get_query_string_value("uploaded", "") == "yes"
    view = onboarding.view(check)
    if view.takes_upload and _file_required(check) and _uploaded(onboarding, check) is None:
        return redirect(f"{context.base(router)}/link/{token}/section/{check}/file")
    form = SECTION_FORMS[check]().show(onboarding.draft.section(check))
    return _section_page(token, onboarding, check, form, just_uploaded=just_uploaded)


@router.get("/link/<token>/section/<section>/file")
def show_file(token: str, section: str) -> Response[str]:
    return _file_page(token, _opened(token), _check(section))


@router.post("/link/<token>/section/<section>")
def save(token: str, section: str) -> Response[str]:
    check = _check(section)
    deps = context.deps(router)
    body = router.current_event.decoded_body
    onboarding = _opened(token)
    # The file went straight to S3: the form is given what was uploaded for the section.
    form = SECTION_FORMS[check]().parse(body, file=onboarding.uploads.get(check))
    sent = flat_fields(body)
    if sent.get("action") == "add_site":
        # Adding a site is not saving: what was typed is shown again, with nothing to put right yet.
        count = int(sent["site_count"]) + 1 if sent.get("site_count", "").isdigit() else 2
        return _section_page(token, onboarding, check, replace(form, problems={}), site_count=min(count, 20))
    # A section that is closed to changes says so, whatever was sent, as saving it would.
    onboarding.view(check).ensure_editable()
    if form.model is None:
        return _section_page(token, onboarding, check, form, status=400)
    try:
        save_section(
            token,
            check,
            form.model.model_dump(),
            links=deps.store.links,
            employers=deps.store.employers,
            now=clock.now(),
        )
    except SectionProblems as rejected:
        return _section_page(token, onboarding, check, form.with_problems(rejected.problems), status=400)
    return redirect(f"{context.base(router)}/link/{token}?saved={check}")


@router.get("/link/<token>/section/<section>/uploaded")
def uploaded(token: str, section: str) -> Response[str]:
    """Where S3 sends the browser after an upload: the file is checked here before it counts."""
    check = _check(section)
    deps = context.deps(router)
    key = router.current_event.get_query_string_value("key", "")
    try:
        accept_upload(
            token, check, key, links=deps.store.links, employers=deps.store.employers, files=deps.files, now=clock.now()
        )
    except UploadRejected as rejected:
        return _file_page(token, _opened(token), check, problem=rejected.message, status=400)
    return redirect(f"{context.base(router)}/link/{token}/section/{check}?uploaded=yes#file")


@router.get("/link/<token>/check-answers")
def check_answers(token: str) -> Response[str]:
    onboarding = _opened(token)
    if not onboarding.ready_to_send:
        return redirect(f"{context.base(router)}/link/{token}")
    return context.page(
        router, "link/check_answers.html", title="Check your answers", token=token, onboarding=onboarding
    )


@router.post("/link/<token>/send")
def send(token: str) -> Response[str]:
    deps = context.deps(router)
    store = deps.store
    employer = send_answers(
        token,
        links=store.links,
        employers=store.employers,
        waits=store.waits,
        workflows=deps.workflows,
        mailer=deps.mailer,
        now=clock.now(),
    )
    return context.page(router, "link/submitted.html", title="Answers sent", employer_name=employer.name)
