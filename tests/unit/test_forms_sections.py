"""The nine sections of the employer's onboarding form: each into its section model, or its problems in page order."""

from datetime import UTC, date, datetime
from typing import Any

import pytest

from safeplace.onboarding import minimum_requirements
from safeplace.onboarding.answers import (
    EvidenceFile,
    HealthAndSafetyPolicy,
    Insurance,
    MinimumRequirementsAcceptance,
    Organisation,
    RiskAssessment,
    SafeguardingArrangements,
    SpocAnswers,
    SpocTraining,
    YoungPersons,
)
from safeplace.onboarding.models import CheckType
from safeplace.onboarding.rules import section_problems
from safeplace.web.forms.sections import SECTION_FORMS, InsuranceForm, OrganisationForm, SpocForm, YoungPersonsForm

TODAY = date(2026, 11, 2)
UPLOADED = EvidenceFile(
    key="evidence/emp-0123456789ab/x/test", content_type="application/pdf", size=2048, uploaded_at=datetime.now(UTC)
)


def address(prefix: str, postcode: str = "LS1 4AP") -> dict[str, str]:
    return {
        f"{prefix}.line1": "1 River Street",
        f"{prefix}.line2": "",
        f"{prefix}.town": "Leeds",
        f"{prefix}.postcode": postcode,
    }


SECTIONS: dict[CheckType, tuple[dict[str, Any], type]] = {
    CheckType.ORGANISATION: (
        {
            "legal_name": "Riverside Kitchens Ltd", "companies_house_number": "01234567", **address("address"),
            "sector": "Hospitality", "employees": "1,200", "main_contact.name": "Sam Ng",
            "main_contact.email": "sam@riverside.example", "main_contact.phone": "0113 496 0000",
            "sites.0.name": "Riverside kitchen", **address("sites.0.address"), "site_count": "1", "action": "",
        },
        Organisation,
    ),
    CheckType.SPOC: (
        {"spoc.name": "Ada Obi", "spoc.role": "Head chef", "spoc.email": "ada@riverside.example",
         "spoc.phone": "01632 960 001", "commitment": "yes"},
        SpocAnswers,
    ),
    CheckType.SPOC_TRAINING: (
        {"course": "home-office-prevent", "other_course": "", "training_provider": "GOV.UK",
         "completed_on-day": "14", "completed_on-month": "Jun", "completed_on-year": "2026", "level": "awareness"},
        SpocTraining,
    ),
    CheckType.EMPLOYERS_LIABILITY_INSURANCE: (
        {"insurer": "Northern Mutual", "policy_number": "EL-99812", "cover_gbp": "£10m",
         "expires_on-day": "31", "expires_on-month": "March", "expires_on-year": "2027"},
        Insurance,
    ),
    CheckType.HEALTH_AND_SAFETY_POLICY: (
        {"reviewed_on-day": "12", "reviewed_on-month": "Sept", "reviewed_on-year": "2026"},
        HealthAndSafetyPolicy,
    ),
    CheckType.RISK_ASSESSMENT: (
        {"assessed_on-day": "1", "assessed_on-month": "10", "assessed_on-year": "2026", "low_risk": "yes"},
        RiskAssessment,
    ),
    CheckType.YOUNG_PERSONS_RISK_ASSESSMENT: (
        {"takes_under_18": "yes", "assessed_on-day": "1", "assessed_on-month": "oct", "assessed_on-year": "2026",
         "measures": "No knives or fryers; supervised at all times"},
        YoungPersons,
    ),
    CheckType.SAFEGUARDING_ARRANGEMENTS: (
        {"concern_contact_name": "Ada Obi", "concern_contact_role": "Head chef",
         "how_learners_raise_concerns": "Told at induction", "how_you_tell_the_provider": "Phone the DSL that day"},
        SafeguardingArrangements,
    ),
    CheckType.MINIMUM_SAFEGUARDING_REQUIREMENTS: (
        {"version": minimum_requirements.CURRENT.version, "accepted_by": "Sam Ng", "accepted": "yes"},
        MinimumRequirementsAcceptance,
    ),
}  # fmt: skip


def test_every_section_has_a_form():
    assert set(SECTION_FORMS) == set(CheckType)


@pytest.mark.parametrize("check", list(CheckType))
def test_each_section_is_read_into_its_model(check: CheckType):
    sent, model = SECTIONS[check]

    result = SECTION_FORMS[check]().parse(sent, file=UPLOADED)

    assert result.problems == {}
    assert isinstance(result.model, model)
    assert section_problems(result.model, TODAY) == {}


@pytest.mark.parametrize("check", list(CheckType))
def test_each_saved_section_shown_again_reads_back_as_itself(check: CheckType):
    saved = SECTION_FORMS[check]().parse(SECTIONS[check][0], file=UPLOADED).model
    assert saved is not None

    shown = SECTION_FORMS[check]().show(saved)

    assert SECTION_FORMS[check]().parse(dict(shown.values), file=UPLOADED).model == saved


