"""A fresh `make run`: the employer handbook (an admin publishes a material version, every active employer's
SPOC is sent a link, the gate waits for the new receipt once the grace period is over, and signing produces a
receipt staff can verify and download), and the speaker register the demo fills."""

import hashlib
from datetime import date, timedelta
from typing import Any

import requests

from safeplace_local.client import RuntimeProcess
from safeplace_local.employer_link import sign_the_handbook
from safeplace_local.local_cognito import DEV_USER_COOKIE

ACTIVE = ("checks_passed", "changes_requested", "needs_attention")
HANDBOOK_LATE = "Expires before the start date: the SPOC's receipt of the current employer handbook"


def session(user: str) -> requests.Session:
    signed_in = requests.Session()
    signed_in.cookies.set(DEV_USER_COOKIE, user)
    return signed_in


def place(staff: requests.Session, base: str, employer_id: str, starts_in_days: int) -> dict[str, Any]:
    start = date.today() + timedelta(days=starts_in_days)
    learner = {
        "learner_reference": f"L-2027-{starts_in_days:04d}",
        "date_of_birth": "2000-01-01",
        "employer_id": employer_id,
        "site": "Mill Lane bakery",
        "start_date": start.isoformat(),
        "assessor": "Pat Assessor",
    }
    placed: dict[str, Any] = staff.post(f"{base}/api/placements", json=learner, timeout=10).json()
    return placed


def test_a_material_version_reaches_every_active_spoc_and_the_gate_waits_for_each_receipt(demo: RuntimeProcess):
    base, staff = demo.base_url, session("sam.staff@example.org")
    active = [e for e in staff.get(f"{base}/api/employers", timeout=10).json()["items"] if e["status"] in ACTIVE]
    assert active, "the demo has an approved employer"
    # When an admin publishes a material version
    published = session("ada.admin@example.org").post(
        f"{base}/api/handbook/versions", json={"summary": "Absence by 10am", "material": True}, timeout=10
    )
    assert published.status_code == 201, published.text
    number = published.json()["number"]
    # Then every active employer that has named its SPOC has them sent a link to that version
    spocs = {}
    for employer in active:
        answers = staff.get(f"{base}/api/employers/{employer['id']}", timeout=10).json()["submission"]
        if answers and answers["spoc"]:
            spocs[employer["id"]] = answers["spoc"]["spoc"]
    for spoc in spocs.values():
        demo.wait_for_email(spoc["email"], f"Please read and acknowledge: our employer handbook, version {number},")
    hollins = next(e["id"] for e in active if e["name"] == "Hollins Bakery")
    assert hollins in spocs
    # And until Hollins Bakery's SPOC signs it, a learner starting within the 30 days' grace is placed, and
    # one starting after waits for the new receipt
    assert place(staff, base, hollins, 20)["status"] == "active"
    waiting = place(staff, base, hollins, 45)
    assert waiting["status"] == "blocked" and waiting["unmet"] == [HANDBOOK_LATE]
    # When the SPOC signs through the link
    email = demo.wait_for_email(spocs[hollins]["email"], f"version {number},")
    link = next(u for u in email["links"] if u.endswith("/handbook"))
    assert sign_the_handbook(link, spocs[hollins]["name"]).status_code == 200
    # Then the learner waiting is released
    released = staff.get(f"{base}/api/placements", params={"status": "active"}, timeout=10).json()["items"]
    assert waiting["id"] in [p["id"] for p in released]
    # And staff see the receipt verified, and download exactly the document it refers to
    receipts = staff.get(f"{base}/api/employers/{hollins}", timeout=10).json()["receipts"]
    [receipt] = [r for r in receipts if r["version"] == number]
    shown = staff.get(f"{base}/api/employers/{hollins}/handbook/{number}/{receipt['holder']}", timeout=10).json()
    assert shown["verification"]["matches"] is True and shown["receipt"]["typed_name"] == spocs[hollins]["name"]
    document = staff.get(f"{base}/staff/employers/{hollins}/handbook/{number}/{receipt['holder']}/document", timeout=10)
    assert document.status_code == 200 and hashlib.sha256(document.content).hexdigest() == receipt["sha256"]


