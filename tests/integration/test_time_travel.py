"""Living through two months on the demo runtime's clock: the daily sweep chases, escalates and lapses the SPOC's
training, and every workflow's wait falls due on its day (the handbook's reminders and escalation, onboarding's,
a speaker booking's), the once-only ones once; the gate then blocks new placements. When each falls due comes
from the template's default parameters, which the demo runs with."""

import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import requests
from cfnlint.decode import cfn_yaml

from safeplace_local import clock_pages
from safeplace_local.client import RuntimeProcess
from safeplace_local.local_cognito import DEV_USER_COOKIE
from tests.support.project import ROOT

SPOC = "kim.hollins@hollins.example"
MAIN_CONTACT = "kim@hollins.example"
NEVER_SEND = ("Castle Street Dental Practice", "Dale Farm Nursery")
PARAMETERS = cfn_yaml.load(str(ROOT / "template.yaml"))["Parameters"]
# How far an email may be from the moment its wait fell due: the handlers on either side take a moment.
SLACK = timedelta(minutes=1)


def default(name: str) -> Any:
    return PARAMETERS[name]["Default"]


COMPLIANCE = default("ComplianceTeamEmail")
HANDBOOK_INTERVAL = timedelta(days=int(default("HandbookReminderIntervalDays")))
HANDBOOK_REMINDERS = int(default("HandbookRemindersBeforeEscalation"))
SUBMISSION_WAIT = timedelta(hours=int(default("SubmissionWaitHours")))
ONBOARDING_REMINDERS = int(default("RemindersBeforeEscalation"))
DECISION_WAIT = timedelta(hours=int(default("SpeakerDecisionWaitHours")))


@dataclass(frozen=True)
class Email:
    day: str  # the day lived through it is listed under
    at: datetime
    to: list[str]
    subject: str


def signed_in(user: str) -> requests.Session:
    session = requests.Session()
    session.cookies.set(DEV_USER_COOKIE, user)
    return session


def runtime_now(runtime: RuntimeProcess) -> datetime:
    answer = requests.get(f"{runtime.base_url}/_local/clock", headers={"Accept": "application/json"}, timeout=10)
    return datetime.fromisoformat(answer.json()["now"])


def live_through(runtime: RuntimeProcess, days: int) -> list[dict[str, Any]]:
    return living_through(runtime, days)["days"]


def living_through(runtime: RuntimeProcess, days: int) -> dict[str, Any]:
    """What a script is told of the days lived through: each day, and the names of the employers acted on."""
    response = requests.post(
        f"{runtime.base_url}/_local/clock",
        json={"advance_days": days, "schedules": "daily"},
        headers={"Accept": "application/json"},
        timeout=600,
    )
    assert response.status_code == 200, response.text
    told: dict[str, Any] = response.json()
    return told


def what_happened(lived: list[dict[str, Any]]) -> Counter[tuple[str, str]]:
    happened: Counter[tuple[str, str]] = Counter()
    for day in lived:
        for fired in day["fired"]:
            assert "error" not in fired, fired
            for kind in ("reminded", "escalated", "lapsed"):
                for item in fired["result"][kind]:
                    happened[(kind, item.split("/", 1)[1])] += 1
    return happened


def emails_of(lived: list[dict[str, Any]]) -> list[Email]:
    return [
        Email(day["day"], datetime.fromisoformat(e["sent_at"]), e["to"], e["subject"])
        for day in lived
        for e in day["emails"]
    ]


def about(emails: list[Email], subject: str, to: str | None = None) -> list[Email]:
    return [e for e in emails if subject in e.subject and (to is None or to in e.to)]


