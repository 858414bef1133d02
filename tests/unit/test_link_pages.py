"""The employer's side of onboarding: the emailed link, its sections, uploads and sending."""

import base64
import hashlib
import io
import json
import logging
import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

import boto3
import pytest
from cfnlint.decode import cfn_yaml

from safeplace.adapters.dynamodb import Store
from safeplace.adapters.dynamodb.links import consume
from safeplace.core import clock, links
from safeplace.core.audit import AuditEvent
from safeplace.core.errors import Conflict
from safeplace.core.links import LinkPurpose
from safeplace.handbook.deliver_handbook import deliver_handbook
from safeplace.handbook.models import STATEMENTS, HandbookCopy, HandbookReceipt, holder_key
from safeplace.onboarding.answers import MAX_EVIDENCE_BYTES, SECTION_MODELS, SectionState
from safeplace.onboarding.change_spoc import change_spoc
from safeplace.onboarding.models import (
    CheckReview,
    CheckStatus,
    CheckType,
    Employer,
    EmployerStatus,
    ReviewDecision,
    Spoc,
)
from safeplace.onboarding.open_onboarding import SectionView
from safeplace.onboarding.request_submission import SUBMISSION_STEP
from safeplace.onboarding.review_check import review_check
from safeplace.placements.models import PlacementStatus
from safeplace.placements.record_placement import record_placement
from safeplace.staff.models import Role, StaffUser
from safeplace.web.forms.dates import DateField
from safeplace.web.forms.fields import UploadField
from safeplace.web.forms.sections import SECTION_FORMS
from safeplace_local.employer_link import FILE_SECTIONS, PDF, section_forms, upload_form
from tests.support.aws import EVIDENCE_BUCKET, link_pages_dependencies, sent_emails, text_of
from tests.support.builders import BASE_URL, DSL, PNG, PROVIDER, a_placement_request, an_employer
from tests.support.fakes import NothingWaiting
from tests.support.handlers import FakeLambdaContext, header, load_handler
from tests.support.project import ROOT, load_event
from tests.support.records import (
    ROLLOUT_ARN,
    a_published_version,
    an_admission,
    gate_records,
    invite,
)

link_pages = load_handler("link_pages")
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
FORMS = section_forms(NOW.date())
INSURANCE = CheckType.EMPLOYERS_LIABILITY_INSURANCE.value
APPROVE = CheckReview(decision=ReviewDecision.APPROVE)
RAE = StaffUser(username="rae", email="rae@example.org", roles=frozenset({Role.REVIEWER}))
SAM = StaffUser(username="sam", email="sam@example.org", roles=frozenset({Role.STAFF}))
daily_sweep = load_handler("daily_sweep")


@pytest.fixture
def deps(store: Store, sesv2, evidence_bucket):
    return link_pages_dependencies(store)


@pytest.fixture
def employer(store: Store) -> Employer:
    return invite(store, an_employer(NOW))


@pytest.fixture
def token(store: Store, employer: Employer) -> str:
    return links.issue(
        store.links, employer.id, LinkPurpose.ONBOARDING_FORM, now=NOW, valid_for=timedelta(days=14)
    ).token


def call(name: str, token: str, deps, *, body: str | None = None, at: datetime = NOW, **changes: Any) -> dict:
    event = json.loads(json.dumps(load_event(name)).replace("TOKEN", token))
    if body is not None:
        event["body"] = body
    event.update(changes)
    with clock.simulate(at):
        return link_pages.lambda_handler(event, FakeLambdaContext(), deps=deps)


def open_section(token: str, deps, section: str, *, follow: bool = False) -> dict:
    """A section's page; with `follow`, where it sends the browser (the file's page, while a file is missing)."""
    response = call("link_pages_open.json", token, deps, path=f"/link/{token}/section/{section}")
    if follow and response["statusCode"] == 303:
        path = urlsplit(header(response, "Location")).path.removeprefix("/v1")
        return call("link_pages_open.json", token, deps, path=path)
    return response


def open_file_page(token: str, deps, section: str) -> dict:
    return call("link_pages_open.json", token, deps, path=f"/link/{token}/section/{section}/file")


def save(token: str, deps, section: str, **changes: str) -> dict:
    body = urlencode({**FORMS[section], **changes})
    return call("link_pages_save_section.json", token, deps, body=body, path=f"/link/{token}/section/{section}")


def upload(token: str, deps, section: str, content: bytes = PDF) -> dict:
    """What a browser does: post the file to S3 with the page's signed form, then follow S3 back to us."""
    page = open_file_page(token, deps, section)
    _, fields = upload_form(page["body"])
    boto3.client("s3").put_object(Bucket=EVIDENCE_BUCKET, Key=fields["key"], Body=content)
    return returned_from_s3(token, deps, section, fields["key"])


def returned_from_s3(token: str, deps, section: str, key: str) -> dict:
    return call(
        "link_pages_upload_returned.json",
        token,
        deps,
        path=f"/link/{token}/section/{section}/uploaded",
        queryStringParameters={"bucket": EVIDENCE_BUCKET, "key": key},
        multiValueQueryStringParameters={"bucket": [EVIDENCE_BUCKET], "key": [key]},
    )


def complete_every_section(token: str, deps) -> None:
    for section in FORMS:
        if section in FILE_SECTIONS:
            assert upload(token, deps, section)["statusCode"] == 303
        saved = save(token, deps, section)
        assert saved["statusCode"] == 303, saved["body"]


def all_approved_but(deps, employer: Employer, check: CheckType, status: CheckStatus, reason: str) -> Any:
    """After a sending: every check approved but `check`, then a fresh link as the workflow would send."""
    sent = deps.store.employers.get_employer(employer.id)
    decided = sent.moved_to(
        EmployerStatus.NEEDS_ATTENTION,
        NOW,
        checks=[
            c.model_copy(update={"status": status, "reason": reason})
            if c.type is check
            else c.model_copy(update={"status": CheckStatus.APPROVED})
            for c in sent.checks
        ],
    )
    deps.store.employers.save_employer(
        sent, decided, AuditEvent(subject=sent.subject, action="check.decided", actor="rae")
    )
    return links.issue(
        deps.store.links, employer.id, LinkPurpose.ONBOARDING_FORM, now=NOW, valid_for=timedelta(days=14)
    )


def test_opening_the_link_lists_the_sections_and_changes_nothing(deps, token, employer):
    response = call("link_pages_open.json", token, deps)
    assert response["statusCode"] == 200
    assert "Set up placements with us" in response["body"]
    assert response["body"].count("Not yet started") == len(CheckType)
    assert "You have 9 sections left to complete" in response["body"]
    assert header(response, "Cache-Control") == "no-store"
    assert header(response, "Referrer-Policy") == "no-referrer"
    assert deps.store.employers.get_employer(employer.id).version == 1
    assert deps.store.links.get_link(links.token_hash(token)).used_at is None


def test_a_saved_section_is_kept_and_the_link_keeps_working(deps, token, employer):
    # When the employer saves the SPOC section
    response = call("link_pages_save_section.json", token, deps)
    # Then they are back at the list, the section is completed, and nothing is sent or used up
    assert response["statusCode"] == 303
    assert header(response, "Location") == f"/v1/link/{token}?saved=spoc"
    draft, _ = deps.store.employers.get_draft(employer.id)
    assert draft.spoc.spoc.email == "kim.hollins@hollins.example"
    assert deps.store.links.get_link(links.token_hash(token)).used_at is None
    assert deps.store.employers.get_employer(employer.id).status is EmployerStatus.INVITED
    listed = call("link_pages_open.json", token, deps, queryStringParameters={"saved": "spoc"})
    assert "Single point of contact (SPOC): saved" in listed["body"]
    assert "You have 8 sections left to complete" in listed["body"]
    # And coming back to it shows what they saved
    again = open_section(token, deps, "spoc")
    assert 'value="kim.hollins@hollins.example"' in again["body"]


