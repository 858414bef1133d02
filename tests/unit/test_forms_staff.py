"""The staff console's forms, the new-SPOC form the employer shares, and signing the handbook."""

from datetime import date
from urllib.parse import urlencode

import pytest

from safeplace.handbook.acknowledge_handbook import Acknowledgement
from safeplace.handbook.publish_handbook import Publication
from safeplace.handbook.text import HandbookText
from safeplace.onboarding.models import CheckReview, CheckRevocation, Invitation, ReviewDecision, Spoc
from safeplace.placements.models import PlacementRequest
from safeplace.web.forms.employers import InviteEmployerForm, NewSpocForm, ReviewCheckForm, RevokeCheckForm
from safeplace.web.forms.handbook import PublishHandbookForm, SignHandbookForm
from safeplace.web.forms.placements import PlaceLearnerForm

EMPLOYER = "emp-0123456789ab"


def test_an_invitation_is_read_from_the_posted_body():
    body = urlencode(
        {
            "csrf_token": "t",
            "employer_name": "Riverside Kitchens",
            "contact_name": "Sam Ng",
            "contact_email": "sam@x.org",
        }
    )

    result = InviteEmployerForm().parse(body)

    assert result.ok
    assert result.model == Invitation(
        employer_name="Riverside Kitchens", contact_name="Sam Ng", contact_email="sam@x.org"
    )


def test_an_empty_invitation_asks_for_each_field_in_page_order():
    result = InviteEmployerForm().parse("")

    assert result.model is None
    assert result.errors == {
        "employer_name": "Enter the employer's name",
        "contact_name": "Enter the contact's full name",
        "contact_email": "Enter the contact's email address",
    }


def test_a_refused_invitation_shows_again_what_was_typed():
    result = InviteEmployerForm().parse({"employer_name": "Riverside", "contact_email": "sam"})

    assert result.values == {"employer_name": "Riverside", "contact_email": "sam"}
    assert result.errors["contact_email"] == (
        "Enter the contact's email address in the correct format, like name@example.com"
    )


def placement(**changes: str) -> dict[str, str]:
    sent = {
        "learner_reference": "L-2027/014",
        "date_of_birth-day": "17",
        "date_of_birth-month": "May",
        "date_of_birth-year": "2010",
        "employer_id": EMPLOYER,
        "site": "Riverside kitchen",
        "start_date-day": "6",
        "start_date-month": "9",
        "start_date-year": "2027",
        "assessor": "Jo Bell",
    }
    return {**sent, **changes}


def test_a_placement_is_read_with_its_dates_from_three_boxes():
    result = PlaceLearnerForm().parse(placement())

    assert result.model == PlacementRequest(
        learner_reference="L-2027/014",
        date_of_birth=date(2010, 5, 17),
        employer_id=EMPLOYER,
        site="Riverside kitchen",
        start_date=date(2027, 9, 6),
        assessor="Jo Bell",
    )


def test_an_empty_placement_asks_for_each_field_in_page_order():
    result = PlaceLearnerForm().parse({})

    assert list(result.errors.items()) == [
        ("learner_reference", "Enter the learner's reference"),
        ("date_of_birth", "Enter the learner's date of birth"),
        ("employer_id", "Select the employer"),
        ("site", "Select the site where the learner will work"),
        ("start_date", "Enter the start date"),
        ("assessor", "Enter the assessor's name"),
    ]
    assert [e["href"] for e in result.error_list][:3] == ["#learner_reference", "#date_of_birth-day", "#employer_id"]


def test_a_learner_reference_of_the_wrong_shape_says_what_it_may_hold():
    result = PlaceLearnerForm().parse(placement(learner_reference="L 14!"))

    assert result.errors == {
        "learner_reference": "Enter the learner's reference using 3 to 30 letters, numbers, /, _ or -"
    }


def test_an_employer_that_is_not_one_of_ours_asks_to_select_the_employer():
    assert PlaceLearnerForm().parse(placement(employer_id="someone")).errors == {"employer_id": "Select the employer"}


def test_an_implausible_age_is_shown_at_the_date_of_birth():
    result = PlaceLearnerForm().parse(placement(**{"date_of_birth-year": "2020"}))

    assert result.errors == {
        "date_of_birth": "Check the date of birth and the start date: the learner's age does not look right"
    }
    assert result.error_list == [
        {
            "text": "Check the date of birth and the start date: the learner's age does not look right",
            "href": "#date_of_birth-day",
        }
    ]


def test_the_age_is_not_questioned_until_both_dates_are_real():
    result = PlaceLearnerForm().parse(placement(**{"date_of_birth-year": "2020", "start_date-day": "31"}))

    assert result.errors == {"start_date": "The start date must be a real date"}


def test_the_placement_form_opens_with_the_employer_chosen():
    assert PlaceLearnerForm().show({"employer_id": EMPLOYER}).values == {"employer_id": EMPLOYER}


