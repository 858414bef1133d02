"""An event's times are kept as clocks in England read them: a time sent with an offset is moved to London's,
so every stored time compares with every other, and a list never breaks on one stored before this rule."""

import json
from datetime import date, time

import boto3
import pytest
from pydantic import ValidationError

from safeplace.core import clock
from safeplace.speakers.models import Event
from tests.support.project import load_event
from tests.unit.staff_api_support import call, staff_api_dependencies
from tests.unit.test_speaker_console import NOW, SAM, as_, get


@pytest.fixture
def deps(store, state_machine_arn, rollout_arn, speaker_arn, sesv2, evidence_bucket):
    return staff_api_dependencies(store, state_machine_arn, rollout_arn, speaker_arn)


SESSION = {"title": "Careers", "delivery": "online", "recorded": False, "streamed": False, "ends_at": "23:00"}


@pytest.mark.parametrize(
    ("on", "sent", "read"),
    [
        (date(2027, 6, 21), "10:00:00+01:00", time(10, 0)),  # British Summer Time
        (date(2027, 6, 21), "09:00Z", time(10, 0)),
        (date(2027, 1, 18), "10:00+00:00", time(10, 0)),  # Greenwich Mean Time
        (date(2027, 1, 18), "10:30", time(10, 30)),
    ],
)
def test_a_time_with_an_offset_is_kept_as_london_reads_it(on, sent, read):
    event = Event.model_validate({**SESSION, "on": on, "starts_at": sent})
    assert event.starts_at == read and event.starts_at.tzinfo is None


@pytest.mark.parametrize(
    ("on", "sent"), [(date(2027, 6, 21), "23:30-05:00"), (date.max, "23:30-05:00"), (date.min, "00:30+05:00")]
)
def test_a_time_whose_offset_moves_it_to_another_day_is_refused(on, sent):
    with pytest.raises(ValidationError, match="as clocks in England read it"):
        Event.model_validate({**SESSION, "on": on, "starts_at": sent})


def a_request_starting(at: str) -> dict:
    event = load_event("staff_api_request_speaker_booking.json")
    body = json.loads(event["body"])
    body["event"]["starts_at"] = at
    event["body"] = json.dumps(body)
    return event


def test_bookings_with_and_without_offsets_on_one_day_are_both_taken_and_listed(deps):
    # Given a booking at 10:00, When another is asked for at 10:00+01:00 on the same day
    with clock.simulate(NOW):
        plain = call(a_request_starting("10:00"), deps)
        offset = call(a_request_starting("09:30:00+01:00"), deps)
    assert (plain["statusCode"], offset["statusCode"]) == (201, 201), offset["body"]
    assert json.loads(offset["body"])["request"]["event"]["starts_at"] == "09:30:00"
    # Then every list shows both, soonest first
    listed = load_event("staff_api_list_employers.json")
    listed["path"] = "/api/speakers"
    with clock.simulate(NOW):
        items = json.loads(call(listed, deps)["body"])["items"]
    assert [b["starts_at"] for b in items] == ["09:30:00", "10:00:00"]


def test_a_booking_stored_with_an_offset_before_the_rule_still_lists(deps, store):
    # Given two bookings on one day, one of them stored (before this rule) with an offset in its times
    with clock.simulate(NOW):
        call(a_request_starting("10:00"), deps)
        odd = json.loads(call(a_request_starting("10:15"), deps)["body"])["id"]
    table = boto3.resource("dynamodb").Table(store.table.name)
    key = {"PK": f"BOOKING#{odd}", "SK": "BOOKING"}
    item = table.get_item(Key=key)["Item"]
    item["booking"]["request"]["event"]["starts_at"] = "10:30:00+01:00"
    item["summary"]["starts_at"] = "10:30:00+01:00"
    table.put_item(Item=item)
    # When the lists and the register are read, Then each answers, with the time as London reads it
    sam = as_(SAM, deps)
    page = get(deps, "/staff/speakers", sam)
    register = get(deps, "/staff/speaker-register.csv", sam)
    listed = load_event("staff_api_list_employers.json")
    listed["path"] = "/api/speakers"
    with clock.simulate(NOW):
        api = call(listed, deps)
    assert (page["statusCode"], register["statusCode"], api["statusCode"]) == (200, 200, 200)
    assert [b["starts_at"] for b in json.loads(api["body"])["items"]] == ["10:00:00", "10:30:00"]
    assert deps.store.bookings.get_booking(odd).request.event.starts_at == time(10, 30)
