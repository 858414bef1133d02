"""Form fields: what each accepts from a page, and the exact words it uses for what it refuses."""

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeplace.web.forms.fields import (
    CheckboxesField,
    CheckboxField,
    ChoiceField,
    EmailField,
    Field,
    HiddenField,
    Invalid,
    TextField,
    TickEachField,
    UploadField,
    UrlField,
    UrlListField,
    WholeNumberField,
    YesNoField,
)
from safeplace.web.forms.form import posted


def read(field: Field, **sent: str | list[str]) -> Any:
    return field.read(posted(sent))


def refusal(field: Field, **sent: str | list[str]) -> str:
    with pytest.raises(Invalid) as refused:
        field.read(posted(sent))
    return refused.value.message


INSURER = TextField("insurer", "Insurer", "the insurer")
VENUE = TextField("event.venue", "Venue", "the venue", required=False)
SUMMARY = TextField("summary", "What changed", "what changed", max_length=1000)


def test_text_is_read_without_the_spaces_around_it():
    assert read(INSURER, insurer="  Northern Mutual ") == "Northern Mutual"


@pytest.mark.parametrize("typed", ["", "   "])
def test_a_required_text_left_blank_asks_for_it_by_name(typed: str):
    assert refusal(INSURER, insurer=typed) == "Enter the insurer"


def test_a_required_text_not_sent_at_all_asks_for_it_by_name():
    assert refusal(INSURER) == "Enter the insurer"


def test_an_optional_text_left_blank_is_empty():
    assert read(VENUE, **{"event.venue": " "}) == ""


@given(st.integers(min_value=1001, max_value=3000))
def test_a_text_over_its_length_says_how_long_it_may_be(length: int):
    assert refusal(SUMMARY, summary="x" * length) == "What changed must be 1000 characters or fewer"


def test_a_text_of_exactly_its_length_is_accepted():
    assert read(SUMMARY, summary="x" * 1000) == "x" * 1000


def test_a_text_says_its_own_words_for_a_missing_answer_when_given_them():
    revoke = TextField("reason", "Why", "the reason", required_message="Say why you are revoking this check")

    assert refusal(revoke, reason="") == "Say why you are revoking this check"


def test_a_text_shows_a_models_own_sentence_and_its_own_words_for_anything_else():
    postcode = TextField("address.postcode", "Postcode", "the postcode")

    assert postcode.message_for("value_error", "Value error, Enter a real UK postcode") == "Enter a real UK postcode"
    assert postcode.message_for("missing", "Field required") == "Enter the postcode"
    assert postcode.message_for("string_too_long", "too long") == "The postcode must be 200 characters or fewer"


def test_a_field_is_found_on_the_page_by_its_name_with_dots_as_hyphens():
    assert (VENUE.id, VENUE.href(), VENUE.path) == ("event-venue", "#event-venue", ("event", "venue"))


def test_a_field_may_post_under_one_name_and_sit_elsewhere_in_the_model():
    name = TextField("spoc-name", "Full name", "the new SPOC's full name", path=("name",))

    assert (name.id, name.path) == ("spoc-name", ("name",))


EMAIL = EmailField("contact_email", "Email address", "the contact's email address")


@pytest.mark.parametrize("typed", ["kim@example.com", " Kim.Lee+safeplace@example.co.uk "])
def test_an_email_address_is_accepted(typed: str):
    assert read(EMAIL, contact_email=typed) == typed.strip()


@pytest.mark.parametrize("typed", ["kim", "kim@", "@example.com", "kim@@example.com", "kim example@example.com"])
def test_an_email_address_not_in_the_right_format_shows_an_example(typed: str):
    assert refusal(EMAIL, contact_email=typed) == (
        "Enter the contact's email address in the correct format, like name@example.com"
    )


def test_a_blank_email_address_asks_for_it():
    assert refusal(EMAIL, contact_email="") == "Enter the contact's email address"


def test_an_email_address_the_model_refuses_is_worded_by_the_field_not_the_model():
    assert EMAIL.message_for("value_error", "value is not a valid email address: An email address must have an @") == (
        "Enter the contact's email address in the correct format, like name@example.com"
    )


EMPLOYEES = WholeNumberField("employees", "Employees", "the number of employees", minimum=1, maximum=1_000_000)


@pytest.mark.parametrize(("typed", "number"), [("12", 12), (" 250 ", 250), ("1,200", 1200), ("1000000", 1_000_000)])
def test_a_whole_number_is_read_with_or_without_commas(typed: str, number: int):
    assert read(EMPLOYEES, employees=typed) == number


@pytest.mark.parametrize("typed", ["lots", "12.5", "1,20", "12 people", "½"])
def test_what_is_not_a_whole_number_is_refused(typed: str):
    assert refusal(EMPLOYEES, employees=typed) == "Enter the number of employees as a whole number"


@pytest.mark.parametrize("typed", ["0", "-3", "1,000,001"])
def test_a_whole_number_out_of_range_says_the_range(typed: str):
    assert refusal(EMPLOYEES, employees=typed) == "The number of employees must be between 1 and 1,000,000"


def test_a_blank_optional_number_is_none():
    youngest = WholeNumberField("youngest", "Youngest", "the youngest age", minimum=14, maximum=100, required=False)

    assert read(youngest, youngest="") is None


