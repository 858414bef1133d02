"""Pages behind emailed links. No sign-in: the link's token is the only authority. GET shows, POST acts.

The onboarding form is a task list of sections. Each section is saved on its own (the link keeps
working), files go straight to S3 and are checked when S3 sends the browser back, and sending the
answers uses the link up.
"""

import re
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import TypeAdapter, ValidationError

from safeplace.core import clock
from safeplace.core.errors import LinkNotUsable, NotFound
from safeplace.handbook.acknowledge_handbook import (
    Acknowledgement,
    NotAcknowledged,
    acknowledge_handbook,
    open_handbook,
)
from safeplace.handbook.models import STATEMENTS
from safeplace.onboarding import minimum_requirements
from safeplace.onboarding.accept_upload import UploadRejected, accept_upload
from safeplace.onboarding.answers import SECTION_MODELS, _Section
from safeplace.onboarding.change_spoc import change_spoc_by_link
from safeplace.onboarding.check_policy import POLICY
from safeplace.onboarding.models import CheckType, Spoc
from safeplace.onboarding.offer_upload import offer_upload
from safeplace.onboarding.open_onboarding import Onboarding, open_onboarding
from safeplace.onboarding.renew_link import renew_link
from safeplace.onboarding.save_section import SectionProblems, save_section
from safeplace.onboarding.send_answers import send_answers
from safeplace.onboarding.spoc_training import OTHER_COURSE, TRAINING, TrainingLevel
from safeplace.speakers.acknowledge_conditions import (
    ConditionsNotAcknowledged,
    SpeakerConfirmation,
    acknowledge_conditions,
    open_conditions,
)
from safeplace.speakers.code_of_conduct import CODE_OF_CONDUCT
from safeplace.speakers.code_of_conduct import VERSION as CODE_OF_CONDUCT_VERSION
from safeplace.speakers.decide_booking import AlreadyDecided, decide_booking_by_link, open_decision
from safeplace.speakers.models import Approval, BookingDecision, Condition, Decline, InformationRequest
from safeplace.speakers.upload_materials import open_materials
from safeplace.web import errors
from safeplace.web.http import document, field_errors, flat_fields, form_fields, html, redirect
from safeplace.web.pages import render
from safeplace.web.speaker_form import decision_errors, decision_fields
from safeplace.wiring import LinkPagesDependencies, link_pages_dependencies

logger = Logger()
app = APIGatewayRestResolver()
errors.register(app, base_path=lambda: _base())

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


def _deps() -> LinkPagesDependencies:
    deps: LinkPagesDependencies = app.context["deps"]
    return deps


def _base() -> str:
    return urlsplit(str(_deps().settings.public_base_url)).path.rstrip("/")


def _page(template: str, status: int = 200, *, also_post_to: str = "", **context: Any) -> Response[str]:
    return html(render(template, base=_base(), **context), status, also_post_to=also_post_to)


@app.exception_handler(LinkNotUsable)
def unusable(_: LinkNotUsable) -> Response[str]:
    # Wrong, used, revoked and expired links all get this same page and status.
    token = app.context.get("token", "")
    return _page(
        "link/unusable.html",
        404,
        title="This link has expired or has already been used",
        renew_action=f"{_base()}/link/{token}/renew",
    )


def _check(raw: str) -> CheckType:
    try:
        return CheckType(raw)
    except ValueError:
        raise NotFound("There is no such section: check the address") from None


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