def first_sent(runtime: RuntimeProcess, subject: str, timeout: float = 30.0) -> datetime:
    """When the first email about `subject` was sent, once one has been: the demo's workflows may still be
    sending what its data started."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sent = [datetime.fromisoformat(e["sent_at"]) for e in runtime.outbox() if subject in e["subject"]]
        if sent:
            return min(sent)
        time.sleep(0.1)
    raise AssertionError(f"no email about {subject!r} in {timeout} s")


def assert_on_their_days(emails: list[Email], due: list[datetime]) -> None:
    """Exactly one email for each moment due, sent then, and listed under the day it was sent."""
    assert len(emails) == len(due), [(e.day, e.subject) for e in emails]
    for email, moment in zip(emails, due, strict=True):
        assert abs(email.at - moment) < SLACK, (email, moment)
        assert email.day == email.at.date().isoformat(), email


def subjects_to(runtime: RuntimeProcess, address: str) -> list[str]:
    return [e["subject"] for e in runtime.outbox() if address in e["to"] and "Prevent training" in e["subject"]]


def test_living_through_two_months_brings_every_reminder_escalation_and_lapse_on_its_day(demo):
    # Given a new material version of the handbook, which Hollins Bakery's SPOC has not signed
    published = signed_in("ada.admin@example.org").post(
        f"{demo.base_url}/api/handbook/versions", json={"summary": "Absences by 10am", "material": True}, timeout=30
    )
    assert published.status_code == 201, published.text
    version = published.json()["number"]
    handbook = f"our employer handbook, version {version}, for Hollins Bakery"
    delivered = datetime.fromisoformat(demo.wait_for_email(SPOC, f"Please read and acknowledge: {handbook}")["sent_at"])
    # And the demo's employers that never send their answers, and its speaker booking waiting for the DSL
    invited = {
        name: first_sent(demo, f"safeguarding checks before learners are placed with {name}") for name in NEVER_SEND
    }
    bookings = signed_in("sam.staff@example.org").get(f"{demo.base_url}/api/speakers", timeout=10).json()["items"]
    [speaker] = [b["speaker_name"] for b in bookings if b["title"] == "Staying safe online"]
    asked = first_sent(demo, f"speaker booking, {speaker} on")

    # When a person lives through the 62 days to the SPOC training's lapse, firing the schedules daily
    told = living_through(demo, 62)
    lived, emails = told["days"], emails_of(told["days"])

    # Then each milestone of the SPOC's training happened once, on its own day
    assert what_happened(lived) == Counter(
        {
            ("reminded", "spoc_training/60"): 1,
            ("reminded", "spoc_training/30"): 1,
            ("reminded", "spoc_training/7"): 1,
            ("escalated", "spoc_training"): 1,
            ("lapsed", "spoc_training"): 1,
        }
    )
    # And the page of those days tells each by Hollins Bakery's name, under the weekday and date it happened
    staff = signed_in("sam.staff@example.org")
    employers = staff.get(f"{demo.base_url}/api/employers", timeout=10).json()["items"]
    hollins = next(e["id"] for e in employers if e["name"] == "Hollins Bakery")
    assert told["employers"] == {hollins: "Hollins Bakery"}
    page = clock_pages.lived(datetime.fromisoformat(told["now"]), 62, lived, told["employers"])
    [reminded_on] = [
        d["day"] for d in lived for f in d["fired"] if f"{hollins}/spoc_training/60" in f["result"]["reminded"]
    ]
    heading = clock_pages.a_day(date.fromisoformat(reminded_on))
    told_that_day = page.split(heading, 1)[1].split("<h2", 1)[0]
    assert "Hollins Bakery was sent a reminder: its SPOC safeguarding and Prevent training runs out in 60 days" in (
        told_that_day
    )
    assert "Hollins Bakery&#x27;s SPOC safeguarding and Prevent training lapsed" in page and hollins not in page
    # And the outbox holds three reminders to the SPOC and one escalation to the main contact
    assert len(subjects_to(demo, SPOC)) == 3
    assert len(subjects_to(demo, MAIN_CONTACT)) == 1
    # And the SPOC was reminded to sign the handbook after each interval, and after the last the team was told
    assert_on_their_days(
        about(emails, f"Reminder: please read and acknowledge: {handbook}", SPOC),
        [delivered + HANDBOOK_INTERVAL * n for n in range(1, HANDBOOK_REMINDERS + 1)],
    )
    assert_on_their_days(
        about(emails, f"Hollins Bakery has not acknowledged employer handbook version {version}", COMPLIANCE),
        [delivered + HANDBOOK_INTERVAL * (HANDBOOK_REMINDERS + 1)],
    )
    # And each employer that never sent its answers was reminded after each wait, then staff were told
    for name, at in invited.items():
        assert_on_their_days(
            about(emails, f"Reminder: {name} still needs to send us its details"),
            [at + SUBMISSION_WAIT * n for n in range(1, ONBOARDING_REMINDERS + 1)],
        )
        assert_on_their_days(
            about(emails, f"No response from {name}", COMPLIANCE), [at + SUBMISSION_WAIT * (ONBOARDING_REMINDERS + 1)]
        )
    # And the booking nobody decided was escalated when its wait ran out, then again each day, as the workflow
    # waits for a decision again after each escalation
    overdue = about(emails, f"Overdue: nobody has decided the speaker booking for {speaker}", COMPLIANCE)
    assert_on_their_days(overdue[:1], [asked + DECISION_WAIT])
    days = [datetime.fromisoformat(e.day) for e in overdue]
    assert days == [days[0] + timedelta(days=n) for n in range(len(days))]
    assert days[-1] >= datetime.fromisoformat(lived[-1]["day"]) - timedelta(days=1)

    # And living through more days sends nothing again that was done: the sweep acts on nothing, and the
    # handbook and onboarding chases are over
    more = live_through(demo, 3)
    assert what_happened(more) == Counter()
    over = (
        handbook,
        f"handbook version {version}",
        "still needs to send us its details",
        "No response from",
        "training",
    )
    assert [e.subject for e in emails_of(more) if any(o in e.subject for o in over)] == []
    # And a person living through a day by the clock page's form is shown a page, not JSON
    by_form = requests.post(
        f"{demo.base_url}/_local/clock", data={"advance_days": "1", "schedules": "daily"}, timeout=600
    )
    assert by_form.status_code == 200 and by_form.headers["Content-Type"].startswith("text/html")
    assert '<h1 class="govuk-heading-l">Days lived through</h1>' in by_form.text
    assert "You lived through 1 day." in by_form.text
    # And a learner can no longer be placed at Hollins Bakery
    start = runtime_now(demo).date() + timedelta(days=90)
    placement = staff.post(
        f"{demo.base_url}/api/placements",
        json={
            "learner_reference": "L-2027-0099",
            "date_of_birth": "2000-01-01",
            "employer_id": hollins,
            "site": "Mill Lane bakery",
            "start_date": start.isoformat(),
            "assessor": "Pat Assessor",
        },
        timeout=10,
    ).json()
    assert placement["status"] == "blocked"
    assert "Not yet approved: the SPOC's safeguarding and Prevent training" in placement["unmet"]


def test_the_page_of_days_lived_through_tells_what_happened_by_name_and_day_leaving_out_quiet_days():
    # Given three days lived through: one the sweep reminded, escalated and lapsed, one a workflow sent an email,
    # one quiet
    acted = {
        "reminded": ["emp-1/spoc_training/30"],
        "escalated": ["emp-2/employers_liability_insurance"],
        "lapsed": ["emp-2/risk_assessment"],
    }
    days = [
        {"day": "2027-01-05", "fired": [{"schedule": "DailySweep", "result": acted}], "emails": []},
        {
            "day": "2027-01-06",
            "fired": [{"schedule": "DailySweep", "result": {"reminded": [], "escalated": [], "lapsed": []}}],
            "emails": [
                {
                    "sent_at": "2027-01-06T14:05:09+00:00",
                    "to": ["ann@dalefarm.example"],
                    "subject": "Reminder: Dale Farm Nursery still needs to send us its details",
                }
            ],
        },
        {"day": "2027-01-07", "fired": [], "emails": []},
    ]
    names = {"emp-1": "Hollins Bakery", "emp-2": "Moorside Garage"}
    # When the page shows them
    assert clock_pages.employer_ids(days) == {"emp-1", "emp-2"}
    page = clock_pages.lived(datetime(2027, 1, 7, 9, 0, tzinfo=UTC), 3, days, names)
    # Then each day that something happened on is headed by its weekday and date, in the product's format
    assert "You lived through 3 days. The simulated date is now <strong>7 January 2027 at 9:00am</strong>" in page
    assert '<h2 class="govuk-heading-m">Tuesday 5 January 2027</h2>' in page
    assert '<h2 class="govuk-heading-m">Wednesday 6 January 2027</h2>' in page
    assert "Thursday 7 January 2027" not in page
    # And what the sweep did is told by the employer's name and the check's, not by their ids
    assert "Hollins Bakery was sent a reminder: its SPOC safeguarding and Prevent training runs out in 30 days" in page
    assert "Moorside Garage&#x27;s employer&#x27;s liability insurance was escalated" in page
    assert "Moorside Garage&#x27;s workplace risk assessment lapsed" in page
    assert "emp-1" not in page and "{" not in page.split("<body", 1)[1]
    # And each email is told with its time in London, its recipient and its subject
    assert (
        "At 2:05pm, ann@dalefarm.example was sent “Reminder: Dale Farm Nursery still needs to send us its details”"
        in page
    )