@pytest.mark.parametrize(
    ("section", "change", "field", "message"),
    [
        ("organisation", {"address.postcode": "nowhere"}, "address-postcode", "Enter a real UK postcode"),
        ("organisation", {"employees": "lots"}, "employees", "Enter the number of employees as a whole number"),
        ("organisation", {"companies_house_number": ""}, "companies_house_number", "Enter the Companies House"),
        ("organisation", {"sites.0.name": ""}, "sites-0-name", "Enter the name of site 1"),
        ("spoc", {"spoc.email": "kim"}, "spoc-email",
         "Enter the SPOC&#39;s email address in the correct format, like name@example.com"),
        ("spoc", {"commitment": ""}, "commitment", "Confirm that the SPOC will be available"),
        ("spoc", {"spoc.email": "info@hollins.example"}, "spoc-email", "not a shared mailbox"),
        ("spoc_training", {"course": "other"}, "other_course", "Enter the name of the course your SPOC completed"),
        ("spoc_training", {"course": "a-weekend-webinar"}, "course", "Select the course from the list"),
        ("spoc_training", {"level": ""}, "level", "Select the level of the training"),
        ("spoc_training", {"completed_on-year": "2024"}, "completed_on-day", "A refresher was due by"),
        ("employers_liability_insurance", {"cover_gbp": "2000000"}, "cover_gbp", "at least £5,000,000"),
        ("employers_liability_insurance", {"expires_on-month": "13"}, "expires_on-month",
         "The date the policy ends must be a real date"),
        ("employers_liability_insurance", {"expires_on-year": "2026", "expires_on-month": "3", "expires_on-day": "1"},
         "expires_on-day", "This insurance has expired"),
        ("risk_assessment", {"low_risk": ""}, "low_risk", "Select whether your workplace is low risk"),
        ("young_persons_risk_assessment", {"measures": ""}, "measures",
         "Enter what you have put in place for learners under 18"),
        ("minimum_safeguarding_requirements", {"accepted": ""}, "accepted", "Confirm that you accept"),
    ],
)  # fmt: skip
def test_bad_answers_are_explained_beside_the_field_and_nothing_is_saved(
    deps, token, employer, section, change, field, message
):
    if section in FILE_SECTIONS:
        upload(token, deps, section)
    response = save(token, deps, section, **change)
    assert response["statusCode"] == 400
    assert f'href="#{field}"' in response["body"]
    assert message in response["body"]
    draft, _ = deps.store.employers.get_draft(employer.id)
    assert draft.section(CheckType(section)) is None


def test_a_section_that_needs_a_file_says_so_until_one_is_uploaded(deps, token, employer):
    response = save(token, deps, "employers_liability_insurance")
    assert response["statusCode"] == 400
    assert 'href="#file"' in response["body"] and "Upload a copy of the insurance certificate" in response["body"]


def test_a_low_risk_workplace_may_confirm_its_risk_assessment_without_a_file(deps, token, employer):
    assert save(token, deps, "risk_assessment", low_risk="yes")["statusCode"] == 303
    draft, _ = deps.store.employers.get_draft(employer.id)
    assert draft.risk_assessment.attested


def test_the_upload_form_lets_s3_take_one_file_of_at_most_10_mib_under_a_key_we_chose(deps, token, employer):
    page = open_file_page(token, deps, "employers_liability_insurance")
    url, fields = upload_form(page["body"])
    # moto does not enforce a POST policy, so read what S3 would enforce from the signed policy itself
    policy = json.loads(base64.b64decode(fields["policy"]))
    conditions = policy["conditions"]
    assert ["content-length-range", 1, MAX_EVIDENCE_BYTES] in conditions
    assert {"key": fields["key"]} in conditions
    assert fields["key"].startswith(f"evidence/{employer.id}/employers_liability_insurance/")
    assert {"success_action_redirect": f"{BASE_URL}/link/{token}/section/employers_liability_insurance/uploaded"} in (
        conditions
    )
    expires = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
    assert timedelta(0) < expires - datetime.now(UTC) <= timedelta(minutes=30)
    # And the page may post to S3, and nowhere else but itself
    origin = f"{urlsplit(url).scheme}://{urlsplit(url).netloc}"
    assert f"form-action 'self' {origin};" in header(page, "Content-Security-Policy")


def forms_on(page: dict) -> list[str]:
    """Where each form on a page posts."""
    return re.findall(r'<form method="post" action="([^"]+)"', page["body"])


def test_a_section_that_needs_a_file_asks_for_it_first_on_a_page_with_one_form(deps, token, employer):
    # Given an employer who has not uploaded their insurance certificate
    # When they open the insurance section
    response = open_section(token, deps, INSURANCE)
    # Then they are taken to the file's own page, whose one form posts only the file, to S3
    assert response["statusCode"] == 303
    assert header(response, "Location").endswith(f"/link/{token}/section/{INSURANCE}/file")
    file_page = open_file_page(token, deps, INSURANCE)
    assert len(forms_on(file_page)) == 1 and forms_on(file_page)[0].startswith("http")
    assert "Upload file and continue" in file_page["body"]
    # And once the file is uploaded, the details page has one form too, with the file shown and a way to change it
    upload(token, deps, INSURANCE)
    details = open_section(token, deps, INSURANCE)
    assert len(forms_on(details)) == 1 and forms_on(details)[0].endswith(f"/link/{token}/section/{INSURANCE}")
    assert "File uploaded: PDF" in details["body"] and "Upload a different file" in details["body"]


def test_changing_the_file_of_a_saved_section_keeps_its_details(deps, token, employer):
    # Given a saved insurance section
    upload(token, deps, INSURANCE)
    assert save(token, deps, INSURANCE)["statusCode"] == 303
    # When the employer uploads a different file
    assert upload(token, deps, INSURANCE, PNG)["statusCode"] == 303
    # Then the saved details stand, now with the new file
    draft, _ = deps.store.employers.get_draft(employer.id)
    assert draft.employers_liability_insurance.insurer == "Northern Mutual"
    assert draft.employers_liability_insurance.certificate.content_type == "image/png"


def test_a_section_whose_file_is_optional_takes_details_first_and_offers_the_file_after(deps, token, employer):
    # Given the risk assessment, whose file a low-risk workplace need not give
    page = open_section(token, deps, "risk_assessment")
    assert page["statusCode"] == 200 and "once you have saved these details" in page["body"]
    # When the details are saved, the page offers the file, and its own page lets them go on without one
    assert save(token, deps, "risk_assessment", low_risk="yes")["statusCode"] == 303
    assert "Upload your risk assessment" in open_section(token, deps, "risk_assessment")["body"]
    assert "Continue without a file" in open_file_page(token, deps, "risk_assessment")["body"]


def test_a_section_without_a_file_has_no_file_page(deps, token, employer):
    assert open_file_page(token, deps, "safeguarding_arrangements")["statusCode"] == 404


