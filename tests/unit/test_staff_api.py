import importlib
import json
import pkgutil
import re
from datetime import date, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest

from safeplace.adapters.dynamodb import Store
from safeplace.core import clock, links
from safeplace.core.audit import AuditEvent
from safeplace.core.links import LinkPurpose
from safeplace.handbook.acknowledge_handbook import Acknowledgement, acknowledge_handbook
from safeplace.handbook.deliver_handbook import deliver_handbook
from safeplace.handbook.models import STATEMENTS, holder_key
from safeplace.onboarding.check_policy import CheckPolicy, Requirement, RequirementRule
from safeplace.onboarding.models import CheckStatus, CheckType, EmployerStatus
from safeplace.placements.models import PlacementRequest, PlacementStatus
from safeplace.placements.record_placement import record_placement
from safeplace.staff import access
from safeplace.web import console
from safeplace_local.employer_link import PDF
from tests.support.aws import EVIDENCE_BUCKET, sent_emails, text_of
from tests.support.builders import ADA, BASE_URL, PROVIDER, a_placement_request, a_submission, an_employer
from tests.support.handlers import header
from tests.support.project import load_event
from tests.support.records import a_published_version, a_release, a_stored_submission, gate_records, invite
from tests.unit.staff_api_support import (
    RAE,
    SAM,
    an_employer_whose_checks_passed,
    call,
    console_get,
    signed_in_as,
    staff_api,
    staff_api_dependencies,
)


@pytest.fixture
def deps(store: Store, state_machine_arn: str, rollout_arn: str, speaker_arn: str, sesv2):
    return staff_api_dependencies(store, state_machine_arn, rollout_arn, speaker_arn)


def invited(deps) -> list:
    return deps.store.employers.employer_page(EmployerStatus.INVITED, "", cursor=None, limit=50).items


def test_inviting_an_employer_stores_it_audits_it_and_starts_onboarding(deps):
    # Given a member of staff's invitation
    # When it is posted to the JSON API
    response = call(load_event("staff_api_invite_employer.json"), deps)
    # Then the employer exists, invited, with an audit entry by that person
    assert response["statusCode"] == 201
    employer = json.loads(response["body"])
    assert employer["status"] == "invited"
    stored = deps.store.employers.get_employer(employer["id"])
    entries, _ = deps.store.audit.audit_trail(stored.subject)
    assert [(e.action, e.actor) for e in entries] == [("employer.invited", "sam.staff@example.org")]
    # And one onboarding execution runs, named from the employer, carrying ids and timings only
    executions = deps.workflows.client.list_executions(stateMachineArn=deps.settings.onboarding_state_machine_arn)
    [execution] = executions["executions"]
    assert execution["name"] == f"onboarding-{employer['id']}-1"
    payload = json.loads(deps.workflows.client.describe_execution(executionArn=execution["executionArn"])["input"])
    assert payload == {
        "employer_id": employer["id"],
        "submission_wait_seconds": 120 * 3600,
        "reminders_before_escalation": 2,
        "review_wait_seconds": 48 * 3600,
    }


def test_a_reviewer_cannot_invite(deps):
    response = call(load_event("staff_api_invite_employer_as_reviewer.json"), deps)
    assert response["statusCode"] == 403
    assert "You cannot invite an employer" in json.loads(response["body"])["message"]
    assert invited(deps) == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"employer_name": "Hollins", "contact_name": "Kim"}, "contact_email"),
        ({"employer_name": "Hollins", "contact_name": "Kim", "contact_email": "not-an-email"}, "contact_email"),
        ({"employer_name": "", "contact_name": "Kim", "contact_email": "kim@hollins.example"}, "employer_name"),
    ],
)
def test_bad_invitations_get_a_clear_422_and_store_nothing(deps, body, field):
    event = load_event("staff_api_invite_employer.json")
    event["body"] = json.dumps(body)
    response = call(event, deps)
    assert response["statusCode"] == 422
    problems = json.loads(response["body"])["problems"]
    assert field in [p["field"] for p in problems]
    assert invited(deps) == []


def test_malformed_json_is_a_4xx_not_a_500(deps):
    event = load_event("staff_api_invite_employer.json")
    event["body"] = "{not json"
    assert 400 <= call(event, deps)["statusCode"] < 500


def test_the_invite_form_redirects_to_the_new_employer(deps):
    response = call(load_event("staff_api_invite_employer_form.json"), deps, session=signed_in_as(SAM, deps))
    assert response["statusCode"] == 303
    location = header(response, "Location")
    assert location.startswith("/v1/staff/employers/emp-") and location.endswith("?invited=1")
    assert deps.store.employers.get_employer(urlsplit(location).path.rsplit("/", 1)[1]).name == "Hollins Bakery"