def test_the_demo_register_holds_a_booking_in_each_state(demo: RuntimeProcess):
    staff = session("sam.staff@example.org")
    bookings = staff.get(f"{demo.base_url}/api/speakers", timeout=10).json()["items"]
    by_status = {b["status"]: b for b in bookings}
    assert set(by_status) == {"approved", "declined", "awaiting_decision"}
    approved = staff.get(f"{demo.base_url}/api/speakers/{by_status['approved']['id']}", timeout=10).json()
    assert approved["booking"]["acknowledgement"]["typed_name"] == "Priya Shah"
    assert by_status["awaiting_decision"]["approver_role"] == "dsl"


def test_each_demo_employer_that_sent_its_answers_sent_its_own(demo: RuntimeProcess):
    # Given the two demo employers that sent every section
    staff = session("sam.staff@example.org")
    employers = {e["name"]: e["id"] for e in staff.get(f"{demo.base_url}/api/employers", timeout=10).json()["items"]}
    sent = {
        name: staff.get(f"{demo.base_url}/api/employers/{employers[name]}", timeout=10).json()["submission"]
        for name in ("Hollins Bakery", "Moorside Garage")
    }
    hollins, moorside = sent["Hollins Bakery"], sent["Moorside Garage"]
    # Then each names its own organisation, site, SPOC, insurer and policy
    assert moorside["organisation"]["legal_name"] == "Moorside Garage Ltd"
    assert moorside["organisation"]["sites"][0]["name"] == "Station Road workshop"
    assert moorside["spoc"]["spoc"]["name"] == "Sunita Patel"
    insurance = moorside["employers_liability_insurance"]
    assert (insurance["insurer"], insurance["policy_number"]) == ("Pennine Commercial Insurance", "PCI/EL/447120")
    for answer in (
        lambda s: s["organisation"]["address"]["line1"],
        lambda s: s["spoc"]["spoc"]["email"],
        lambda s: s["employers_liability_insurance"]["insurer"],
        lambda s: s["safeguarding_arrangements"]["concern_contact_name"],
    ):
        assert answer(hollins) != answer(moorside)


def test_the_demo_outbox_shows_each_invitation_as_sent_with_its_link_named(demo: RuntimeProcess):
    # When a person opens the outbox for Castle Street Dental Practice's contact
    page = requests.get(f"{demo.base_url}/_local/outbox", params={"to": "priya@castledental.example"}, timeout=10)
    [invitation] = [e for e in demo.outbox() if "priya@castledental.example" in e["to"]]
    # Then the invitation shows as its recipient sees it, in a frame that runs nothing
    assert page.status_code == 200 and '<iframe class="local-email" sandbox=""' in page.text
    assert "safeguarding checks before learners are placed with Castle Street Dental Practice" in page.text
    # And its link is named as the email names it
    [link] = [link for link in invitation["labelled_links"] if "/link/" in link["url"]]
    assert link["label"] == "Start the checks"
    assert f'<a class="govuk-link" href="{link["url"]}">Start the checks</a>' in page.text


def test_the_demo_clock_says_which_workflows_wait_for_it_and_when_the_next_wait_ends(demo: RuntimeProcess):
    # When a person opens the clock's page on the demo
    page = requests.get(f"{demo.base_url}/_local/clock", timeout=10).text
    # Then it names the employers whose onboarding waits for them, and when the next wait ends
    [onboarding] = [line for line in page.split("<li>") if line.startswith("Onboarding: ")]
    assert "Castle Street Dental Practice" in onboarding and "Dale Farm Nursery" in onboarding
    assert "Speaker booking: " in page
    assert "in the workflows will end as the clock moves on. The next ends on <strong>" in page