def test_the_amount_of_cover_is_read_as_the_employer_writes_it():
    sent = {**SECTIONS[CheckType.EMPLOYERS_LIABILITY_INSURANCE][0], "cover_gbp": "£5,000,000"}

    insurance = InsuranceForm().parse(sent, file=UPLOADED).model

    assert isinstance(insurance, Insurance) and insurance.cover_gbp == 5_000_000


def test_a_section_without_its_file_asks_for_it_first():
    result = InsuranceForm().parse({**SECTIONS[CheckType.EMPLOYERS_LIABILITY_INSURANCE][0], "insurer": ""})

    assert result.error_list == [
        {"text": "Upload a copy of the insurance certificate", "href": "#file"},
        {"text": "Enter the insurer", "href": "#insurer"},
    ]


@pytest.mark.parametrize(
    ("check", "changes", "field", "message"),
    [
        (
            CheckType.ORGANISATION,
            {"address.postcode": "nowhere"},
            "address-postcode",
            "Enter a real UK postcode, like SW1A 1AA",
        ),
        (CheckType.ORGANISATION, {"employees": "lots"}, "employees", "Enter the number of employees as a whole number"),
        (
            CheckType.ORGANISATION,
            {"companies_house_number": "123"},
            "companies_house_number",
            "Enter a Companies House number of 8 characters, like 01234567 or SC123456",
        ),
        (
            CheckType.ORGANISATION,
            {"companies_house_number": "123456789"},
            "companies_house_number",
            "Enter a Companies House number of 8 characters, like 01234567 or SC123456",
        ),
        (CheckType.ORGANISATION, {"sites.0.name": ""}, "sites-0-name", "Enter the name of site 1"),
        (
            CheckType.ORGANISATION,
            {"main_contact.phone": "none"},
            "main_contact-phone",
            "Enter a phone number, like 01632 960 001 or +44 7700 900 982",
        ),
        (
            CheckType.SPOC,
            {"spoc.email": "kim"},
            "spoc-email",
            "Enter the SPOC's email address in the correct format, like name@example.com",
        ),
        (
            CheckType.SPOC,
            {"commitment": ""},
            "commitment",
            "Confirm that the SPOC will be available and takes responsibility",
        ),
        (
            CheckType.SPOC_TRAINING,
            {"course": "other"},
            "other_course",
            "Enter the name of the course your SPOC completed",
        ),
        (
            CheckType.SPOC_TRAINING,
            {"course": "a-weekend-webinar"},
            "course",
            "Select the course from the list, or choose another course and name it",
        ),
        (CheckType.SPOC_TRAINING, {"level": ""}, "level", "Select the level of the training"),
        (
            CheckType.SPOC_TRAINING,
            {"completed_on-month": ""},
            "completed_on",
            "The date the SPOC completed the course must include a month",
        ),
        (
            CheckType.EMPLOYERS_LIABILITY_INSURANCE,
            {"cover_gbp": "lots"},
            "cover_gbp",
            "Enter the amount of cover, like £5,000,000 or 5m",
        ),
        (
            CheckType.EMPLOYERS_LIABILITY_INSURANCE,
            {"expires_on-day": "31", "expires_on-month": "April"},
            "expires_on",
            "The date the policy ends must be a real date",
        ),
        (
            CheckType.HEALTH_AND_SAFETY_POLICY,
            {"reviewed_on-year": "26"},
            "reviewed_on",
            "The date the policy was last reviewed must include the year as 4 numbers",
        ),
        (CheckType.RISK_ASSESSMENT, {"low_risk": ""}, "low_risk", "Select whether your workplace is low risk"),
        (
            CheckType.SAFEGUARDING_ARRANGEMENTS,
            {"how_you_tell_the_provider": "x" * 2001},
            "how_you_tell_the_provider",
            "How you will tell us about a concern must be 2000 characters or fewer",
        ),
        (
            CheckType.MINIMUM_SAFEGUARDING_REQUIREMENTS,
            {"accepted": ""},
            "accepted",
            "Confirm that you accept the minimum safeguarding requirements",
        ),
    ],
)
def test_each_problem_with_a_section_is_shown_at_its_field(check: CheckType, changes: dict, field: str, message: str):
    result = SECTION_FORMS[check]().parse({**SECTIONS[check][0], **changes}, file=UPLOADED)

    assert result.errors == {field: message}


def test_a_high_risk_workplace_without_its_assessment_is_asked_to_upload_it():
    sent = {**SECTIONS[CheckType.RISK_ASSESSMENT][0], "low_risk": "no"}

    result = SECTION_FORMS[CheckType.RISK_ASSESSMENT]().parse(sent, file=None)

    assert result.error_list == [
        {
            "text": "Upload your risk assessment: only a low-risk workplace may confirm it without one",
            "href": "#file",
        }
    ]