def test_an_uploaded_pdf_or_png_is_checked_and_kept(deps, token, employer):
    response = upload(token, deps, "employers_liability_insurance", PNG)
    assert response["statusCode"] == 303
    assert header(response, "Location").endswith("/section/employers_liability_insurance?uploaded=yes#file")
    _, uploads = deps.store.employers.get_draft(employer.id)
    assert uploads[CheckType.EMPLOYERS_LIABILITY_INSURANCE].content_type == "image/png"
    shown = open_section(token, deps, "employers_liability_insurance")
    assert "File uploaded: PNG, 1 KB" in shown["body"]
    assert save(token, deps, "employers_liability_insurance")["statusCode"] == 303


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"MZ\x90\x00 a program, not a certificate", "The file must be a PDF, JPG or PNG"),
        (PDF + bytes(MAX_EVIDENCE_BYTES), "The file must be smaller than 10 MB"),
        (b"", "The selected file is empty"),
    ],
)
def test_a_file_that_fails_the_content_check_is_deleted_and_explained(deps, token, employer, content, message):
    response = upload(token, deps, "employers_liability_insurance", content)
    assert response["statusCode"] == 400
    assert message in response["body"] and 'href="#file"' in response["body"]
    assert boto3.client("s3").list_objects_v2(Bucket=EVIDENCE_BUCKET).get("KeyCount") == 0
    assert deps.store.employers.get_draft(employer.id)[1] == {}


def test_an_upload_under_someone_elses_key_is_refused_and_left_alone(deps, token, employer):
    key = "evidence/emp-ffffffffffff/employers_liability_insurance/theirs"
    boto3.client("s3").put_object(Bucket=EVIDENCE_BUCKET, Key=key, Body=PDF)
    response = returned_from_s3(token, deps, "employers_liability_insurance", key)
    assert response["statusCode"] == 400 and "does not belong to this form" in response["body"]
    assert boto3.client("s3").list_objects_v2(Bucket=EVIDENCE_BUCKET)["KeyCount"] == 1
    assert deps.store.employers.get_draft(employer.id)[1] == {}


def test_an_employer_of_fewer_than_five_is_not_asked_for_a_written_policy(deps, token, employer):
    save(token, deps, "organisation", employees="4")
    listed = call("link_pages_open.json", token, deps)
    assert "Only employers with 5 or more employees need a written policy" in listed["body"]
    assert "/section/health_and_safety_policy" not in listed["body"]


def test_another_site_can_be_added_without_losing_what_was_typed(deps, token):
    response = save(token, deps, "organisation", action="add_site", legal_name="Typed Ltd")
    assert response["statusCode"] == 200
    assert 'id="sites-1-name"' in response["body"] and 'value="Typed Ltd"' in response["body"]


def test_sending_before_every_section_is_complete_is_refused_and_uses_nothing(deps, token, employer):
    save(token, deps, "spoc")
    response = call("link_pages_send.json", token, deps)
    assert response["statusCode"] == 400
    assert "Organisation, sites and main contact" in response["body"]
    assert deps.store.links.get_link(links.token_hash(token)).used_at is None
    assert deps.store.employers.get_submission(employer.id) is None


def test_sending_every_section_records_them_uses_up_the_link_and_resumes_the_workflow(
    deps, token, employer, monkeypatch
):
    completed: list[str] = []
    monkeypatch.setattr(deps.workflows, "complete", lambda task_token, output: completed.append(task_token) or True)
    deps.store.waits.save_wait(employer.id, SUBMISSION_STEP, "task-token-1", NOW)
    complete_every_section(token, deps)
    check = call("link_pages_open.json", token, deps, path=f"/link/{token}/check-answers")
    assert "Check your answers before sending them" in check["body"] and "Northern Mutual" in check["body"]
    # When the employer sends their answers
    response = call("link_pages_send.json", token, deps)
    # Then everything is recorded for review, the link is used up and the workflow moves on
    assert response["statusCode"] == 200, response["body"]
    assert "Answers sent" in response["body"]
    stored = deps.store.employers.get_employer(employer.id)
    assert stored.status is EmployerStatus.SUBMITTED
    assert {c.status for c in stored.checks} == {CheckStatus.SUBMITTED} and len(stored.checks) == len(CheckType)
    answers = deps.store.employers.get_submission(employer.id)
    assert answers.employers_liability_insurance.certificate.content_type == "application/pdf"
    assert answers.organisation.sites[0].address.postcode == "LS1 4AB"
    assert completed == ["task-token-1"]
    entries, _ = deps.store.audit.audit_trail(employer.subject)
    assert [e.action for e in entries] == ["employer.invited", "organisation.submitted"]
    # And the main contact and the SPOC are each emailed what was sent and what happens next
    confirmations = {m["To"]: m for m in sent_emails() if "received your answers" in m["Subject"]}
    assert set(confirmations) == {"kim@hollins.example", "kim.hollins@hollins.example"}
    body = text_of(confirmations["kim@hollins.example"])
    assert "on 2 March 2026 at 10:00am" in body and "- Employer's liability insurance" in body
    assert "What happens next" in body
    # And a second press of the button changes nothing and says the answers were received
    again = call("link_pages_send.json", token, deps)
    assert again["statusCode"] == 200 and "We have received your answers" in again["body"]
    assert deps.store.employers.get_employer(employer.id).version == stored.version


def test_insurance_that_ran_out_between_saving_and_sending_is_caught_before_it_is_sent(deps, token, employer):
    complete_every_section(token, deps)
    # When the employer comes back to send after the policy they saved has ended
    later = NOW + timedelta(days=13) + timedelta(days=300)
    fresh = links.issue(
        deps.store.links, employer.id, LinkPurpose.ONBOARDING_FORM, now=later, valid_for=timedelta(days=1)
    )
    response = call("link_pages_send.json", fresh.token, deps, at=later)
    # Then nothing is sent, and they are told which section to look at again
    assert response["statusCode"] == 400
    assert "Check these sections again" in response["body"] and "Employer&#39;s liability insurance" in response["body"]
    assert deps.store.employers.get_submission(employer.id) is None


def test_a_workflow_that_already_moved_on_does_not_lose_the_answers(deps, token, employer):
    # Given the waiting task has gone (timed out); Step Functions answers TaskDoesNotExist
    deps.store.waits.save_wait(employer.id, SUBMISSION_STEP, "no-such-task", NOW)
    complete_every_section(token, deps)
    assert call("link_pages_send.json", token, deps)["statusCode"] == 200
    assert deps.store.employers.get_submission(employer.id) is not None


