"""The employer's onboarding form: a task list of sections, each saved on its own (the link keeps working), files
sent straight to S3 and checked when S3 sends the browser back, then check answers and send, which uses the link up.
"""

import re
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from pydantic import ValidationError

from safeplace.core import clock
from safeplace.core.errors import NotFound
from safeplace.onboarding import minimum_requirements
from safeplace.onboarding.accept_upload import UploadRejected, accept_upload
from safeplace.onboarding.answers import SECTION_MODELS, _Section
from safeplace.onboarding.models import CheckType
from safeplace.onboarding.offer_upload import offer_upload
from safeplace.onboarding.open_onboarding import Onboarding, open_onboarding
from safeplace.onboarding.save_section import SectionProblems, save_section
from safeplace.onboarding.send_answers import send_answers
from safeplace.onboarding.spoc_training import OTHER_COURSE, TRAINING, TrainingLevel
from safeplace.placements.gate import POLICY
from safeplace.web.http import field_errors, form_fields, redirect
from safeplace.web.link import context

router = Router()

# How each field is named in an error message ("Enter the insurer").
LABELS: dict[CheckType, dict[str, str]] = {
    CheckType.ORGANISATION: {
        "legal_name": "the legal name",
        "companies_house_number": "Companies House number",
        "address.line1": "the first line of the address",
        "address.line2": "the second line of the address",
        "address.town": "the town or city",
        "address.postcode": "the postcode",
        "sector": "the sector",
        "employees": "the number of employees",
        "main_contact.name": "the main contact's full name",
        "main_contact.email": "the main contact's email address, like name@example.com",
        "main_contact.phone": "the main contact's phone number",
        **{
            f"sites.{i}.{field}": f"{what} of site {i + 1}"
            for i in range(20)
            for field, what in (
                ("name", "the name"),
                ("address.line1", "the first line of the address"),
                ("address.town", "the town or city"),
                ("address.postcode", "the postcode"),
            )
        },
    },
    CheckType.SPOC: {
        "spoc.name": "the SPOC's full name",
        "spoc.role": "the SPOC's job title",
        "spoc.email": "the SPOC's email address, like name@example.com",
        "spoc.phone": "the SPOC's phone number",
        "commitment": "the SPOC commitment",
    },
    CheckType.SPOC_TRAINING: {
        "file": "a copy of the training certificate",
        "course": "the course",
        "other_course": "the name of the course",
        "training_provider": "who ran the course",
        "completed_on": "the date the SPOC completed the course",
        "level": "the level of the training",
    },
    CheckType.EMPLOYERS_LIABILITY_INSURANCE: {
        "file": "a copy of the insurance certificate",
        "insurer": "the insurer",
        "policy_number": "the policy number",
        "cover_gbp": "the amount of cover",
        "expires_on": "the date the policy ends",
    },
    CheckType.HEALTH_AND_SAFETY_POLICY: {
        "file": "a copy of your health and safety policy",
        "reviewed_on": "the date the policy was last reviewed",
    },
    CheckType.RISK_ASSESSMENT: {
        "file": "a copy of your risk assessment",
        "assessed_on": "the date of the risk assessment",
        "low_risk": "whether your workplace is low risk",
    },
    CheckType.YOUNG_PERSONS_RISK_ASSESSMENT: {
        "takes_under_18": "whether learners aged 16 to 18 will work with you",
        "assessed_on": "the date you assessed the risks to young workers",
        "measures": "what you have put in place",
    },
    CheckType.SAFEGUARDING_ARRANGEMENTS: {
        "concern_contact_name": "who a learner should talk to",
        "concern_contact_role": "their job title",
        "how_learners_raise_concerns": "how learners will know who to talk to",
        "how_you_tell_the_provider": "how you will tell us about a concern",
    },
    CheckType.MINIMUM_SAFEGUARDING_REQUIREMENTS: {
        "accepted_by": "your full name",
        "accepted": "your acceptance",
    },
}
_CHOICES = {"low_risk", "takes_under_18"}
# Radios whose value is taken as given; like yes and no, nothing chosen is "Select", not "Enter".
_PICKS = {"course", "level"}
_TICKS = {"commitment", "accepted"}
# A problem with the section as a whole belongs next to the field that puts it right.
_WHOLE_SECTION_FIELD = {
    CheckType.RISK_ASSESSMENT: "file",
    CheckType.YOUNG_PERSONS_RISK_ASSESSMENT: "assessed_on",
}
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
_DIGITS = re.compile(r"^[0-9]{1,4}$")


def _check(raw: str) -> CheckType:
    try:
        return CheckType(raw)
    except ValueError:
        raise NotFound("There is no such section: check the address") from None


def _opened(token: str) -> Onboarding:
    store = context.deps(router).store
    return open_onboarding(token, links=store.links, employers=store.employers, now=clock.now())


def _date(parts: dict[str, str]) -> str | None:
    day, month, year = (parts.get(p, "").strip() for p in ("day", "month", "year"))
    if not (day or month or year):
        return None
    if not all(_DIGITS.match(p) for p in (day, month, year)) or len(year) != 4:
        return "not a date"
    return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"


def _model_input(values: dict[str, Any]) -> dict[str, Any]:
    """Form values as the section model takes them: dates from three boxes, yes and no as booleans."""
    converted: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, dict) and value and set(value) <= {"day", "month", "year"}:
            converted[name] = _date(value)
        elif isinstance(value, dict):
            converted[name] = _model_input(value)
        elif isinstance(value, list):
            converted[name] = [_model_input(v) for v in value]
        elif name in _CHOICES:
            converted[name] = {"yes": True, "no": False}.get(value)
        elif name in _TICKS:
            converted[name] = value == "yes"
        elif value != "":
            converted[name] = value
    return {k: v for k, v in converted.items() if v is not None}


