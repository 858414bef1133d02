"""The handbook in headless Chromium: an admin changes the text, checks a copy and how many SPOCs are emailed,
and publishes a material version; the SPOC reads and signs for their copy on a phone, and staff see the receipt
verified and the SPOC signed on the version's page. Every page is screenshotted and checked with axe."""

import re
import time
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from safeplace_local.employer_link import EmployerAtTheLink
from tests.browser.conftest import Steps
from tests.browser.test_skeleton_journey import STAFF, sign_in
from tests.integration.sign_in import signed_in

pytestmark = pytest.mark.browser

ADMIN = "ada.admin@example.org"
REVIEWER = "rae.reviewer@example.org"


def an_employer_whose_checks_passed(
    runtime, spoc: str, name: str = "Quayside Kitchens", changes: dict[str, dict[str, str]] | None = None
) -> str:
    """Invited, answered through the link (with `changes` to the usual answers) and approved, over HTTP: what comes
    before the handbook."""
    invited = signed_in(runtime, STAFF).post(
        f"{runtime.base_url}/api/employers",
        json={"employer_name": name, "contact_name": "Ama Mensah", "contact_email": f"main.{spoc}"},
        timeout=10,
    )
    invited.raise_for_status()
    employer_id: str = invited.json()["id"]
    employer = EmployerAtTheLink(runtime.wait_for_link(f"main.{spoc}"), date.today())
    employer.complete(None, {"spoc": {"spoc.name": "Ama Mensah", "spoc.email": spoc}, **(changes or {})})
    employer.send().raise_for_status()
    reviewer = signed_in(runtime, REVIEWER)
    url = f"{runtime.base_url}/api/employers/{employer_id}"
    deadline = time.monotonic() + 20
    while reviewer.get(url, timeout=10).json()["employer"]["status"] != "submitted" and time.monotonic() < deadline:
        time.sleep(0.2)
    for check in reviewer.get(url, timeout=10).json()["employer"]["checks"]:
        if check["status"] == "submitted":
            reviewer.post(f"{url}/checks/{check['type']}", json={"decision": "approve"}, timeout=10).raise_for_status()
    return employer_id


