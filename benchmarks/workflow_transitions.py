"""State transitions of the onboarding workflow (what Standard Step Functions bills), measured on the local
runtime running the real ASL."""

import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import requests

from safeplace_local.client import RuntimeProcess
from safeplace_local.employer_link import EmployerAtTheLink
from safeplace_local.local_cognito import DEV_USER_COOKIE


def _wait(predicate: Any, timeout: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.05)
    raise TimeoutError


def measure() -> dict[str, Any]:
    log = Path(tempfile.mkdtemp()) / "bench-runtime.log"
    figures: dict[str, Any] = {}
    with RuntimeProcess(log) as runtime:
        staff = requests.Session()
        staff.cookies.set(DEV_USER_COOKIE, "sam.staff@example.org")
        started = time.perf_counter()
        invited = staff.post(
            f"{runtime.base_url}/api/employers",
            timeout=30,
            json={"employer_name": "Bench Works", "contact_name": "Pat Bench", "contact_email": "pat@bench.example"},
        )
        employer = invited.json()
        email = _wait(lambda: next((m for m in runtime.outbox() if "pat@bench.example" in m["to"]), None))
        link = next(u for u in email["links"] if "/link/" in u)
        employer_at_the_link = EmployerAtTheLink(link, date.today())
        employer_at_the_link.complete()
        employer_at_the_link.send().raise_for_status()
        employer_url = f"{runtime.base_url}/api/employers/{employer['id']}"
        _wait(lambda: staff.get(employer_url, timeout=30).json()["employer"]["status"] == "submitted")
        reviewer = requests.Session()
        reviewer.cookies.set(DEV_USER_COOKIE, "rae.reviewer@example.org")
        waiting = [c["type"] for c in staff.get(employer_url, timeout=30).json()["employer"]["checks"]]
        for check in waiting:
            if check == "minimum_safeguarding_requirements":
                continue  # approved by the automatic checks
            reviewer.post(f"{employer_url}/checks/{check}", json={"decision": "approve"}, timeout=30).raise_for_status()
        sfn = runtime.client("stepfunctions")
        arn = runtime.resources["OnboardingStateMachine"].replace(":stateMachine:", ":execution:")
        execution_arn = f"{arn}:onboarding-{employer['id']}-1"
        _wait(lambda: sfn.describe_execution(executionArn=execution_arn)["status"] != "RUNNING")
        figures["onboarding journey, invitation to checks passed (s)"] = round(time.perf_counter() - started, 2)
        events = sfn.get_execution_history(executionArn=execution_arn, maxResults=1000)["events"]
        entered = [e["stateEnteredEventDetails"]["name"] for e in events if "stateEnteredEventDetails" in e]
        figures["full onboarding (8 sections, 7 reviewed): state transitions"] = len(entered)
        figures["full onboarding (8 sections, 7 reviewed): states"] = " > ".join(entered)
        figures["full onboarding (8 sections, 7 reviewed): history events"] = len(events)
    return figures


if __name__ == "__main__":
    for name, value in measure().items():
        print(f"{name}: {value}")
