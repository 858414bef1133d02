"""The walking skeleton over HTTP against the local runtime, driven like a person would."""

import re
import time
from datetime import date, timedelta

import pytest
import requests

from safeplace_local.employer_link import EmployerAtTheLink, sign_the_handbook
from tests.integration.sign_in import csrf_token, signed_in
from tests.workflow.conftest import wait_for

pytestmark = pytest.mark.integration

STAFF = "sam.staff@example.org"
REVIEWER = "rae.reviewer@example.org"


def test_staff_invite_employer_opens_link_submits_and_staff_see_the_result(runtime):
    staff = signed_in(runtime, STAFF)
    # A member of staff invites an employer through the console form
    form = staff.get(f"{runtime.base_url}/staff/employers/new", timeout=10)
    assert form.status_code == 200 and "Invite an employer" in form.text
    invited = staff.post(
        f"{runtime.base_url}/staff/employers",
        data={
            "csrf_token": csrf_token(form.text),
            "employer_name": "Moorside Garage",
            "contact_name": "Raj Patel",
            "contact_email": "raj@moorside.example",
        },
        timeout=10,
    )
    assert invited.status_code == 200 and "Moorside Garage" in invited.text
    employer_url = invited.url.split("?")[0]
    assert re.search(r"/staff/employers/emp-[0-9a-f]{12}$", employer_url)
    assert "Invitation sent to raj@moorside.example" in invited.text

    # The invitation lands in the outbox; the employer opens its link (GET changes nothing)
    link = runtime.wait_for_link("raj@moorside.example")
    assert link.startswith(runtime.base_url)
    employer = EmployerAtTheLink(link, date.today())
    page = employer.open()
    assert page.status_code == 200 and "Set up placements with us" in page.text
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert page.headers["Cache-Control"] == "no-store"
    assert employer.open().status_code == 200  # a mail scanner's GET did not use it up

    # A bad section is explained and stores nothing
    bad = employer.save("organisation", **{"address.postcode": ""})
    assert bad.status_code == 400
    assert "There is a problem" in bad.text and "Enter the postcode" in bad.text

    # The employer completes every section over two visits, uploading its evidence to S3, and sends it
    employer.complete(["organisation", "spoc", "employers_liability_insurance"])
    assert "You have 6 sections left to complete" in employer.open().text
    EmployerAtTheLink(link, date.today()).complete()
    done = employer.send()
    assert done.status_code == 200 and "Answers sent" in done.text
    again = employer.send()  # used once: the second press is told the answers arrived
    assert again.status_code == 200 and "We have received your answers" in again.text

    # Staff see the status and the audit trail once the workflow has validated the submission
    api_url = employer_url.replace("/staff/", "/api/")
    detail = wait_for(
        lambda: (
            (d := staff.get(api_url, timeout=10).json())["employer"]["status"] == "submitted"
            and len(d["audit"]) == 3
            and d
        ),
        what="the submitted status",
    )
    assert [a["action"] for a in detail["audit"]] == [
        "employer.invited",
        "organisation.submitted",
        "check.approved_automatically",
    ]
    assert detail["audit_intact"] is True
    assert detail["submission"]["spoc"]["spoc"]["name"] == "Kim Hollins"
    page = staff.get(employer_url, timeout=10)
    assert "Submitted, awaiting review" in page.text
    assert "Onboarding details sent by the employer" in page.text


