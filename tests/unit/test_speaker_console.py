"""Speaker bookings in the staff console and the JSON API: the request form with its errors, the booking page
with its checks and rating, who is offered the decision, decisions, resending after a question, recording how
the event went, the searchable register and its CSV."""

import csv
import io
import json
import re
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode

import pytest

from safeplace.core import clock
from safeplace.speakers.booking import BookingStatus
from safeplace.speakers.list_bookings import list_bookings
from safeplace.staff.models import Role, StaffUser
from safeplace_local.employer_link import PDF
from tests.support.aws import EVIDENCE_BUCKET
from tests.support.builders import EVENT, a_booking_form
from tests.support.handlers import header
from tests.support.project import load_event
from tests.unit.staff_api_support import RAE, SAM, call, console_get, signed_in_as, staff_api_dependencies

DEE = StaffUser(username="dee.dsl@example.org", email="dee.dsl@example.org", roles=frozenset({Role.DSL}))
NOW = datetime(2027, 6, 4, 10, 0, tzinfo=UTC)


@pytest.fixture
def deps(store, state_machine_arn, rollout_arn, speaker_arn, sesv2, evidence_bucket):
    return staff_api_dependencies(store, state_machine_arn, rollout_arn, speaker_arn)


FORM = a_booking_form(EVENT)


def as_(user: StaffUser, deps, at: datetime = NOW) -> tuple[str, str]:
    """A session started when the request is made: the clock here is the booking's, not today's."""
    with clock.simulate(at):
        return signed_in_as(user, deps)


def post(deps, path: str, form: dict[str, str] | str, session) -> dict:
    event = load_event("staff_api_invite_employer_form.json")
    event.update({"path": path, "body": form if isinstance(form, str) else urlencode(form)})
    with clock.simulate(NOW):
        return call(event, deps, session=session)


def get(deps, path: str, session, at: datetime = NOW) -> dict:
    path, _, query = path.partition("?")
    event = console_get(path)
    if query:
        event["queryStringParameters"] = dict(parse_qsl(query))
        event["multiValueQueryStringParameters"] = {k: [v] for k, v in parse_qsl(query)}
    with clock.simulate(at):
        return call(event, deps, session=session)


def requested_through_the_form(deps, **changes: str) -> str:
    response = post(deps, "/staff/speakers", FORM | changes, as_(SAM, deps))
    assert response["statusCode"] == 303, response["body"]
    location: str = response["multiValueHeaders"]["Location"][0]
    return location.split("/staff/speakers/")[1].split("?")[0]


def test_the_request_form_explains_each_mistake_and_keeps_what_was_typed(deps):
    # When a member of staff leaves out the speaker's email and ends the event before it starts
    bad = FORM | {"speaker.email": "", "event.ends_at": "09:00", "audience.under_18": ""}
    response = post(deps, "/staff/speakers", bad, as_(SAM, deps))
    # Then the page says what is wrong, in words, links to each field, and keeps the rest
    assert response["statusCode"] == 400
    body = response["body"]
    assert '<a href="#speaker-email">Enter the speaker&#39;s email address</a>' in body
    assert '<a href="#audience-under_18">Select whether learners under 18 attend</a>' in body
    assert '<a href="#event-ends_at">The end time must be after the start time, on the same day</a>' in body
    assert 'value="Careers in cyber security"' in body
    assert list_bookings(bookings=deps.store.bookings).items == []


def test_a_request_from_the_console_shows_its_checks_and_rating_and_only_a_colleague_may_decide(deps):
    booking_id = requested_through_the_form(deps)
    # The requester sees the checks and rating, and why they cannot decide it themselves
    page = get(deps, f"/staff/speakers/{booking_id}?done=requested", as_(SAM, deps))["body"]
    assert "Request sent: the checks ran" in page and 'data-risk="low"' in page
    assert 'id="check-lead_time"' in page and "Record decision" not in page
    assert "https://social.example/@priya" in page and 'href="https://social.example/@priya"' not in page
    # And a reviewer decides, with conditions
    rae = as_(RAE, deps)
    assert "Record decision" in get(deps, f"/staff/speakers/{booking_id}", rae)["body"]
    empty = post(deps, f"/staff/speakers/{booking_id}/decision", "", rae)
    assert empty["statusCode"] == 400
    assert "Select whether to approve, decline or ask the requester for more information" in empty["body"]
    decision = "decision=approve&conditions=staff_chair&conditions=materials_reviewed&other_conditions=No+filming"
    assert post(deps, f"/staff/speakers/{booking_id}/decision", decision, rae)["statusCode"] == 303
    booking = deps.store.bookings.get_booking(booking_id)
    assert booking.status is BookingStatus.APPROVED
    assert booking.decisions[-1].made.condition_labels == [
        "A member of staff chairs the session",
        "The materials are reviewed before the event",
        "No filming",
    ]
    # And deciding again is refused as already decided
    again = post(deps, f"/staff/speakers/{booking_id}/decision", "decision=decline&reason=No", rae)
    assert again["statusCode"] == 409 and "already been decided" in again["body"]


