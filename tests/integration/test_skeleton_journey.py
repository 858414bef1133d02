"""The walking skeleton over HTTP against the local runtime, driven like a person would."""

import re

import pytest
import requests

from tests.conftest import employer_form
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
    page = requests.get(link, timeout=10)
    assert page.status_code == 200 and "Tell us about your organisation" in page.text
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert page.headers["Cache-Control"] == "no-store"
    assert requests.get(link, timeout=10).status_code == 200  # a mail scanner's GET did not use it up

    # A bad submission is explained and stores nothing
    bad = requests.post(link, data={"legal_name": "Moorside Garage Ltd"}, timeout=10)
    assert bad.status_code == 400
    assert "There is a problem" in bad.text and "Enter the postcode" in bad.text

    # The employer submits its organisation details and SPOC
    details = employer_form(**{"legal_name": "Moorside Garage Ltd", "spoc.name": "Raj Patel"})
    done = requests.post(link, data=details, timeout=10)
    assert done.status_code == 200 and "Details sent" in done.text
    assert requests.post(link, data=details, timeout=10).status_code == 404  # used once

    # Staff see the status and the audit trail once the workflow has validated the submission
    api_url = employer_url.replace("/staff/", "/api/")
    detail = wait_for(
        lambda: (d := staff.get(api_url, timeout=10).json())["employer"]["status"] == "submitted" and d,
        what="the submitted status",
    )
    assert [a["action"] for a in detail["audit"]] == ["employer.invited", "organisation.submitted"]
    assert detail["audit_intact"] is True
    assert detail["submission"]["spoc"]["name"] == "Raj Patel"
    page = staff.get(employer_url, timeout=10)
    assert "Submitted, awaiting review" in page.text
    assert "Organisation and SPOC details sent by the employer" in page.text


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
