"""The skeleton journey in headless Chromium: every page screenshotted and checked with axe.

Elements are found by role and label, as a person (or a screen reader) finds them; text is asserted sparingly,
because the pages' wording is still being polished.
"""

import re
import time
from datetime import date, timedelta

import pytest
from playwright.sync_api import Locator, Page, expect

from safeplace_local.employer_link import PDF
from tests.browser.conftest import Steps, assert_reflows
from tests.integration.sign_in import signed_in

pytestmark = pytest.mark.browser

STAFF = "sam.staff@example.org"
REVIEWER = "rae.reviewer@example.org"
SUBMITTED = "Submitted, awaiting review"

# The employer's answers, section by section, by the id of each field on the link page (labels such as
# "Address line 1" appear more than once on a page).
ORGANISATION = {
    "legal_name": "Riverside Care Ltd",
    "companies_house_number": "07654321",
    "address-line1": "12 Quay Street",
    "address-town": "Bristol",
    "address-postcode": "bs1 4dj",
    "sector": "Adult social care",
    "employees": "42",
    "main_contact-name": "Jo Okafor",
    "main_contact-email": "jo@riverside.example",
    "main_contact-phone": "0117 496 0123",
    "sites-0-name": "Riverside House",
    "sites-0-address-line1": "12 Quay Street",
    "sites-0-address-town": "Bristol",
    "sites-0-address-postcode": "BS1 4DJ",
}
SPOC = {
    "spoc-name": "Jo Okafor",
    "spoc-role": "Registered manager",
    "spoc-email": "jo.okafor@riverside.example",
    "spoc-phone": "0117 496 0123",
}
NEXT_YEAR = date.today().year + 1
LAST_YEAR = date.today().year - 1


def fill(page: Page, by_id: dict[str, str]) -> None:
    for field, value in by_id.items():
        page.locator(f"#{field}").fill(value)


def fill_date(page: Page, name: str, day: date) -> None:
    fill(page, {f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)})


def type_date(page: Page, legend: str, day: date, *, month: str = "") -> None:
    """Type a date into the three boxes under its question, as a person finds them; `month` as they might write it."""
    boxes = page.get_by_role("group", name=legend, exact=True)
    boxes.get_by_label("Day").fill(str(day.day))
    boxes.get_by_label("Month").fill(month or str(day.month))
    boxes.get_by_label("Year").fill(str(day.year))


def open_section(page: Page, name: str, heading: str = "") -> None:
    page.get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", name=heading or name, level=1)).to_be_visible()


def save_and_continue(page: Page, section: str) -> None:
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_text(f"{section}: saved")).to_be_visible()