def test_a_risky_booking_is_the_dsls_to_decide_and_the_question_goes_back_to_the_requester(deps):
    booking_id = requested_through_the_form(deps, **{"materials.link": "", "audience.under_18": "yes",
                                                    "audience.age_range.youngest": "16"})  # fmt: skip
    rae_page = get(deps, f"/staff/speakers/{booking_id}", as_(RAE, deps))["body"]
    assert "Record decision" not in rae_page and "the DSL decides" in rae_page
    dee = as_(DEE, deps)
    asked = post(deps, f"/staff/speakers/{booking_id}/decision", "decision=ask&question=Send+the+slides", dee)
    assert asked["statusCode"] == 303
    # The requester changes the request from a form filled in with what they sent, and resends it
    sam = as_(SAM, deps)
    form = get(deps, f"/staff/speakers/{booking_id}/edit", sam)["body"]
    assert "The approver asked: Send the slides" in form and 'value="Priya Shah"' in form
    fixed = FORM | {"audience.under_18": "yes", "audience.age_range.youngest": "16",
                    "materials.link": "https://northern-cyber.example.org/slides.pdf"}  # fmt: skip
    assert post(deps, f"/staff/speakers/{booking_id}/request", fixed, sam)["statusCode"] == 303
    resent = deps.store.bookings.get_booking(booking_id)
    assert resent.status is BookingStatus.AWAITING_DECISION and str(resent.request.materials.link).endswith(
        "slides.pdf"
    )


def test_how_the_event_went_is_recorded_after_the_day(deps):
    booking_id = requested_through_the_form(deps)
    post(deps, f"/staff/speakers/{booking_id}/decision", "decision=approve", as_(RAE, deps))
    assert "Record how it went" not in get(deps, f"/staff/speakers/{booking_id}", as_(SAM, deps))["body"]
    after = datetime.combine(EVENT, NOW.timetz())
    sam = as_(SAM, deps, after)
    assert "Record how it went" in get(deps, f"/staff/speakers/{booking_id}", sam, at=after)["body"]
    with clock.simulate(after):
        event = load_event("staff_api_invite_employer_form.json")
        event.update({"path": f"/staff/speakers/{booking_id}/event", "body": "conditions_met=no&concerns="})
        refused = call(event, deps, session=sam)
        assert refused["statusCode"] == 400 and "Say which condition was not kept" in refused["body"]
        event.update({"body": "conditions_met=no&concerns=Leaflets+we+had+not+seen"})
        assert call(event, deps, session=sam)["statusCode"] == 303
    record = deps.store.bookings.get_booking(booking_id).event_record
    assert record is not None and record.concerns == "Leaflets we had not seen"


def test_the_json_api_requests_lists_searches_and_exports(deps):
    with clock.simulate(NOW):
        created = call(load_event("staff_api_request_speaker_booking.json"), deps)
        assert created["statusCode"] == 201, created["body"]
        booking = json.loads(created["body"])
        assert booking["rating"]["level"] == "low" and booking["request"]["requested_by"] == "sam.staff@example.org"
        bad = load_event("staff_api_request_speaker_booking.json")
        bad["body"] = json.dumps(json.loads(bad["body"]) | {"staff_present": "not an address"})
        refused = call(bad, deps)
        assert refused["statusCode"] == 422 and "staff_present" in refused["body"]
        listed = load_event("staff_api_list_employers.json")
        listed.update({"path": "/api/speakers", "queryStringParameters": {"search": "northern"},
                       "multiValueQueryStringParameters": {"search": ["northern"]}})  # fmt: skip
        assert [b["id"] for b in json.loads(call(listed, deps)["body"])["items"]] == [booking["id"]]
    download = get(deps, "/staff/speaker-register.csv", as_(SAM, deps))
    assert download["multiValueHeaders"]["Content-Disposition"][0].startswith("attachment")
    [row] = list(csv.DictReader(io.StringIO(download["body"])))
    assert (row["booking"], row["speaker"], row["risk"]) == (booking["id"], "Priya Shah", "low")


