"""A speaker booking over HTTP against the local runtime, as people make it: a member of staff requests it in
the console, the approver the rating routes it to decides from the emailed link, the speaker confirms the
conditions from theirs, staff record how the event went, and the register exports it for an inspector."""

import csv
import io
import time
from datetime import date, timedelta

import pytest
import requests

from tests.integration.sign_in import csrf_token, signed_in
from tests.support.builders import a_booking_form

pytestmark = pytest.mark.integration

STAFF = "sam.staff@example.org"
REVIEWER = "rae.reviewer@example.org"
DSL = "dee.dsl@example.org"


def a_form(page_html: str, speaker: str, organisation: str, email: str, **changes: str) -> dict[str, str]:
    on = date.today() + timedelta(days=60)
    who = {"speaker.name": speaker, "speaker.organisation": organisation, "speaker.email": email}
    return a_booking_form(on, csrf_token=csrf_token(page_html), **who, **changes)


def test_a_request_from_the_console_is_decided_by_link_confirmed_by_the_speaker_and_exported(runtime):
    unique = time.monotonic_ns()
    speaker, organisation, email = f"Priya {unique}", f"Northern Cyber {unique}", f"priya+{unique}@example.org"
    staff = signed_in(runtime, STAFF)
    # When a member of staff requests a low-risk booking from the console
    form = staff.get(f"{runtime.base_url}/staff/speakers/new", timeout=10)
    details = a_form(form.text, speaker, organisation, email)
    sent = staff.post(f"{runtime.base_url}/staff/speakers", data=details, timeout=10)
    assert sent.status_code == 200 and "Request sent" in sent.text, sent.text
    booking_id = sent.url.split("/staff/speakers/")[1].split("?")[0]
    assert 'data-risk="low"' in sent.text and "Record decision" not in sent.text
    # Then the reviewers' shared inbox is sent a link to decide it, and a reviewer approves with a condition
    decision = runtime.wait_for_email("compliance@example.org", f"speaker booking, {speaker}")
    [link] = [u for u in decision["links"] if u.endswith("/speaker-decision")]
    approved = requests.post(link, data=[("decision", "approve"), ("conditions", "opposing_view")], timeout=10)
    assert approved.status_code == 200, approved.text
    # And the requester is told, and the speaker confirms the conditions from their own link
    runtime.wait_for_email(STAFF, f"Approved: your speaker booking for {speaker}")
    conditions = runtime.wait_for_email(email, "please confirm the conditions")
    assert "An opposing view is offered" in conditions["text"]
    [speaker_link] = [u for u in conditions["links"] if u.endswith("/speaker")]
    confirmed = requests.post(speaker_link, data={"agreed": "yes", "typed_name": speaker}, timeout=10)
    assert confirmed.status_code == 200, confirmed.text
    page = staff.get(f"{runtime.base_url}/staff/speakers/{booking_id}", timeout=10).text
    assert f"{speaker} confirmed the conditions" in page
    # And the register finds it, and exports it with the decision, who made it and the condition
    found = staff.get(f"{runtime.base_url}/api/speakers", params={"search": speaker}, timeout=10).json()["items"]
    assert [b["id"] for b in found] == [booking_id]
    exported = staff.get(f"{runtime.base_url}/staff/speaker-register.csv", timeout=10)
    [row] = [r for r in csv.DictReader(io.StringIO(exported.text)) if r["booking"] == booking_id]
    assert (row["decision"], row["decided by"], row["through"]) == ("approve", "compliance@example.org", "emailed link")
    assert row["conditions, reason or question"] == "An opposing view is offered"
    assert row["speaker acknowledged at"]


def test_a_risky_request_is_the_dsls_and_a_reviewer_is_told_why_not(runtime):
    unique = time.monotonic_ns()
    speaker = f"Sam Orator {unique}"
    staff = signed_in(runtime, STAFF)
    form = staff.get(f"{runtime.base_url}/staff/speakers/new", timeout=10)
    risky = a_form(form.text, speaker, f"Debate Club {unique}", f"orator+{unique}@example.org",
                           **{"event.delivery": "online", "event.venue": "", "materials.link": ""})  # fmt: skip
    sent = staff.post(f"{runtime.base_url}/staff/speakers", data=risky, timeout=10)
    assert sent.status_code == 200 and 'data-risk="medium"' in sent.text
    booking_id = sent.url.split("/staff/speakers/")[1].split("?")[0]
    reviewer_page = signed_in(runtime, REVIEWER).get(f"{runtime.base_url}/staff/speakers/{booking_id}", timeout=10)
    assert "Record decision" not in reviewer_page.text and "the DSL decides" in reviewer_page.text
    assert runtime.wait_for_email("dsl@example.org", f"speaker booking, {speaker}")
    dsl = signed_in(runtime, DSL)
    page = dsl.get(f"{runtime.base_url}/staff/speakers/{booking_id}", timeout=10)
    declined = dsl.post(
        f"{runtime.base_url}/staff/speakers/{booking_id}/decision",
        data={"csrf_token": csrf_token(page.text), "decision": "decline", "reason": "Nothing to review in advance"},
        timeout=10,
    )
    assert declined.status_code == 200 and "Declined" in declined.text
    runtime.wait_for_email(STAFF, f"Declined: your speaker booking for {speaker}")