def upload(page: Page, label: str, steps: Steps | None = None) -> None:
    """Choose a file and upload it: the form posts straight to S3, which sends the browser back to us."""
    page.get_by_label(label).set_input_files(
        files=[{"name": "evidence.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Upload file and continue").click()
    expect(page.get_by_text("You uploaded a new file: PDF")).to_be_visible()
    if steps:
        steps.check(page, "section after an upload")


def answer_every_section(phone: Page, steps: Steps) -> None:
    """The employer's SPOC works through the task list on a phone, one section at a time."""
    open_section(phone, "Single point of contact (SPOC)")
    steps.check(phone, "single point of contact (spoc)")
    fill(phone, SPOC)
    phone.get_by_role("checkbox").check()
    save_and_continue(phone, "Single point of contact (SPOC)")

    # A section that needs a file asks for it first, on its own page
    open_section(phone, "SPOC safeguarding and Prevent training", heading="Upload the certificate")
    steps.check(phone, "SPOC training section")
    upload(phone, "Training certificate")
    phone.get_by_label("Home Office Prevent duty training (GOV.UK)").check()
    fill(phone, {"training_provider": "GOV.UK"})
    fill_date(phone, "completed_on", date.today() - timedelta(days=40))
    phone.get_by_label("Awareness, such as an online Prevent or safeguarding course").check()
    save_and_continue(phone, "SPOC safeguarding and Prevent training")

    open_section(phone, "Employer's liability insurance", heading="Upload your certificate")
    steps.check(phone, "insurance section")
    upload(phone, "Certificate of employer's liability insurance", steps)
    fill(phone, {"insurer": "Avon Mutual", "policy_number": "EL-4471", "cover_gbp": "10000000"})
    fill_date(phone, "expires_on", date(NEXT_YEAR, 3, 31))
    save_and_continue(phone, "Employer's liability insurance")

    open_section(phone, "Health and safety policy", heading="Upload your policy")
    steps.check(phone, "health and safety policy")
    upload(phone, "Health and safety policy")
    fill_date(phone, "reviewed_on", date(LAST_YEAR, 12, 1) if date.today().month < 12 else date.today())
    save_and_continue(phone, "Health and safety policy")

    open_section(phone, "Workplace risk assessment")
    steps.check(phone, "workplace risk assessment")
    fill_date(phone, "assessed_on", date.today())
    phone.get_by_role("radio", name="Yes").check()  # a low-risk workplace confirms it without a file
    save_and_continue(phone, "Workplace risk assessment")

    open_section(phone, "Learners aged 16 to 18")
    steps.check(phone, "learners aged 16 to 18")
    phone.get_by_role("radio", name="Yes").check()
    fill_date(phone, "assessed_on", date.today())
    fill(phone, {"measures": "No lifting or personal care; a named buddy on every shift"})
    save_and_continue(phone, "Learners aged 16 to 18")

    open_section(phone, "Safeguarding arrangements")
    steps.check(phone, "safeguarding arrangements")
    fill(
        phone,
        {
            "concern_contact_name": "Jo Okafor",
            "concern_contact_role": "Registered manager",
            "how_learners_raise_concerns": "Told at induction; poster in the staff room",
            "how_you_tell_the_provider": "Phone the DSL the same day, then email",
        },
    )
    save_and_continue(phone, "Safeguarding arrangements")

    open_section(phone, "Minimum safeguarding requirements")
    steps.check(phone, "minimum requirements")
    fill(phone, {"accepted_by": "Jo Okafor"})
    phone.get_by_role("checkbox").check()
    save_and_continue(phone, "Minimum safeguarding requirements")


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
    expect(phone.get_by_role("heading", name="Set up placements with us")).to_be_visible()
    steps.check(phone, "task list")

    # One mistake first: the town typed where the postcode goes
    open_section(phone, "Organisation, sites and main contact")
    fill(phone, {**ORGANISATION, "address-postcode": "Bristol"})
    phone.get_by_role("button", name="Save and continue").click()
    steps.check(phone, "organisation with an error")
    assert_the_error_summary_leads_to(phone, phone.locator("#address-postcode"))
    phone.locator("#address-postcode").fill("bs1 4dj")  # everything else was kept
    save_and_continue(phone, "Organisation, sites and main contact")
    steps.check(phone, "task list after a section")

    answer_every_section(phone, steps)
    phone.get_by_role("button", name="Check your answers and send them").click()
    expect(phone.get_by_role("heading", name="Check your answers before sending them")).to_be_visible()
    expect(phone.get_by_text("BS1 4DJ").first).to_be_visible()
    steps.check(phone, "check your answers")

    phone.get_by_role("button", name="Send your answers").click()
    expect(phone.get_by_role("heading", name="Answers sent")).to_be_visible()
    steps.check(phone, "confirmation")

    # Opening the link again says when the answers arrived and what happens next
    phone.goto(link)
    expect(phone.get_by_role("heading", name="We have received your answers")).to_be_visible()
    expect(phone.get_by_text("What happens next")).to_be_visible()
    steps.check(phone, "used link")

    # Back at the desk: the employer has moved on once the workflow validated the answers, and says how
    reload_until(page, employer_url, SUBMITTED)
    expect(page.locator("#employer-status")).to_contain_text(SUBMITTED)
    expect(page.get_by_role("heading", name="History")).to_be_visible()
    history = page.get_by_role("listitem")
    expect(history.filter(has_text="Invited to onboard")).to_have_count(1)
    expect(history.filter(has_text="Onboarding details sent by the employer")).to_have_count(1)
    steps.check(page, "employer after the submission")

    # A learner placed now is saved blocked, with the reasons
    place_a_learner_choosing_again(page, steps, "Riverside Care Home", "Riverside House")
    expect(page.get_by_role("alert")).to_contain_text("cannot start with Riverside Care Home yet")

    page.get_by_role("link", name="Employers").first.click()
    page.get_by_label("Name starts with").fill("riverside")
    page.get_by_role("button", name="Show employers").click()
    expect(page.get_by_role("link", name="Riverside Care Home")).to_be_visible()
    steps.check(page, "employer search")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="You have signed out")).to_be_visible()
    steps.check(page, "signed out")

    # A reviewer decides each check: a rejection without a reason is explained, then each is approved
    sign_in(page, steps, runtime, REVIEWER)
    page.goto(employer_url)
    expect(page.locator("#checks").get_by_text("Waiting for review").first).to_be_visible()
    steps.check(page, "review queue of one employer")
    # Each check on its own page, the reason opening only under "reject"
    page.locator("#checks").get_by_role("link", name="Organisation, sites and main contact").click()
    expect(page.get_by_label("Reason (the employer reads this)")).to_be_hidden()
    page.get_by_label("Reject and return it to the employer").check()
    expect(page.get_by_label("Reason (the employer reads this)")).to_be_visible()
    steps.check(page, "one check with the reason open")
    page.get_by_role("button", name="Record decision on organisation, sites and main contact").click()
    expect(page.get_by_role("alert")).to_contain_text("Say what the employer needs to put right")
    steps.check(page, "review with an error")
    decisions = page.get_by_role("button", name=re.compile("^Record decision on "))
    while decisions.count():
        page.get_by_label("Approve").check()
        decisions.click()
        expect(page.get_by_text("Decision recorded on")).to_be_visible()
    steps.check(page, "employer after the last decision")
    expect(page.locator("#employer-status")).to_contain_text("Onboarding checks passed")
    steps.check(page, "checks passed")

    # The learner now waits only for the SPOC's acknowledgement of the handbook they are sent
    handbook = runtime.wait_for_email(SPOC["spoc-email"], "Please read and acknowledge")
    reload_until(page, f"{runtime.base_url}/staff/placements", "receipt of the current employer handbook")
    steps.check(page, "placement waiting for the handbook")
    phone.goto(next(u for u in handbook["links"] if u.endswith("/handbook")))
    for box in phone.get_by_role("checkbox").all():
        box.check()
    phone.get_by_label("Type your full name to sign").fill(SPOC["spoc-name"])
    phone.get_by_role("button", name="Confirm and sign").click()
    expect(phone.get_by_role("heading", name="Handbook acknowledged")).to_be_visible()

    # And the blocked learner is released
    reload_until(page, f"{runtime.base_url}/staff/placements", "Active")
    expect(page.get_by_role("row").filter(has_text="Riverside Care Home").filter(has_text="Active")).to_have_count(1)
    steps.check(page, "placement released")