def test_the_invite_form_shows_errors_beside_the_fields(deps):
    event = load_event("staff_api_invite_employer_form.json")
    event["body"] = "employer_name=Hollins&contact_name=&contact_email=nope"
    response = call(event, deps, session=signed_in_as(SAM, deps))
    assert response["statusCode"] == 400
    assert 'href="#contact_name">Enter the contact&#39;s full name' in response["body"]
    assert 'id="contact_email-error"' in response["body"]
    assert 'value="Hollins"' in response["body"]


def test_console_pages_carry_the_security_headers(deps):
    call(load_event("staff_api_invite_employer.json"), deps)
    response = call(load_event("staff_api_console_home.json"), deps, session=signed_in_as(SAM, deps))
    assert response["statusCode"] == 200
    assert "frame-ancestors 'none'" in header(response, "Content-Security-Policy")
    assert "script-src 'self'" in header(response, "Content-Security-Policy")
    assert header(response, "Referrer-Policy") == "no-referrer"
    assert header(response, "Cache-Control") == "no-store"
    assert "Hollins Bakery" in response["body"]


def test_an_unknown_employer_is_a_404(deps):
    event = load_event("staff_api_list_employers.json")
    event["path"] = "/api/employers/emp-000000000000"
    assert call(event, deps)["statusCode"] == 404


def test_listing_filters_by_status(deps):
    call(load_event("staff_api_invite_employer.json"), deps)
    event = load_event("staff_api_list_employers.json")
    event["queryStringParameters"] = {"status": "submitted"}
    event["multiValueQueryStringParameters"] = {"status": ["submitted"]}
    assert json.loads(call(event, deps)["body"])["items"] == []
    event["queryStringParameters"] = {"status": "invited"}
    event["multiValueQueryStringParameters"] = {"status": ["invited"]}
    assert [e["name"] for e in json.loads(call(event, deps)["body"])["items"]] == ["Hollins Bakery"]


def test_the_openapi_document_describes_the_json_api_only(deps):
    response = call(load_event("staff_api_openapi.json"), deps)
    document = json.loads(response["body"])
    paths = set(document["paths"])
    assert {"/api/employers", "/api/employers/{employer_id}", "/api/placements"} <= paths
    assert all(p.startswith("/api/") and p != "/api/openapi.json" for p in paths)  # no console pages
    assert "Invitation" in document["components"]["schemas"]


def test_requests_without_claims_are_refused(deps):
    event = load_event("staff_api_list_employers.json")
    del event["requestContext"]["authorizer"]
    assert call(event, deps)["statusCode"] == 403


def test_console_pages_without_a_session_send_the_browser_to_sign_in(deps):
    response = call(load_event("staff_api_console_home.json"), deps)
    assert response["statusCode"] == 303
    assert header(response, "Location") == "/v1/staff/sign-in?next=%2Fstaff"


def test_an_expired_session_is_refused(deps):
    cookie, csrf = signed_in_as(SAM, deps)
    with clock.simulate(clock.now() + timedelta(hours=8, seconds=1)):
        response = call(load_event("staff_api_console_home.json"), deps, session=(cookie, csrf))
    assert response["statusCode"] == 303


def test_a_post_without_the_sessions_csrf_token_is_refused_and_stores_nothing(deps):
    cookie, _ = signed_in_as(SAM, deps)
    event = load_event("staff_api_invite_employer_form.json")
    event["body"] = "csrf_token=forged&" + event["body"]
    response = call(event, deps, session=(cookie, "unused"))
    assert response["statusCode"] == 403
    assert "This form has expired" in response["body"]
    assert invited(deps) == []


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/staff/employers/new", None),
        ("POST", "/staff/employers", "employer_name=X&contact_name=Y&contact_email=y%40x.example"),
    ],
)
def test_a_reviewer_gets_a_403_page_for_inviting_from_the_console(deps, method, path, body):
    event = load_event("staff_api_invite_employer_form.json")
    event.update({"httpMethod": method, "path": path, "body": body})
    response = call(event, deps, session=signed_in_as(RAE, deps))
    assert response["statusCode"] == 403
    assert "You cannot invite an employer" in response["body"]
    assert invited(deps) == []
    # And the page keeps the reviewer's menu, which does not offer what they may not do
    assert menu_of(response) == ["Home", "Employers", "Placements", "Handbook", "Speakers"]


def menu_of(page: dict) -> list[str]:
    menu = re.search(
        r'<ul class="govuk-service-navigation__list" id="staff-navigation"\s*>(.*?)</ul>', page["body"], re.S
    )
    assert menu, "the page has no staff menu"
    labels = re.findall(r"<a [^>]*>(.*?)</a>", menu.group(1), re.S)
    return [" ".join(re.sub(r"<[^>]+>", "", label).split()) for label in labels]


