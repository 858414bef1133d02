"""The pages' GOV.UK components come from govuk-frontend-jinja's macros, never from markup we write by hand; a form's
problems reach those macros through one adapter (the forms package's); and a choice that opens more questions
reveals them under it."""

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from safeplace.handbook.text import PLACEHOLDERS
from safeplace.onboarding.models import Check, CheckStatus, CheckType, EmployerStatus
from safeplace.oversight.show_employer import EmployerDetail
from safeplace.speakers.booking import Booking, BookingStatus
from safeplace.speakers.checks import run_checks
from safeplace.speakers.models import Condition
from safeplace.speakers.risk import rate, route
from safeplace.staff.models import Role, StaffUser
from safeplace.web import components
from safeplace.web.components import reveals
from safeplace.web.forms.employers import InviteEmployerForm, ReviewCheckForm
from safeplace.web.forms.errors import Problem, error_list, error_message
from safeplace.web.forms.handbook import PublishHandbookForm
from safeplace.web.forms.speakers import BookingForm, DecisionForm
from safeplace.web.pages import NO_FORM, render
from tests.support.builders import a_request, a_submission, an_employer
from tests.support.project import ROOT

PAGES = ROOT / "layers/shared/safeplace/templates/pages"
NOW = datetime(2027, 6, 4, 10, 0, tzinfo=UTC)

# GOV.UK Frontend's components (and the form group every field sits in). Their classes on an element of ours mean
# a component written by hand: it must come from the package's macro instead.
COMPONENTS = (
    "accordion",
    "back-link",
    "breadcrumbs",
    "button",
    "character-count",
    "checkboxes",
    "cookie-banner",
    "date-input",
    "details",
    "error-message",
    "error-summary",
    "exit-this-page",
    "fieldset",
    "file-upload",
    "footer",
    "form-group",
    "generic-header",
    "header",
    "hint",
    "input",
    "inset-text",
    "label",
    "notification-banner",
    "pagination",
    "panel",
    "password-input",
    "phase-banner",
    "radios",
    "select",
    "service-navigation",
    "skip-link",
    "summary-card",
    "summary-list",
    "table",
    "tabs",
    "tag",
    "task-list",
    "textarea",
    "warning-text",
)
HAND_WRITTEN = re.compile(rf"^govuk-(?:{'|'.join(map(re.escape, COMPONENTS))})(?:$|__|--)")
CLASS_ATTRIBUTE = re.compile(r"""\bclass\s*=\s*(["'])(.*?)\1""", re.DOTALL)
MODULE_ATTRIBUTE = re.compile(r"""\bdata-module\s*=\s*["']govuk-""")
# Classes GOV.UK's own examples put in markup handed to a component: the heading inside a notification
# banner's html has no param of its own.
CONTENT_CLASSES = {"govuk-notification-banner__heading"}
# GOV.UK's footer component always shows the crown and Crown copyright, which only GOV.UK services may use,
# so base.html keeps a footer of its own (see its comment).
OWN_FOOTER = re.compile(r"^govuk-footer(?:$|__)")


def hand_written_components(source: str, *, own_footer: bool = False) -> list[str]:
    """The GOV.UK component classes (and data-module attributes) written by hand in a template's source."""
    found = []
    for _, value in CLASS_ATTRIBUTE.findall(source):
        for name in value.split():
            if not HAND_WRITTEN.match(name) or name in CONTENT_CLASSES or (own_footer and OWN_FOOTER.match(name)):
                continue
            found.append(name)
    found += [m.group(0) for m in MODULE_ATTRIBUTE.finditer(source)]
    return found


def page_templates() -> list[Path]:
    return sorted(PAGES.rglob("*.html"))


@pytest.mark.parametrize("template", page_templates(), ids=lambda p: str(p.relative_to(PAGES)))
def test_no_page_template_writes_a_govuk_component_by_hand(template: Path):
    source = template.read_text(encoding="utf-8")
    found = hand_written_components(source, own_footer=template.name == "base.html")
    assert not found, f"{template.relative_to(PAGES)} writes GOV.UK components by hand, not by its macro: {found}"