def test_an_admin_publishes_and_the_spoc_signs_for_their_copy_on_a_phone(
    runtime, page: Page, mobile_page: Page, steps: Steps
):
    spoc = f"ama.{time.monotonic_ns()}@quayside.example"
    employer_id = an_employer_whose_checks_passed(runtime, spoc)
    # An admin publishes a material version from the console
    sign_in(page, steps, runtime, ADMIN)
    page.get_by_role("navigation", name="Staff menu").get_by_role("link", name="Handbook").click()
    expect(page.get_by_role("heading", name="Employer handbook", level=1)).to_be_visible()
    steps.check(page, "handbook versions")
    page.get_by_role("button", name="Change the handbook and publish a new version").click()
    text = page.get_by_label("Handbook text")
    expect(text).to_have_value(re.compile("^## "))
    steps.check(page, "handbook editor")
    # What they type is plain text: it starts with a heading, and markup in it stays words
    text.fill("Park at the back.")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_be_visible()
    steps.check(page, "handbook editor with errors")
    page.get_by_label("What changed").fill("Absence to be reported by 10am on the first day")
    text.fill(
        "## Absence\n\nTell us by 10am on the first day: {absence_email}\n\n"
        "- Ring {dsl_phone} if you are worried <script>alert(1)</script>"
    )
    page.get_by_label("Yes, it is a material change").check()
    page.get_by_role("button", name="Continue").click()
    # The check page says how many SPOCs publishing emails, before anything is sent
    expect(page.get_by_role("heading", name=re.compile(r"Check version \d+ before you publish it"))).to_be_visible()
    expect(page.locator("#spocs")).to_contain_text(re.compile(r"Publishing emails \d+ SPOCs? their copy"))
    steps.check(page, "check before publishing")
    with page.context.expect_page() as opened:
        page.get_by_role("button", name="See an employer's copy (opens in a new tab)").click()
    copy = opened.value
    expect(copy.get_by_role("heading", name="1. Absence")).to_be_visible()
    expect(copy.get_by_text("if you are worried <script>alert(1)</script>")).to_be_visible()
    copy.close()
    page.get_by_role("button", name=re.compile(r"Publish and email \d+ SPOCs?")).click()
    published = page.get_by_text(re.compile(r"Version \d+ published"))
    expect(published).to_be_visible()
    number = re.search(r"Version (\d+) published", published.inner_text()).group(1)  # type: ignore[union-attr]
    steps.check(page, "published")
    # The SPOC opens the emailed link for that version on a phone, reads the handbook and signs
    phone = mobile_page
    email = runtime.wait_for_email(spoc, f"Please read and acknowledge: our employer handbook, version {number},")
    link = next(u for u in email["links"] if u.endswith("/handbook"))
    phone.goto(link)
    expect(phone.get_by_role("heading", name=re.compile(r"Our employer handbook, version \d+"))).to_be_visible()
    steps.check(phone, "handbook to sign")
    phone.goto(f"{link}/document")
    expect(phone.get_by_role("heading", name=re.compile("Employer handbook: safeguarding"))).to_be_visible()
    expect(phone.get_by_text("Quayside Kitchens").first).to_be_visible()
    expect(phone.get_by_role("heading", name="1. Absence")).to_be_visible()
    steps.check(phone, "the handbook itself")
    phone.goto(link)
    phone.get_by_role("button", name="Confirm and sign").click()
    expect(phone.get_by_role("alert")).to_be_visible()
    steps.check(phone, "signing with errors")
    for box in phone.get_by_role("checkbox").all():
        box.check()
    phone.get_by_label("Type your full name to sign").fill("Ama Mensah")
    phone.get_by_role("button", name="Confirm and sign").click()
    expect(phone.get_by_role("heading", name="Handbook acknowledged")).to_be_visible()
    steps.check(phone, "signed")
    # Staff see the receipt on the employer's page, verified against the stored copy
    page.goto(f"{runtime.base_url}/staff/employers/{employer_id}")
    page.get_by_role("link", name=re.compile("Receipt and verification")).click()
    expect(page.get_by_text("The stored document is exactly the one the SPOC signed for")).to_be_visible()
    steps.check(page, "receipt verified")
    # And its history quotes the receipt's short reference; the full fingerprint stays on the receipt's page
    page.goto(f"{runtime.base_url}/staff/employers/{employer_id}")
    signed = page.locator("#audit-trail li").filter(has_text="Employer handbook acknowledged by the SPOC")
    expect(signed).to_contain_text(re.compile(r"receipt reference: [0-9A-F]{4}-[0-9A-F]{4}"))
    expect(signed).not_to_contain_text(re.compile(r"[0-9a-f]{64}"))
    steps.check(page, "employer history with the receipt reference")
    # And the version's page lists the SPOC as signed
    page.goto(f"{runtime.base_url}/staff/handbook/{number}")
    expect(page.locator("#spocs")).to_contain_text("Signed")
    steps.check(page, "who has signed")


def test_an_employer_names_a_new_spoc_through_the_link_of_a_renewal_reminder_on_a_phone(
    runtime, mobile_page: Page, steps: Steps
):
    # Given an approved employer whose insurance runs out in under a week (too soon for the reminder schedule,
    # so it is reminded at once)
    unique = time.monotonic_ns()
    spoc, name = f"ama.{unique}@harbourside.example", f"Harbourside Bakery {unique}"
    runs_out = date.today() + timedelta(days=6)
    insurance = {f"expires_on-{part}": str(getattr(runs_out, part)) for part in ("day", "month", "year")}
    an_employer_whose_checks_passed(runtime, spoc, name, {"employers_liability_insurance": insurance})
    # When the daily sweep reminds them, with a fresh link to their task list
    runtime.fire_schedules()
    reminder = runtime.wait_for_email(spoc, f"Employer's liability insurance for {name} runs out in")
    phone = mobile_page
    phone.goto(next(u for u in reminder["links"] if "/link/" in u))
    expect(phone.get_by_role("heading", name="Set up placements with us")).to_be_visible()
    steps.check(phone, "task list of an approved employer")
    # Then they can name a new SPOC there, and are told what is missing first
    phone.get_by_role("link", name="Name a new SPOC").click()
    expect(phone.get_by_role("heading", name="Name a new SPOC", level=1)).to_be_visible()
    steps.check(phone, "new spoc")
    phone.get_by_role("button", name="Name the new SPOC").click()
    expect(phone.get_by_role("alert")).to_be_visible()
    steps.check(phone, "new spoc with errors")
    phone.get_by_label("Their full name").fill("Ola Nowak")
    phone.get_by_label("Their job title").fill("Bakery supervisor")
    phone.get_by_label("Their own work email address").fill(f"ola.{unique}@harbourside.example")
    phone.get_by_label("Their phone number").fill("0117 496 0456")
    phone.get_by_role("button", name="Name the new SPOC").click()
    expect(phone.get_by_role("heading", name="New SPOC named")).to_be_visible()
    steps.check(phone, "new spoc named")