@pytest.mark.parametrize(
    ("user", "offered"),
    [
        (SAM, ["Home", "Employers", "Invite an employer", "Placements", "Place a learner", "Handbook", "Speakers"]),
        (RAE, ["Home", "Employers", "Placements", "Handbook", "Speakers"]),
    ],
)
def test_the_menu_offers_only_what_the_person_signed_in_may_do(deps, user, offered):
    assert menu_of(call(console_get("/staff"), deps, session=signed_in_as(user, deps))) == offered


def test_a_page_that_does_not_exist_keeps_the_menu_for_staff_and_shows_none_to_anyone_else(deps):
    # Given an address in the console that matches no page
    missing = console_get("/staff/no-such-page")
    # When a signed-in reviewer opens it, Then they are told, with their menu to go on from
    response = call(missing, deps, session=signed_in_as(RAE, deps))
    assert response["statusCode"] == 404 and "Page not found" in response["body"]
    assert menu_of(response)[0] == "Home"
    # And someone not signed in is told without a menu
    anonymous = call(console_get("/staff/no-such-page"), deps)
    assert anonymous["statusCode"] == 404 and "Staff menu" not in anonymous["body"]


def test_signing_in_starts_a_session_for_whoever_the_hosted_sign_in_vouched_for(deps):
    # Given the console's sign-in sent the browser to the hosted sign-in with a state and a PKCE challenge
    event = load_event("staff_api_console_home.json")
    event.update({"path": "/staff/sign-in", "queryStringParameters": {"next": "/staff/employers"}})
    del event["requestContext"]["authorizer"]
    started = call(event, deps)
    assert started["statusCode"] == 303
    state = parse_qs(urlsplit(header(started, "Location")).query)["state"][0]
    remembered = next(c for c in started["multiValueHeaders"]["Set-Cookie"] if c.startswith("safeplace_sign_in="))
    # When it comes back with a code and the same state
    callback = load_event("staff_api_console_home.json")
    callback.update({"path": "/staff/auth/callback", "queryStringParameters": {"code": "sam-code", "state": state}})
    callback["headers"]["Cookie"] = remembered.split(";")[0]
    callback["multiValueHeaders"]["Cookie"] = [callback["headers"]["Cookie"]]
    done = call(callback, deps)
    # Then a session cookie is set (Secure, HttpOnly, __Host-) and the browser goes where it asked
    assert done["statusCode"] == 303
    assert header(done, "Location") == "/v1/staff/employers"
    session_cookie = next(
        c for c in done["multiValueHeaders"]["Set-Cookie"] if c.startswith("__Host-safeplace_session=")
    )
    assert "Secure" in session_cookie and "HttpOnly" in session_cookie
    cookie = session_cookie.split(";")[0].split("=", 1)[1]
    home = call(load_event("staff_api_console_home.json"), deps, session=(cookie, ""))
    assert home["statusCode"] == 200 and "sam.staff@example.org" in home["body"]
    assert deps.sign_in.exchanged[0][0] == "sam-code"  # with the PKCE verifier it kept


def test_a_callback_with_the_wrong_state_signs_nobody_in(deps):
    callback = load_event("staff_api_console_home.json")
    callback.update({"path": "/staff/auth/callback", "queryStringParameters": {"code": "sam-code", "state": "forged"}})
    response = call(callback, deps)
    assert response["statusCode"] == 303
    assert header(response, "Location").startswith("/v1/staff/sign-in")
    assert deps.sign_in.exchanged == []


def test_signing_out_ends_the_session(deps):
    session = signed_in_as(SAM, deps)
    event = load_event("staff_api_invite_employer_form.json")
    event.update({"path": "/staff/sign-out", "body": ""})
    response = call(event, deps, session=session)
    assert response["statusCode"] == 303
    assert header(response, "Location") == "https://sign-in.example/logout"
    assert call(load_event("staff_api_console_home.json"), deps, session=session)["statusCode"] == 303


def test_every_staff_route_names_what_it_allows_in_the_access_policy():
    routes = staff_api.app._static_routes + staff_api.app._dynamic_routes
    assert routes
    for route in routes:
        actions = [getattr(m, "action", None) for m in route.middlewares or []]
        assert any(a in access.ALLOWED for a in actions), f"{route.method} {route.path} has no access rule"


def test_the_staff_api_serves_every_route_of_every_console_router():
    # Given the routers of the console's areas
    modules = [importlib.import_module(f"{console.__name__}.{m.name}") for m in pkgutil.iter_modules(console.__path__)]
    routers = [module.router for module in modules if hasattr(module, "router")]
    assert len(routers) == 8
    # Then the handler's resolver serves each of their routes (so the test above sees their access rules)
    served = {(r.method, r.path) for r in staff_api.app._static_routes + staff_api.app._dynamic_routes}
    for router in routers:
        assert router._routes
        for rule, methods, *_ in router._routes:
            for method in methods:
                assert (method.upper(), rule) in served, f"{method} {rule} is not served"