def test_the_guard_sees_a_component_written_by_hand():
    assert hand_written_components('<div class="govuk-form-group govuk-form-group--error">') == [
        "govuk-form-group",
        "govuk-form-group--error",
    ]
    assert hand_written_components("<button class='govuk-button' data-module=\"govuk-button\">") == [
        "govuk-button",
        'data-module="govuk-',
    ]
    assert hand_written_components('<strong class="govuk-tag govuk-tag--{{ colour }}">') == [
        "govuk-tag",
        "govuk-tag--{{",
    ]
    assert hand_written_components('<footer class="govuk-footer">') == ["govuk-footer"]
    # Layout and typography are ours to write, as are the classes a component's own html is documented with
    layout = (
        '<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds govuk-button-group">'
        '<h1 class="govuk-heading-l"><span class="govuk-caption-l govuk-visually-hidden">'
        '<ul class="govuk-list govuk-list--bullet"><a class="govuk-link govuk-!-margin-top-2">'
        '<p class="govuk-notification-banner__heading">'
    )
    assert hand_written_components(layout) == []


def test_the_page_templates_use_the_package_macros():
    imports = {
        name
        for template in page_templates()
        for name in re.findall(r'from "govuk_frontend_jinja/components/([\w-]+)/macro.html"', template.read_text())
    }
    assert {"input", "radios", "checkboxes", "date-input", "error-summary", "summary-list", "button"} <= imports


# The one adapter from a form's problems (field id -> Problem) to the package's params


def test_a_field_error_becomes_the_components_error_message_and_no_error_is_false():
    problems = {"address-postcode": Problem("Enter a real postcode", "#address-postcode")}
    assert error_message(problems, "address-postcode") == {"text": "Enter a real postcode"}
    assert error_message(problems, "address-town") is False
    assert error_message({}, "address-town") is False and NO_FORM.error_message("address-town") is False


def test_every_error_is_listed_in_order_and_linked_to_its_field():
    problems = {
        "spoc-email": Problem("Enter the SPOC's email address", "#spoc-email"),
        "sites-0-name": Problem("Enter the site's name", "#sites-0-name"),
        "expires_on": Problem("The date the policy ends must include a month", "#expires_on-month", ("month",)),
    }
    assert error_list(problems) == [
        {"text": "Enter the SPOC's email address", "href": "#spoc-email"},
        {"text": "Enter the site's name", "href": "#sites-0-name"},
        {"text": "The date the policy ends must include a month", "href": "#expires_on-month"},
    ]
    assert error_list({}) == [] and NO_FORM.error_list == []
    assert BookingForm().show().field("audience.age_range.youngest").id == "audience-age_range-youngest"


def test_the_templates_have_one_error_adapter():
    assert not {"error_message", "error_list", "field_id", "yes_no"} & set(vars(components))
    for template in page_templates():
        source = template.read_text(encoding="utf-8")
        assert "error_message(errors" not in source and "error_list(" not in source, template


def material_radio(page: str, answer: str) -> str:
    found = re.search(
        rf'<input class="govuk-radios__input" [^>]*name="material" type="radio" value="{answer}"[^>]*>', page
    )
    assert found, page
    return found.group(0)


@pytest.mark.parametrize(
    ("form", "checked"),
    [
        (PublishHandbookForm().show({"material": True}), "yes"),
        (PublishHandbookForm().parse({"material": "yes"}), "yes"),
        (PublishHandbookForm().show({"material": False}), "no"),
        (PublishHandbookForm().parse({"material": "no"}), "no"),
        (PublishHandbookForm().parse({"material": ""}), None),
        (PublishHandbookForm().show(), None),
    ],
)
def test_a_yes_no_answer_picks_its_radio_whether_saved_or_sent(form, checked):
    page = render("staff/handbook_edit.html", title="Employer handbook", number=1, placeholders=PLACEHOLDERS, form=form)
    assert [answer for answer in ("yes", "no") if "checked" in material_radio(page, answer)] == (
        [checked] if checked else []
    )