def _sent_values(check: CheckType, fields: dict[str, Any]) -> dict[str, Any]:
    """The section's form as sent; sites come back as a list, blank ones left out."""
    values = {name: value for name, value in fields.items() if name not in ("action", "site_count")}
    if check is CheckType.MINIMUM_SAFEGUARDING_REQUIREMENTS:
        values["version"] = values.get("version") or minimum_requirements.CURRENT.version
    if check is CheckType.ORGANISATION:
        sites = values.get("sites", {})
        ordered = [sites[k] for k in sorted(sites, key=lambda k: int(k) if k.isdigit() else 0)]
        values["sites"] = [s for s in ordered if any(str(v).strip() for v in _leaves(s))]
    for tick in _TICKS & set(LABELS[check]):
        values.setdefault(tick, "")
    return values


def _leaves(value: Any) -> list[Any]:
    return [leaf for v in value.values() for leaf in _leaves(v)] if isinstance(value, dict) else [value]


def _shown_values(section: _Section | None) -> dict[str, Any]:
    """A saved section as the form shows it: dates in three boxes."""
    if section is None:
        return {}

    def shown(value: Any) -> Any:
        if isinstance(value, date):
            return {"day": value.day, "month": value.month, "year": value.year}
        if isinstance(value, dict):
            return {k: shown(v) for k, v in value.items()}
        if isinstance(value, list):
            return [shown(v) for v in value]
        return value

    shown_values: dict[str, Any] = shown(section.model_dump())
    return shown_values


def _problems(check: CheckType, error: ValidationError) -> dict[str, str]:
    labels = LABELS[check]
    evidence_field = SECTION_MODELS[check].evidence_field
    found = field_errors(error, {"": "", **labels})
    problems: dict[str, str] = {}
    for field, message in found.items():
        if field == evidence_field:
            problems["file"] = f"Upload {labels['file']}"
        elif field == "":
            problems[_WHOLE_SECTION_FIELD.get(check, next(iter(labels)))] = message
        elif field in _CHOICES | _PICKS and message.startswith("Enter"):
            problems[field] = f"Select {labels[field]}"
        elif field in _TICKS and message.startswith("Enter"):
            problems[field] = f"Confirm {labels[field]}"
        else:
            problems[field] = message
    order = list(labels)
    return dict(sorted(problems.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)))


def _section_page(
    token: str,
    onboarding: Onboarding,
    check: CheckType,
    values: dict[str, Any],
    problems: dict[str, str] | None = None,
    *,
    status: int = 200,
    site_count: int | None = None,
    just_uploaded: bool = False,
) -> Response[str]:
    deps = context.deps(router)
    public = str(deps.settings.public_base_url).rstrip("/")
    view = onboarding.view(check)
    upload = None
    if view.takes_upload:
        upload = offer_upload(
            onboarding.employer.id,
            check,
            files=deps.files,
            return_to=f"{public}/link/{token}/section/{check}/uploaded",
            now=clock.now(),
        )
    saved = onboarding.draft.section(check)
    uploaded = onboarding.uploads.get(check) or (saved.evidence if saved else None)
    upload_heading, upload_label = _UPLOAD_WORDS.get(check, ("", ""))
    sites = values.get("sites") or []
    origin = urlsplit(upload.url) if upload else None
    return context.page(
        router,
        f"link/sections/{check}.html",
        status,
        also_post_to=f"{origin.scheme}://{origin.netloc}" if origin else "",
        title=check.label,
        token=token,
        check=check,
        employer_name=onboarding.employer.name,
        reason=view.reason,
        values=values,
        errors=problems or {},
        upload=upload,
        uploaded=uploaded,
        just_uploaded=just_uploaded,
        upload_heading=upload_heading,
        upload_label=upload_label,
        site_count=site_count or max(1, len(sites)),
        minimum_cover=POLICY.minimum_insurance_cover_gbp,
        requirements=minimum_requirements.CURRENT,
        training=TRAINING,
        training_courses=[(c.id, c.name, "") for c in TRAINING.accepted_courses]
        + [(OTHER_COURSE, "Another course", "")],
        training_levels=[(level.value, level.label, "") for level in TrainingLevel],
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
    return _section_page(
        token, onboarding, check, _shown_values(onboarding.draft.section(check)), just_uploaded=just_uploaded
    )


@router.post("/link/<token>/section/<section>")
def save(token: str, section: str) -> Response[str]:
    check = _check(section)
    deps = context.deps(router)
    fields = form_fields(router.current_event.decoded_body)
    values = _sent_values(check, fields)
    if fields.get("action") == "add_site":
        onboarding = _opened(token)
        count = int(fields["site_count"]) + 1 if str(fields.get("site_count", "")).isdigit() else 2
        return _section_page(token, onboarding, check, values, site_count=min(count, 20))
    try:
        save_section(
            token, check, _model_input(values), links=deps.store.links, employers=deps.store.employers, now=clock.now()
        )
    except ValidationError as error:
        problems = _problems(check, error)
    except SectionProblems as rejected:
        problems = rejected.problems
    else:
        return redirect(f"{context.base(router)}/link/{token}?saved={check}")
    onboarding = _opened(token)
    return _section_page(token, onboarding, check, values, problems, status=400)


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
        onboarding = _opened(token)
        values = _shown_values(onboarding.draft.section(check))
        return _section_page(token, onboarding, check, values, {"file": rejected.message}, status=400)
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
        now=clock.now(),
    )
    return context.page(router, "link/submitted.html", title="Answers sent", employer_name=employer.name)