def an_employer_awaiting_review(deps) -> str:
    employer = invite(deps.store, an_employer(clock.now(), contact_email="kim@hollins.example"))
    submitted = employer.moved_to(
        EmployerStatus.SUBMITTED,
        clock.now(),
        checks=[
            c.model_copy(update={"status": CheckStatus.SUBMITTED})
            for c in employer.checks
            if c.type in (CheckType.ORGANISATION, CheckType.SPOC)
        ],
    )
    deps.store.employers.save_employer(employer, submitted, AuditEvent(subject=employer.subject, action="x", actor="y"))
    return employer.id


def an_employer_with_its_answers_awaiting_review(deps) -> str:
    employer = invite(deps.store, an_employer(clock.now(), contact_email="kim@hollins.example"))
    return a_stored_submission(deps.store, employer, a_submission(), clock.now()).id


def test_a_reviewer_opens_evidence_through_a_short_lived_link_and_it_is_audited(deps, evidence_bucket):
    # Given an employer whose answers, with an insurance certificate that is a page as well as a PDF, wait for review
    employer = invite(deps.store, an_employer(clock.now(), contact_email="kim@hollins.example"))
    answers = a_submission(employer_id=employer.id)
    polyglot = PDF + b"<html><script>alert(document.cookie)</script></html>"
    evidence_bucket.put_object(
        Bucket=EVIDENCE_BUCKET, Key=answers.employers_liability_insurance.certificate.key, Body=polyglot
    )
    a_stored_submission(deps.store, employer, answers, clock.now())
    rae = signed_in_as(RAE, deps)
    page = call(console_get(f"/staff/employers/{employer.id}/checks/employers_liability_insurance"), deps, session=rae)
    evidence_path = f"/staff/employers/{employer.id}/evidence/employers_liability_insurance"
    assert evidence_path in page["body"] and "Northern Mutual" in page["body"]
    # When the reviewer opens the certificate
    response = call(console_get(evidence_path), deps, session=rae)
    # Then they are sent to a presigned address that stops working after five minutes
    assert response["statusCode"] == 303
    location = urlsplit(header(response, "Location"))
    query = parse_qs(location.query)
    assert location.path.endswith(answers.employers_liability_insurance.certificate.key)
    assert query["X-Amz-Expires"] == ["300"] and query["response-content-type"] == ["application/pdf"]
    # And the file is saved, never shown in the browser, whatever it also is
    filename = f"{employer.id}-employers_liability_insurance.pdf"
    assert query["response-content-disposition"] == [f'attachment; filename="{filename}"']
    assert header(response, "X-Content-Type-Options") == "nosniff"
    entries, _ = deps.store.audit.audit_trail(employer.subject)
    assert (entries[-1].action, entries[-1].actor) == ("evidence.opened", "rae.reviewer@example.org")
    # And engagement staff, who do not review, cannot open it
    assert call(console_get(evidence_path), deps, session=signed_in_as(SAM, deps))["statusCode"] == 403


def test_opening_evidence_that_was_never_sent_is_a_clear_404(deps):
    employer_id = an_employer_awaiting_review(deps)
    path = f"/staff/employers/{employer_id}/evidence/risk_assessment"
    response = call(console_get(path), deps, session=signed_in_as(RAE, deps))
    assert response["statusCode"] == 404 and "has not sent a file" in response["body"]


def review(deps, employer_id: str, check: str, body: str, session) -> dict:
    event = load_event("staff_api_invite_employer_form.json")
    event.update({"path": f"/staff/employers/{employer_id}/checks/{check}", "body": body})
    return call(event, deps, session=session)


def test_a_reviewer_approves_each_check_and_the_employer_passes_onboarding(deps, monkeypatch):
    completed: list[dict] = []
    monkeypatch.setattr(deps.workflows, "complete", lambda token, output: completed.append(output) or True)
    employer_id = an_employer_awaiting_review(deps)
    deps.store.waits.save_wait(employer_id, "review", "review-task-token", clock.now())
    rae = signed_in_as(RAE, deps)
    first = review(deps, employer_id, "organisation", "decision=approve", rae)
    assert first["statusCode"] == 303 and header(first, "Location").endswith("?decided=organisation")
    assert completed == []  # the SPOC check is still waiting
    review(deps, employer_id, "spoc", "decision=approve", rae)
    assert completed == [{"outcome": "approved"}]
    employer = deps.store.employers.get_employer(employer_id)
    assert employer.status is EmployerStatus.CHECKS_PASSED
    assert {c.decided_by for c in employer.checks} == {"rae.reviewer@example.org"}
    entries, _ = deps.store.audit.audit_trail(employer.subject)
    assert [e.details.get("decision") for e in entries if e.action == "check.reviewed"] == ["approve", "approve"]