def test_from_invitation_to_an_active_placement(runtime):
    staff = signed_in(runtime, STAFF)
    employer_id = invite(runtime, staff, "Hollins Bakery", "kim@hollins.example")
    # The employer answers every section through the emailed link
    employer = EmployerAtTheLink(runtime.wait_for_link("kim@hollins.example"), date.today())
    spoc = f"kim.{time.monotonic_ns()}@hollins.example"
    employer.complete(None, {"spoc": {"spoc.email": spoc}})
    assert employer.send().status_code == 200
    # A reviewer opens the evidence and approves each check from the console
    reviewer = signed_in(runtime, REVIEWER)
    page = wait_for(
        lambda: (
            "Waiting for review" in (p := reviewer.get(f"{runtime.base_url}/staff/employers/{employer_id}")).text and p
        ),
        what="checks waiting for review",
    )
    # A learner placed at its site while onboarding is under way is saved blocked, with every reason in plain words
    placement = place_a_learner(runtime, staff, employer_id)
    assert "Blocked" in placement.text and "Not yet approved: employer&#39;s liability insurance" in placement.text
    evidence = reviewer.get(
        f"{runtime.base_url}/staff/employers/{employer_id}/evidence/employers_liability_insurance",
        allow_redirects=False,
        timeout=10,
    )
    assert evidence.status_code == 303 and "X-Amz-Expires=300" in evidence.headers["Location"]
    assert requests.get(evidence.headers["Location"], timeout=10).content.startswith(b"%PDF-")
    # Each check has its own page, linked from the employer's
    rows = re.findall(r"<tr.*?</tr>", page.text, re.DOTALL)
    checks = [
        found[1]
        for row in rows
        if "Waiting for review" in row and (found := re.search(r'href="[^"]*/checks/([a-z_]+)"', row))
    ]
    assert set(checks) == {
        "organisation",
        "spoc",
        "spoc_training",
        "employers_liability_insurance",
        "health_and_safety_policy",
        "risk_assessment",
        "young_persons_risk_assessment",
        "safeguarding_arrangements",
    }
    # Each decision goes on to the next check waiting, and the last back to the employer
    following = [f"/checks/{check}" for check in checks[1:]] + [""]
    for check, then in zip(checks, following, strict=True):
        decided = reviewer.post(
            f"{runtime.base_url}/staff/employers/{employer_id}/checks/{check}",
            data={"csrf_token": csrf_token(page.text), "decision": "approve"},
            timeout=10,
        )
        assert decided.status_code == 200, decided.text
        assert decided.url.endswith(f"/staff/employers/{employer_id}{then}?decided={check}"), decided.url
    # Then the SPOC is sent the current handbook, and the learner waits only for their signature
    handbook = runtime.wait_for_email(spoc, "Please read and acknowledge")
    waiting = staff.get(f"{runtime.base_url}/api/placements", params={"status": "blocked"}, timeout=10).json()["items"]
    [unmet] = [p["unmet"] for p in waiting if p["employer_id"] == employer_id]
    assert unmet == ["Not yet signed by the SPOC: the current employer handbook"]
    # And once the SPOC signs, the blocked placement is released and whoever recorded it is told
    link = next(u for u in handbook["links"] if u.endswith("/handbook"))
    assert sign_the_handbook(link, "Kim Hollins").status_code == 200
    released = wait_for(
        lambda: next((m for m in runtime.outbox() if "can start with Hollins Bakery" in m["subject"]), None),
        what="the release email",
    )
    assert released["to"] == [STAFF]
    placements = staff.get(f"{runtime.base_url}/api/placements", params={"status": "active"}, timeout=10).json()[
        "items"
    ]
    assert [p["employer_id"] for p in placements if p["employer_id"] == employer_id] == [employer_id]


def invite(runtime, staff, name: str, email: str) -> str:
    form = staff.get(f"{runtime.base_url}/staff/employers/new", timeout=10)
    invited = staff.post(
        f"{runtime.base_url}/staff/employers",
        data={
            "csrf_token": csrf_token(form.text),
            "employer_name": name,
            "contact_name": "Kim",
            "contact_email": email,
        },
        timeout=10,
    )
    found = re.search(r"/staff/employers/(emp-[0-9a-f]{12})", invited.url)
    assert found, invited.url
    return found.group(1)


def three_boxes(name: str, day: date) -> dict[str, str]:
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)}


def place_a_learner(runtime, staff, employer_id: str) -> requests.Response:
    form = staff.get(f"{runtime.base_url}/staff/placements/new", timeout=10)
    start = date.today() + timedelta(days=60)
    return staff.post(
        f"{runtime.base_url}/staff/placements",
        data={
            "csrf_token": csrf_token(form.text),
            "learner_reference": "L-2027-0042",
            **three_boxes("date_of_birth", start - timedelta(days=17 * 365)),
            "employer_id": employer_id,
            "site": "Mill Lane bakery",
            **three_boxes("start_date", start),
            "assessor": "Pat Assessor",
        },
        timeout=10,
    )


def test_json_api_invites_and_answers_bad_input_with_a_clear_4xx(runtime):
    staff = signed_in(runtime, STAFF)
    bad = staff.post(f"{runtime.base_url}/api/employers", json={"employer_name": "X"}, timeout=10)
    assert bad.status_code == 422
    assert {p["field"] for p in bad.json()["problems"]} == {"contact_name", "contact_email"}
    good = staff.post(
        f"{runtime.base_url}/api/employers",
        json={"employer_name": "Dale Farm", "contact_name": "Ann Dale", "contact_email": "ann@dalefarm.example"},
        timeout=10,
    )
    assert good.status_code == 201
    assert good.json()["status"] == "invited"


def test_a_reviewer_is_refused_an_invitation(runtime):
    reviewer = signed_in(runtime, REVIEWER)
    refused = reviewer.post(
        f"{runtime.base_url}/api/employers",
        json={"employer_name": "Dale Farm", "contact_name": "Ann Dale", "contact_email": "ann@dalefarm.example"},
        timeout=10,
    )
    assert refused.status_code == 403


def test_the_staff_api_needs_a_signed_in_user(runtime):
    assert requests.get(f"{runtime.base_url}/api/employers", timeout=10).status_code == 401


def test_the_openapi_document_is_served(runtime):
    document = requests.get(f"{runtime.base_url}/api/openapi.json", timeout=10).json()
    assert "/api/employers" in document["paths"]
    assert document["info"]["title"] == "Safeplace staff API"
