"""Input that is well formed but makes no sense is refused, in words, and nothing is stored: an event long gone or
centuries away, a learner of 13 or 101, a date given as a number, hidden characters in a name or an answer."""

import json
from datetime import timedelta

import pytest
from pydantic import TypeAdapter, ValidationError

from safeplace.core import clock
from safeplace.core.types import LongText, Text
from safeplace.placements.models import PlacementRequest
from tests.support.aws import sent_emails
from tests.support.builders import EVENT, a_booking_form, an_employer
from tests.support.project import load_event
from tests.support.records import invite
from tests.unit.staff_api_support import SAM, call, staff_api_dependencies
from tests.unit.test_speaker_console import NOW, as_, post

TODAY = NOW.date()


@pytest.fixture
def deps(store, state_machine_arn, rollout_arn, speaker_arn, sesv2, evidence_bucket):
    return staff_api_dependencies(store, state_machine_arn, rollout_arn, speaker_arn)


def api(deps, name: str, changed) -> dict:
    event = load_event(name)
    event["body"] = json.dumps(changed(json.loads(event["body"])))
    with clock.simulate(NOW):
        return call(event, deps)


def on(day: str):
    def change(body: dict) -> dict:
        body["event"]["on"] = day
        return body

    return change


def listed_bookings(deps) -> list:
    return deps.store.bookings.booking_page("", cursor=None, limit=10).items


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("0001-01-01", "The date of the event must be today or in the future"),
        ((TODAY - timedelta(days=1)).isoformat(), "The date of the event must be today or in the future"),
        ("9999-12-31", "The date of the event must be within the next 2 years"),
        (TODAY.replace(year=TODAY.year + 2, day=TODAY.day + 1).isoformat(), "The date of the event must be within"),
    ],
)
def test_a_speaker_event_out_of_range_is_refused_by_the_api_and_the_form(deps, day, message):
    # When a booking is asked for on that day through the API
    refused = api(deps, "staff_api_request_speaker_booking.json", on(day))
    # Then it is a 400 that says why, and nothing is stored
    assert refused["statusCode"] == 400 and message in json.loads(refused["body"])["message"]
    # And the form says so beside the date, keeping what was typed
    year, month, dd = day.split("-")
    sent = a_booking_form(EVENT) | {"event.on-day": dd, "event.on-month": month, "event.on-year": year}
    page = post(deps, "/staff/speakers", sent, as_(SAM, deps))
    assert page["statusCode"] == 400, page["body"]
    assert f'<a href="#event-on-day">{message}' in page["body"]
    assert listed_bookings(deps) == []


@pytest.mark.parametrize("day", [TODAY, TODAY.replace(year=TODAY.year + 2)])
def test_an_event_today_or_two_years_ahead_is_taken(deps, day):
    assert api(deps, "staff_api_request_speaker_booking.json", on(day.isoformat()))["statusCode"] == 201


def a_placement(**changes) -> dict:
    return {
        "learner_reference": "L-1",
        "date_of_birth": "2010-03-04",
        "employer_id": "emp-0123456789ab",
        "site": "Quayside",
        "start_date": "2027-09-06",
        "assessor": "Pat",
    } | changes


@pytest.mark.parametrize(
    "born",
    [
        "2013-09-07",  # 14 the day after the start
        "1926-09-05",  # 101 the day before
        0,  # read as 1 January 1970 if allowed
        1_000_000_000,
    ],
)
def test_a_learner_is_14_to_100_on_the_start_date_and_a_date_is_never_a_number(born):
    with pytest.raises(ValidationError):
        PlacementRequest.model_validate(a_placement(date_of_birth=born, learner_reference="L-001"))


@pytest.mark.parametrize("born", ["2013-09-06", "1927-09-06"])
def test_a_learner_of_exactly_14_or_100_on_the_start_date_is_placed(born):
    assert PlacementRequest.model_validate(a_placement(date_of_birth=born, learner_reference="L-001"))


def test_the_api_refuses_a_date_of_birth_given_as_a_number(deps):
    employer = invite(deps.store, an_employer(clock.now()))
    with clock.simulate(NOW):
        event = load_event("staff_api_invite_employer.json")
        event.update(path="/api/placements", body=json.dumps(a_placement(employer_id=employer.id, date_of_birth=0)))
        refused = call(event, deps)
    assert refused["statusCode"] == 422 and "Enter a date, like 2027-09-06" in refused["body"]
    assert deps.store.placements.employer_placements(employer.id) == []


HIDDEN = ["Acme\x00Ltd", "Acme\x07", "Ac\x85me", "\u202eetirw", "Kim\u2066Hollins", "Kim\tHollins", "Kim\nHollins"]


@pytest.mark.parametrize("name", HIDDEN)
def test_a_name_with_a_hidden_character_is_refused(name):
    with pytest.raises(ValidationError, match="Remove the hidden characters"):
        TypeAdapter(Text).validate_python(name)


def test_longer_text_keeps_its_lines_and_tabs_but_not_other_hidden_characters():
    assert (
        TypeAdapter(LongText).validate_python("One line.\r\nAnother\twith a tab.")
        == "One line.\r\nAnother\twith a tab."
    )
    for hidden in ("\x00", "\x1b[31m", "\u202e", "\x9b"):
        with pytest.raises(ValidationError, match="Remove the hidden characters"):
            TypeAdapter(LongText).validate_python(f"Text {hidden} here")


def test_an_invitation_to_a_name_with_a_nul_is_refused_and_no_email_goes(deps):
    # When staff invite an employer whose name carries a NUL, on the page and through the API
    page = post(deps, "/staff/employers", {"employer_name": "Hollins\x00Bakery", "contact_name": "Kim Hollins",
                                          "contact_email": "kim@hollins.example"}, as_(SAM, deps))  # fmt: skip
    refused = api(deps, "staff_api_invite_employer.json", lambda body: body | {"contact_name": "Kim\u202eHollins"})
    # Then both are refused in words, nothing is stored and no email is sent
    assert page["statusCode"] == 400 and "Remove the hidden characters" in page["body"]
    assert refused["statusCode"] == 422 and "Remove the hidden characters" in refused["body"]
    assert deps.store.employers.employer_page(None, "", cursor=None, limit=10).items == []
    assert sent_emails() == []


def test_a_speaker_name_with_a_text_direction_override_is_refused(deps):
    def override(body: dict) -> dict:
        body["speaker"]["name"] = "Priya \u202eShah"
        return body

    refused = api(deps, "staff_api_request_speaker_booking.json", override)
    assert refused["statusCode"] == 422 and "speaker.name" in refused["body"]
    assert listed_bookings(deps) == []