def test_a_rejection_needs_a_reason_and_sends_the_employer_back_with_it(deps, monkeypatch):
    completed: list[dict] = []
    monkeypatch.setattr(deps.workflows, "complete", lambda token, output: completed.append(output) or True)
    employer_id = an_employer_awaiting_review(deps)
    deps.store.waits.save_wait(employer_id, "review", "review-task-token", clock.now())
    rae = signed_in_as(RAE, deps)
    missing = review(deps, employer_id, "spoc", "decision=reject&reason=", rae)
    assert missing["statusCode"] == 400
    assert 'href="#reason-spoc"' in missing["body"] and "Say what the employer needs to put right" in missing["body"]
    assert deps.store.employers.get_employer(employer_id).status is EmployerStatus.SUBMITTED
    review(deps, employer_id, "organisation", "decision=approve", rae)
    review(deps, employer_id, "spoc", "decision=reject&reason=The+SPOC+must+work+on+the+site", rae)
    assert completed == [{"outcome": "changes_requested"}]
    employer = deps.store.employers.get_employer(employer_id)
    assert employer.status is EmployerStatus.CHANGES_REQUESTED
    spoc = next(c for c in employer.checks if c.type.value == "spoc")
    assert (spoc.status, spoc.reason) == (CheckStatus.REJECTED, "The SPOC must work on the site")


def test_a_decided_check_cannot_be_decided_again(deps):
    employer_id = an_employer_awaiting_review(deps)
    rae = signed_in_as(RAE, deps)
    review(deps, employer_id, "organisation", "decision=approve", rae)
    again = review(deps, employer_id, "organisation", "decision=reject&reason=changed+my+mind", rae)
    assert again["statusCode"] == 409
    assert "is not waiting for review" in again["body"]


def test_engagement_staff_cannot_review(deps):
    employer_id = an_employer_awaiting_review(deps)
    response = review(deps, employer_id, "organisation", "decision=approve", signed_in_as(SAM, deps))
    assert response["statusCode"] == 403
    assert all(c.status is CheckStatus.SUBMITTED for c in deps.store.employers.get_employer(employer_id).checks)


def test_reviewing_through_the_json_api(deps):
    employer_id = an_employer_awaiting_review(deps)
    event = load_event("staff_api_invite_employer_as_reviewer.json")
    event.update({"path": f"/api/employers/{employer_id}/checks/spoc", "body": json.dumps({"decision": "reject"})})
    refused = call(event, deps)
    assert refused["statusCode"] == 422
    event["body"] = json.dumps({"decision": "approve"})
    done = call(event, deps)
    assert done["statusCode"] == 200
    assert json.loads(done["body"])["checks"][1]["status"] == "approved"


def test_revoking_a_check_flags_learners_placed_there_and_emails_the_dsl(deps):
    # Given an employer whose checks passed, with one learner on an active placement
    employer_id = an_employer_with_its_answers_awaiting_review(deps)
    rae = signed_in_as(RAE, deps)
    review(deps, employer_id, "organisation", "decision=approve", rae)
    review(deps, employer_id, "spoc", "decision=approve", rae)
    policy = CheckPolicy(
        version="t",
        rules=(RequirementRule(requirement=Requirement.ORGANISATION),),
        minimum_insurance_cover_gbp=1,
        handbook_grace_days=30,
    )
    request = PlacementRequest(
        learner_reference="L-1",
        date_of_birth=date(2010, 1, 1),
        employer_id=employer_id,
        site="Mill Lane bakery",
        start_date=date(2027, 9, 6),
        assessor="Pat",
    )
    placed = record_placement(request, SAM, **gate_records(deps.store), now=clock.now(), policy=policy)
    assert placed.status is PlacementStatus.ACTIVE
    # When a reviewer revokes the SPOC check without a reason, then with one
    event = load_event("staff_api_invite_employer_form.json")
    event.update({"path": f"/staff/employers/{employer_id}/checks/spoc/revoke", "body": "reason="})
    assert call(dict(event), deps, session=rae)["statusCode"] == 400
    event = load_event("staff_api_invite_employer_form.json")
    event.update({"path": f"/staff/employers/{employer_id}/checks/spoc/revoke", "body": "reason=SPOC+has+left"})
    response = call(event, deps, session=rae)
    assert response["statusCode"] == 303
    # Then the check is revoked, the employer needs attention, the placement is flagged and the DSL told
    employer = deps.store.employers.get_employer(employer_id)
    assert employer.status is EmployerStatus.NEEDS_ATTENTION
    assert next(c for c in employer.checks if c.type.value == "spoc").status is CheckStatus.REVOKED
    [flagged] = deps.store.placements.placement_page(PlacementStatus.ACTIVE, cursor=None, limit=50).items
    assert flagged.flags and "SPOC has left" in flagged.flags[0]
    [message] = sent_emails()
    assert message["To"] == "dee.dsl@example.org"
    assert "L-1 (aged 16 to 18)" in text_of(message)
    # And only an approved check can be revoked
    again = call(event | {"body": "reason=again"}, deps, session=rae)
    assert again["statusCode"] == 409


