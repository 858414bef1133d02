"""The local runtime's own pages, as a person trying the demo uses them: the outbox shows each email as its recipient
sees it (under the page's own strict policy, nothing in it running), and the clock's pages read plainly."""

from datetime import UTC, datetime

import requests
from playwright.sync_api import Browser, Page, expect

from safeplace_local import clock_pages
from safeplace_local.local_cognito import DEV_USER_COOKIE
from tests.browser.conftest import DESK, Steps

CONTACT = "ines@harbourcafe.example"


def invite(runtime, name: str, contact: str, email: str) -> str:
    staff = requests.Session()
    staff.cookies.set(DEV_USER_COOKIE, "sam.staff@example.org")
    invitation = {"employer_name": name, "contact_name": contact, "contact_email": email}
    staff.post(f"{runtime.base_url}/api/employers", json=invitation, timeout=10).raise_for_status()
    link: str = runtime.wait_for_link(email)
    return link


def test_the_outbox_shows_an_invitation_as_sent_with_its_link_named_under_its_own_policy(
    runtime, browser: Browser, page: Page, steps: Steps
):
    # Given an employer invited by email
    link = invite(runtime, "Harbour Cafe", "Ines Costa", CONTACT)
    # When a person opens the outbox in a browser that keeps the page's content security policy
    strict = browser.new_context(viewport=DESK, locale="en-GB", timezone_id="Europe/London")
    try:
        outbox = strict.new_page()
        said: list[str] = []
        outbox.on("console", lambda message: said.append(message.text))
        outbox.goto(f"{runtime.base_url}/_local/outbox?to={CONTACT}")
        # Then the email shows in its frame as its recipient sees it, its button styled by its inline styles
        email = outbox.frame_locator("iframe.local-email")
        button = email.get_by_role("link", name="Start the checks")
        expect(button).to_be_visible()
        assert button.evaluate("a => getComputedStyle(a).backgroundColor") == "rgb(29, 92, 99)"
        # And nothing in the page was refused by its policy
        assert [m for m in said if "Content Security Policy" in m] == []
        # And the link is listed outside the frame by what the email calls it
        expect(outbox.get_by_role("heading", name="Links in this email")).to_be_visible()
        assert outbox.get_by_role("link", name="Start the checks", exact=True).first.get_attribute("href") == link
    finally:
        strict.close()
    # And the page is accessible
    page.goto(f"{runtime.base_url}/_local/outbox?to={CONTACT}")
    steps.check(page, "outbox")


def test_the_clock_and_the_days_lived_through_read_plainly_and_are_accessible(runtime, page: Page, steps: Steps):
    # When a person opens the clock's page
    page.goto(f"{runtime.base_url}/_local/clock")
    # Then it says what the date is, and offers to move it on or live through days
    expect(page.get_by_text("The simulated date is")).to_be_visible()
    expect(page.get_by_role("heading", name="What happens next")).to_be_visible()
    expect(page.get_by_role("button", name="Live through them")).to_be_visible()
    steps.check(page, "clock")
    # And the page of days lived through, as the runtime renders it, is accessible too (lived through here by
    # hand: moving the shared runtime's clock would change the days the other tests rely on)
    days = [
        {
            "day": "2027-01-05",
            "fired": [{"schedule": "DailySweep", "result": {"reminded": ["e-1/spoc_training/30"]}}],
            "emails": [{"sent_at": "2027-01-05T06:15:02+00:00", "to": [CONTACT], "subject": "Reminder"}],
        }
    ]
    lived = clock_pages.lived(datetime(2027, 1, 6, 9, 0, tzinfo=UTC), 1, days, {"e-1": "Harbour Cafe"})
    page.set_content(lived)
    expect(page.get_by_role("heading", name="Tuesday 5 January 2027")).to_be_visible()
    expect(page.get_by_text("Harbour Cafe was sent a reminder")).to_be_visible()
    steps.check(page, "days lived through")