def _sent_values(check: CheckType) -> dict[str, Any]:
    """The section's form as sent; sites come back as a list, blank ones left out."""
    values = form_fields(app.current_event.decoded_body)
    values.pop("action", None)
    values.pop("site_count", None)
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
    deps = _deps()
    public = str(deps.settings.public_base_url).rstrip("/")
    view = onboarding.view(check)
    upload = None
    if SECTION_MODELS[check].evidence_field and view.editable:
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
    return _page(
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


@app.get("/link/<token>")
def show_sections(token: str) -> Response[str]:
    app.append_context(token=token)
    onboarding = open_onboarding(token, store=_deps().store, now=clock.now())
    saved = app.current_event.get_query_string_value("saved", "")
    return _page(
        "link/task_list.html",
        title="Set up placements with us",
        token=token,
        onboarding=onboarding,
        saved=CheckType(saved) if saved in CheckType.__members__.values() else None,
        spoc_check=CheckType.SPOC,
    )


@app.get("/link/<token>/section/<section>")
def show_section(token: str, section: str) -> Response[str]:
    app.append_context(token=token)
    check = _check(section)
    onboarding = open_onboarding(token, store=_deps().store, now=clock.now())
    just_uploaded = app.current_event.get_query_string_value("uploaded", "") == "yes"
    return _section_page(
        token, onboarding, check, _shown_values(onboarding.draft.section(check)), just_uploaded=just_uploaded
    )


@app.post("/link/<token>/section/<section>")
def save(token: str, section: str) -> Response[str]:
    app.append_context(token=token)
    check = _check(section)
    deps = _deps()
    fields = form_fields(app.current_event.decoded_body)
    values = _sent_values(check)
    if fields.get("action") == "add_site":
        onboarding = open_onboarding(token, store=deps.store, now=clock.now())
        count = int(fields["site_count"]) + 1 if str(fields.get("site_count", "")).isdigit() else 2
        return _section_page(token, onboarding, check, values, site_count=min(count, 20))
    try:
        save_section(token, check, _model_input(values), store=deps.store, now=clock.now())
    except ValidationError as error:
        problems = _problems(check, error)
    except SectionProblems as rejected:
        problems = rejected.problems
    else:
        return redirect(f"{_base()}/link/{token}?saved={check}")
    onboarding = open_onboarding(token, store=deps.store, now=clock.now())
    return _section_page(token, onboarding, check, values, problems, status=400)


@app.get("/link/<token>/section/<section>/uploaded")
def uploaded(token: str, section: str) -> Response[str]:
    """Where S3 sends the browser after an upload: the file is checked here before it counts."""
    app.append_context(token=token)
    check = _check(section)
    deps = _deps()
    key = app.current_event.get_query_string_value("key", "")
    try:
        accept_upload(token, check, key, store=deps.store, files=deps.files, now=clock.now())
    except UploadRejected as rejected:
        onboarding = open_onboarding(token, store=deps.store, now=clock.now())
        values = _shown_values(onboarding.draft.section(check))
        return _section_page(token, onboarding, check, values, {"file": rejected.message}, status=400)
    return redirect(f"{_base()}/link/{token}/section/{check}?uploaded=yes#file")


@app.get("/link/<token>/check-answers")
def check_answers(token: str) -> Response[str]:
    app.append_context(token=token)
    onboarding = open_onboarding(token, store=_deps().store, now=clock.now())
    if not onboarding.ready_to_send:
        return redirect(f"{_base()}/link/{token}")
    return _page("link/check_answers.html", title="Check your answers", token=token, onboarding=onboarding)


@app.post("/link/<token>/send")
def send(token: str) -> Response[str]:
    app.append_context(token=token)
    deps = _deps()
    employer = send_answers(token, store=deps.store, workflows=deps.workflows, now=clock.now())
    return _page("link/submitted.html", title="Answers sent", employer_name=employer.name)


_SPOC_LABELS = {
    "name": "the new SPOC's full name",
    "role": "their job title",
    "email": "their own email address, like name@example.com",
    "phone": "their phone number",
}


@app.get("/link/<token>/new-spoc")
def new_spoc_form(token: str) -> Response[str]:
    app.append_context(token=token)
    onboarding = open_onboarding(token, store=_deps().store, now=clock.now())
    return _new_spoc_page(token, onboarding, {}, {})


def _new_spoc_page(
    token: str, onboarding: Onboarding, values: dict[str, Any], problems: dict[str, str], status: int = 200
) -> Response[str]:
    return _page(
        "link/new_spoc.html",
        status,
        title="Name a new SPOC",
        token=token,
        employer_name=onboarding.employer.name,
        values=values,
        errors=problems,
    )


@app.post("/link/<token>/new-spoc")
def name_new_spoc(token: str) -> Response[str]:
    app.append_context(token=token)
    deps = _deps()
    values = flat_fields(app.current_event.decoded_body)
    try:
        spoc = Spoc.model_validate({k: values.get(f"spoc-{k}", "") for k in _SPOC_LABELS})
    except ValidationError as error:
        onboarding = open_onboarding(token, store=deps.store, now=clock.now())
        problems = {f"spoc-{field}": message for field, message in field_errors(error, _SPOC_LABELS).items()}
        return _new_spoc_page(token, onboarding, values, problems, 400)
    issuer = deps.settings.link_issuer(deps.store)
    employer = change_spoc_by_link(token, spoc, store=deps.store, mailer=deps.mailer, issuer=issuer, now=clock.now())
    return _page("link/spoc_named.html", title="New SPOC named", spoc=spoc, employer_name=employer.name)


def _handbook_page(token: str, values: dict[str, str], problems: dict[str, str], status: int = 200) -> Response[str]:
    handbook = open_handbook(token, store=_deps().store, now=clock.now())
    return _page(
        "link/handbook.html",
        status,
        title=f"Employer handbook, version {handbook.version.number}",
        token=token,
        handbook=handbook,
        values=values,
        errors=problems,
    )


@app.get("/link/<token>/handbook")
def show_handbook(token: str) -> Response[str]:
    app.append_context(token=token)
    return _handbook_page(token, {}, {})


@app.get("/link/<token>/handbook/document")
def handbook_document(token: str) -> Response[str]:
    app.append_context(token=token)
    deps = _deps()
    handbook = open_handbook(token, store=deps.store, now=clock.now())
    download = app.current_event.get_query_string_value("download", "") == "1"
    filename = f"employer-handbook-v{handbook.version.number}.html"
    return document(deps.files.read(handbook.copy_.key), filename, download=download)


@app.post("/link/<token>/handbook")
def sign_handbook(token: str) -> Response[str]:
    app.append_context(token=token)
    deps = _deps()
    values = flat_fields(app.current_event.decoded_body)
    acknowledgement = Acknowledgement(
        typed_name=values.get("typed_name", "")[:200],
        accepted=[i for i in range(len(STATEMENTS)) if values.get(f"statement-{i}") == "yes"],
    )
    try:
        receipt = acknowledge_handbook(
            token, acknowledgement, store=deps.store, mailer=deps.mailer, release=deps.release_learners, now=clock.now()
        )
    except NotAcknowledged as refused:
        return _handbook_page(token, values, refused.problems, 400)
    return _page("link/handbook_acknowledged.html", title="Handbook acknowledged", receipt=receipt)


_BOOKING_DECISION: TypeAdapter[Approval | Decline | InformationRequest] = TypeAdapter(BookingDecision)


@app.exception_handler(AlreadyDecided)
def already_decided(decided: AlreadyDecided) -> Response[str]:
    # A decision link used again says who decided and when, not that it expired.
    return _page("error.html", 409, title="Already decided", message=decided.message)


def _decision_page(token: str, values: dict[str, Any], problems: dict[str, str], status: int = 200) -> Response[str]:
    booking = open_decision(token, store=_deps().store, now=clock.now())
    return _page(
        "link/speaker_decision.html",
        status,
        title="Decide on a speaker booking",
        token=token,
        booking=booking,
        conditions=list(Condition),
        values=values,
        errors=problems,
    )


@app.get("/link/<token>/speaker-decision")
def show_speaker_decision(token: str) -> Response[str]:
    app.append_context(token=token)
    return _decision_page(token, {}, {})


@app.get("/link/<token>/speaker-decision/materials")
def speaker_materials(token: str) -> Response[str]:
    """The uploaded materials, for the approver holding the link: a download link that works for five minutes."""
    app.append_context(token=token)
    deps = _deps()
    booking = open_decision(token, store=deps.store, now=clock.now())
    by = f"{booking.decision_link_to} (emailed link)"
    return redirect(open_materials(booking.id, by, store=deps.store, files=deps.files, now=clock.now()))


@app.post("/link/<token>/speaker-decision")
def decide_speaker_booking(token: str) -> Response[str]:
    app.append_context(token=token)
    deps = _deps()
    values = decision_fields(app.current_event.decoded_body)
    try:
        made = _BOOKING_DECISION.validate_python(values)
    except ValidationError as error:
        return _decision_page(token, values, decision_errors(error), 400)
    booking = decide_booking_by_link(token, made, store=deps.store, workflows=deps.workflows, now=clock.now())
    return _page("link/speaker_decided.html", title="Decision recorded", booking=booking, made=made)


def _conditions_page(token: str, values: dict[str, str], problems: dict[str, str], status: int = 200) -> Response[str]:
    booking = open_conditions(token, store=_deps().store, now=clock.now())
    return _page(
        "link/speaker_conditions.html",
        status,
        title="Confirm the conditions of your session",
        token=token,
        booking=booking,
        code=CODE_OF_CONDUCT,
        code_version=CODE_OF_CONDUCT_VERSION,
        values=values,
        errors=problems,
    )


@app.get("/link/<token>/speaker")
def show_speaker_conditions(token: str) -> Response[str]:
    app.append_context(token=token)
    return _conditions_page(token, {}, {})


@app.post("/link/<token>/speaker")
def confirm_speaker_conditions(token: str) -> Response[str]:
    app.append_context(token=token)
    deps = _deps()
    values = flat_fields(app.current_event.decoded_body)
    confirmation = SpeakerConfirmation(
        typed_name=values.get("typed_name", "")[:200], agreed=values.get("agreed") == "yes"
    )
    try:
        booking = acknowledge_conditions(token, confirmation, store=deps.store, mailer=deps.mailer, now=clock.now())
    except ConditionsNotAcknowledged as refused:
        return _conditions_page(token, values, refused.problems, 400)
    return _page("link/speaker_acknowledged.html", title="Conditions confirmed", booking=booking)


@app.post("/link/<token>/renew")
def renew(token: str) -> Response[str]:
    deps = _deps()
    renew_link(
        token, store=deps.store, mailer=deps.mailer, issuer=deps.settings.link_issuer(deps.store), now=clock.now()
    )
    return _page("link/renew_requested.html", title="Check your email")


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
def lambda_handler(
    event: dict[str, Any], context: LambdaContext, deps: LinkPagesDependencies | None = None
) -> dict[str, Any]:
    app.append_context(deps=deps or link_pages_dependencies())
    return app.resolve(event, context)