def test_engagement_staff_cannot_revoke_a_check(deps):
    employer_id = an_employer_awaiting_review(deps)
    event = load_event("staff_api_invite_employer_form.json")
    event.update({"path": f"/staff/employers/{employer_id}/checks/spoc/revoke", "body": "reason=no"})
    assert call(event, deps, session=signed_in_as(SAM, deps))["statusCode"] == 403


def an_invited_employer_waiting_for_its_submission(deps) -> str:
    employer = invite(deps.store, an_employer(clock.now(), contact_email="kim@hollins.example"))
    deps.store.waits.save_wait(employer.id, "submission", "submission-task-token", clock.now())
    links.issue(
        deps.store.links, employer.id, LinkPurpose.ONBOARDING_FORM, now=clock.now(), valid_for=timedelta(days=14)
    )
    return employer.id


def invitation_action(deps, employer_id: str, action: str, session) -> dict:
    event = load_event("staff_api_invite_employer_form.json")
    event.update({"path": f"/staff/employers/{employer_id}/invitation/{action}", "body": ""})
    return call(event, deps, session=session)


def test_resending_while_onboarding_waits_sends_a_fresh_link_and_the_old_one_stops_working(deps):
    employer_id = an_invited_employer_waiting_for_its_submission(deps)
    old = deps.store.links.current_link_hash(employer_id, LinkPurpose.ONBOARDING_FORM)
    response = invitation_action(deps, employer_id, "resend", signed_in_as(SAM, deps))
    assert response["statusCode"] == 303
    [message] = sent_emails()
    assert message["To"] == "kim@hollins.example"
    assert deps.store.links.get_link(old).revoked_at is not None
    assert deps.store.links.current_link_hash(employer_id, LinkPurpose.ONBOARDING_FORM) != old
    executions = deps.workflows.client.list_executions(stateMachineArn=deps.settings.onboarding_state_machine_arn)
    assert executions["executions"] == []  # the waiting workflow goes on; no new one


def test_resending_after_onboarding_ended_starts_it_again(deps):
    employer = invite(deps.store, an_employer(clock.now()))
    stalled = employer.moved_to(EmployerStatus.STALLED, clock.now())
    deps.store.employers.save_employer(employer, stalled, AuditEvent(subject=employer.subject, action="x", actor="y"))
    invitation_action(deps, employer.id, "resend", signed_in_as(SAM, deps))
    again = deps.store.employers.get_employer(employer.id)
    assert (again.status, again.invitation_number) == (EmployerStatus.INVITED, 2)
    executions = deps.workflows.client.list_executions(stateMachineArn=deps.settings.onboarding_state_machine_arn)
    assert [e["name"] for e in executions["executions"]] == [f"onboarding-{employer.id}-2"]


def test_withdrawing_an_invitation_stops_the_link_and_the_workflow(deps):
    employer_id = an_invited_employer_waiting_for_its_submission(deps)
    current = deps.store.links.current_link_hash(employer_id, LinkPurpose.ONBOARDING_FORM)
    response = invitation_action(deps, employer_id, "withdraw", signed_in_as(SAM, deps))
    assert response["statusCode"] == 303
    assert deps.store.employers.get_employer(employer_id).status is EmployerStatus.WITHDRAWN
    assert deps.store.links.get_link(current).revoked_at is not None
    # Withdrawing twice is refused, clearly
    again = invitation_action(deps, employer_id, "withdraw", signed_in_as(SAM, deps))
    assert again["statusCode"] == 409 and "no open invitation" in again["body"]


def test_a_reviewer_cannot_resend_or_withdraw_invitations(deps):
    employer_id = an_invited_employer_waiting_for_its_submission(deps)
    for action in ("resend", "withdraw"):
        assert invitation_action(deps, employer_id, action, signed_in_as(RAE, deps))["statusCode"] == 403
    assert deps.store.employers.get_employer(employer_id).status is EmployerStatus.INVITED