def fill_in_a_placement(page: Page, employer: str, site: str) -> None:
    # An employer still onboarding is chosen from its own page: the form's search offers placement-ready ones.
    page.get_by_role("link", name="Employers").first.click()
    page.get_by_role("link", name=employer).first.click()
    page.get_by_role("link", name=f"Place a learner with {employer}").click()
    expect(page.locator(".govuk-summary-list")).to_contain_text(employer)
    start = date.today() + timedelta(days=60)
    page.get_by_label("Learner reference").fill("L-2027-0042")
    type_date(page, "Learner's date of birth", start - timedelta(days=17 * 366))
    # The employer's own sites, from its answers
    page.get_by_role("radio", name=site).check()
    type_date(page, "Start date", start, month=start.strftime("%B"))
    page.get_by_label("Assessor").fill("Pat Assessor")


def place_a_learner(page: Page, employer: str, site: str) -> None:
    fill_in_a_placement(page, employer, site)
    page.get_by_role("button", name="Check and save the placement").click()


def place_a_learner_choosing_again(page: Page, steps: Steps, employer: str, site: str) -> None:
    fill_in_a_placement(page, employer, site)
    steps.check(page, "placement form with the employer's sites")
    # Going back to choose the employer loses nothing typed
    page.get_by_role("button", name="Choose another employer").click()
    page.get_by_label("Find a placement-ready employer").fill(employer[:5])
    page.get_by_role("button", name="Find employers").click()
    page.get_by_role("radio", name=employer).check()
    steps.check(page, "placement form choosing the employer")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_label("Learner reference")).to_have_value("L-2027-0042")
    expect(page.get_by_role("radio", name=site)).to_be_checked()
    page.get_by_role("button", name="Check and save the placement").click()


