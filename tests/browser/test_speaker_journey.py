"""An external speaker booking in headless Chromium: a member of staff requests it, the approver decides it
through the emailed link on a phone, and the speaker confirms the conditions on a phone. Every page is
screenshotted and checked with axe.

The runtime is shared by the whole session, and the speaker register rates a speaker or organisation declined
earlier as high risk, so this test's speaker and organisation have names no other test uses.
"""

import csv
import io
import re
import time
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Steps, assert_prints_only_the_record
from tests.browser.test_skeleton_journey import (
    STAFF,
    assert_the_error_summary_leads_to,
    reload_until,
    sign_in,
)

pytestmark = pytest.mark.browser

# The local runtime's shared inbox for the reviewers: a low-risk booking's decision link goes there.
COMPLIANCE_TEAM = "compliance@example.org"
# The automated checks by the id of their row on the booking page, and the label CheckName gives each.
CHECKS = {
    "completeness": "Details given",
    "lead_time": "Notice given",
    "register": "Speaker register",
    "under_18": "Learners under 18",
    "online": "Online or streamed",
    "materials": "Materials",
}
CONDITIONS = ("A member of staff chairs the session", "The materials are reviewed before the event")


def answer(page: Page, question: str, choice: str) -> None:
    """Choose a radio by its label within the fieldset whose legend asks the question ("No" is on every one)."""
    page.get_by_role("group", name=question, exact=True).get_by_label(choice, exact=True).check()


def fill_the_request(page: Page, *, title: str, speaker: str, organisation: str, on: date) -> None:
    """Everything the checks want, for an adult audience in the room: a request the policy rates low risk.
    The speaker's email address is left for the caller."""
    page.get_by_label("Title", exact=True).fill(title)
    when = page.get_by_role("group", name="Date", exact=True)
    when.get_by_label("Day").fill(str(on.day))
    when.get_by_label("Month").fill(str(on.month))
    when.get_by_label("Year").fill(str(on.year))
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("End time").fill("11:00")
    answer(page, "Where is it held?", "In person")
    page.get_by_label("Venue", exact=True).fill("Main hall, Quay Street campus")
    answer(page, "Will the session be recorded?", "No")
    answer(page, "Will it be streamed to people outside the room?", "No")
    page.get_by_label("How many people will attend?").fill("60")
    page.get_by_label("Youngest age").fill("19")
    page.get_by_label("Oldest age").fill("45")
    answer(page, "Will any learners under 18 attend?", "No")
    page.get_by_label("Which cohort or group?").fill("Adult access to nursing, evening class")
    page.get_by_label("Full name", exact=True).fill(speaker)
    page.get_by_label("Role", exact=True).fill("Community nurse and trainer")
    page.get_by_label("Organisation", exact=True).fill(organisation)
    page.get_by_label("Website", exact=True).fill("https://bridgeworks.example/")
    page.get_by_label("Social media links").fill("https://social.example/@bridgeworks")
    page.get_by_label("Short biography").fill("Twenty years in community nursing; trains new district nurses.")
    page.get_by_label("Topic", exact=True).fill("Careers in community nursing")
    page.get_by_label("Outline", exact=True).fill("A day in the life, routes into the job, and questions.")
    page.get_by_label("Link to the slides or materials").fill("https://bridgeworks.example/slides.pdf")
    page.get_by_label("Email address of the member of staff who will be there throughout").fill(STAFF)