def test_an_approval_needs_no_reason():
    result = ReviewCheckForm("spoc").parse({"decision": "approve", "reason": ""})

    assert result.model == CheckReview(decision=ReviewDecision.APPROVE)


def test_a_review_without_a_decision_asks_for_one_at_this_checks_radios():
    result = ReviewCheckForm("spoc").parse({"decision": "", "reason": ""})

    assert result.errors == {"decision-spoc": "Select whether you approve or reject this check"}
    assert result.error_list == [{"text": "Select whether you approve or reject this check", "href": "#decision-spoc"}]


def test_a_rejection_without_a_reason_asks_for_it_at_this_checks_reason():
    result = ReviewCheckForm("employers_liability_insurance").parse({"decision": "reject", "reason": " "})

    assert result.errors == {
        "reason-employers_liability_insurance": "Say what the employer needs to put right: they will read this reason"
    }


def test_a_review_reason_over_its_length_says_so():
    result = ReviewCheckForm("spoc").parse({"decision": "reject", "reason": "x" * 1001})

    assert result.errors == {"reason-spoc": "The reason must be 1000 characters or fewer"}


def test_a_revocation_is_read_with_its_reason():
    assert RevokeCheckForm("spoc").parse({"reason": "Training lapsed"}).model == CheckRevocation(
        reason="Training lapsed"
    )


def test_a_revocation_without_a_reason_asks_for_one_at_this_checks_box():
    assert RevokeCheckForm("spoc").parse({"reason": ""}).errors == {
        "revoke-spoc": "Say why you are revoking this check: the DSL reads this reason"
    }


NEW_SPOC = {"spoc-name": "Ada Obi", "spoc-role": "Head chef", "spoc-email": "ada@riverside.example", "spoc-phone": ""}


def test_a_new_spoc_is_read_from_the_spoc_fields():
    result = NewSpocForm().parse({**NEW_SPOC, "spoc-phone": "01632 960 001"})

    assert result.model == Spoc(name="Ada Obi", role="Head chef", email="ada@riverside.example", phone="01632 960 001")


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        ("", "Enter the new SPOC's phone number"),
        ("call me", "Enter a phone number, like 01632 960 001 or +44 7700 900 982"),
    ],
)
def test_a_new_spocs_phone_number_is_asked_for_in_words_of_its_own(phone: str, message: str):
    assert NewSpocForm().parse({**NEW_SPOC, "spoc-phone": phone}).errors == {"spoc-phone": message}


def test_an_empty_new_spoc_asks_for_each_field_in_page_order():
    assert list(NewSpocForm().parse("").errors.items()) == [
        ("spoc-name", "Enter the new SPOC's full name"),
        ("spoc-role", "Enter the new SPOC's job title"),
        ("spoc-email", "Enter the new SPOC's email address"),
        ("spoc-phone", "Enter the new SPOC's phone number"),
    ]


def test_a_publication_is_read_with_its_text_and_material_as_yes_or_no():
    sent = {"summary": "New DSL", "text": "## Contacts\r\n\r\nRing {dsl_phone}", "material": "no"}
    assert PublishHandbookForm().parse(sent).model == Publication(
        summary="New DSL", material=False, text=HandbookText.model_validate("## Contacts\n\nRing {dsl_phone}")
    )


def test_an_empty_publication_asks_for_what_changed_the_text_and_whether_to_sign_again():
    assert PublishHandbookForm().parse({"summary": ""}).errors == {
        "summary": "Enter what changed",
        "text": "Enter the handbook text",
        "material": "Select whether every SPOC must sign for this version again",
    }


def test_signing_the_handbook_gives_the_statements_ticked_and_the_name_typed():
    result = SignHandbookForm().parse({"statement-0": "yes", "statement-2": "yes", "typed_name": " Ada Obi "})

    assert result.model == Acknowledgement(typed_name="Ada Obi", accepted=[0, 2])


def test_a_name_over_its_length_is_refused_rather_than_cut_short():
    assert SignHandbookForm().parse({"typed_name": "A" * 201}).errors == {
        "typed_name": "Your full name must be 200 characters or fewer"
    }


def test_what_the_use_case_refuses_in_the_acknowledgement_is_shown_at_its_fields_in_page_order():
    result = SignHandbookForm().parse({"statement-0": "yes", "typed_name": "Ada"})

    refused = result.with_problems(
        {
            "typed_name": "Type your full name as we have it for your SPOC, Ada Obi",
            "statements": "Confirm every statement",
        }
    )

    assert refused.model is None
    assert refused.error_list == [
        {"text": "Confirm every statement", "href": "#statements"},
        {"text": "Type your full name as we have it for your SPOC, Ada Obi", "href": "#typed_name"},
    ]
    assert refused.values == {"statement-0": "yes", "typed_name": "Ada"}
