"""The handbook in the staff console: an admin changes the text, checks an employer's copy and how many SPOCs
will be emailed, and only then publishes; staff who are not admins can do none of it."""

import json
import re
from urllib.parse import urlencode

import boto3
import pytest

from safeplace.adapters.dynamodb import Store
from safeplace.core import clock
from safeplace.handbook.chase_acknowledgement import Chased, chase_acknowledgement
from safeplace.handbook.deliver_handbook import deliver_handbook
from tests.support.builders import ADA, COMPLIANCE, PROVIDER
from tests.support.handlers import header
from tests.support.project import load_event
from tests.support.records import a_published_version, signed_for
from tests.unit.staff_api_support import (
    SAM,
    an_employer_whose_checks_passed,
    call,
    console_get,
    signed_in_as,
    staff_api_dependencies,
)

KIM = "b2346741aec4a26f"  # holder_key of kim@hollins.example, the SPOC a_submission names
TEXT = "## Parking\n\nPark at the back, then ring {dsl_phone}.\n\n- Sign in at reception\n- Wear your badge"


@pytest.fixture
def deps(store: Store, state_machine_arn: str, rollout_arn: str, speaker_arn: str, sesv2):
    return staff_api_dependencies(store, state_machine_arn, rollout_arn, speaker_arn)


def post(deps, path: str, fields: dict[str, str], session) -> dict:
    event = load_event("staff_api_invite_employer_form.json")
    event.update({"path": path, "body": urlencode(fields)})
    return call(event, deps, session=session)


def rollouts(deps) -> list:
    return boto3.client("stepfunctions").list_executions(
        stateMachineArn=deps.settings.handbook_rollout_state_machine_arn
    )["executions"]


def test_an_admin_changes_the_text_checks_a_copy_and_the_count_then_publishes(deps):
    ada = signed_in_as(ADA, deps)
    for employer_id in ("emp-0123456789ab", "emp-0123456789ac"):
        an_employer_whose_checks_passed(deps, employer_id)
    # Given the editor starts from the fixed text versions were published with before
    editor = call(console_get("/staff/handbook/new"), deps, session=ada)
    assert editor["statusCode"] == 200 and "## Our safeguarding and Prevent commitments" in editor["body"]
    # When the admin continues with text that has no heading, the editor says what to put right
    draft = {"summary": "Parking at the back", "material": "yes", "text": "Park at the back."}
    wrong = post(deps, "/staff/handbook/preview", draft, ada)
    assert wrong["statusCode"] == 400 and 'href="#text"' in wrong["body"]
    assert "Start the handbook text with a section heading" in wrong["body"]
    # And when they put it right, the check page says how many SPOCs publishing emails, and has published nothing
    draft["text"] = TEXT
    check = post(deps, "/staff/handbook/preview", draft, ada)
    assert check["statusCode"] == 200 and "Publishing emails 2 SPOCs their copy of version 1" in check["body"]
    assert "Publish and email 2 SPOCs" in check["body"] and "1. Parking" in check["body"]
    assert deps.store.handbook.latest_handbook_version() is None and rollouts(deps) == []
    # And an employer's copy reads as it will, with example details where each employer's go
    copy = post(deps, "/staff/handbook/preview/copy", draft, ada)
    assert copy["statusCode"] == 200 and header(copy, "Content-Disposition").startswith("inline")
    assert "script-src" not in header(copy, "Content-Security-Policy")
    assert "<li>Sign in at reception</li>" in copy["body"] and "ring [Our DSL&#39;s phone]." in copy["body"]
    # And going back to change the text keeps what they typed
    back = post(deps, "/staff/handbook/new", draft, ada)
    assert "Park at the back, then ring {dsl_phone}." in back["body"]
    # When they confirm, version 1 is published with that text and its rollout starts
    published = post(deps, "/staff/handbook", {**draft, "confirmed": "yes"}, ada)
    assert published["statusCode"] == 303 and header(published, "Location").endswith("?published=1")
    assert deps.store.handbook.handbook_text(1).sections[0].heading == "Parking"
    assert [e["name"] for e in rollouts(deps)] == ["handbook-v1"]
    # And the next edit starts from it
    assert "## Parking" in call(console_get("/staff/handbook/new"), deps, session=ada)["body"]


def test_publishing_without_the_confirmation_shows_the_check_page_instead(deps):
    ada = signed_in_as(ADA, deps)
    response = post(deps, "/staff/handbook", {"summary": "Typo", "material": "no", "text": TEXT}, ada)
    assert response["statusCode"] == 200 and "Publishing emails 0 SPOCs" in response["body"]
    assert deps.store.handbook.latest_handbook_version() is None and rollouts(deps) == []


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/staff/handbook/new"), ("POST", "/staff/handbook/new"), ("POST", "/staff/handbook/preview"),
     ("POST", "/staff/handbook/preview/copy"), ("POST", "/staff/handbook")],
)  # fmt: skip
def test_only_an_admin_may_change_check_or_publish_the_handbook(deps, method, path):
    sam = signed_in_as(SAM, deps)
    fields = {"summary": "Mine", "material": "yes", "text": TEXT, "confirmed": "yes"}
    response = call(console_get(path), deps, session=sam) if method == "GET" else post(deps, path, fields, sam)
    assert response["statusCode"] == 403
    assert deps.store.handbook.latest_handbook_version() is None