def test_a_rejected_check_sends_the_employer_back_to_just_that_section(deps, token, employer):
    # Given every section was sent, and a reviewer then approved all but the SPOC, which they rejected
    complete_every_section(token, deps)
    call("link_pages_send.json", token, deps)
    fresh = all_approved_but(
        deps, employer, CheckType.SPOC, CheckStatus.REJECTED, "Name someone who works at Mill Lane"
    )
    # When they open the new link, only the SPOC is open to change, with the reviewer's reason
    listed = call("link_pages_open.json", fresh.token, deps)
    assert "Name someone who works at Mill Lane" in listed["body"]
    assert "Changes needed" in listed["body"] and listed["body"].count("Approved") == len(CheckType) - 1
    assert listed["body"].count("/section/") == 1
    assert "Check your answers and send them" not in listed["body"]  # the SPOC has not been changed yet
    refused = save(fresh.token, deps, "organisation", legal_name="Something Else Ltd")
    assert refused["statusCode"] == 409
    key = f"evidence/{employer.id}/employers_liability_insurance/crafted"
    sneaked = returned_from_s3(fresh.token, deps, "employers_liability_insurance", key)
    assert sneaked["statusCode"] == 409  # nor can an approved section's file be swapped
    # And once the SPOC is changed and sent, only the SPOC goes back to review
    save(fresh.token, deps, "spoc", **{"spoc.name": "Sam Hollins", "spoc.email": "sam@hollins.example"})
    assert call("link_pages_send.json", fresh.token, deps)["statusCode"] == 200
    checks = {c.type: c.status for c in deps.store.employers.get_employer(employer.id).checks}
    assert checks.pop(CheckType.SPOC) is CheckStatus.SUBMITTED
    assert set(checks.values()) == {CheckStatus.APPROVED}
    assert deps.store.employers.get_submission(employer.id).organisation.legal_name == "Hollins Bakery Ltd"


def test_an_employer_that_takes_no_one_under_18_is_not_checked_for_it(deps, token, employer):
    complete_every_section(token, deps)
    save(token, deps, "young_persons_risk_assessment", takes_under_18="no", measures="")
    assert call("link_pages_send.json", token, deps)["statusCode"] == 200
    checks = {c.type for c in deps.store.employers.get_employer(employer.id).checks}
    assert CheckType.YOUNG_PERSONS_RISK_ASSESSMENT not in checks and len(checks) == len(CheckType) - 1


def test_a_check_that_expired_is_answered_again_through_a_fresh_link(deps, token, employer):
    # Given every section was approved, and the insurance has since expired
    complete_every_section(token, deps)
    call("link_pages_send.json", token, deps)
    reason = "Expired: it was valid until 31 December 2026"
    # When staff send the invitation again, the employer is asked for just the insurance
    fresh = all_approved_but(deps, employer, CheckType.EMPLOYERS_LIABILITY_INSURANCE, CheckStatus.EXPIRED, reason)
    listed = call("link_pages_open.json", fresh.token, deps)
    assert reason in listed["body"] and listed["body"].count("/section/") == 1
    assert "/section/employers_liability_insurance" in listed["body"]


def test_wrong_and_expired_links_get_the_same_answer_and_a_used_one_says_what_happened(deps, token, employer):
    wrong = call("link_pages_open.json", "A" * 43, deps)
    expired = call("link_pages_open.json", token, deps, at=NOW + timedelta(days=15))

    def page(response):
        return response["statusCode"], response["body"].replace(token, "T").replace("A" * 43, "T")

    assert page(wrong) == page(expired)
    assert expired["statusCode"] == 404 and "Email me a new link" in expired["body"]
    # When the employer sends their answers and opens the link again, even after it would have expired
    complete_every_section(token, deps)
    call("link_pages_send.json", token, deps)
    for at in (NOW, NOW + timedelta(days=30)):
        used = call("link_pages_open.json", token, deps, at=at)
        # Then the page says when their answers arrived and what happens next, and offers no form to send again
        assert used["statusCode"] == 200
        assert "We received the answers for Hollins Bakery on 2 March 2026 at 10:00am" in used["body"]
        assert "What happens next" in used["body"] and "Email me a new link" not in used["body"]
        assert "Contact Northern Skills Training" in used["body"] and "0113 496 0900" in used["body"]


def test_the_token_in_the_path_never_reaches_a_log_line(deps, token):
    # Given the function's own logger at its most detailed level, and whatever reaches the root logger
    own, anything = io.StringIO(), io.StringIO()
    own_lines, other_lines = logging.StreamHandler(own), logging.StreamHandler(anything)
    own_lines.setFormatter(link_pages.logger.registered_formatter)
    service, root = logging.getLogger(link_pages.logger.service), logging.getLogger()
    level = service.level
    service.addHandler(own_lines)
    root.addHandler(other_lines)
    service.setLevel(logging.DEBUG)
    section = f"/link/{token}/section/{INSURANCE}"
    requests: list[tuple[str, dict[str, Any], int]] = [
        ("link_pages_open.json", {}, 200),
        ("link_pages_open.json", {"path": section}, 303),
        ("link_pages_open.json", {"path": f"{section}/file"}, 200),
        ("link_pages_save_section.json", {"path": section, "body": "insurer="}, 400),
        (
            "link_pages_upload_returned.json",
            {"path": f"{section}/uploaded", "queryStringParameters": {"key": "x"}},
            400,
        ),
        ("link_pages_open.json", {"path": f"/link/{token}/check-answers"}, 303),
        ("link_pages_send.json", {}, 400),
        ("link_pages_open.json", {"path": f"/link/{token}/new-spoc"}, 200),
        ("link_pages_open.json", {"path": f"/link/{token}/handbook"}, 404),
        ("link_pages_open.json", {"path": f"/link/{token}/speaker-decision"}, 404),
        ("link_pages_open.json", {"path": f"/link/{token}/speaker"}, 404),
        ("link_pages_renew.json", {}, 200),
        ("link_pages_open.json", {"path": f"/link/{token}/no-such-page"}, 404),
    ]
    try:
        # When every area's pages are opened and posted to: shown, refused, not found and unusable alike
        for name, changes, status in requests:
            assert call(name, token, deps, **changes)["statusCode"] == status, (name, changes)
            # (a line logged now carries the log context the page appended)
            link_pages.logger.info("After the page")
    finally:
        service.removeHandler(own_lines)
        root.removeHandler(other_lines)
        service.setLevel(level)
    # Then no line holds the token, and each page is named by its route, as declared
    logged = own.getvalue() + anything.getvalue()
    assert own.getvalue().count("After the page") == len(requests)
    assert token not in logged
    named = [json.loads(line).get("page") for line in own.getvalue().splitlines()]
    assert {"GET /link/<token>", "POST /link/<token>/section/<section>", "POST /link/<token>/renew"} <= set(named)
    assert named[-1] is None  # an address that matches no page is not named, nor left with the last page's name


def test_the_link_pages_never_log_the_event_they_receive():
    # The event holds the token in its path: Powertools logs it whole if told to, or in its debug modes.
    template = cfn_yaml.load(str(ROOT / "template.yaml"))
    shared = template["Globals"]["Function"]["Environment"]["Variables"]
    own = template["Resources"]["LinkPagesFunction"]["Properties"]["Environment"]["Variables"]
    assert shared["POWERTOOLS_LOGGER_LOG_EVENT"] == "false"
    debugging = {"POWERTOOLS_LOGGER_LOG_EVENT", "POWERTOOLS_DEBUG", "POWERTOOLS_DEV", "POWERTOOLS_EVENT_HANDLER_DEBUG"}
    assert not debugging & set(own)
    assert not (debugging - {"POWERTOOLS_LOGGER_LOG_EVENT"}) & set(shared)


@pytest.mark.parametrize("state", list(SectionState))
def test_a_section_can_be_changed_and_given_a_file_unless_approved_or_not_needed(state):
    closed = state in (SectionState.APPROVED, SectionState.NOT_NEEDED)
    for check in CheckType:
        view = SectionView(check=check, state=state)
        assert view.editable is not closed
        # Its page offers an upload only where saving and accepting the upload would go ahead.
        assert view.takes_upload is (not closed and SECTION_MODELS[check].evidence_field is not None)
        if closed:
            with pytest.raises(Conflict):
                view.ensure_editable()
        else:
            view.ensure_editable()