def name_spoc(deps, employer_id: str, body: str, session) -> dict:
    event = load_event("staff_api_invite_employer_form.json")
    event.update({"path": f"/staff/employers/{employer_id}/spoc", "body": body})
    return call(event, deps, session=session)


NEW_SPOC = "spoc-name=Ola+Nowak&spoc-role=Supervisor&spoc-email=ola%40hollins.example&spoc-phone=0113+496+0001"


def test_staff_name_a_new_spoc_whose_training_is_then_needed_before_new_placements(deps):
    # Given an employer whose checks passed, its SPOC holding the last link
    employer_id = an_employer_whose_checks_passed(deps)
    now = clock.now()
    old_link = links.issue(
        deps.store.links, employer_id, LinkPurpose.ONBOARDING_FORM, now=now, valid_for=timedelta(days=14)
    )
    sam = signed_in_as(SAM, deps)
    # When staff leave out the new SPOC's email, the page says so and nothing changes
    missing = name_spoc(deps, employer_id, NEW_SPOC.replace("ola%40hollins.example", ""), sam)
    assert (
        missing["statusCode"] == 400
        and '<a href="#spoc-email">Enter the new SPOC&#39;s email address</a>' in (missing["body"])
    )
    assert 'value="Ola Nowak"' in missing["body"] and '<details class="govuk-details" open>' in missing["body"]
    assert deps.store.employers.get_employer(employer_id).status is EmployerStatus.CHECKS_PASSED
    # And when they name the new SPOC in full
    response = name_spoc(deps, employer_id, NEW_SPOC, sam)
    assert response["statusCode"] == 303 and header(response, "Location").endswith("?spoc=changed")
    # Then the old SPOC's link no longer works and the new SPOC is emailed a link of their own
    assert deps.store.links.get_link(links.token_hash(old_link.token)).revoked_at is not None
    [email] = sent_emails()
    assert email["To"] == "ola@hollins.example"
    assert "Northern Skills Training: you are now the single point of contact" in email["Subject"]
    assert f"{BASE_URL}/link/" in text_of(email)
    # And the SPOC's training is needed again: the gate blocks new placements until it is approved
    employer = deps.store.employers.get_employer(employer_id)
    training = next(c for c in employer.checks if c.type is CheckType.SPOC_TRAINING)
    assert (employer.status, training.status) == (EmployerStatus.CHANGES_REQUESTED, CheckStatus.REVOKED)
    answers = deps.store.employers.get_submission(employer_id)
    assert (answers.spoc.spoc.name, answers.spoc_training) == ("Ola Nowak", None)
    request = a_placement_request(employer_id, now.date() + timedelta(days=30))
    blocked = record_placement(request, SAM, **gate_records(deps.store), now=now)
    assert blocked.unmet == ["Not yet approved: the SPOC's safeguarding and Prevent training"]
    entries, _ = deps.store.audit.audit_trail(employer.subject)
    assert [e.action for e in entries][-1] == "spoc.changed" and entries[-1].actor == SAM.email


def test_naming_the_same_spoc_again_or_as_a_reviewer_is_refused(deps):
    employer_id = an_employer_whose_checks_passed(deps)
    same = NEW_SPOC.replace("ola%40hollins.example", "kim%40hollins.example")
    assert name_spoc(deps, employer_id, same, signed_in_as(SAM, deps))["statusCode"] == 409
    assert name_spoc(deps, employer_id, NEW_SPOC, signed_in_as(RAE, deps))["statusCode"] == 403
    assert deps.store.employers.get_employer(employer_id).status is EmployerStatus.CHECKS_PASSED


def a_signed_receipt(deps) -> tuple[str, Any]:
    """An employer whose SPOC signed for handbook version 1, through the link the delivery emailed."""
    employer_id = an_employer_whose_checks_passed(deps)
    now = clock.now()
    version = a_published_version(deps.store, now)
    issuer = deps.settings.link_issuer(deps.store.links)
    kim = holder_key(deps.store.employers.get_submission(employer_id).spoc.spoc)
    deliver_handbook(
        employer_id, version, kim, provider=PROVIDER, employers=deps.store.employers, handbook=deps.store.handbook,
        audit=deps.store.audit, files=deps.files, mailer=deps.mailer, issuer=issuer, now=now,
    )  # fmt: skip
    token = re.search(r"/link/([A-Za-z0-9_-]{20,})/handbook", text_of(sent_emails()[-1])).group(1)  # type: ignore[union-attr]
    signed = Acknowledgement(typed_name="Kim Hollins", accepted=list(range(len(STATEMENTS))))
    acknowledge_handbook(
        token, signed, links=deps.store.links, employers=deps.store.employers, handbook=deps.store.handbook,
        mailer=deps.mailer, release=a_release(deps.store), link_url=f"{BASE_URL}/link/{token}/handbook", now=now,
    )  # fmt: skip
    return employer_id, deps.store.handbook.get_handbook_copy(employer_id, 1, kim)


