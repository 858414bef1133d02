"""The forms package as a whole: the govuk-frontend-jinja params, words that must never come back, and its place
in the layers."""

import ast
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safeplace.onboarding.answers import EvidenceFile
from safeplace.web.forms.dates import DateField
from safeplace.web.forms.employers import InviteEmployerForm, NewSpocForm, ReviewCheckForm, RevokeCheckForm
from safeplace.web.forms.fields import TickEachField, UploadField
from safeplace.web.forms.form import Form
from safeplace.web.forms.handbook import PublishHandbookForm, SignHandbookForm
from safeplace.web.forms.placements import PlaceLearnerForm
from safeplace.web.forms.sections import SECTION_FORMS, InsuranceForm
from safeplace.web.forms.speakers import BookingForm, ConfirmConditionsForm, DecisionForm, RecordEventForm

PACKAGE = Path(__file__).parents[2] / "layers" / "shared" / "safeplace"
FORMS: list[type[Form[Any]]] = [
    InviteEmployerForm, PlaceLearnerForm, ReviewCheckForm, RevokeCheckForm, NewSpocForm, PublishHandbookForm,
    BookingForm, DecisionForm, RecordEventForm, SignHandbookForm, ConfirmConditionsForm, *SECTION_FORMS.values(),
]  # fmt: skip
UPLOADED = EvidenceFile(key="evidence/x", content_type="application/pdf", size=2048, uploaded_at=datetime.now(UTC))


def test_a_field_without_a_problem_has_no_error_message_and_one_with_a_problem_has_its_text():
    result = InviteEmployerForm().parse({"employer_name": "Riverside"})

    assert result.error_message("employer_name") is False
    assert result.error_message("contact_name") == {"text": "Enter the contact's full name"}


def test_the_error_summary_lists_each_problem_with_a_link_to_its_field_in_page_order():
    assert InviteEmployerForm().parse({"employer_name": "Riverside"}).error_list == [
        {"text": "Enter the contact's full name", "href": "#contact_name"},
        {"text": "Enter the contact's email address", "href": "#contact_email"},
    ]


def test_a_date_inputs_items_show_what_was_typed_and_mark_only_the_boxes_at_fault():
    result = PlaceLearnerForm().parse({"date_of_birth-day": "17", "date_of_birth-year": "2010"})

    assert result.date_items("date_of_birth") == [
        {"name": "day", "value": "17", "classes": "govuk-input--width-2"},
        {"name": "month", "value": "", "classes": "govuk-input--width-2 govuk-input--error"},
        {"name": "year", "value": "2010", "classes": "govuk-input--width-4"},
    ]
    assert result.error_list[1] == {
        "text": "The learner's date of birth must include a month",
        "href": "#date_of_birth-month",
    }


def test_a_date_the_whole_of_which_is_at_fault_marks_every_box():
    result = PlaceLearnerForm().parse({"start_date-day": "31", "start_date-month": "2", "start_date-year": "2027"})

    assert all("govuk-input--error" in item["classes"] for item in result.date_items("start_date"))


def test_a_form_not_yet_posted_shows_nothing_and_no_problems():
    fresh = BookingForm().show()

    assert (fresh.values, fresh.problems, fresh.error_list, fresh.ok) == ({}, {}, [], False)
    assert fresh.error_message("event-title") is False and fresh.value("event.title") == ""


def test_a_use_case_problem_with_no_field_of_its_own_is_still_shown():
    refused = ConfirmConditionsForm().parse({}).with_problems({"booking": "This booking was cancelled"})

    assert refused.error_list == [{"text": "This booking was cancelled", "href": "#agreed"}]


def test_a_form_with_a_key_ids_its_fields_with_it_and_keeps_their_names():
    result = ReviewCheckForm("risk_assessment").show()

    assert [(f.name, f.id) for f in result.fields] == [
        ("decision", "decision-risk_assessment"),
        ("reason", "reason-risk_assessment"),
    ]


def posted_names(form: Form[Any]) -> list[str]:
    names: list[str] = []
    for f in form.show().fields:
        if isinstance(f, DateField):
            names.extend(f.box(part) for part in ("day", "month", "year"))
        elif isinstance(f, TickEachField):
            names.extend(f.boxes)
        elif not isinstance(f, UploadField):
            names.append(f.name)
    return names


TYPED = st.one_of(
    st.sampled_from(
        ["", " ", "yes", "no", "0", "-1", "13", "31", "2", "26", "2027", "mar", "Sept", "£5,000,000", "5m", "lots",
         "kim", "kim@example.com", "https://example.org", "10:00", "approve", "reject", "decline", "ask", "other",
         "dsl", "in_person", "emp-0123456789ab", "x" * 2001, "LS1 4AP", "01632 960 001"]
    ),
    st.text(max_size=12),
)  # fmt: skip
NEVER = (
    "Enter a valid",
    "as a real date",
    "a valid the",
    "a valid whether",
    "Value error",
    "Input should",
    "Field required",
)


@pytest.mark.parametrize("form_type", FORMS, ids=lambda f: f.__name__)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_whatever_is_posted_every_problem_is_in_the_fields_own_words(form_type: type[Form[Any]], data: st.DataObject):
    form = form_type("spoc")
    sent = data.draw(st.dictionaries(st.sampled_from(posted_names(form)), TYPED))

    result = form.parse(sent, **({"file": UPLOADED} if data.draw(st.booleans()) else {}))

    assert result.ok == (result.model is not None) == (not result.problems)
    for field_id, problem in result.problems.items():
        assert problem.message and "{" not in problem.message and not problem.message.endswith(".")
        assert not any(words in problem.message for words in NEVER), (field_id, problem.message)
        assert problem.href.startswith(f"#{field_id}")
    assert list(result.problems) == [f.id for f in result.fields if f.id in result.problems]


def test_cover_written_with_a_pound_sign_and_commas_is_not_refused_as_a_whole_number():
    insurance = {"insurer": "Northern Mutual", "policy_number": "EL-1", "cover_gbp": "£5,000,000"}

    assert "cover_gbp" not in InsuranceForm().parse(insurance, file=UPLOADED).errors


def modules(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py"))


def imported(module: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(module.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_no_module_of_the_forms_package_is_over_400_lines():
    lengths = {m.name: len(m.read_text().splitlines()) for m in modules(PACKAGE / "web" / "forms")}

    assert lengths and all(n <= 400 for n in lengths.values()), lengths


def test_the_forms_import_no_function_handler():
    for module in modules(PACKAGE / "web" / "forms"):
        assert not any(name.split(".")[0] == "functions" for name in imported(module)), module


def test_no_feature_imports_the_forms():
    features = [m for m in modules(PACKAGE) if "web" not in m.relative_to(PACKAGE).parts]

    assert features
    for module in features:
        assert not any(name.startswith("safeplace.web") for name in imported(module)), module