def test_the_error_summary_links_each_error_to_its_field_which_says_it():
    sent = {"employer_name": "Riverside", "contact_name": "Jo Okafor", "contact_email": "jo at riverside"}
    page = render(
        "staff/invite.html",
        title="Invite an employer",
        user=StaffUser(username="sam", email="sam@example.org", roles=frozenset({Role.STAFF})),
        form=InviteEmployerForm().parse(sent),
    )
    message = "Enter the contact&#39;s email address in the correct format, like name@example.com"
    assert "<title>Error: Invite an employer" in page
    assert f'href="#contact_email">{message}</a>' in page
    assert 'id="employer_name-error"' not in page and 'id="contact_name-error"' not in page
    field = re.search(r'<input class="govuk-input govuk-input--error" id="contact_email"[^>]*>', page)
    assert field and 'aria-describedby="contact_email-hint contact_email-error"' in field.group(0)
    assert 'name="contact_email"' in field.group(0) and 'value="jo at riverside"' in field.group(0)
    assert re.search(r'<p id="contact_email-error" class="govuk-error-message">\s*<span', page)


def test_a_missing_or_none_value_renders_empty_not_as_none():
    for form in (PublishHandbookForm().show({"summary": None}), PublishHandbookForm().show()):
        page = render(
            "staff/handbook_edit.html", title="Employer handbook", number=1, placeholders=PLACEHOLDERS, form=form
        )
        assert ">None<" not in page and re.search(r'<textarea [^>]*name="summary"[^>]*></textarea>', page)
        assert "<title>Employer handbook" in page and "There is a problem" not in page


# Conditional reveals: hidden (once JavaScript runs) until their choice is made, and shown when it is


def revealed(page: str, item_id: str) -> bool | None:
    """Whether the questions under a radio are shown: None when it has none."""
    panel = re.search(rf'<div class="govuk-radios__conditional([^"]*)" id="conditional-{re.escape(item_id)}">', page)
    return None if panel is None else "govuk-radios__conditional--hidden" not in panel.group(1)


def panel_of(page: str, item_id: str) -> str:
    """The markup of the questions under a radio: up to the next radio, or the end of its form."""
    start = page.index(f'id="conditional-{item_id}"')
    end = page.find('<div class="govuk-radios__', start + 1)
    return page[start : end if end > 0 else page.index("</form>", start)]


def check_page(form=NO_FORM) -> str:
    """A check's own review page, with its one decision form."""
    checks = [Check(type=t, status=CheckStatus.SUBMITTED, updated_at=NOW) for t in (CheckType.ORGANISATION,)]
    employer = an_employer(NOW, status=EmployerStatus.SUBMITTED, checks=checks)
    detail = EmployerDetail(employer=employer, submission=a_submission(), audit=[], audit_intact=True)
    check = employer.check(CheckType.ORGANISATION)
    return render("staff/check.html", title=employer.name, detail=detail, check=check, can_review=True, form=form)


def test_a_reviewer_is_asked_for_a_reason_only_under_reject():
    page = check_page()
    assert revealed(page, "decision-organisation") is None
    assert revealed(page, "decision-organisation-reject") is False  # in the page, hidden until chosen
    assert 'id="reason-organisation" name="reason"' in panel_of(page, "decision-organisation-reject")
    assert 'data-aria-controls="conditional-decision-organisation-reject"' in page


def test_a_rejection_sent_without_a_reason_comes_back_with_the_reason_open_and_its_error():
    page = check_page(
        form=ReviewCheckForm("organisation").parse({"decision": "reject", "reason": ""}),
    )
    assert revealed(page, "decision-organisation-reject") is True
    assert (
        'href="#reason-organisation">Say what the employer needs to put right: they will read this reason</a>' in page
    )
    assert 'id="reason-organisation-error"' in panel_of(page, "decision-organisation-reject")