def test_the_link_pages_do_not_scroll_sideways_at_320_px(runtime, mobile_page: Page, steps: Steps):
    link = invite_through_the_api(runtime, "Northgate Joinery", "Ola Nowak", "ola@northgate.example")
    phone = mobile_page
    phone.goto(link)
    expect(phone.get_by_role("heading", name="Set up placements with us")).to_be_visible()
    steps.screenshot(phone, "task list")
    assert_reflows(phone)

    open_section(phone, "Organisation, sites and main contact")
    phone.get_by_role("button", name="Save and continue").click()  # nothing filled in: an error by every field
    expect(phone.get_by_role("alert")).to_be_visible()
    steps.screenshot(phone, "organisation with every error")
    assert_reflows(phone)

    phone.goto(link)
    open_section(phone, "Employer's liability insurance", heading="Upload your certificate")
    steps.screenshot(phone, "insurance certificate's own page")
    assert_reflows(phone)
    upload(phone, "Certificate of employer's liability insurance")
    phone.get_by_role("button", name="Save and continue").click()
    expect(phone.get_by_role("alert")).to_be_visible()
    steps.screenshot(phone, "insurance with every error")
    assert_reflows(phone)

    phone.goto(link)
    open_section(phone, "Single point of contact (SPOC)")
    fill(phone, {**SPOC, "spoc-email": "ola.nowak.registered.manager@northgate-joinery.example"})
    phone.get_by_role("checkbox").check()
    save_and_continue(phone, "Single point of contact (SPOC)")
    steps.screenshot(phone, "task list after a section")
    assert_reflows(phone)


def test_a_reviewer_is_shown_a_clear_403_page_for_inviting(runtime, page: Page, steps: Steps):
    sign_in(page, steps, runtime, REVIEWER)
    response = page.goto(f"{runtime.base_url}/staff/employers/new")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", name="You cannot do this")).to_be_visible()
    expect(page.get_by_text("this needs one of these roles: admin, staff")).to_be_visible()
    steps.check(page, "forbidden")
    response = page.goto(f"{runtime.base_url}/staff/employers/emp-nobody-knows")
    assert response is not None and response.status == 404
    steps.check(page, "not found")


def test_the_accessibility_check_fails_on_a_serious_problem(page: Page, steps: Steps):
    # An unlabelled field and an image without alternative text: axe rates these serious or critical.
    page.set_content('<html lang="en"><title>t</title><main><input type="text"><img src="x.png"></main></html>')
    with pytest.raises(AssertionError) as failure:
        steps.check(page, "broken page")
    assert "- label (critical)" in str(failure.value) and "- image-alt (critical)" in str(failure.value)
    assert (steps.folder / "01-broken-page.axe.json").is_file()


def test_a_learner_cannot_be_placed_with_an_employer_that_has_not_named_its_sites(runtime, page: Page, steps: Steps):
    invite_through_the_api(runtime, "Harbour Cafe", "Lin Wu", "lin@harbour.example")
    sign_in(page, steps, runtime, STAFF)
    page.get_by_role("link", name="Employers").first.click()
    page.get_by_role("link", name="Harbour Cafe").first.click()
    page.get_by_role("link", name="Place a learner with Harbour Cafe").click()
    expect(page.get_by_text("Harbour Cafe has not told us its sites yet")).to_be_visible()
    steps.check(page, "placement form")
    page.get_by_label("Learner reference").fill("L-2027-0042")
    type_date(page, "Learner's date of birth", date(2010, 3, 4), month="Mar")
    type_date(page, "Start date", date(2027, 9, 6))
    page.get_by_label("Assessor").fill("Pat Assessor")
    page.get_by_role("button", name="Check and save the placement").click()
    expect(page.get_by_role("alert")).to_contain_text("Select the site where the learner will work")
    expect(page.get_by_label("Learner reference")).to_have_value("L-2027-0042")
    steps.check(page, "placement without a site")
