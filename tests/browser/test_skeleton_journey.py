"""The skeleton journey in headless Chromium: every page screenshotted and checked with axe.

Elements are found by role and label, as a person (or a screen reader) finds them; text is asserted sparingly,
because the pages' wording is still being polished.
"""

import re
import time

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import PHONE, Steps
from tests.integration.sign_in import signed_in

pytestmark = pytest.mark.browser

STAFF = "sam.staff@example.org"
REVIEWER = "rae.reviewer@example.org"
SUBMITTED = "Submitted, awaiting review"

# The employer's answers, by the label of each field on the link page.
EMPLOYER_ANSWERS = {
    "Legal name": "Riverside Care Ltd",
    "Companies House number": "07654321",
    "Address line 1": "12 Quay Street",
    "Town or city": "Bristol",
    "Postcode": "bs1 4dj",
    "Sector": "Adult social care",
    "Number of employees": "42",
    "SPOC's full name": "Jo Okafor",
    "SPOC's job title": "Registered manager",
    "SPOC's email address": "jo.okafor@riverside.example",
    "SPOC's phone number": "0117 496 0123",
}


def sign_in(page: Page, steps: Steps, runtime, user: str) -> None:
    page.goto(f"{runtime.base_url}/_local/sign-in")
    expect(page.get_by_role("heading", name="Dev sign-in")).to_be_visible()
    steps.check(page, "sign in")
    page.get_by_role("button", name=f"Sign in as {user}").click()
    expect(page).to_have_url(re.compile(r"/staff$"))


def invite_through_the_api(runtime, name: str, contact: str, email: str) -> str:
    """An invitation made without the browser, for tests about what comes after it: the emailed link."""
    staff = signed_in(runtime, STAFF)
    staff.post(
        f"{runtime.base_url}/api/employers",
        json={"employer_name": name, "contact_name": contact, "contact_email": email},
        timeout=10,
    ).raise_for_status()
    return runtime.wait_for_link(email)


def fill_in_the_employer_form(page: Page, **by_label: str) -> None:
    for label, value in (EMPLOYER_ANSWERS | by_label).items():
        page.get_by_label(label).fill(value)
    page.get_by_role("checkbox").check()  # the SPOC commitment, the form's only checkbox


def assert_the_error_summary_leads_to(page: Page, field: Locator) -> None:
    """GOV.UK's error pattern: "Error:" in the title; a summary whose one link goes to, and focuses, the field."""
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    link = summary.get_by_role("link")
    expect(link).to_have_count(1)
    expect(link).to_have_attribute("href", f"#{field.get_attribute('id')}")
    # The message next to the field is the one in the summary, and a screen reader hears it with the field.
    expect(field).to_have_accessible_description(re.compile(re.escape(link.inner_text().strip())))
    link.click()
    expect(field).to_be_focused()


def assert_no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.scrollingElement.scrollWidth")
    if width > PHONE["width"]:
        wider = page.evaluate(
            """(limit) => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > limit)
                .slice(0, 5).map(e => e.outerHTML.slice(0, 120))""",
            PHONE["width"],
        )
        pytest.fail(f"{page.url} scrolls sideways at {PHONE['width']} px (scrollWidth {width}); wider: {wider}")


def reload_until(page: Page, url: str, text: str, timeout: float = 20.0) -> None:
    """The workflow validates a submission after the page answers; the employer's page catches up in a moment."""
    deadline = time.monotonic() + timeout
    page.goto(url)
    while page.get_by_text(text).count() == 0 and time.monotonic() < deadline:
        time.sleep(0.3)
        page.goto(url)