def test_a_reason_in_error_under_a_choice_not_made_is_shown_outright_not_hidden():
    # Approved with a reason too long: the reason's error must be seen, though "reject" is not chosen
    page = check_page(
        form=ReviewCheckForm("organisation").parse({"decision": "approve", "reason": "x" * 1001}),
    )
    assert revealed(page, "decision-organisation-reject") is None
    assert 'href="#reason-organisation">The reason must be 1000 characters or fewer</a>' in page
    assert 'id="reason-organisation-error"' in page and 'id="reason-organisation" name="reason"' in page
    assert "x" * 1001 in page and 'value="approve" checked' in page
    assert reveals(False, ["reason"], {"reason": "Too long"}) is False
    assert reveals(True, ["reason"], {"reason": "Too long"}) is True and reveals(False, ["reason"], {}) is True


def a_booking() -> Booking:
    request = a_request()
    checks = run_checks(request, date(2027, 6, 4), [])
    rating = rate(checks)
    return Booking(
        id="bkg-0123456789ab",
        request=request,
        requested_at=NOW,
        status=BookingStatus.AWAITING_DECISION,
        checks=checks,
        rating=rating,
        route=route(rating),
        decision_link_to="dsl@example.org",
        updated_at=NOW,
    )


@pytest.mark.parametrize(
    ("template", "context"),
    [
        ("link/speaker_decision.html", {"token": "t"}),
        ("staff/speaker.html", {"detail": {"booking": a_booking(), "audit": [], "audit_intact": True}}),
    ],
)
def test_a_speaker_decision_opens_the_conditions_under_approve_and_a_reason_or_question_under_the_others(
    template, context
):
    booking = a_booking()
    page = render(
        template, title="Decide", booking=booking, conditions=list(Condition), may_decide=True,
        form=DecisionForm().show(), **context,
    )  # fmt: skip
    assert [revealed(page, i) for i in ("decision", "decision-decline", "decision-ask")] == [False, False, False]
    approve = panel_of(page, "decision")
    assert 'name="conditions"' in approve and 'name="other_conditions"' in approve
    assert 'name="reason"' in panel_of(page, "decision-decline")
    assert 'name="question"' in panel_of(page, "decision-ask")
    # Sent back with a question missing: that question is open, the others stay closed
    again = render(
        template,
        title="Decide",
        booking=booking,
        conditions=list(Condition),
        may_decide=True,
        form=DecisionForm().parse({"decision": "ask", "question": ""}),
        **context,
    )
    assert [revealed(again, i) for i in ("decision", "decision-decline", "decision-ask")] == [False, False, True]
    assert 'id="question-error"' in panel_of(again, "decision-ask")
    assert 'href="#question">Enter the question the requester needs to answer</a>' in again


@pytest.mark.parametrize(
    ("template", "context"),
    [
        ("link/speaker_decision.html", {"token": "t"}),
        ("staff/speaker.html", {"detail": {"booking": a_booking(), "audit": [], "audit_intact": True}}),
    ],
)
def test_a_speaker_decision_question_in_error_under_a_decision_not_chosen_is_shown_outright(template, context):
    # Given an approval sent with a reason for declining too long to keep
    sent = DecisionForm().parse({"decision": "approve", "reason": "x" * 1001})
    # When the page comes back with its problem
    page = render(
        template, title="Decide", booking=a_booking(), conditions=list(Condition), may_decide=True, form=sent,
        **context,
    )  # fmt: skip
    # Then the reason is out of its closed panel, with its error beside it; approve's questions are open
    assert revealed(page, "decision-decline") is None
    assert 'id="reason-error"' in page and 'href="#reason">' in page and "x" * 1001 in page
    assert revealed(page, "decision") is True and revealed(page, "decision-ask") is False