def test_a_closed_section_says_why_it_cannot_be_changed():
    insurance = CheckType.EMPLOYERS_LIABILITY_INSURANCE
    with pytest.raises(Conflict, match="already approved this"):
        SectionView(check=insurance, state=SectionState.APPROVED).ensure_editable()
    with pytest.raises(Conflict, match="we do not need this from you"):
        SectionView(check=CheckType.HEALTH_AND_SAFETY_POLICY, state=SectionState.NOT_NEEDED).ensure_editable()
    assert SectionView(check=insurance, state=SectionState.CHANGES_NEEDED).takes_upload
    assert not SectionView(check=CheckType.SAFEGUARDING_ARRANGEMENTS, state=SectionState.NOT_STARTED).takes_upload


def test_an_unknown_section_is_a_clear_404(deps, token):
    response = open_section(token, deps, "favourite_colour")
    assert response["statusCode"] == 404 and "There is no such section" in response["body"]


def test_asking_for_a_fresh_link_sends_one_to_the_address_on_record(deps, token, employer):
    expired_at = NOW + timedelta(days=15)
    response = call("link_pages_renew.json", token, deps, at=expired_at)
    assert response["statusCode"] == 200
    [message] = sent_emails()
    assert message["To"] == "kim@hollins.example"
    fresh = text_of(message).split(f"{BASE_URL}/link/")[1].split()[0]
    assert call("link_pages_open.json", fresh, deps, at=expired_at)["statusCode"] == 200


def test_asking_for_a_fresh_link_with_a_wrong_token_reveals_nothing(deps, token):
    wrong = call("link_pages_renew.json", "B" * 43, deps)
    right = call("link_pages_renew.json", token, deps)
    assert wrong["statusCode"] == right["statusCode"] == 200
    assert wrong["body"] == right["body"]
    assert len(sent_emails()) == 1


def sweep_on(sweep_deps, day: date) -> dict:
    with clock.simulate(datetime.combine(day, time(6, 15), UTC)):
        return daily_sweep.lambda_handler(load_event("daily_sweep_schedule.json"), FakeLambdaContext(), deps=sweep_deps)


def at(day: date) -> datetime:
    return datetime.combine(day, time(12, 0), UTC)


def approve(deps, employer_id: str, check: CheckType, now: datetime, workflows: Any = None) -> None:
    workflows = workflows or NothingWaiting()
    review_check(
        employer_id, check, APPROVE, RAE, employers=deps.store.employers, waits=deps.store.waits,
        workflows=workflows, mailer=deps.mailer, issuer=deps.settings.link_issuer(deps.store.links), now=now,
        admit=an_admission(deps.store, workflows, deps.mailer),
    )  # fmt: skip


def approved_with_a_learner(deps, token: str, employer: Employer) -> None:
    """Every section sent and approved (the insurance ends on 27 December 2026), and a learner placed."""
    complete_every_section(token, deps)
    save(token, deps, "spoc_training", level="dsl")  # valid for two years: only the insurance runs out here
    call("link_pages_send.json", token, deps)
    for check in [
        c.type for c in deps.store.employers.get_employer(employer.id).checks if c.status is CheckStatus.SUBMITTED
    ]:
        approve(deps, employer.id, check, NOW)
    placed = record_placement(
        a_placement_request(employer.id, date(2026, 11, 2)), SAM, **gate_records(deps.store), now=NOW
    )
    assert placed.status is PlacementStatus.ACTIVE, placed.unmet


def renewal_link_in_reminder() -> str:
    [reminder] = [m for m in sent_emails() if m["To"] == "kim.hollins@hollins.example" and "runs out" in m["Subject"]]
    found = re.search(r"/link/([A-Za-z0-9_-]{20,})", text_of(reminder))
    assert found, text_of(reminder)
    return found.group(1)


def send_renewed_insurance(deps, renewal: str, day: date) -> dict:
    assert upload(renewal, deps, INSURANCE)["statusCode"] == 303
    form = urlencode({**FORMS[INSURANCE], "expires_on-year": "2027"})
    saved = call("link_pages_save_section.json", renewal, deps, body=form, path=f"/link/{renewal}/section/{INSURANCE}")
    assert saved["statusCode"] == 303, saved["body"]
    return call("link_pages_send.json", renewal, deps, at=at(day))


def insurance_of(deps, employer: Employer) -> Any:
    return next(c for c in deps.store.employers.get_employer(employer.id).checks if c.type.value == INSURANCE)


INSURANCE_ENDS = date(2026, 12, 27)


def test_the_spoc_renews_from_the_reminder_before_it_runs_out_and_the_learner_stays_placed(
    deps, token, employer, sweep_deps
):
    approved_with_a_learner(deps, token, employer)
    ends = INSURANCE_ENDS
    # When the sweep sends the 60-day reminder, its link opens just the insurance, marked for renewal
    assert sweep_on(sweep_deps, ends - timedelta(days=60))["reminded"] == [f"{employer.id}/{INSURANCE}/60"]
    renewal = renewal_link_in_reminder()
    listed = call("link_pages_open.json", renewal, deps, at=at(ends - timedelta(days=60)))
    assert "Renewal due" in listed["body"] and "Valid until 27 December 2026: send us the renewed" in listed["body"]
    assert listed["body"].count("/section/") == 1 and f"/section/{INSURANCE}" in listed["body"]
    # And the SPOC uploads the new certificate, saves the new end date and sends it
    assert send_renewed_insurance(deps, renewal, ends - timedelta(days=59))["statusCode"] == 200
    # Then the old approval still holds while the renewal is reviewed: a new placement is allowed
    assert (insurance_of(deps, employer).status, insurance_of(deps, employer).valid_until) == (
        CheckStatus.SUBMITTED,
        ends,
    )
    another = record_placement(
        a_placement_request(employer.id, date(2026, 11, 16)), SAM, **gate_records(deps.store), now=NOW
    )
    assert another.status is PlacementStatus.ACTIVE, another.unmet
    # And no further reminder goes while it is in review
    assert sweep_on(sweep_deps, ends - timedelta(days=30))["reminded"] == []
    # And once approved, the old end date passes without a lapse
    approve(deps, employer.id, CheckType(INSURANCE), at(ends - timedelta(days=20)))
    assert sweep_on(sweep_deps, ends + timedelta(days=1))["lapsed"] == []
    assert [p.flags for p in deps.store.placements.employer_placements(employer.id)] == [[], []]
    assert deps.store.employers.get_employer(employer.id).status is EmployerStatus.CHECKS_PASSED
    assert insurance_of(deps, employer).valid_until == date(2027, 12, 27)


def test_a_renewal_still_in_review_when_the_old_approval_runs_out_stops_new_placements(
    deps, token, employer, sweep_deps
):
    approved_with_a_learner(deps, token, employer)
    sweep_on(sweep_deps, INSURANCE_ENDS - timedelta(days=7))
    send_renewed_insurance(deps, renewal_link_in_reminder(), INSURANCE_ENDS - timedelta(days=6))
    # When the old approval runs out before anyone reviews the renewal
    lapsed = sweep_on(sweep_deps, INSURANCE_ENDS + timedelta(days=1))["lapsed"]
    assert lapsed == [f"{employer.id}/{INSURANCE}"]
    # Then the renewal still waits for its reviewer, the DSL is told about the learner, and new placements stop
    assert (insurance_of(deps, employer).status, insurance_of(deps, employer).valid_until) == (
        CheckStatus.SUBMITTED,
        None,
    )
    [to_dsl] = [m for m in sent_emails() if m["To"] == DSL]
    assert to_dsl["Subject"].strip().startswith("Action needed: 1 learner placed with Hollins Bakery")
    later = a_placement_request(employer.id, date(2027, 1, 11))
    assert (
        record_placement(later, SAM, **gate_records(deps.store), now=at(INSURANCE_ENDS)).status
        is PlacementStatus.BLOCKED
    )