def test_the_requester_uploads_the_materials_which_are_checked_and_the_approver_opens(deps, evidence_bucket):
    # Given a request sent without materials, so the DSL decides it
    booking_id = requested_through_the_form(deps, **{"materials.link": ""})
    assert deps.store.bookings.get_booking(booking_id).rating.level.value == "medium"
    sam = as_(SAM, deps)
    # When the requester opens the upload form, it posts straight to S3 under a key for this booking
    form = get(deps, f"/staff/speakers/{booking_id}/materials", sam)
    assert form["statusCode"] == 200 and "multipart/form-data" in form["body"]
    key = re.search(r'name="key" value="([^"]+)"', form["body"]).group(1)  # type: ignore[union-attr]
    assert key.startswith(f"speaker-materials/{booking_id}/")
    assert "form-action 'self' https://" in header(form, "Content-Security-Policy")
    # And a file that is not what it claims is refused and deleted
    evidence_bucket.put_object(Bucket=EVIDENCE_BUCKET, Key=key, Body=b"<script>alert(1)</script>")
    refused = get(deps, f"/staff/speakers/{booking_id}/materials/uploaded?key={key}", sam)
    assert refused["statusCode"] == 400 and "must be a PDF, a PowerPoint or Word file" in refused["body"]
    assert "Contents" not in evidence_bucket.list_objects_v2(Bucket=EVIDENCE_BUCKET, Prefix=key)
    # And an empty file is refused and deleted too
    evidence_bucket.put_object(Bucket=EVIDENCE_BUCKET, Key=key, Body=b"")
    empty = get(deps, f"/staff/speakers/{booking_id}/materials/uploaded?key={key}", sam)
    assert empty["statusCode"] == 400 and "The selected file is empty" in empty["body"]
    assert "Contents" not in evidence_bucket.list_objects_v2(Bucket=EVIDENCE_BUCKET, Prefix=key)
    # And another booking's key is refused
    elsewhere = get(deps, f"/staff/speakers/{booking_id}/materials/uploaded?key=speaker-materials/bkg-0/x", sam)
    assert elsewhere["statusCode"] == 400 and "does not belong to this booking" in elsewhere["body"]
    # When a real PDF arrives, the booking refers to it and the checks run again: now low risk
    evidence_bucket.put_object(Bucket=EVIDENCE_BUCKET, Key=key, Body=PDF)
    accepted = get(deps, f"/staff/speakers/{booking_id}/materials/uploaded?key={key}", sam)
    assert accepted["statusCode"] == 303
    booking = deps.store.bookings.get_booking(booking_id)
    assert booking.request.materials.file_key == key and booking.rating.level.value == "low"
    # And only the requester may upload; a reviewer opens the file through a five-minute link, audited
    rae = as_(RAE, deps)
    assert get(deps, f"/staff/speakers/{booking_id}/materials", rae)["statusCode"] == 403
    opened = get(deps, f"/staff/speakers/{booking_id}/materials/file", rae)
    assert opened["statusCode"] == 303 and "X-Amz-Expires=300" in opened["multiValueHeaders"]["Location"][0]
    assert "response-content-disposition=attachment" in opened["multiValueHeaders"]["Location"][0]
    entries, _ = deps.store.audit.audit_trail(booking.subject)
    assert [e.action for e in entries][-2:] == ["booking.materials_uploaded", "booking.materials_opened"]


def test_a_request_resent_without_a_link_keeps_the_file_uploaded_for_it(deps, evidence_bucket):
    # Given a request whose materials were uploaded, and the DSL asked a question about it
    booking_id = requested_through_the_form(deps, **{"materials.link": ""})
    sam = as_(SAM, deps)
    form = get(deps, f"/staff/speakers/{booking_id}/materials", sam)
    key = re.search(r'name="key" value="([^"]+)"', form["body"]).group(1)  # type: ignore[union-attr]
    evidence_bucket.put_object(Bucket=EVIDENCE_BUCKET, Key=key, Body=PDF)
    assert get(deps, f"/staff/speakers/{booking_id}/materials/uploaded?key={key}", sam)["statusCode"] == 303
    asked = post(deps, f"/staff/speakers/{booking_id}/decision", "decision=ask&question=Who+chairs", as_(DEE, deps))
    assert asked["statusCode"] == 303
    # When the requester changes the request, which the form shows without a link, and sends it again
    edit = get(deps, f"/staff/speakers/{booking_id}/edit", sam)["body"]
    assert 'name="materials.link" type="text" spellcheck="false" value=""' in edit
    assert "Leave blank to keep the file you uploaded: a link replaces it" in edit
    assert post(deps, f"/staff/speakers/{booking_id}/request", FORM | {"materials.link": ""}, sam)["statusCode"] == 303
    # Then the booking still refers to the uploaded file
    resent = deps.store.bookings.get_booking(booking_id)
    assert resent.status is BookingStatus.AWAITING_DECISION
    assert (resent.request.materials.file_key, resent.request.materials.link) == (key, None)