def test_staff_request_a_speaker_the_approver_decides_on_a_phone_and_the_speaker_confirms(
    runtime, page: Page, mobile_page: Page, steps: Steps
):
    unique = time.monotonic_ns()
    speaker = f"Priya Raman {unique}"
    organisation = f"Bridgeworks Trust {unique}"
    speaker_email = f"priya.{unique}@bridgeworks.example"
    title = f"Careers talk {unique}"
    on = date.today() + timedelta(days=70)

    # Given a member of staff at the speaker register
    sign_in(page, steps, runtime, STAFF)
    page.get_by_role("navigation", name="Staff menu").get_by_role("link", name="Speakers").click()
    expect(page.get_by_role("heading", name="External speakers", level=1)).to_be_visible()
    steps.check(page, "speaker register")
    page.get_by_role("button", name="Request a speaker booking").click()
    expect(page.get_by_role("heading", name="Request a speaker booking", level=1)).to_be_visible()

    # When they send the request without the speaker's email address, the error summary leads to it
    fill_the_request(page, title=title, speaker=speaker, organisation=organisation, on=on)
    page.get_by_role("button", name="Check and send the request").click()
    steps.check(page, "speaker request with an error")
    email_field = page.get_by_label("Email address", exact=True)
    assert_the_error_summary_leads_to(page, email_field)

    # And then give it (everything else was kept) and send it
    expect(page.get_by_label("Full name", exact=True)).to_have_value(speaker)
    email_field.fill(speaker_email)
    page.get_by_role("button", name="Check and send the request").click()

    # Then the booking shows what the checks found and its rating, and its requester may not decide it
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Request sent")
    booking_url = page.url.split("?")[0]
    expect(page.locator("#booking-status")).to_have_text("Awaiting a decision")
    expect(page.get_by_role("heading", name="Automated checks")).to_be_visible()
    for check, label in CHECKS.items():
        expect(page.locator(f"#check-{check} dt")).to_have_text(label)
        expect(page.locator(f"#check-{check} [data-outcome]")).to_have_text("Passed")
    expect(page.locator("[data-outcome=flagged]")).to_have_count(0)
    expect(page.locator("[data-risk]")).to_have_text("Low risk")
    expect(page.get_by_role("button", name="Record decision")).to_have_count(0)
    expect(page.locator("#why-not")).to_contain_text("You asked for this booking")
    steps.check(page, "booking requested")
    page.get_by_role("button", name="Upload the slides or handout").click()
    expect(page.get_by_role("heading", name="Upload the slides or handout", level=1)).to_be_visible()
    steps.check(page, "materials upload")
    page.goto(booking_url)

    # When the compliance team's approver opens the emailed decision link on a phone
    needed = runtime.wait_for_email(COMPLIANCE_TEAM, f"Decision needed: low risk speaker booking, {speaker} on")
    phone = mobile_page
    phone.goto(next(u for u in needed["links"] if u.endswith("/speaker-decision")))
    expect(phone.get_by_role("heading", name="Decide on a speaker booking", level=1)).to_be_visible()
    expect(phone.get_by_text(f"{speaker}, {organisation}")).to_be_visible()
    expect(phone.locator("[data-risk]")).to_have_text("Low risk")
    steps.check(phone, "decision on a phone")

    # And records a decision without choosing one, they are told to choose
    phone.get_by_role("button", name="Record decision").click()
    expect(phone).to_have_title(re.compile(r"^Error: "))
    expect(phone.get_by_role("alert")).to_contain_text(
        "Select whether to approve, decline or ask the requester for more information"
    )
    steps.check(phone, "decision with an error")

    # Each decision opens only its own questions: the reason under decline, the conditions under approve
    expect(phone.get_by_label("Why you decline")).to_be_hidden()
    expect(phone.get_by_label(CONDITIONS[0])).to_be_hidden()
    phone.get_by_role("radio", name="Decline").check()
    expect(phone.get_by_label("Why you decline")).to_be_visible()
    expect(phone.get_by_label("What the requester needs to tell you")).to_be_hidden()
    steps.check(phone, "decision with the reason open")

    # And then approve it on two conditions
    phone.get_by_role("radio", name="Approve").check()
    expect(phone.get_by_label("Why you decline")).to_be_hidden()
    for condition in CONDITIONS:
        phone.get_by_label(condition).check()
    phone.get_by_role("button", name="Record decision").click()
    expect(phone.get_by_role("heading", name="Decision recorded")).to_be_visible()
    for condition in CONDITIONS:
        expect(phone.get_by_role("listitem").filter(has_text=condition)).to_have_count(1)
    steps.check(phone, "decision recorded")

    # Then the requester sees it approved at their desk
    reload_until(page, booking_url, "Approved")
    expect(page.locator("#booking-status")).to_have_text("Approved")
    expect(page.locator("#decisions")).to_contain_text(f"Approved by {COMPLIANCE_TEAM} (emailed link)")
    expect(page.locator("#speaker-acknowledgement")).to_contain_text("has not yet confirmed")
    steps.check(page, "booking approved")
    # Printed, the booking is the record of the decision, without the forms that act on it
    assert_prints_only_the_record(
        page,
        page.get_by_role("heading", name=title, level=1),
        page.locator("#booking-status"),
        page.locator("#decisions"),
        page.get_by_role("heading", name="Automated checks"),
    )

    # When the speaker opens the link they were emailed on a phone, they read the conditions and the code
    conditions_email = runtime.wait_for_email(speaker_email, "please confirm the conditions")
    phone.goto(next(u for u in conditions_email["links"] if u.endswith("/speaker")))
    expect(phone.get_by_role("heading", name="Confirm the conditions of your session", level=1)).to_be_visible()
    for condition in CONDITIONS:
        expect(phone.locator("#conditions")).to_contain_text(condition)
    expect(phone.get_by_role("heading", name="Code of conduct for visiting speakers")).to_be_visible()
    expect(phone.locator("#code-of-conduct li").first).to_be_visible()
    steps.check(phone, "conditions on a phone")

    # And agree to them, signing with their full name
    phone.get_by_label("I will keep to these conditions and the code of conduct").check()
    phone.get_by_label("Type your full name").fill(speaker)
    phone.get_by_role("button", name="Confirm").click()
    expect(phone.get_by_role("heading", name="Conditions confirmed")).to_be_visible()
    steps.check(phone, "conditions confirmed")

    # Then the booking says the speaker confirmed
    page.goto(booking_url)
    expect(page.locator("#speaker-acknowledgement")).to_contain_text(
        f"{speaker} confirmed the conditions and the code of conduct"
    )
    steps.check(page, "speaker confirmed")

    # And a search of the register finds the one booking
    page.get_by_role("link", name="Back to the speaker register").click()
    page.get_by_label("Speaker or organisation").fill(speaker)
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#result-count")).to_have_text("1 booking found")
    expect(page.locator("#bookings tbody tr")).to_have_count(1)
    expect(page.get_by_role("link", name=title)).to_be_visible()
    steps.check(page, "register search")

    # And the register an inspector downloads has the decision
    download = page.get_by_role("link", name="Download the register (CSV)")
    expect(download).to_be_visible()
    answer = page.request.get(download.evaluate("a => a.href"))
    assert answer.ok and answer.headers["content-type"].startswith("text/csv")
    rows = [r for r in csv.DictReader(io.StringIO(answer.text())) if r["speaker"] == speaker]
    assert [(r["organisation"], r["decision"], r["status"], r["risk"]) for r in rows] == [
        (organisation, "approve", "approved", "low")
    ]
    assert rows[0]["speaker acknowledged at"]