OLA = Spoc(name="Ola Nowak", role="Supervisor", email="ola@hollins.example", phone="0113 496 0001")


def staff_name_ola(deps, employer: Employer) -> str:
    """Staff name Ola as the new SPOC; the token of the link Ola is emailed."""
    issuer = deps.settings.link_issuer(deps.store.links)
    change_spoc(
        employer.id, OLA, "sam@example.org", employers=deps.store.employers, mailer=deps.mailer, issuer=issuer, now=NOW
    )
    [email] = [m for m in sent_emails() if m["To"] == "ola@hollins.example"]
    return re.search(r"/link/([A-Za-z0-9_-]{20,})", text_of(email)).group(1)  # type: ignore[union-attr]


def ola_sends_training_that_is_approved(deps, ola_link: str, employer: Employer, workflows: Any = None) -> None:
    assert upload(ola_link, deps, "spoc_training")["statusCode"] == 303
    assert save(ola_link, deps, "spoc_training", level="dsl")["statusCode"] == 303
    assert call("link_pages_send.json", ola_link, deps)["statusCode"] == 200
    approve(deps, employer.id, CheckType.SPOC_TRAINING, NOW, workflows)


def test_a_new_spoc_evidences_their_own_training_through_their_link_and_the_gate_passes_again(deps, token, employer):
    # Given an approved employer whose staff named a new SPOC
    approved_with_a_learner(deps, token, employer)
    ola_link = staff_name_ola(deps, employer)
    # When Ola opens it, only the training is asked for, from scratch
    listed = call("link_pages_open.json", ola_link, deps)
    assert listed["body"].count("/section/") == 1 and "/section/spoc_training" in listed["body"]
    assert "Upload the certificate" in open_section(ola_link, deps, "spoc_training", follow=True)["body"]
    upload(ola_link, deps, "spoc_training")
    section = open_section(ola_link, deps, "spoc_training")["body"]
    assert 'value="GOV.UK"' not in section
    assert "Awareness training is refreshed every year, enhanced training every 2 years" in section
    # And once they send their training and a reviewer approves it, the gate passes again
    ola_sends_training_that_is_approved(deps, ola_link, employer)
    assert deps.store.employers.get_employer(employer.id).status is EmployerStatus.CHECKS_PASSED
    placed = record_placement(
        a_placement_request(employer.id, date(2026, 11, 9)), SAM, **gate_records(deps.store), now=NOW
    )
    assert placed.status is PlacementStatus.ACTIVE, placed.unmet
    assert deps.store.employers.get_submission(employer.id).spoc.spoc.name == "Ola Nowak"


def test_the_employer_names_a_new_spoc_through_their_link_which_then_stops_working(deps, token, employer):
    # Given an approved employer holding a fresh link (a renewal reminder's, say)
    approved_with_a_learner(deps, token, employer)
    fresh = links.issue(
        deps.store.links, employer.id, LinkPurpose.ONBOARDING_FORM, now=NOW, valid_for=timedelta(days=14)
    )
    listed = call("link_pages_open.json", fresh.token, deps)
    assert f"/link/{fresh.token}/new-spoc" in listed["body"]
    # When they leave out the new SPOC's email, the form says so and nothing changes
    missing = call("link_pages_name_new_spoc.json", fresh.token, deps, body="spoc-name=Ola+Nowak&spoc-role=Supervisor")
    assert missing["statusCode"] == 400
    assert '<a href="#spoc-email">Enter the new SPOC&#39;s email address</a>' in missing["body"]
    assert '<a href="#spoc-phone">Enter the new SPOC&#39;s phone number</a>' in missing["body"]
    assert deps.store.employers.get_submission(employer.id).spoc.spoc.name == "Kim Hollins"
    # And when they name Ola in full
    named = call("link_pages_name_new_spoc.json", fresh.token, deps)
    assert named["statusCode"] == 200 and "We have emailed Ola Nowak a link" in named["body"]
    # Then Ola has her own link, theirs no longer works, and the audit trail says the employer did it
    assert [m["To"] for m in sent_emails()][-1] == "ola@hollins.example"
    assert call("link_pages_open.json", fresh.token, deps)["statusCode"] == 404
    entries, _ = deps.store.audit.audit_trail(employer.subject)
    assert (entries[-1].action, entries[-1].actor) == ("spoc.changed", "employer (emailed link)")


def test_a_rejected_renewal_goes_back_to_the_spoc_and_the_earlier_approval_still_stands(
    deps, token, employer, sweep_deps
):
    # Given the SPOC sent renewed insurance from the 60-day reminder
    approved_with_a_learner(deps, token, employer)
    sweep_on(sweep_deps, INSURANCE_ENDS - timedelta(days=60))
    send_renewed_insurance(deps, renewal_link_in_reminder(), INSURANCE_ENDS - timedelta(days=59))
    # When a reviewer rejects it (no workflow is waiting for this review)
    reason = "The certificate names another company"
    review_check(
        employer.id, CheckType(INSURANCE), CheckReview(decision=ReviewDecision.REJECT, reason=reason), RAE,
        employers=deps.store.employers, waits=deps.store.waits,
        workflows=NothingWaiting(), mailer=deps.mailer,  # type: ignore[arg-type]
        issuer=deps.settings.link_issuer(deps.store.links),
        admit=an_admission(deps.store, NothingWaiting(), deps.mailer),
        now=at(INSURANCE_ENDS - timedelta(days=58)),
    )  # fmt: skip
    # Then the SPOC is emailed the reason with a fresh link that opens just the insurance
    told = [m for m in sent_emails() if m["To"] == "kim.hollins@hollins.example"][-1]
    assert "please correct your details" in told["Subject"] and reason in text_of(told)
    again = re.search(r"/link/([A-Za-z0-9_-]{20,})", text_of(told)).group(1)  # type: ignore[union-attr]
    listed = call("link_pages_open.json", again, deps, at=at(INSURANCE_ENDS - timedelta(days=58)))
    assert reason in listed["body"] and listed["body"].count("/section/") == 1
    # And until the earlier certificate runs out, learners can still be placed
    placed = record_placement(
        a_placement_request(employer.id, date(2026, 11, 23)), SAM, **gate_records(deps.store), now=NOW
    )
    assert placed.status is PlacementStatus.ACTIVE, placed.unmet


def a_delivered_copy(deps, employer_id: str, version: Any) -> HandbookCopy:
    """The current SPOC's copy of `version`, delivered as the delivery workflow's first step does."""
    holder = holder_key(deps.store.employers.get_submission(employer_id).spoc.spoc)
    deliver_handbook(
        employer_id, version, holder, provider=PROVIDER, employers=deps.store.employers, handbook=deps.store.handbook,
        audit=deps.store.audit, files=deps.files, mailer=deps.mailer,
        issuer=deps.settings.link_issuer(deps.store.links), now=NOW,
    )  # fmt: skip
    copy = deps.store.handbook.get_handbook_copy(employer_id, version.number, holder)
    assert copy is not None
    return copy


