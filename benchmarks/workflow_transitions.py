"""State transitions of the onboarding workflow (what Standard Step Functions bills), and the local
runtime's start-up time, measured on the local runtime running the real ASL."""

import tempfile
import time
from pathlib import Path
from typing import Any

import requests

from safeplace_local.client import RuntimeProcess
from safeplace_local.local_cognito import DEV_USER_COOKIE

_DETAILS = {
    "legal_name": "Bench Works Ltd",
    "companies_house_number": "01234567",
    "address.line1": "1 Test Street",
    "address.town": "Leeds",
    "address.postcode": "LS1 4AB",
    "sector": "Engineering",
    "employees": "9",
    "spoc.name": "Pat Bench",
    "spoc.role": "Manager",
    "spoc.email": "pat@bench.example",
    "spoc.phone": "0113 496 0001",
    "spoc_commitment": "yes",
    "action": "send",
}


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
    with RuntimeProcess(log, demo=True) as demo:
        figures["runtime start-up with demo data (s)"] = round(demo.startup_seconds, 2)
    with RuntimeProcess(log) as runtime:
        figures["runtime start-up without demo data (s)"] = round(runtime.startup_seconds, 2)
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
        requests.post(link, data=_DETAILS, timeout=30).raise_for_status()
        employer_url = f"{runtime.base_url}/api/employers/{employer['id']}"
        _wait(lambda: staff.get(employer_url, timeout=30).json()["employer"]["status"] == "submitted")
        reviewer = requests.Session()
        reviewer.cookies.set(DEV_USER_COOKIE, "rae.reviewer@example.org")
        for check in ("organisation", "spoc"):
            reviewer.post(f"{employer_url}/checks/{check}", json={"decision": "approve"}, timeout=30).raise_for_status()
        sfn = runtime.client("stepfunctions")
        arn = runtime.resources["OnboardingStateMachine"].replace(":stateMachine:", ":execution:")
        execution_arn = f"{arn}:onboarding-{employer['id']}-1"
        _wait(lambda: sfn.describe_execution(executionArn=execution_arn)["status"] != "RUNNING")
        figures["onboarding journey, invitation to checks passed (s)"] = round(time.perf_counter() - started, 2)
        events = sfn.get_execution_history(executionArn=execution_arn, maxResults=1000)["events"]
        entered = [e["stateEnteredEventDetails"]["name"] for e in events if "stateEnteredEventDetails" in e]
        figures["onboarding happy path: state transitions"] = len(entered)
        figures["onboarding happy path: states"] = " > ".join(entered)
        figures["onboarding happy path: history events"] = len(events)
    return figures


if __name__ == "__main__":
    for name, value in measure().items():
        print(f"{name}: {value}")
