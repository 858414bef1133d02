"""The nine sections of the employer's onboarding form, behind their emailed link.

A section with a file has a field named "file" for it: the file goes straight to S3, so the route gives
what was uploaded, as `parse(body, file=evidence)`. What the automatic checks find (SectionProblems,
keyed by the section's own field names) goes to Result.with_problems.
"""

from collections.abc import Iterator, Mapping
from typing import Any

from safeplace.onboarding import minimum_requirements
from safeplace.onboarding.answers import (
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
from safeplace.onboarding.spoc_training import TrainingLevel
from safeplace.placements.gate import POLICY
from safeplace.web.forms.dates import DateField
from safeplace.web.forms.employers import spoc_fields
from safeplace.web.forms.fields import (
    CheckboxField,
    ChoiceField,
    EmailField,
    Field,
    HiddenField,
    TextField,
    UploadField,
    WholeNumberField,
    YesNoField,
)
from safeplace.web.forms.form import Form, Repeat
from safeplace.web.forms.money import MoneyField


def _address(whose: str = "", *, prefix: str = "address") -> tuple[Field, ...]:
    of = f" of {whose}" if whose else ""
    return (
        TextField(f"{prefix}.line1", "Address line 1", f"the first line of the address{of}"),
        TextField(
            f"{prefix}.line2", "Address line 2 (optional)", f"the second line of the address{of}", required=False
        ),
        TextField(f"{prefix}.town", "Town or city", f"the town or city{of}"),
        TextField(f"{prefix}.postcode", "Postcode", f"the postcode{of}"),
    )


def _site(number: int) -> tuple[Field, ...]:
    return (TextField("name", "Site name", f"the name of site {number}"), *_address(f"site {number}"))


class OrganisationForm(Form[Organisation]):
    model = Organisation
    fields = (
        TextField("legal_name", "Legal name", "the legal name"),
        TextField(
            "companies_house_number", "Companies House number (if you have one)", "the Companies House number",
            required=False, max_length=None, hint="8 characters, like 01234567 or SC123456",
            invalid_message="Enter a Companies House number of 8 characters, like 01234567 or SC123456",
        ),
        *_address(),
        TextField("sector", "Sector", "the sector", hint="For example, hospitality or construction"),
        WholeNumberField(
            "employees", "Number of employees", "the number of employees", minimum=1, maximum=1_000_000,
            hint="Everyone on your payroll, including part-time staff",
        ),
        TextField("main_contact.name", "Full name", "the main contact's full name"),
        EmailField("main_contact.email", "Email address", "the main contact's email address"),
        TextField("main_contact.phone", "Phone number", "the main contact's phone number"),
        Repeat("sites", _site, most=20),
    )  # fmt: skip


class SpocForm(Form[SpocAnswers]):
    model = SpocAnswers
    fields = (
        *spoc_fields("the SPOC's", posted_as="spoc.{}", within=("spoc",)),
        CheckboxField(
            "commitment",
            "We guarantee our SPOC will be available to give the assessor feedback, and takes responsibility for "
            "meeting the provider's requirements on our behalf",
        ),
    )


class SpocTrainingForm(Form[SpocTraining]):
    model = SpocTraining
    fields = (
        UploadField("a copy of the training certificate", path=("certificate",)),
        # The courses on offer are the training policy's: the model says which it accepts, and how to name another.
        ChoiceField("course", "Which course did your SPOC complete?", "the course"),
        TextField("other_course", "If you chose another course, its name", "the name of the course", required=False),
        TextField("training_provider", "Who ran the course?", "who ran the course"),
        DateField("completed_on", "When did your SPOC complete it?", "the date the SPOC completed the course"),
        ChoiceField("level", "What level was the training?", "the level of the training", options=tuple(TrainingLevel)),
    )


class InsuranceForm(Form[Insurance]):
    model = Insurance
    fields = (
        UploadField("a copy of the insurance certificate", path=("certificate",)),
        TextField("insurer", "Insurer", "the insurer"),
        TextField("policy_number", "Policy number", "the policy number"),
        MoneyField(
            "cover_gbp", "Amount of cover", "the amount of cover", minimum=1, maximum=1_000_000_000,
            example="£5,000,000 or 5m", hint=f"At least £{POLICY.minimum_insurance_cover_gbp:,}, like £5,000,000 or 5m",
        ),
        DateField("expires_on", "When does the policy end?", "the date the policy ends", hint="For example, 31 3 2027"),
    )  # fmt: skip


class HealthAndSafetyPolicyForm(Form[HealthAndSafetyPolicy]):
    model = HealthAndSafetyPolicy
    fields = (
        UploadField("a copy of your health and safety policy", path=("document",)),
        DateField(
            "reviewed_on", "When was the policy last reviewed?", "the date the policy was last reviewed",
            hint="For example, 12 9 2026",
        ),
    )  # fmt: skip


class RiskAssessmentForm(Form[RiskAssessment]):
    model = RiskAssessment
    fields = (
        UploadField("a copy of your risk assessment", path=("document",), required=False),
        DateField(
            "assessed_on", "When was the risk assessment done or last reviewed?", "the date of the risk assessment",
            hint="It must be less than a year old",
        ),
        YesNoField(
            "low_risk", "Is your workplace low risk, such as an office or a shop?",
            "whether your workplace is low risk",
            hint="If you answer no, upload the risk assessment above",
        ),
    )  # fmt: skip
    problems_go_to = (("Upload your risk assessment", "file"),)


class YoungPersonsForm(Form[YoungPersons]):
    model = YoungPersons
    fields = (
        UploadField("a copy of your young persons risk assessment", path=("document",), required=False),
        YesNoField(
            "takes_under_18", "Will learners aged 16 to 18 work with you?",
            "whether learners aged 16 to 18 will work with you",
        ),
        DateField(
            "assessed_on", "If yes, when did you assess the risks to young workers?",
            "the date you assessed the risks to young workers", required=False,
        ),
        TextField(
            "measures", "If yes, what have you put in place for learners under 18?",
            "what you have put in place for learners under 18", required=False, max_length=2000,
            hint="For example, tasks and equipment they will not use, supervision and working hours",
        ),
    )  # fmt: skip
    problems_go_to = (("Give the date of your young persons risk assessment", "assessed_on"),)

    def further_problems(self, read: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
        # The model asks for both in one sentence; the page asks for each where it is missing.
        if read.get("takes_under_18"):
            if read.get("assessed_on") is None and "assessed_on" in read:
                yield "assessed_on", "Enter the date you assessed the risks to young workers"
            if read.get("measures") == "":
                yield "measures", "Enter what you have put in place for learners under 18"


class SafeguardingArrangementsForm(Form[SafeguardingArrangements]):
    model = SafeguardingArrangements
    fields = (
        TextField(
            "concern_contact_name", "Who should a learner talk to at work about a concern?",
            "who a learner should talk to", hint="Their full name",
        ),
        TextField("concern_contact_role", "Their job title", "the job title of the person learners should talk to"),
        TextField(
            "how_learners_raise_concerns", "How will learners know who to talk to, and how to reach them?",
            "how learners will know who to talk to", max_length=2000,
        ),
        TextField(
            "how_you_tell_the_provider", "How will you tell us about a concern, and how quickly?",
            "how you will tell us about a concern", max_length=2000,
            hint="Our designated safeguarding lead's details are in the employer handbook",
        ),
    )  # fmt: skip


class MinimumRequirementsForm(Form[MinimumRequirementsAcceptance]):
    model = MinimumRequirementsAcceptance
    fields = (
        # The version the page showed: accepting words since replaced is refused by the automatic checks.
        HiddenField("version", default=minimum_requirements.CURRENT.version),
        TextField("accepted_by", "Your full name", "your full name"),
        CheckboxField("accepted", "I accept these requirements on behalf of the employer", "your acceptance"),
    )


SECTION_FORMS: dict[CheckType, type[Form[Any]]] = {
    CheckType.ORGANISATION: OrganisationForm,
    CheckType.SPOC: SpocForm,
    CheckType.SPOC_TRAINING: SpocTrainingForm,
    CheckType.EMPLOYERS_LIABILITY_INSURANCE: InsuranceForm,
    CheckType.HEALTH_AND_SAFETY_POLICY: HealthAndSafetyPolicyForm,
    CheckType.RISK_ASSESSMENT: RiskAssessmentForm,
    CheckType.YOUNG_PERSONS_RISK_ASSESSMENT: YoungPersonsForm,
    CheckType.SAFEGUARDING_ARRANGEMENTS: SafeguardingArrangementsForm,
    CheckType.MINIMUM_SAFEGUARDING_REQUIREMENTS: MinimumRequirementsForm,
}