def handbook_link(to: str) -> str:
    """The token in the latest handbook email to `to`."""
    email = [m for m in sent_emails() if m["To"] == to and "handbook" in m["Subject"]][-1]
    return re.search(r"/link/([A-Za-z0-9_-]{20,})/handbook", text_of(email)).group(1)  # type: ignore[union-attr]


def test_the_spoc_reads_the_handbook_and_signs_for_exactly_that_document(deps, token, employer):
    # Given the employer's answers were sent, and an admin published a material version that was delivered
    complete_every_section(token, deps)
    call("link_pages_send.json", token, deps)
    version = a_published_version(deps.store, NOW)
    copy = a_delivered_copy(deps, employer.id, version)
    [email] = [m for m in sent_emails() if "acknowledge" in m["Subject"]]
    assert email["To"] == "kim.hollins@hollins.example"
    handbook = re.search(r"/link/([A-Za-z0-9_-]{20,})/handbook", text_of(email)).group(1)  # type: ignore[union-attr]
    # When they open the link, they see the version and what they confirm, and no fingerprint to puzzle over
    page = call("link_pages_open.json", handbook, deps, path=f"/link/{handbook}/handbook")
    assert page["statusCode"] == 200 and "handbook, version 1" in page["body"] and copy.sha256 not in page["body"]
    assert STATEMENTS[1] in page["body"]
    # And the document they read or download is the stored one, byte for byte
    read = call("link_pages_open.json", handbook, deps, path=f"/link/{handbook}/handbook/document")
    assert read["body"].encode() == deps.files.read(copy.key)
    assert header(read, "Content-Disposition").startswith("inline")
    saved = call(
        "link_pages_open.json", handbook, deps, path=f"/link/{handbook}/handbook/document",
        queryStringParameters={"download": "1"}, multiValueQueryStringParameters={"download": ["1"]},
    )  # fmt: skip
    assert header(saved, "Content-Disposition").startswith("attachment")
    # And signing without every statement, or with someone else's name, is explained and records nothing
    refused = call("link_pages_sign_handbook.json", handbook, deps, body="statement-0=yes&typed_name=Someone+Else")
    assert refused["statusCode"] == 400
    assert 'href="#statements"' in refused["body"] and 'href="#typed_name"' in refused["body"]
    assert deps.store.handbook.receipts(employer.id) == []
    # And once they confirm every statement and sign with their name, the receipt is of that exact document
    signed = call("link_pages_sign_handbook.json", handbook, deps)
    assert signed["statusCode"] == 200 and "Handbook acknowledged" in signed["body"]
    [receipt] = deps.store.handbook.receipts(employer.id)
    assert (receipt.version, receipt.sha256, receipt.document_key) == (1, copy.sha256, copy.key)
    assert (receipt.typed_name, receipt.spoc.email, receipt.statements) == (
        "Kim Hollins",
        "kim.hollins@hollins.example",
        STATEMENTS,
    )
    # And the SPOC is emailed the receipt with a short reference, not the fingerprint, and the link cannot sign again
    [kept] = [m for m in sent_emails() if "Your receipt" in m["Subject"]]
    assert kept["To"] == "kim.hollins@hollins.example" and receipt.reference in text_of(kept)
    assert copy.sha256 not in text_of(kept) and receipt.reference == f"{copy.sha256[:4]}-{copy.sha256[4:8]}".upper()
    again = call("link_pages_sign_handbook.json", handbook, deps)
    assert again["statusCode"] == 200 and "You have signed for the employer handbook" in again["body"]
    assert len(deps.store.handbook.receipts(employer.id)) == 1
    # And the link in the receipt email shows what they signed, and opens the exact document they signed
    link = re.search(r"https://\S+/link/(\S+)/handbook", text_of(kept))
    assert link and link.group(1) == handbook
    shown = call("link_pages_open.json", handbook, deps, path=f"/link/{handbook}/handbook")
    assert "2 March 2026 at 10:00am" in shown["body"] and receipt.reference in shown["body"]
    document = call("link_pages_open.json", handbook, deps, path=f"/link/{handbook}/handbook/signed")
    assert document["statusCode"] == 200
    assert hashlib.sha256(document["body"].encode()).hexdigest() == receipt.sha256
    entries, _ = deps.store.audit.audit_trail(employer.subject)
    assert [e.action for e in entries][-2:] == ["handbook.delivered", "handbook.acknowledged"]


def test_a_spoc_whose_receipt_was_recorded_a_moment_ago_is_told_they_already_signed(deps, token, employer):
    # Given a SPOC with the link to version 1, whose receipt was recorded from another tab a moment ago
    complete_every_section(token, deps)
    call("link_pages_send.json", token, deps)
    version = a_published_version(deps.store, NOW)
    a_delivered_copy(deps, employer.id, version)
    [email] = [m for m in sent_emails() if "acknowledge" in m["Subject"]]
    handbook = re.search(r"/link/([A-Za-z0-9_-]{20,})/handbook", text_of(email)).group(1)  # type: ignore[union-attr]
    spoc = deps.store.employers.get_submission(employer.id).spoc.spoc
    other_tab = links.issue(deps.store.links, "the-other-tab", LinkPurpose.HANDBOOK, now=NOW, valid_for=timedelta(1))
    receipt = HandbookReceipt(
        employer_id=employer.id, version=version.number, sha256="0" * 64, document_key="handbooks/1", spoc=spoc,
        typed_name=spoc.name, statements=STATEMENTS, acknowledged_at=NOW,
    )  # fmt: skip
    deps.store.handbook.record_receipt(
        receipt, other_tab.link, AuditEvent(subject=employer.subject, action="handbook.acknowledged", actor="SPOC")
    )
    # When they press the button again
    again = call("link_pages_sign_handbook.json", handbook, deps)
    # Then they are told they have signed it, not that it is a minor update, and nothing more is recorded
    assert again["statusCode"] == 409
    assert "You have already acknowledged version 1" in again["body"]
    assert "minor update" not in again["body"]
    assert len(deps.store.handbook.receipts(employer.id)) == 1


def sign(deps, to: str, name: str) -> dict[str, Any]:
    form = urlencode({f"statement-{i}": "yes" for i in range(len(STATEMENTS))} | {"typed_name": name})
    return call("link_pages_sign_handbook.json", handbook_link(to), deps, body=form)


def test_a_new_spoc_signs_their_own_copy_and_that_releases_the_learner_waiting_for_it(deps, token, employer):
    # Given an approved employer whose SPOC Kim signed version 1
    approved_with_a_learner(deps, token, employer)
    version = a_published_version(deps.store, NOW)
    kims = a_delivered_copy(deps, employer.id, version)
    assert sign(deps, "kim.hollins@hollins.example", "Kim Hollins")["statusCode"] == 200
    # When staff name Ola as the new SPOC, and Ola's training is approved
    workflows = NothingWaiting()
    ola_link = staff_name_ola(deps, employer)
    ola_sends_training_that_is_approved(deps, ola_link, employer, workflows)
    # Then Kim's receipt no longer counts: a learner recorded now waits for Ola's
    waiting = record_placement(
        a_placement_request(employer.id, date(2026, 11, 9)), SAM, **gate_records(deps.store), now=NOW
    )
    assert waiting.unmet == ["Not yet signed by the SPOC: the current employer handbook"]
    # And the approval started the rollout that sends Ola the current version, in a copy of their own
    ola = holder_key(OLA)
    assert workflows.started == [
        (ROLLOUT_ARN, f"v1-{employer.id}-{ola}", {"version": 1, "employer_ids": [employer.id]})
    ]
    olas = a_delivered_copy(deps, employer.id, version)
    assert olas.key != kims.key and "Ola Nowak" in deps.files.read(olas.key).decode()
    # And when Ola signs, the learner is released and both receipts stay on record
    assert sign(deps, "ola@hollins.example", "Ola Nowak")["statusCode"] == 200
    [released] = [p for p in deps.store.placements.employer_placements(employer.id) if p.id == waiting.id]
    assert released.status is PlacementStatus.ACTIVE
    receipts = sorted((r.version, r.typed_name) for r in deps.store.handbook.receipts(employer.id))
    assert receipts == [(1, "Kim Hollins"), (1, "Ola Nowak")]


