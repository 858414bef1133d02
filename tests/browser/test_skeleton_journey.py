"""The skeleton journey in headless Chromium: every page screenshotted and checked with axe."""

import re
import time

import pytest
import requests
from playwright.sync_api import expect

from tests.browser.conftest import Journey

pytestmark = pytest.mark.browser


def sign_in(journey: Journey, runtime, user: str) -> None:
    journey.page.goto(f"{runtime.base_url}/staff")
    expect(journey.page.get_by_role("heading", name="Dev sign-in")).to_be_visible()
    journey.check("sign in")
    journey.page.get_by_role("button", name=f"Sign in as {user}").click()


def test_staff_invite_an_employer_who_answers_by_the_emailed_link_on_a_phone(runtime, desk: Journey, phone: Journey):
    page = desk.page
    sign_in(desk, runtime, "sam.staff@example.org")
    expect(page.get_by_role("heading", name="What needs doing")).to_be_visible()
    desk.check("console home")

    page.get_by_role("link", name="Invite an employer").first.click()
    expect(page.get_by_role("heading", name="Invite an employer")).to_be_visible()
    desk.check("invite form")

    # A mistake first: the error summary names it and links to the field
    page.get_by_label("Employer name").fill("Riverside Care Home")
    page.get_by_label("Contact's full name").fill("Jo Okafor")
    page.get_by_label("Contact's email address").fill("jo at riverside")
    page.get_by_role("button", name="Send invitation").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(page).to_have_title(re.compile("^Error: "))
    desk.check("invite form with an error")
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Contact's email address")).to_be_focused()

    page.get_by_label("Contact's email address").fill("jo@riverside.example")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to jo@riverside.example")).to_be_visible()
    employer_url = page.url.split("?")[0]
    desk.check("employer after the invitation")

    # The employer's SPOC opens the emailed link on a phone
    link = runtime.wait_for_link("jo@riverside.example")
    mobile = phone.page
    mobile.goto(link)
    expect(mobile.get_by_role("heading", name="Tell us about your organisation")).to_be_visible()
    assert mobile.evaluate("document.scrollingElement.scrollWidth") <= 320, "the page scrolls sideways at 320 px"
    phone.check("employer form")

    mobile.get_by_role("button", name="Continue").click()
    expect(mobile.get_by_role("alert")).to_contain_text("Enter the legal name")
    phone.check("employer form with errors")

    mobile.get_by_label("Legal name").fill("Riverside Care Ltd")
    mobile.get_by_label("Companies House number (if you have one)").fill("07654321")
    mobile.get_by_label("Address line 1").fill("12 Quay Street")
    mobile.get_by_label("Town or city").fill("Bristol")
    mobile.get_by_label("Postcode").fill("bs1 4dj")
    mobile.get_by_label("Sector").fill("Adult social care")
    mobile.get_by_label("Number of employees").fill("42")
    mobile.get_by_label("SPOC's full name").fill("Jo Okafor")
    mobile.get_by_label("SPOC's job title").fill("Registered manager")
    mobile.get_by_label("SPOC's email address").fill("jo.okafor@riverside.example")
    mobile.get_by_label("SPOC's phone number").fill("0117 496 0123")
    mobile.get_by_label(re.compile("We guarantee our SPOC")).check()
    mobile.get_by_role("button", name="Continue").click()
    expect(mobile.get_by_role("heading", name="Check your answers before sending them")).to_be_visible()
    expect(mobile.get_by_text("BS1 4DJ")).to_be_visible()
    assert mobile.evaluate("document.scrollingElement.scrollWidth") <= 320
    phone.check("check your answers")

    mobile.get_by_role("button", name="Send your details").click()
    expect(mobile.get_by_role("heading", name="Details sent")).to_be_visible()
    phone.check("confirmation")

    mobile.goto(link)
    expect(mobile.get_by_role("heading", name="This link has expired or has already been used")).to_be_visible()
    phone.check("used link")

    # Back at the desk, the employer has moved on once the workflow validated the submission
    deadline = time.monotonic() + 20
    while True:
        page.goto(employer_url)
        if "Submitted, awaiting review" in page.content() or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    expect(page.locator("#employer-status")).to_contain_text("Submitted, awaiting review")
    expect(page.get_by_text("Organisation and SPOC details sent by the employer")).to_be_visible()
    desk.check("employer after the submission")

    page.get_by_role("link", name="Employers").first.click()
    page.get_by_label("Name contains").fill("riverside")
    page.get_by_role("button", name="Show employers").click()
    expect(page.get_by_role("link", name="Riverside Care Home")).to_be_visible()
    desk.check("employer search")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="You have signed out")).to_be_visible()
    desk.check("signed out")

    # A reviewer decides each check: a rejection without a reason is explained, then both are approved
    sign_in(desk, runtime, "rae.reviewer@example.org")
    page.goto(employer_url)
    page.get_by_label("Reject and return it to the employer").first.check()
    page.get_by_role("button", name="Record decision on organisation details").click()
    expect(page.get_by_role("alert")).to_contain_text("Say what the employer needs to put right")
    desk.check("review with an error")
    page.get_by_label("Approve").first.check()
    page.get_by_role("button", name="Record decision on organisation details").click()
    expect(page.get_by_text("Decision recorded")).to_be_visible()
    page.get_by_label("Approve").first.check()
    page.get_by_role("button", name="Record decision on single point of contact (spoc)").click()
    expect(page.locator("#employer-status")).to_contain_text("Onboarding checks passed")
    desk.check("checks passed")