def test_a_low_risk_workplace_may_confirm_its_assessment_without_a_file():
    assessment = SECTION_FORMS[CheckType.RISK_ASSESSMENT]().parse(SECTIONS[CheckType.RISK_ASSESSMENT][0]).model

    assert isinstance(assessment, RiskAssessment) and assessment.attested


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        (
            {"assessed_on-day": "", "assessed_on-month": "", "assessed_on-year": ""},
            {"assessed_on": "Enter the date you assessed the risks to young workers"},
        ),
        ({"measures": ""}, {"measures": "Enter what you have put in place for learners under 18"}),
        (
            {"assessed_on-day": "", "assessed_on-month": "", "assessed_on-year": "", "measures": " "},
            {
                "assessed_on": "Enter the date you assessed the risks to young workers",
                "measures": "Enter what you have put in place for learners under 18",
            },
        ),
    ],
)
def test_an_employer_taking_under_18s_is_asked_for_each_of_the_date_and_the_measures(changes: dict, errors: dict):
    assert (
        YoungPersonsForm().parse({**SECTIONS[CheckType.YOUNG_PERSONS_RISK_ASSESSMENT][0], **changes}).errors == errors
    )


def test_an_employer_not_taking_under_18s_needs_neither():
    young = YoungPersonsForm().parse({"takes_under_18": "no"}).model

    assert young == YoungPersons(takes_under_18=False)


def test_what_the_automatic_checks_find_is_shown_at_the_fields_they_name():
    sent = {**SECTIONS[CheckType.EMPLOYERS_LIABILITY_INSURANCE][0], "cover_gbp": "2m", "expires_on-year": "2026"}
    read = InsuranceForm().parse(sent, file=UPLOADED)
    assert read.model is not None

    refused = read.with_problems(section_problems(read.model, TODAY))

    assert refused.model is None
    assert refused.errors == {
        "cover_gbp": "Employer's liability cover must be at least £5,000,000: this policy covers £2,000,000",
        "expires_on": "This insurance has expired: upload your current certificate",
    }
    assert refused.error_list[1]["href"] == "#expires_on-day"


def test_a_problem_named_by_the_models_dotted_path_is_shown_at_the_fields_id():
    read = SpocForm().parse({**SECTIONS[CheckType.SPOC][0], "spoc.email": "info@riverside.example"})
    assert read.model is not None

    refused = read.with_problems(section_problems(read.model, TODAY))

    assert list(refused.errors) == ["spoc-email"] and refused.errors["spoc-email"].startswith("Enter the SPOC's own")
    assert refused.error_list[0]["href"] == "#spoc-email"


def site(number: int, name: str) -> dict[str, str]:
    return {f"sites.{number}.name": name, **address(f"sites.{number}.address")}


def test_blank_sites_are_left_out_and_the_rest_numbered_again():
    sent = {
        **SECTIONS[CheckType.ORGANISATION][0],
        **site(0, "Kitchen"),
        **dict.fromkeys(site(1, ""), ""),
        **site(2, "Bar"),
    }

    result = OrganisationForm().parse(sent)

    assert isinstance(result.model, Organisation)
    assert [s.name for s in result.model.sites] == ["Kitchen", "Bar"]
    assert result.values["sites.1.name"] == "Bar" and "sites.2.name" not in result.values


def test_a_problem_with_a_later_site_names_that_site_as_the_page_shows_it_again():
    sent = {
        **SECTIONS[CheckType.ORGANISATION][0],
        **dict.fromkeys(site(0, ""), ""),
        **site(1, "Kitchen"),
        **{**site(2, "Bar"), "sites.2.address.town": ""},
    }

    result = OrganisationForm().parse(sent)

    assert result.errors == {"sites-1-address-town": "Enter the town or city of site 2"}
    assert result.values["sites.1.name"] == "Bar"


def test_an_organisation_with_no_site_is_asked_for_the_first():
    sent = {k: v for k, v in SECTIONS[CheckType.ORGANISATION][0].items() if not k.startswith("sites.")}

    assert list(OrganisationForm().parse(sent).errors) == [
        "sites-0-name",
        "sites-0-address-line1",
        "sites-0-address-town",
        "sites-0-address-postcode",
    ]


def test_no_more_than_twenty_sites_are_read():
    sites = {k: v for n in range(25) for k, v in site(n, f"Site {n + 1}").items()}

    result = OrganisationForm().parse({**SECTIONS[CheckType.ORGANISATION][0], **sites})

    assert isinstance(result.model, Organisation) and len(result.model.sites) == 20


def test_the_requirements_accepted_are_the_current_ones_unless_the_page_said_otherwise():
    form = SECTION_FORMS[CheckType.MINIMUM_SAFEGUARDING_REQUIREMENTS]()

    accepted = form.parse({"accepted_by": "Sam Ng", "accepted": "yes"}).model
    older = form.parse({"accepted_by": "Sam Ng", "accepted": "yes", "version": "2025-01"}).model

    assert (
        isinstance(accepted, MinimumRequirementsAcceptance) and accepted.version == minimum_requirements.CURRENT.version
    )
    assert isinstance(older, MinimumRequirementsAcceptance) and older.version == "2025-01"
