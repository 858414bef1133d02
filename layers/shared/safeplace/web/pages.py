"""Server-rendered pages (Jinja2). Autoescaped; no inline script or style, so the CSP can forbid both.

GOV.UK components come from govuk-frontend-jinja's macros, imported as
`{% from "govuk_frontend_jinja/components/<name>/macro.html" import govukX %}`."""

import os
from functools import cache
from typing import TYPE_CHECKING, Any

from safeplace.core import clock, times
from safeplace.web import components
from safeplace.web.forms.form import Result

if TYPE_CHECKING:
    from jinja2 import Environment, FileSystemBytecodeCache

# The form of a page that has none, or of a form on the page other than the one posted: no values, no problems.
NO_FORM: Result[Any] = Result(fields=())

# What each audit action means, as the history on a page says it.
AUDIT_ACTIONS = {
    "employer.invited": "Invited to onboard",
    "organisation.submitted": "Onboarding details sent by the employer",
    "check.approved_automatically": "Approved by the automatic checks",
    "evidence.opened": "Evidence file opened",
    "organisation.returned": "Details returned to the employer by the automatic checks",
    "onboarding.escalated": "No response: escalated to staff",
    "onboarding.failed": "Onboarding stopped after a failure",
    "link.renewed": "New link sent at the employer's request",
    "check.reviewed": "Check reviewed",
    "placement.recorded": "Placement recorded",
    "placement.flagged": "Placement flagged: a check of the employer was revoked or expired",
    "check.revoked": "Check revoked",
    "check.expired": "Check expired: its evidence ran out",
    "invitation.resent": "Invitation sent again with a fresh link",
    "invitation.restarted": "Onboarding started again",
    "invitation.withdrawn": "Invitation withdrawn",
    "invitation.contact_corrected": "Contact corrected before the invitation was sent again",
    "placement.released": "Placement released: the employer's checks now pass",
    "placement.rechecked": "Checked again: what is still missing was brought up to date",
    "handbook.delivered": "Employer handbook sent to the SPOC",
    "handbook.reminder_sent": "Reminder sent: the SPOC has not acknowledged the handbook",
    "handbook.escalated": "Handbook not acknowledged after every reminder: compliance team told",
    "handbook.acknowledged": "Employer handbook acknowledged by the SPOC",
    "booking.requested": "Speaker booking requested",
    "booking.sent_for_decision": "Sent to the approver for a decision",
    "booking.decided": "Decision recorded",
    "booking.decision_overdue": "Decision overdue: escalated to the DSL and the compliance team",
    "booking.resubmitted": "Request changed and sent again",
    "booking.speaker_acknowledged": "The speaker confirmed the conditions and the code of conduct",
    "booking.event_recorded": "How the event went was recorded",
    "booking.withdrawn": "Withdrawn: the information asked for never came",
    "booking.materials_uploaded": "Materials uploaded, and the checks run again",
    "booking.materials_opened": "Materials opened",
    "booking.outcome_sent": "Outcome sent to the requester (and, if approved, the conditions to the speaker)",
    "booking.information_requested": "The approver's question sent to the requester",
}


def audit_details(details: dict[str, str]) -> list[tuple[str, str]]:
    """An audit entry's details as a person reads them: check names, not keys; a receipt's reference, not its
    fingerprint (the receipt page shows the fingerprint to verify); no internal ids."""
    # Loaded with the first history shown, as Jinja is with the first page.
    from safeplace.handbook.models import receipt_reference
    from safeplace.onboarding.models import CheckType

    def label(value: str) -> str:
        return CheckType(value).label if value in CheckType.__members__.values() else value

    shown = []
    for key, value in details.items():
        if key == "employer" or key.endswith("_id"):
            continue
        if key == "sha256":
            shown.append(("receipt reference", receipt_reference(value)))
        elif key in ("check", "sections"):
            shown.append(
                ("sections" if key == "sections" else "check", ", ".join(label(v.strip()) for v in value.split(",")))
            )
        else:
            shown.append((key.replace("_", " "), value))
    return shown


def _compiled_templates() -> "FileSystemBytecodeCache | None":
    """Templates compiled once and kept in SAFEPLACE_TEMPLATE_CACHE, when it names a directory: the local runtime's
    workers and the test processes share one, so each new process skips about a second of compiling. Unset on
    AWS, where each environment compiles what it renders once."""
    from jinja2 import FileSystemBytecodeCache

    directory = os.environ.get("SAFEPLACE_TEMPLATE_CACHE")
    return FileSystemBytecodeCache(directory) if directory and os.path.isdir(directory) else None


@cache
def _environment() -> "Environment":
    # Built on the first page rendered, not at import: a JSON route or a redirect never pays for Jinja.
    from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader, PrefixLoader, select_autoescape

    env = Environment(
        bytecode_cache=_compiled_templates(),
        loader=ChoiceLoader(
            [
                PackageLoader("safeplace", "templates/pages"),
                PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
            ]
        ),
        autoescape=select_autoescape(["html"]),
        # Forms re-shown after an error hold only the fields that were sent; a missing one renders empty.
        undefined=ChainableUndefined,
        # A field the route has as None (an optional answer left out) renders empty too, not as "None": the
        # component macros print a value as it comes (a textarea's text, for one).
        finalize=lambda value: "" if value is None else value,
        trim_blocks=True,
        lstrip_blocks=True,
        # `{% do items.append(...) %}` builds a component's items or rows from what the route passes.
        extensions=["jinja2.ext.do"],
    )
    env.filters.update(times.FILTERS)
    env.filters["pounds"] = lambda value: f"£{value:,}"
    env.globals["reveals"] = components.reveals
    env.globals["no_form"] = NO_FORM
    # The time a page is made, on the simulated clock when one runs: what has expired by now.
    env.globals["now"] = clock.now
    env.filters["audit_details"] = audit_details
    env.filters["audit_action"] = lambda action: AUDIT_ACTIONS.get(action, action.replace(".", " ").replace("_", " "))
    return env


def render(template: str, **context: Any) -> str:
    return _environment().get_template(template).render(**{"form": NO_FORM, **context})