def test_a_reviewer_is_shown_a_clear_403_page_for_inviting(runtime, desk: Journey):
    sign_in(desk, runtime, "rae.reviewer@example.org")
    response = desk.page.goto(f"{runtime.base_url}/staff/employers/new")
    assert response is not None and response.status == 403
    expect(desk.page.get_by_role("heading", name="You cannot do this")).to_be_visible()
    expect(desk.page.get_by_text("this needs one of these roles: admin, staff")).to_be_visible()
    desk.check("forbidden")


def test_the_accessibility_check_fails_on_a_serious_problem(desk: Journey):
    # An unlabelled field and an image without alternative text: axe rates these serious or critical.
    desk.page.set_content('<html lang="en"><title>t</title><main><input type="text"><img src="x.png"></main></html>')
    with pytest.raises(AssertionError, match="label"):
        desk.check("broken page")


def test_placing_a_learner_with_an_employer_whose_checks_are_incomplete_saves_it_blocked(runtime, desk: Journey):
    staff_api = requests.Session()
    staff_api.cookies.set("safeplace_dev_user", "sam.staff@example.org")
    staff_api.post(
        f"{runtime.base_url}/api/employers",
        json={"employer_name": "Harbour Cafe", "contact_name": "Lin Wu", "contact_email": "lin@harbour.example"},
        timeout=10,
    ).raise_for_status()
    page = desk.page
    sign_in(desk, runtime, "sam.staff@example.org")
    page.get_by_role("link", name="Placements").first.click()
    page.get_by_role("link", name="Place a learner").click()
    desk.check("placement form")
    page.get_by_label("Learner reference").fill("L-2027-0042")
    page.get_by_label("Learner's date of birth").fill("2010-03-04")
    page.get_by_label("Employer", exact=True).select_option(label="Harbour Cafe (invited)")
    page.get_by_label("Site where the learner will work").fill("Quayside kitchen")
    page.get_by_label("Start date").fill("2027-09-06")
    page.get_by_label("Assessor").fill("Pat Assessor")
    page.get_by_role("button", name="Check and save the placement").click()
    banner = page.get_by_role("alert")
    expect(banner).to_contain_text("L-2027-0042 cannot start with Harbour Cafe yet")
    expect(banner).to_contain_text("Missing: the employer's organisation details")
    expect(banner).to_contain_text("(the learner is 16 to 18)")
    desk.check("blocked placement")