def test_staff_see_each_receipt_verified_and_download_the_document_it_refers_to(deps, evidence_bucket):
    # Given the SPOC signed for version 1
    employer_id, copy = a_signed_receipt(deps)
    sam = signed_in_as(SAM, deps)
    event = load_event("staff_api_console_home.json")
    event["path"] = f"/staff/employers/{employer_id}"
    receipt = f"/staff/employers/{employer_id}/handbook/1/{copy.holder}"
    assert receipt in call(event, deps, session=sam)["body"]
    # When staff open the receipt, it is verified against the stored document
    event = load_event("staff_api_console_home.json")
    event["path"] = receipt
    page = call(dict(event), deps, session=sam)
    assert page["statusCode"] == 200 and "Verified" in page["body"] and copy.sha256 in page["body"]
    assert "Kim Hollins, Owner" in page["body"]
    # And the document they download is the one signed for, byte for byte
    download = load_event("staff_api_console_home.json")
    download["path"] = f"{receipt}/document"
    document = call(download, deps, session=sam)
    assert document["body"].encode() == deps.files.read(copy.key)
    assert header(document, "Content-Disposition").startswith("attachment")
    # And once someone changes the stored document, the receipt says so, on the page and in the API
    deps.files.put_document(copy.key, b"<p>Nothing to see</p>", content_type="text/html")
    event = load_event("staff_api_console_home.json")
    event["path"] = receipt
    assert "The stored document does not match the receipt" in call(event, deps, session=sam)["body"]
    api = load_event("staff_api_list_employers.json")
    api["path"] = f"/api/employers/{employer_id}/handbook/1/{copy.holder}"
    body = json.loads(call(api, deps)["body"])
    assert body["verification"]["matches"] is False and body["receipt"]["sha256"] == copy.sha256


def test_a_receipt_that_does_not_exist_is_a_clear_404(deps):
    employer_id = an_employer_whose_checks_passed(deps)
    event = load_event("staff_api_console_home.json")
    event["path"] = f"/staff/employers/{employer_id}/handbook/7/{'0' * 16}"
    response = call(event, deps, session=signed_in_as(SAM, deps))
    assert response["statusCode"] == 404 and "has no such receipt for handbook version 7" in response["body"]
    # And in the JSON API, a malformed SPOC reference is a 422 that says which part is wrong
    api = load_event("staff_api_list_employers.json")
    api["path"] = f"/api/employers/{employer_id}/handbook/7/not-a-holder"
    response = call(api, deps)
    assert response["statusCode"] == 422 and "holder" in response["body"]


def publish(deps, body: str, session) -> dict:
    event = load_event("staff_api_invite_employer_form.json")
    event.update({"path": "/staff/handbook", "body": body})
    return call(event, deps, session=session)


def test_an_admin_publishes_a_version_from_the_console_and_the_rollout_starts(deps):
    ada = signed_in_as(ADA, deps)
    # Given no version yet, which the home page warns about
    assert 'id="no-handbook"' in call(load_event("staff_api_console_home.json"), deps, session=ada)["body"]
    # When the admin leaves out what changed and whether it is material, the page says so
    missing = publish(deps, "summary=", ada)
    assert missing["statusCode"] == 400
    assert 'href="#summary"' in missing["body"] and "Select whether every SPOC must sign" in missing["body"]
    assert deps.store.handbook.latest_handbook_version() is None
    # And when they fill both in, version 1 is published and its rollout execution started
    response = publish(
        deps, "summary=New+absence+line&material=yes&text=%23%23+Absence%0A%0ACall+us&confirmed=yes", ada
    )
    assert response["statusCode"] == 303 and header(response, "Location").endswith("?published=1")
    version = deps.store.handbook.latest_handbook_version()
    assert (version.number, version.material, version.published_by) == (1, True, "ada.admin@example.org")
    [execution] = boto3.client("stepfunctions").list_executions(
        stateMachineArn=deps.settings.handbook_rollout_state_machine_arn
    )["executions"]
    assert execution["name"] == "handbook-v1"
    # And the handbook page lists it, and the home page no longer warns that none is published
    event = load_event("staff_api_console_home.json")
    event["path"] = "/staff/handbook"
    assert "New absence line" in call(event, deps, session=ada)["body"]
    assert 'id="no-handbook"' not in call(load_event("staff_api_console_home.json"), deps, session=ada)["body"]


def test_only_an_admin_may_publish_a_version(deps):
    response = publish(deps, "summary=Mine&material=no", signed_in_as(SAM, deps))
    assert response["statusCode"] == 403
    assert deps.store.handbook.latest_handbook_version() is None
