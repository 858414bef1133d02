"""The local runtime itself: the template read, not restated; the API Gateway front; the local-only routes."""

import html
import re
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
import requests

from safeplace_local.api_gateway import match_route
from safeplace_local.template import load
from tests.integration.sign_in import sign_in
from tests.support.project import ROOT

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def template():
    return load(ROOT / "template.yaml", {"PublicBaseUrl": "http://127.0.0.1:9999"})


def test_functions_get_the_globals_merged_with_their_own_resolved_environment(template):
    staff = template.functions["StaffApiFunction"].environment
    assert staff["TABLE_NAME"] == "safeplace-Table"  # Globals, !Ref of a table
    assert staff["PUBLIC_BASE_URL"] == "http://127.0.0.1:9999"  # a parameter override
    assert staff["ONBOARDING_STATE_MACHINE_ARN"] == (
        "arn:aws:states:eu-west-2:123456789012:stateMachine:OnboardingStateMachine"  # !Ref of a state machine
    )
    assert staff["POWERTOOLS_SERVICE_NAME"] == "staff-api"
    assert "COMPLIANCE_TEAM_EMAIL" not in staff  # only what the template gives this function


def test_state_machine_definitions_have_their_substitutions_resolved(template):
    definition = template.state_machines["OnboardingStateMachine"].definition
    assert "${" not in definition
    assert "arn:aws:lambda:eu-west-2:123456789012:function:OnboardingTasksFunction" in definition


@pytest.mark.parametrize(
    ("method", "path", "function", "parameters"),
    [
        ("GET", "/api/openapi.json", "StaffApiFunction", {}),
        ("GET", "/api/employers", "StaffApiFunction", {"proxy": "employers"}),
        ("GET", "/link/abc", "LinkPagesFunction", {"token": "abc"}),
        ("POST", "/link/abc/renew", "LinkPagesFunction", {"token": "abc", "proxy": "renew"}),
        ("GET", "/staff", "StaffApiFunction", {}),
    ],
)
def test_the_most_specific_route_wins(template, method, path, function, parameters):
    route, found = match_route(template.routes, method, path)
    assert (route.function, found) == (function, parameters)


def test_an_unknown_route_gets_api_gateways_answer(runtime):
    response = requests.get(f"{runtime.base_url}/nowhere", timeout=10)
    assert response.status_code == 403
    assert response.json() == {"message": "Missing Authentication Token"}


def test_a_browser_without_a_session_is_sent_to_sign_in(runtime):
    response = requests.get(f"{runtime.base_url}/staff", allow_redirects=False, timeout=10)
    assert response.status_code == 303
    assert response.headers["Location"] == "/staff/sign-in?next=%2Fstaff"


def test_the_local_hosted_sign_in_offers_one_user_per_role_and_refuses_strangers(runtime):
    page = requests.get(f"{runtime.base_url}/staff/sign-in", timeout=10)
    assert "/_local/cognito/oauth2/authorize" in page.url
    for user in ("sam.staff", "rae.reviewer", "dee.dsl", "ada.admin"):
        assert f"{user}@example.org" in page.text
    stranger = requests.post(
        f"{runtime.base_url}/_local/cognito/oauth2/authorize",
        data={"user": "mallory@example.org", "code_challenge_method": "S256"},
        timeout=10,
    )
    assert stranger.status_code == 400


def test_a_code_from_the_hosted_sign_in_works_once(runtime):
    session = requests.Session()
    page = session.get(f"{runtime.base_url}/staff/sign-in", timeout=10)
    fields = {k: html.unescape(v) for k, v in re.findall(r'name="([^"]+)" value="([^"]*)"', page.text)}
    fields["user"] = "sam.staff@example.org"
    back = session.post(
        f"{runtime.base_url}/_local/cognito/oauth2/authorize", data=fields, allow_redirects=False, timeout=10
    )
    callback = back.headers["Location"]
    assert session.get(callback, timeout=10).status_code == 200
    # The same code again (a replayed callback) does not sign anyone in
    replay = requests.Session()
    replay.cookies.update({k: v for k, v in session.cookies.items() if k == "safeplace_sign_in"})
    assert replay.get(callback, allow_redirects=False, timeout=10).headers["Location"].startswith("/staff/sign-in")


def test_sign_in_returns_to_the_page_asked_for_and_only_within_the_site(runtime):
    _, landed = sign_in(runtime, "sam.staff@example.org", next_path="/staff/employers")
    assert landed.url == f"{runtime.base_url}/staff/employers"
    _, landed = sign_in(runtime, "sam.staff@example.org", next_path="//evil.example/")
    assert landed.url == f"{runtime.base_url}/staff"


def test_the_clock_can_be_set_and_moved_on(runtime):
    target = datetime(2027, 1, 31, 9, 0, tzinfo=UTC)
    try:
        now = runtime.set_clock(target)
        assert abs(now - target) < timedelta(seconds=5)
        moved = requests.post(f"{runtime.base_url}/_local/clock", json={"advance_days": 2}, timeout=10).json()
        assert abs(datetime.fromisoformat(moved["now"]) - (target + timedelta(days=2))) < timedelta(seconds=5)
        bad = requests.post(f"{runtime.base_url}/_local/clock", json={"now": "next tuesday"}, timeout=10)
        assert bad.status_code == 400 and "Not a date" in bad.json()["message"]
    finally:
        runtime.set_clock(datetime.now(UTC))


def test_firing_the_schedules_runs_the_daily_sweep_in_its_worker(runtime):
    [fired] = runtime.fire_schedules()
    assert fired["schedule"] == "safeplace-daily-sweep"  # named by the stack, as on AWS
    assert set(fired["result"]) == {
        "days_swept",
        "reminded",
        "escalated",
        "lapsed",
        "day",
        "subjects_checked",
        "trails_verified_whole",
        "broken",
    }
    assert fired["result"]["broken"] == []


def test_a_taken_port_is_explained(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "safeplace_local", "--port", str(port), "--no-demo"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == 2
    assert f"Port {port} is already in use" in result.stderr
    assert f"PORT={port + 1} make run" in result.stderr
    assert "Traceback" not in result.stderr
