"""Living through two months on the local runtime's clock: the demo's SPOC training is chased, escalated and
lapsed, each exactly once, and the gate then blocks new placements."""

from collections import Counter
from datetime import date, timedelta
from typing import Any

import requests

from safeplace_local.client import RuntimeProcess
from safeplace_local.local_cognito import DEV_USER_COOKIE

SPOC = "kim.hollins@hollins.example"
MAIN_CONTACT = "kim@hollins.example"


def live_through(runtime: RuntimeProcess, days: int) -> list[dict[str, Any]]:
    response = requests.post(
        f"{runtime.base_url}/_local/clock",
        json={"advance_days": days, "schedules": "daily"},
        headers={"Accept": "application/json"},
        timeout=300,
    )
    assert response.status_code == 200, response.text
    lived: list[dict[str, Any]] = response.json()["days"]
    return lived


def what_happened(lived: list[dict[str, Any]]) -> Counter[tuple[str, str]]:
    happened: Counter[tuple[str, str]] = Counter()
    for day in lived:
        for fired in day["fired"]:
            assert "error" not in fired, fired
            for kind in ("reminded", "escalated", "lapsed"):
                for item in fired["result"][kind]:
                    happened[(kind, item.split("/", 1)[1])] += 1
    return happened


def subjects_to(runtime: RuntimeProcess, address: str) -> list[str]:
    emails = requests.get(f"{runtime.base_url}/_local/outbox.json", timeout=10).json()
    return [e["subject"] for e in emails if address in e["to"] and "training" in e["subject"].lower()]


def test_living_through_the_days_shows_each_reminder_the_escalation_and_the_lapse_once(demo):
    # When a person lives through the 62 days to the SPOC training's lapse, firing the schedules daily
    happened = what_happened(live_through(demo, 62))
    # Then each milestone happened once, on its own day
    assert happened == Counter(
        {
            ("reminded", "spoc_training/60"): 1,
            ("reminded", "spoc_training/30"): 1,
            ("reminded", "spoc_training/7"): 1,
            ("escalated", "spoc_training"): 1,
            ("lapsed", "spoc_training"): 1,
        }
    )
    # And the outbox holds three reminders to the SPOC and one escalation to the main contact
    assert len(subjects_to(demo, SPOC)) == 3
    assert len(subjects_to(demo, MAIN_CONTACT)) == 1
    # And living through more days sends nothing again
    assert what_happened(live_through(demo, 3)) == Counter()
    # And a learner can no longer be placed at Hollins Bakery
    staff = requests.Session()
    staff.cookies.set(DEV_USER_COOKIE, "sam.staff@example.org")
    employers = staff.get(f"{demo.base_url}/api/employers", timeout=10).json()
    hollins = next(e["id"] for e in employers if e["name"] == "Hollins Bakery")
    start = date.today() + timedelta(days=90)
    placement = staff.post(
        f"{demo.base_url}/api/placements",
        json={
            "learner_reference": "L-2027-0099",
            "date_of_birth": "2000-01-01",
            "employer_id": hollins,
            "site": "Mill Lane bakery, Leeds",
            "start_date": start.isoformat(),
            "assessor": "Pat Assessor",
        },
        timeout=10,
    ).json()
    assert placement["status"] == "blocked"
    assert "Not yet approved: the SPOC's safeguarding and Prevent training" in placement["unmet"]
