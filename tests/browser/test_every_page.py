"""The pages the journeys do not reach on their way: the footer's pages, a link that cannot be used, and printing a
record. Each page goes through Steps.check, which also checks it at 320 CSS pixels (no sideways scrolling, no axe
violation)."""

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from safeplace_local.employer_link import EmployerAtTheLink
from tests.browser.conftest import Steps, assert_prints_only_the_record
from tests.browser.test_skeleton_journey import STAFF, invite_through_the_api, place_a_learner, sign_in

pytestmark = pytest.mark.browser


def read_the_footer_pages(page: Page, steps: Steps, where: str) -> None:
    footer = page.get_by_role("contentinfo")
    footer.get_by_role("link", name="Privacy").click()
    expect(page.get_by_role("heading", name="Privacy notice", level=1)).to_be_visible()
    # The template's default retention settings, which the local runtime deploys
    expect(page.locator("#retention")).to_contain_text("7 years, as evidence for inspection")
    expect(page.locator("#retention")).to_contain_text("90 days after the link expires or is used")
    steps.check(page, f"privacy notice from {where}")
    page.get_by_role("contentinfo").get_by_role("link", name="Accessibility statement").click()
    expect(page.get_by_role("heading", name="Accessibility statement", level=1)).to_be_visible()
    expect(page.locator("#report")).to_contain_text("partnerships@example.org")  # the template's default
    steps.check(page, f"accessibility statement from {where}")
    page.get_by_role("contentinfo").get_by_role("link", name="Cookies").click()
    expect(page.get_by_role("heading", name="Cookies", level=1)).to_be_visible()
    # Served over http locally, the session cookie has no __Host- prefix (it must be Secure)
    expect(page.get_by_role("cell", name="safeplace_session", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="safeplace_sign_in", exact=True)).to_be_visible()
    steps.check(page, f"cookies from {where}")


def test_the_footer_pages_open_from_a_link_page_and_from_the_console_without_signing_in(
    runtime, page: Page, mobile_page: Page, steps: Steps
):
    # Given an employer's SPOC on the emailed link, on a phone
    link = invite_through_the_api(runtime, "Footbridge Florists", "Kai Brennan", "kai@footbridge.example")
    mobile_page.goto(link)
    expect(mobile_page.get_by_role("heading", name="Set up placements with us")).to_be_visible()
    # When they follow the footer's links, then each page is there for them
    read_the_footer_pages(mobile_page, steps, "a link page")
    # And for a member of staff who has not signed in, and one who has
    page.goto(f"{runtime.base_url}/staff/signed-out")
    read_the_footer_pages(page, steps, "the console signed out")
    sign_in(page, steps, runtime, STAFF)
    read_the_footer_pages(page, steps, "the console signed in")


def test_a_link_that_cannot_be_used_offers_a_new_one(runtime, mobile_page: Page, steps: Steps):
    mobile_page.goto(f"{runtime.base_url}/link/not-a-link-we-sent")
    # The wording of the link pages is being changed elsewhere: the heading is found by how it starts
    expect(mobile_page.get_by_role("heading", name=re.compile("^This link has expired"), level=1)).to_be_visible()
    steps.check(mobile_page, "unusable link")
    mobile_page.get_by_role("button", name="Email me a new link").click()
    expect(mobile_page.get_by_role("heading", name="Check your email")).to_be_visible()
    steps.check(mobile_page, "new link requested")


def test_printing_a_record_prints_the_record_not_the_forms_and_menus_around_it(runtime, page: Page, steps: Steps):
    # Given an employer that has sent its answers, and a member of staff at the employer's page
    link = invite_through_the_api(runtime, "Printworks Press", "Noor Haddad", "noor@printworks.example")
    employer = EmployerAtTheLink(link, date.today())
    employer.complete()
    assert employer.send().status_code == 200
    sign_in(page, steps, runtime, STAFF)
    page.get_by_role("link", name="Employers").first.click()
    page.get_by_role("link", name="Printworks Press").first.click()
    expect(page.get_by_role("heading", name="Printworks Press", level=1)).to_be_visible()
    # When they print it, then the record prints: its status, checks and history, without forms or menus
    assert_prints_only_the_record(
        page,
        page.get_by_role("heading", name="Printworks Press", level=1),
        page.locator("#employer-status"),
        page.get_by_role("table", name="Checks"),
        page.get_by_role("heading", name="History"),
        page.locator("#audit-trail"),
    )
    # And on screen the forms are back
    expect(page.get_by_role("link", name="Place a learner with Printworks Press")).to_be_visible()
    # And so does the list of placements, without its filter, once a learner is placed at its site
    place_a_learner(page, "Printworks Press", "Mill Lane bakery")
    expect(page).to_have_url(re.compile(r"/staff/placements\?"))
    assert_prints_only_the_record(page, page.get_by_role("table", name="Placements"))


def test_staff_correct_the_contact_of_an_invitation_and_it_goes_to_the_new_address(runtime, page: Page, steps: Steps):
    # Given an invitation sent to the wrong person
    invite_through_the_api(runtime, "Wrongway Wheels", "Pat Wrong", "pat@wrongway.example")
    sign_in(page, steps, runtime, STAFF)
    page.get_by_role("link", name="Employers").first.click()
    page.get_by_role("link", name="Wrongway Wheels").first.click()
    # When staff correct the contact from the employer's page
    page.get_by_role("link", name="Correct the contact and send the invitation to them").click()
    expect(page.get_by_role("heading", name="Correct the contact", level=1)).to_be_visible()
    steps.check(page, "correct the contact")
    page.get_by_label("Contact's full name").fill("Robin Right")
    page.get_by_label("Contact's email address").fill("robin@wrongway.example")
    page.get_by_role("button", name="Correct and send the invitation").click()
    # Then the page says so, and the new contact is emailed a link
    expect(page.get_by_text("Contact corrected, and the invitation sent to them")).to_be_visible()
    steps.check(page, "contact corrected")
    assert "/link/" in runtime.wait_for_link("robin@wrongway.example")