def test_a_minor_update_is_there_to_read_but_not_to_sign_again(deps, token, employer):
    # Given a SPOC who signed version 1, and a minor version 2 delivered to them
    approved_with_a_learner(deps, token, employer)
    a_delivered_copy(deps, employer.id, a_published_version(deps.store, NOW))
    assert sign(deps, "kim.hollins@hollins.example", "Kim Hollins")["statusCode"] == 200
    a_delivered_copy(deps, employer.id, a_published_version(deps.store, NOW, material=False, summary="New number"))
    # When they open the link in the update's email, they can read version 2 but are not asked to sign it
    link = handbook_link("kim.hollins@hollins.example")
    page = call("link_pages_open.json", link, deps, path=f"/link/{link}/handbook")
    assert page["statusCode"] == 200 and "version 2" in page["body"]
    assert 'id="nothing-to-sign"' in page["body"] and "Confirm and sign" not in page["body"]
    assert "you do not need to sign it again" in page["body"]
    # And a signature posted anyway is refused, and nothing is recorded
    refused = sign(deps, "kim.hollins@hollins.example", "Kim Hollins")
    assert refused["statusCode"] == 409 and "minor update" in refused["body"]
    assert [r.version for r in deps.store.handbook.receipts(employer.id)] == [1]


@pytest.mark.parametrize(("typed", "pounds"), [("£5,000,000", 5_000_000), ("5m", 5_000_000), ("£12.5m", 12_500_000)])
def test_insurance_cover_is_taken_as_people_write_money(deps, token, employer, typed, pounds):
    upload(token, deps, INSURANCE)
    response = save(token, deps, INSURANCE, cover_gbp=typed)
    assert response["statusCode"] == 303, response["body"]
    draft, _ = deps.store.employers.get_draft(employer.id)
    assert draft.employers_liability_insurance.cover_gbp == pounds
    # And the page shows the amount saved in pounds with commas
    assert f'value="{pounds:,}"' in open_section(token, deps, INSURANCE)["body"]


@pytest.mark.parametrize("month", ["March", "mar", "Mar.", "3", "03"])
def test_a_date_may_name_its_month(deps, token, employer, month):
    upload(token, deps, INSURANCE)
    sent = {"expires_on-day": "12", "expires_on-month": month, "expires_on-year": "2027"}
    response = save(token, deps, INSURANCE, **sent)
    assert response["statusCode"] == 303, response["body"]
    draft, _ = deps.store.employers.get_draft(employer.id)
    assert draft.employers_liability_insurance.expires_on == date(2027, 3, 12)


def test_an_empty_date_is_asked_for_not_called_unreal(deps, token, employer):
    upload(token, deps, INSURANCE)
    response = save(token, deps, INSURANCE, **{"expires_on-day": "", "expires_on-month": "", "expires_on-year": ""})
    assert response["statusCode"] == 400
    assert '<a href="#expires_on-day">Enter the date the policy ends</a>' in response["body"]
    assert "real date" not in response["body"]
    # And a date missing only its year asks for just that, and marks only that box
    partly = save(token, deps, INSURANCE, **{"expires_on-year": ""})
    assert '<a href="#expires_on-year">The date the policy ends must include a year</a>' in partly["body"]
    assert (
        'class="govuk-input govuk-date-input__input govuk-input--width-4 govuk-input--error" id="expires_on-year"'
        in (partly["body"])
    )
    assert 'govuk-input--width-2 govuk-input--error" id="expires_on-day"' not in partly["body"]


def posted_names(check: CheckType) -> list[str]:
    """Every name a section's page posts, a date's three boxes each."""
    names: list[str] = []
    for f in SECTION_FORMS[check]().show().fields:
        if isinstance(f, DateField):
            names.extend(f.box(part) for part in ("day", "month", "year"))
        elif not isinstance(f, UploadField):
            names.append(f.name)
    return names


@pytest.mark.parametrize("section", list(FORMS))
@pytest.mark.parametrize("typed", ["", "?", "x" * 2001])
def test_no_section_says_enter_a_valid_whatever_is_sent(deps, token, employer, section, typed):
    response = save(token, deps, section, **dict.fromkeys(posted_names(CheckType(section)), typed))
    # Blank or far too long is always refused; a question mark may pass where any words do
    assert response["statusCode"] == 400 or typed == "?"
    assert response["statusCode"] == 303 or "There is a problem" in response["body"]
    assert not any(words in response["body"] for words in ("Enter a valid", "as a real date", "Value error")), section


@pytest.mark.parametrize("typed", ["", "?", "x" * 2001])
def test_naming_a_new_spoc_or_signing_the_handbook_never_says_enter_a_valid(deps, token, employer, typed):
    complete_every_section(token, deps)
    call("link_pages_send.json", token, deps)
    a_delivered_copy(deps, employer.id, a_published_version(deps.store, NOW))
    fresh = links.issue(
        deps.store.links, employer.id, LinkPurpose.ONBOARDING_FORM, now=NOW, valid_for=timedelta(days=14)
    )
    spoc = {f"spoc-{part}": typed for part in ("name", "role", "email", "phone")}
    statements = {f"statement-{i}": typed for i in range(len(STATEMENTS))}
    refused = [
        call("link_pages_name_new_spoc.json", fresh.token, deps, body=urlencode(spoc)),
        call("link_pages_sign_handbook.json", handbook_link("kim.hollins@hollins.example"), deps,
             body=urlencode({**statements, "typed_name": typed})),
    ]  # fmt: skip
    for response in refused:
        assert response["statusCode"] == 400 and "There is a problem" in response["body"]
        assert not any(words in response["body"] for words in ("Enter a valid", "as a real date", "Value error"))


def test_a_used_handbook_link_whose_receipt_cannot_be_found_still_says_it_was_used(deps, token, employer):
    # Given a handbook link used up without a receipt to match (as one whose receipt was kept apart would be)
    issued = links.issue(deps.store.links, employer.id, LinkPurpose.HANDBOOK, now=NOW, valid_for=timedelta(days=14))
    link = links.resolve(deps.store.links, issued.token, LinkPurpose.HANDBOOK, now=NOW)
    deps.store.table.transact([consume(deps.store.table, link, NOW)])
    # When its holder opens it, Then they are told it was used, when, and nothing fails
    page = call("link_pages_open.json", issued.token, deps, path=f"/link/{issued.token}/handbook")
    assert page["statusCode"] == 200
    assert "You signed for the employer handbook through this link on 2 March 2026 at 10:00am" in page["body"]