def test_staff_invite_an_employer_who_answers_the_emailed_link_on_a_phone(
    runtime, page: Page, mobile_page: Page, steps: Steps
):
    sign_in(page, steps, runtime, STAFF)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    steps.check(page, "console home")

    page.get_by_role("link", name="Invite an employer").first.click()
    expect(page.get_by_role("heading", name="Invite an employer")).to_be_visible()
    steps.check(page, "invite form")

    page.get_by_label("Employer name").fill("Riverside Care Home")
    page.get_by_label("Contact's full name").fill("Jo Okafor")
    page.get_by_label("Contact's email address").fill("jo at riverside")
    page.get_by_role("button", name="Send invitation").click()
    steps.check(page, "invite form with an error")
    assert_the_error_summary_leads_to(page, page.get_by_label("Contact's email address"))

    page.get_by_label("Contact's email address").fill("jo@riverside.example")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("heading", name="Riverside Care Home", level=1)).to_be_visible()
    employer_url = page.url.split("?")[0]
    steps.check(page, "employer after the invitation")

    # The invitation email reaches the outbox; the employer's SPOC opens its link on a phone
    link = runtime.wait_for_link("jo@riverside.example")
    phone = mobile_page
    phone.goto(link)
    expect(phone.get_by_role("heading", name="Tell us about your organisation")).to_be_visible()
    steps.check(phone, "link page")

    # One mistake first: the town typed where the postcode goes
    fill_in_the_employer_form(phone, Postcode="Bristol")
    phone.get_by_role("button", name="Continue").click()
    steps.check(phone, "link page with an error")
    assert_the_error_summary_leads_to(phone, phone.get_by_label("Postcode"))

    phone.get_by_label("Postcode").fill("bs1 4dj")  # everything else was kept
    phone.get_by_role("button", name="Continue").click()
    expect(phone.get_by_role("heading", name="Check your answers before sending them")).to_be_visible()
    expect(phone.get_by_text("BS1 4DJ")).to_be_visible()
    steps.check(phone, "check your answers")

    phone.get_by_role("button", name="Send your details").click()
    expect(phone.get_by_role("heading", name="Details sent")).to_be_visible()
    steps.check(phone, "confirmation")

    phone.goto(link)
    expect(phone.get_by_role("heading", name="This link has expired or has already been used")).to_be_visible()
    steps.check(phone, "used link")

    # Back at the desk: the employer has moved on once the workflow validated the submission, and says how
    reload_until(page, employer_url, SUBMITTED)
    expect(page.locator("#employer-status")).to_contain_text(SUBMITTED)
    expect(page.get_by_role("heading", name="History")).to_be_visible()
    history = page.get_by_role("listitem")
    expect(history.filter(has_text="Invited to onboard")).to_have_count(1)
    expect(history.filter(has_text="Organisation and SPOC details sent by the employer")).to_have_count(1)
    steps.check(page, "employer after the submission")

    page.get_by_role("link", name="Employers").first.click()
    page.get_by_label("Name contains").fill("riverside")
    page.get_by_role("button", name="Show employers").click()
    expect(page.get_by_role("link", name="Riverside Care Home")).to_be_visible()
    steps.check(page, "employer search")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="You have signed out")).to_be_visible()
    steps.check(page, "signed out")

    # A reviewer decides each check: a rejection without a reason is explained, then both are approved
    sign_in(page, steps, runtime, REVIEWER)
    page.goto(employer_url)
    page.get_by_label("Reject and return it to the employer").first.check()
    page.get_by_role("button", name="Record decision on organisation details").click()
    expect(page.get_by_role("alert")).to_contain_text("Say what the employer needs to put right")
    steps.check(page, "review with an error")
    page.get_by_label("Approve").first.check()
    page.get_by_role("button", name="Record decision on organisation details").click()
    expect(page.get_by_text("Decision recorded")).to_be_visible()
    page.get_by_label("Approve").first.check()
    page.get_by_role("button", name="Record decision on single point of contact (spoc)").click()
    expect(page.locator("#employer-status")).to_contain_text("Onboarding checks passed")
    steps.check(page, "checks passed")


def test_the_link_pages_do_not_scroll_sideways_at_320_px(runtime, mobile_page: Page, steps: Steps):
    link = invite_through_the_api(runtime, "Northgate Joinery", "Ola Nowak", "ola@northgate.example")
    phone = mobile_page
    phone.goto(link)
    expect(phone.get_by_role("heading", name="Tell us about your organisation")).to_be_visible()
    steps.screenshot(phone, "link page")
    assert_no_sideways_scroll(phone)

    phone.get_by_role("button", name="Continue").click()  # nothing filled in: an error by every field
    expect(phone.get_by_role("alert")).to_be_visible()
    steps.screenshot(phone, "link page with every error")
    assert_no_sideways_scroll(phone)

    long_address = "ola.nowak.registered.manager@northgate-joinery.example"
    fill_in_the_employer_form(phone, **{"SPOC's email address": long_address})
    phone.get_by_role("button", name="Continue").click()
    expect(phone.get_by_role("button", name="Send your details")).to_be_visible()
    steps.screenshot(phone, "check your answers")
    assert_no_sideways_scroll(phone)


def test_a_reviewer_is_shown_a_clear_403_page_for_inviting(runtime, page: Page, steps: Steps):
    sign_in(page, steps, runtime, REVIEWER)
    response = page.goto(f"{runtime.base_url}/staff/employers/new")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", name="You cannot do this")).to_be_visible()
    expect(page.get_by_text("this needs one of these roles: admin, staff")).to_be_visible()
    steps.check(page, "forbidden")


def test_the_accessibility_check_fails_on_a_serious_problem(page: Page, steps: Steps):
    # An unlabelled field and an image without alternative text: axe rates these serious or critical.
    page.set_content('<html lang="en"><title>t</title><main><input type="text"><img src="x.png"></main></html>')
    with pytest.raises(AssertionError) as failure:
        steps.check(page, "broken page")
    assert "- label (critical)" in str(failure.value) and "- image-alt (critical)" in str(failure.value)
    assert (steps.folder / "01-broken-page.axe.json").is_file()


def test_placing_a_learner_with_an_employer_whose_checks_are_incomplete_saves_it_blocked(
    runtime, page: Page, steps: Steps
):
    invite_through_the_api(runtime, "Harbour Cafe", "Lin Wu", "lin@harbour.example")
    sign_in(page, steps, runtime, STAFF)
    page.get_by_role("link", name="Placements").first.click()
    page.get_by_role("link", name="Place a learner").click()
    steps.check(page, "placement form")
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
    steps.check(page, "blocked placement")