def delivered(deps, employer_id: str, version, now) -> None:
    deliver_handbook(
        employer_id, version, KIM, provider=PROVIDER, employers=deps.store.employers, handbook=deps.store.handbook,
        audit=deps.store.audit, files=deps.files, mailer=deps.mailer,
        issuer=deps.settings.link_issuer(deps.store.links), now=now,
    )  # fmt: skip


def chased(deps, employer_id: str, version, reminders_sent: int, now) -> Chased:
    return chase_acknowledgement(
        employer_id, version, KIM, reminders_sent, 1, provider=PROVIDER, employers=deps.store.employers,
        handbook=deps.store.handbook, audit=deps.store.audit, mailer=deps.mailer,
        issuer=deps.settings.link_issuer(deps.store.links), compliance_team=COMPLIANCE, now=now,
    )  # fmt: skip


def test_staff_see_for_each_version_who_has_signed_been_reminded_or_escalated_a_page_at_a_time(deps, evidence_bucket):
    now = clock.now()
    # Given version 1 delivered to three employers' SPOCs
    signs, reminded, escalated = "emp-0123456789aa", "emp-0123456789ab", "emp-0123456789ac"
    for employer_id in (signs, reminded, escalated):
        an_employer_whose_checks_passed(deps, employer_id)
    version = a_published_version(deps.store, now)
    for employer_id in (signs, reminded, escalated):
        delivered(deps, employer_id, version, now)
    # When one SPOC signs, one is reminded, and one is reminded and then passed to the compliance team
    signed_for(deps.store, signs, 1, now)
    assert chased(deps, reminded, version, 0, now) is Chased.REMINDED
    assert chased(deps, escalated, version, 0, now) is Chased.REMINDED
    assert chased(deps, escalated, version, 1, now) is Chased.ESCALATED
    # Then the version's page shows where each stands, with the receipt of the one who signed
    page = call(console_get("/staff/handbook/1"), deps, session=signed_in_as(SAM, deps))
    assert page["statusCode"] == 200
    rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', page["body"], re.S)[1:]
    assert len(rows) == 3
    assert "Signed" in rows[0] and f"/staff/employers/{signs}/handbook/1/{KIM}" in rows[0]
    assert "Reminded" in rows[1] and "1 time," in rows[1]
    assert "Passed to compliance team" in rows[2] and "Kim Hollins" in rows[2]
    # And a long list comes a page at a time, by a cursor
    first = deps.store.handbook.standings(1, cursor=None, limit=2)
    rest = deps.store.handbook.standings(1, cursor=first.next_cursor, limit=2)
    assert [s.employer_id for s in first.items + rest.items] == [signs, reminded, escalated]
    assert rest.next_cursor is None and rest.previous_cursor


def test_a_version_that_does_not_exist_or_a_changed_page_link_is_a_clear_4xx(deps):
    sam = signed_in_as(SAM, deps)
    missing = call(console_get("/staff/handbook/7"), deps, session=sam)
    assert missing["statusCode"] == 404 and "There is no handbook version 7" in missing["body"]
    a_published_version(deps.store, clock.now())
    event = console_get("/staff/handbook/1")
    event["queryStringParameters"] = {"cursor": "not-a-cursor"}
    assert call(event, deps, session=sam)["statusCode"] == 400


def api_call(deps, method: str, path: str, *, body: object = None, groups: str = "staff", **query: str) -> dict:
    event = load_event("staff_api_invite_employer.json")
    event.update({"httpMethod": method, "path": path, "body": json.dumps(body) if body is not None else None})
    event["queryStringParameters"] = query or None
    claims = event["requestContext"]["authorizer"]["claims"]
    claims.update({"cognito:groups": groups, "email": "ada.admin@example.org", "cognito:username": "ada"})
    return call(event, deps)


def test_the_json_api_publishes_text_as_plain_words_and_lists_a_versions_spocs(deps):
    # Given an admin publishing through the API, with markup in the text
    typed = {"summary": "Parking", "material": True, "text": "## <script>x</script>\n\n[a](javascript:alert(1))"}
    # Then staff cannot, and an admin can; the text is kept as words, to be escaped in every copy
    assert api_call(deps, "POST", "/api/handbook/versions", body=typed)["statusCode"] == 403
    published = api_call(deps, "POST", "/api/handbook/versions", body=typed, groups="admin")
    assert published["statusCode"] == 201, published["body"]
    assert deps.store.handbook.handbook_text(1).sections[0].heading == "<script>x</script>"
    # And text that cannot make a handbook is a 422 that says why
    wrong = api_call(deps, "POST", "/api/handbook/versions", body={**typed, "text": "No heading"}, groups="admin")
    assert wrong["statusCode"] == 422 and "Start the handbook text with a section heading" in wrong["body"]
    # And the version's SPOCs are listed a page at a time
    signed_for(deps.store, an_employer_whose_checks_passed(deps), 1, clock.now())
    listed = json.loads(api_call(deps, "GET", "/api/handbook/versions/1/spocs", limit="1")["body"])
    assert listed["version"]["number"] == 1 and [s["spoc_name"] for s in listed["spocs"]["items"]] == ["Kim Hollins"]
    assert api_call(deps, "GET", "/api/handbook/versions/9/spocs")["statusCode"] == 404
