"""Every answer that is not a page (JSON, the register's CSV, an error in JSON) is never kept in a cache and never
sniffed for another type: what it holds is personal data or safeguarding records."""

import json

import pytest

from safeplace.core import clock
from tests.support.handlers import header
from tests.support.project import load_event
from tests.unit.staff_api_support import call, staff_api_dependencies
from tests.unit.test_speaker_console import NOW, SAM, as_, get


@pytest.fixture
def deps(store, state_machine_arn, rollout_arn, speaker_arn, sesv2, evidence_bucket):
    return staff_api_dependencies(store, state_machine_arn, rollout_arn, speaker_arn)


def api(deps, path: str, *, method: str = "GET", body: str | None = None, claims: bool = True) -> dict:
    event = load_event(
        "staff_api_request_speaker_booking.json" if method == "POST" else "staff_api_list_employers.json"
    )
    event.update(path=path, body=body if body is not None else event["body"])
    if not claims:
        event["requestContext"].pop("authorizer", None)
    with clock.simulate(NOW):
        return call(event, deps)


def test_every_json_and_csv_answer_says_no_store_and_nosniff(deps):
    booking = json.loads(api(deps, "/api/speakers", method="POST")["body"])
    answers = {
        "created": api(deps, "/api/speakers", method="POST"),
        "list": api(deps, "/api/speakers"),
        "one": api(deps, f"/api/speakers/{booking['id']}"),
        "the API's description": api(deps, "/api/openapi.json"),
        "invalid": api(deps, "/api/speakers", method="POST", body="{}"),
        "not found": api(deps, "/api/speakers/bkg-000000000000"),
        "no such endpoint": api(deps, "/api/nowhere"),
        "without claims": api(deps, "/api/speakers", claims=False),
        "register": get(deps, "/staff/speaker-register.csv", as_(SAM, deps)),
    }
    for name, answer in answers.items():
        assert header(answer, "Cache-Control") == "no-store", name
        assert header(answer, "X-Content-Type-Options") == "nosniff", name
    assert [a["statusCode"] for a in answers.values()] == [201, 200, 200, 200, 422, 404, 404, 403, 200]