LEVEL = ChoiceField("level", "Level", "the level of the training", options=("awareness", "enhanced", "dsl"))


def test_a_choice_is_one_of_its_options():
    assert read(LEVEL, level="dsl") == "dsl"


@pytest.mark.parametrize("typed", ["", "expert"])
def test_no_choice_or_one_not_offered_asks_to_select(typed: str):
    assert refusal(LEVEL, level=typed) == "Select the level of the training"


def test_a_choice_without_options_leaves_the_model_to_say_which_it_accepts():
    employer = ChoiceField("employer_id", "Employer", "the employer")

    assert read(employer, employer_id="emp-0123456789ab") == "emp-0123456789ab"
    assert employer.message_for("string_pattern_mismatch", "String should match pattern") == "Select the employer"


RECORDED = YesNoField("event.recorded", "Recorded?", "whether it is recorded")


@pytest.mark.parametrize(("typed", "answer"), [("yes", True), ("no", False)])
def test_yes_and_no_are_true_and_false(typed: str, answer: bool):
    assert read(RECORDED, **{"event.recorded": typed}) is answer


@pytest.mark.parametrize("typed", ["", "maybe", "true"])
def test_neither_yes_nor_no_asks_to_select_whether(typed: str):
    assert refusal(RECORDED, **{"event.recorded": typed}) == "Select whether it is recorded"


def test_yes_or_no_is_shown_again_as_the_radio_to_check():
    assert (RECORDED.show(True), RECORDED.show(False), RECORDED.show(None)) == (
        {"event.recorded": "yes"},
        {"event.recorded": "no"},
        {},
    )


AGREED = CheckboxField("agreed", "I will keep to these conditions")


@pytest.mark.parametrize(("sent", "ticked"), [({"agreed": "yes"}, True), ({"agreed": ""}, False), ({}, False)])
def test_a_checkbox_is_ticked_only_when_it_posts_yes(sent: dict[str, str], ticked: bool):
    assert AGREED.read(posted(sent)) is ticked


CONDITIONS = CheckboxesField(
    "conditions", "Conditions", "conditions from the list", options=("recorded", "staff_chair")
)


def test_checkboxes_sharing_a_name_give_every_value_ticked():
    assert read(CONDITIONS, conditions=["staff_chair", "recorded"]) == ["staff_chair", "recorded"]
    assert CONDITIONS.sent(posted({"conditions": ["staff_chair", ""]})) == {"conditions": ["staff_chair"]}


def test_a_checkbox_value_not_offered_asks_to_select_from_the_list():
    assert refusal(CONDITIONS, conditions=["filmed"]) == "Select conditions from the list"


STATEMENTS = TickEachField("statements", "I confirm", "every statement", boxes=("statement-0", "statement-1"))


def test_checkboxes_with_a_name_each_give_the_positions_ticked():
    assert read(STATEMENTS, **{"statement-1": "yes"}) == [1]
    assert STATEMENTS.show([0, 1]) == {"statement-0": "yes", "statement-1": "yes"}


WEBSITE = UrlField("speaker.website", "Website", "the speaker's website address", required=False)


def test_a_web_address_is_accepted_and_a_blank_one_is_none():
    assert read(WEBSITE, **{"speaker.website": "https://example.org/about"}) == "https://example.org/about"
    assert read(WEBSITE, **{"speaker.website": ""}) is None


@pytest.mark.parametrize("typed", ["example.org", "ftp://example.org", "https://", "https://exa mple.org"])
def test_what_is_not_a_web_address_shows_an_example(typed: str):
    assert refusal(WEBSITE, **{"speaker.website": typed}) == (
        "Enter the speaker's website address in the correct format, like https://www.example.org"
    )


LINKS = UrlListField(
    "links", "Links", "the links", most=2, invalid_message="Enter each link in the correct format",
    too_many_message="Enter 2 links or fewer",
)  # fmt: skip


def test_web_addresses_one_to_a_line_are_each_read():
    assert read(LINKS, links="https://a.example\r\n https://b.example ") == ["https://a.example", "https://b.example"]
    assert LINKS.show(["https://a.example", "https://b.example"]) == {"links": "https://a.example\nhttps://b.example"}


def test_too_many_web_addresses_or_a_wrong_one_is_refused_in_the_fields_words():
    assert refusal(LINKS, links="https://a.example https://b.example https://c.example") == "Enter 2 links or fewer"
    assert refusal(LINKS, links="https://a.example a.example") == "Enter each link in the correct format"


def test_an_upload_the_route_does_not_give_asks_for_the_file():
    certificate = UploadField("a copy of the insurance certificate", path=("certificate",))

    assert refusal(certificate) == "Upload a copy of the insurance certificate"
    assert (certificate.id, certificate.href()) == ("file", "#file")


def test_an_optional_upload_may_be_left_out():
    assessment = UploadField("a copy of your risk assessment", path=("document",), required=False)

    assert assessment.given(None) is None


def test_a_hidden_value_left_blank_is_its_default():
    version = HiddenField("version", default="2026-11")

    assert (read(version, version=""), read(version, version="2025-01")) == ("2026-11", "2025-01")
