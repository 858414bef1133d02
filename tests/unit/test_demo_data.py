"""The demo's employers: each answers as itself, so that a person trying the demo can tell them apart."""

from collections import defaultdict
from datetime import date

from safeplace_local import demo

TODAY = date(2026, 12, 2)
# What one employer would never share with another: who it is, where, who to talk to, its insurance.
OWN = (
    "legal_name",
    "companies_house_number",
    "address.line1",
    "address.postcode",
    "main_contact.name",
    "main_contact.email",
    "main_contact.phone",
    "sites.0.name",
    "spoc.name",
    "spoc.email",
    "spoc.phone",
    "insurer",
    "policy_number",
    "measures",
    "concern_contact_name",
    "how_learners_raise_concerns",
    "accepted_by",
)


def test_no_two_demo_employers_give_the_same_answer_to_what_is_their_own():
    # Given the answers each demo employer fills in at its link
    answering = [e for e in demo._EMPLOYERS if "answer" in e]
    assert len(answering) >= 3
    given: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for employer in answering:
        for section, form in demo.answers(employer, TODAY).items():
            for field in OWN:
                if form.get(field):
                    given[(section, field)][employer["invite"]["employer_name"]] = form[field]
    # Then no value of its own is another's too
    shared = {key: by for key, by in given.items() if len(set(by.values())) < len(by)}
    assert shared == {}
    # And each employer's organisation and SPOC are answered as itself: its own name and contact's address
    for employer in answering:
        organisation = demo.answers(employer, TODAY)["organisation"]
        name = employer["invite"]["employer_name"]
        assert organisation["legal_name"].startswith(name)
        assert organisation["main_contact.email"] == employer["invite"]["contact_email"]


def test_an_employer_that_sends_everything_answers_every_section_with_its_own_dates():
    # Given the employer whose answers wait for review, and the one whose training runs out soon
    moorside, hollins = (
        next(e for e in demo._EMPLOYERS if e["invite"]["employer_name"] == name)
        for name in ("Moorside Garage", "Hollins Bakery")
    )
    # When their answers are filled in
    theirs, ours = demo.answers(moorside, TODAY), demo.answers(hollins, TODAY)
    # Then they answer every section, with dates of their own
    assert set(theirs) == set(ours) and "minimum_safeguarding_requirements" in theirs
    insurance = theirs["employers_liability_insurance"]
    assert (insurance["expires_on-day"], insurance["expires_on-month"], insurance["expires_on-year"]) == (
        "30",
        "6",
        "2027",
    )
    # And Hollins Bakery's SPOC completed the training 304 days ago, so that it runs out in 61
    training = ours["spoc_training"]
    assert (training["completed_on-day"], training["completed_on-month"], training["completed_on-year"]) == (
        "1",
        "2",
        "2026",
    )
