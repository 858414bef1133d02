"""Demo data: one staff user per role, and employers in different states, made through the product itself.

The employers are created the way people would create them: a member of staff invites them over the
API, and some of them answer through the link in their invitation email.
"""

from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import requests

from safeplace_local.employer_link import EmployerAtTheLink, date_fields, section_forms, sign_the_handbook
from safeplace_local.local_cognito import DEV_USER_COOKIE
from safeplace_local.starting import STARTING_HEADER

if TYPE_CHECKING:
    from safeplace_local.runtime import LocalRuntime

STAFF_USERS = {
    "sam.staff@example.org": "staff",
    "rae.reviewer@example.org": "reviewer",
    "dee.dsl@example.org": "dsl",
    "ada.admin@example.org": "admin",
}

_EMPLOYERS: list[dict[str, Any]] = [
    {
        # Sends every section; a reviewer approves them all, so a learner placed here is active. Its SPOC's
        # training runs out in 61 days: living through them on /_local/clock shows the reminders (60, 30
        # and 7 days ahead), the escalation and the lapse.
        "invite": {
            "employer_name": "Hollins Bakery",
            "contact_name": "Kim Hollins",
            "contact_email": "kim@hollins.example",
        },
        "answer": "all",
        "training_runs_out_in_days": 61,
    },
    {
        # Sends every section, which wait in the review queue; a learner placed here is blocked meanwhile.
        "invite": {
            "employer_name": "Moorside Garage",
            "contact_name": "Raj Patel",
            "contact_email": "raj@moorside.example",
        },
        "answer": "all",
        "changes": {
            "organisation": {
                "legal_name": "Moorside Garage Ltd",
                "companies_house_number": "08734521",
                "address.line1": "4 Station Road",
                "address.town": "Halifax",
                "address.postcode": "HX1 1QE",
                "sector": "Motor vehicle repair",
                "employees": "7",
                "main_contact.name": "Raj Patel",
                "main_contact.email": "raj@moorside.example",
                "main_contact.phone": "01632 960742",
                "sites.0.name": "Station Road workshop",
                "sites.0.address.line1": "4 Station Road",
                "sites.0.address.town": "Halifax",
                "sites.0.address.postcode": "HX1 1QE",
            },
            "spoc": {
                "spoc.name": "Sunita Patel",
                "spoc.role": "Service manager",
                "spoc.email": "sunita.patel@moorside.example",
                "spoc.phone": "01632 960743",
            },
            "spoc_training": {"course": "etf-prevent", "training_provider": "Education and Training Foundation"},
            "employers_liability_insurance": {
                "insurer": "Pennine Commercial Insurance",
                "policy_number": "PCI/EL/447120",
                "cover_gbp": "5000000",
            },
            "young_persons_risk_assessment": {
                "measures": "No work under raised vehicles or on the tyre machine; a technician always alongside",
            },
            "safeguarding_arrangements": {
                "concern_contact_name": "Sunita Patel",
                "concern_contact_role": "Service manager",
                "how_learners_raise_concerns": "Shown on the first morning; the SPOC's number is on the workshop board",
                "how_you_tell_the_provider": "Call the provider's safeguarding line at once, then confirm by email",
            },
            "minimum_safeguarding_requirements": {"accepted_by": "Raj Patel"},
        },
        # Its own dates, days from today: evidence of its own, not a copy of another employer's.
        "dated": {
            "spoc_training": {"completed_on": -150},
            "employers_liability_insurance": {"expires_on": 210},
            "health_and_safety_policy": {"reviewed_on": -120},
            "risk_assessment": {"assessed_on": -45},
            "young_persons_risk_assessment": {"assessed_on": -45},
        },
    },
    {
        # Part-way through: two sections saved, the rest still to do.
        "invite": {
            "employer_name": "Dale Farm Nursery",
            "contact_name": "Ann Dale",
            "contact_email": "ann@dalefarm.example",
        },
        "answer": ["organisation", "spoc"],
        "changes": {
            "organisation": {
                # A partnership: not at Companies House.
                "legal_name": "Dale Farm Nursery",
                "companies_house_number": "",
                "address.line1": "Dale Farm, Otley Road",
                "address.town": "Harrogate",
                "address.postcode": "HG3 1QL",
                "sector": "Horticulture",
                "employees": "9",
                "main_contact.name": "Ann Dale",
                "main_contact.email": "ann@dalefarm.example",
                "main_contact.phone": "01632 960318",
                "sites.0.name": "Otley Road glasshouses",
                "sites.0.address.line1": "Dale Farm, Otley Road",
                "sites.0.address.town": "Harrogate",
                "sites.0.address.postcode": "HG3 1QL",
            },
            "spoc": {
                "spoc.name": "Tom Dale",
                "spoc.role": "Nursery manager",
                "spoc.email": "tom.dale@dalefarm.example",
                "spoc.phone": "01632 960319",
            },
        },
    },
    {
        "invite": {
            "employer_name": "Castle Street Dental Practice",
            "contact_name": "Priya Shah",
            "contact_email": "priya@castledental.example",
        }
    },
    {
        # SES refuses this one's invitation, so its onboarding stops and the compliance team is told.
        "invite": {
            "employer_name": "Northgate Hotel",
            "contact_name": "Lee Grant",
            "contact_email": "lee@northgate.example",
        },
        "fault": "EmailNotSent",
    },
]


def _http(runtime: "LocalRuntime", as_user: str | None = None) -> requests.Session:
    """A session the runtime answers while it is still starting, signed in as a member of staff if one is named."""
    session = requests.Session()
    session.headers[STARTING_HEADER] = runtime.starting_key
    if as_user:
        session.cookies.set(DEV_USER_COOKIE, as_user)
    return session


def _settled(runtime: "LocalRuntime") -> None:
    """What the last step started has run as far as it can: each workflow waits for a person or the clock.
    The demo reads what it needs then, once, rather than polling for it."""
    if not runtime.activity.settle():
        raise RuntimeError("the workflows were still busy after the settle cap")


def _links_to(runtime: "LocalRuntime", to: str, ending: str = "") -> list[str]:
    _settled(runtime)
    return [u for e in runtime.outbox(to=to) for u in e["links"] if "/link/" in u and u.endswith(ending)]


def _invitation_link(runtime: "LocalRuntime", to: str) -> str:
    links = _links_to(runtime, to)
    if not links:
        raise RuntimeError(f"no invitation reached {to}")
    return links[0]


def seed_users(runtime: "LocalRuntime") -> None:
    """One staff user per role, for the roles (user pool groups) the template has."""
    groups = {group.name for group in runtime.template.groups}
    runtime.add_staff_users({email: group for email, group in STAFF_USERS.items() if group in groups})


def seed(runtime: "LocalRuntime") -> str:
    """Staff users always; then the employers and speaker bookings, or why they could not be made (the
    product's routes change)."""
    seed_users(runtime)
    try:
        # The bookings and the employers have nothing to do with each other: made side by side, as two members of
        # staff would make them.
        with ThreadPoolExecutor(max_workers=2) as staff:
            for made in [staff.submit(_employers, runtime), staff.submit(_speaker_bookings, runtime)]:
                made.result()
    except (requests.RequestException, RuntimeError, KeyError, StopIteration) as error:
        return f"demo data incomplete: {type(error).__name__}: {error}"
    return ""


def _a_booking(title: str, speaker: dict[str, str], in_days: int, **changes: Any) -> dict[str, Any]:
    on = date.today() + timedelta(days=in_days)
    return {
        "event": {
            "title": title,
            "on": on.isoformat(),
            "starts_at": "10:00",
            "ends_at": "11:00",
            "delivery": "in_person",
            "venue": "Room 4, Leeds centre",
            "recorded": False,
            "streamed": False,
        },
        "audience": {
            "size": 24,
            "age_range": {"youngest": 19, "oldest": 45},
            "under_18": False,
            "cohort": "Level 3 digital apprentices",
        },
        "speaker": {
            "role": "Guest speaker",
            "website": "https://example.org/about",
            "biography": "Works with apprentices across Yorkshire.",
            **speaker,
        },
        "topic": title,
        "outline": "What the work involves, routes in, and questions.",
        "materials": {"link": "https://example.org/slides.pdf"},
        "staff_present": "tom.tutor@example.org",
        **changes,
    }


def _speaker_bookings(runtime: "LocalRuntime") -> None:
    """Three bookings: one approved with a condition and confirmed by the speaker, one declined by the DSL
    (so the register holds a decline), and one for under-18s waiting for the DSL's decision."""
    staff, base = _http(runtime, "sam.staff@example.org"), runtime.base_url
    ids = []
    for booking in (
        _a_booking(
            "Careers in cyber security",
            {"name": "Priya Shah", "email": "priya@northern-cyber.example", "organisation": "Northern Cyber Ltd"},
            30,
        ),
        _a_booking(
            "Campaigning for change",
            {"name": "Alex Morgan", "email": "alex@voices.example", "organisation": "Voices Now"},
            40,
            materials=None,
        ),
        _a_booking(
            "Staying safe online",
            {"name": "Jo Reid", "email": "jo@safe-online.example"},
            50,
            audience={
                "size": 18,
                "age_range": {"youngest": 16, "oldest": 18},
                "under_18": True,
                "cohort": "Study programme, first year",
            },
        ),
    ):
        created = staff.post(f"{base}/api/speakers", json=booking, timeout=30)
        created.raise_for_status()
        ids.append(created.json()["id"])
    reviewer, dsl = _http(runtime, "rae.reviewer@example.org"), _http(runtime, "dee.dsl@example.org")
    approval = {"decision": "approve", "conditions": ["staff_chair"]}
    reviewer.post(f"{base}/api/speakers/{ids[0]}/decision", json=approval, timeout=30).raise_for_status()
    decline = {"decision": "decline", "reason": "The group's recent talks have crossed into extremist views"}
    dsl.post(f"{base}/api/speakers/{ids[1]}/decision", json=decline, timeout=30).raise_for_status()
    links = _links_to(runtime, "priya@northern-cyber.example", "/speaker")
    if not links:
        raise RuntimeError("no conditions reached the demo speaker")
    _http(runtime).post(links[-1], data={"agreed": "yes", "typed_name": "Priya Shah"}, timeout=30).raise_for_status()


def _employers(runtime: "LocalRuntime") -> None:
    staff = _http(runtime, "sam.staff@example.org")
    with ThreadPoolExecutor(max_workers=4) as people:
        # The handbook is published while the employers are invited and answer: it is needed once one is approved.
        published = people.submit(_publish_the_handbook, runtime)
        faulty = [e for e in _EMPLOYERS if "fault" in e]
        invited = people.map(lambda e: _invite(runtime, e), [e for e in _EMPLOYERS if "fault" not in e])
        list(invited)
        if faulty:
            # The fault hits the function's next invocation: the other invitations go out first.
            for employer in _EMPLOYERS:
                if "fault" not in employer:
                    _invitation_link(runtime, employer["invite"]["contact_email"])
            for employer in faulty:
                runtime.inject_fault("OnboardingTasksFunction", employer["fault"])
                _invite(runtime, employer)
        # Each employer answers at its own link, at the same time as the others.
        for answered in [people.submit(_answer, runtime, e) for e in _EMPLOYERS if "answer" in e]:
            answered.result()
        published.result()
    listed = staff.get(f"{runtime.base_url}/api/employers", timeout=30).json()["items"]
    ids = {e["name"]: e["id"] for e in listed}
    # A reviewer approves every check Hollins Bakery sent; Moorside Garage's wait in the review queue.
    hollins = f"{runtime.base_url}/api/employers/{ids['Hollins Bakery']}"
    _wait_for_status(runtime, staff, hollins, "submitted")
    reviewer = _http(runtime, "rae.reviewer@example.org")
    for check in staff.get(hollins, timeout=30).json()["employer"]["checks"]:
        if check["status"] == "submitted":
            reviewer.post(
                f"{hollins}/checks/{check['type']}", json={"decision": "approve"}, timeout=30
            ).raise_for_status()
    _wait_for_status(runtime, staff, hollins, "checks_passed")
    _sign_the_handbook(runtime, spoc="kim.hollins@hollins.example", name="Kim Hollins")
    start = date.today() + timedelta(days=45)
    for employer_name, reference, site in (
        ("Hollins Bakery", "L-2027-0042", "Mill Lane bakery"),
        ("Moorside Garage", "L-2027-0057", "Station Road workshop"),
    ):
        placement = {
            "learner_reference": reference,
            "date_of_birth": (start - timedelta(days=17 * 366)).isoformat(),
            "employer_id": ids[employer_name],
            "site": site,
            "start_date": start.isoformat(),
            "assessor": "Pat Assessor",
        }
        staff.post(f"{runtime.base_url}/api/placements", json=placement, timeout=30).raise_for_status()


def _invite(runtime: "LocalRuntime", employer: dict[str, Any]) -> None:
    # A session each: the invitations go out side by side, and a requests.Session is not made for threads.
    staff = _http(runtime, "sam.staff@example.org")
    staff.post(f"{runtime.base_url}/api/employers", json=employer["invite"], timeout=30).raise_for_status()


def answers(employer: dict[str, Any], today: date) -> dict[str, dict[str, str]]:
    """The sections the employer fills in, each as its browser posts it: its own answers over a careful
    employer's (Hollins Bakery's), with its own dates."""
    forms = section_forms(today)
    changes = dict(employer.get("dated", {}))
    if "training_runs_out_in_days" in employer:
        # Awareness training is refreshed after a year: completed so that it runs out on the day asked.
        changes["spoc_training"] = {"completed_on": employer["training_runs_out_in_days"] - 365}
    dates = {
        section: {
            field: value
            for name, days in fields.items()
            for field, value in date_fields(name, today + timedelta(days=days)).items()
        }
        for section, fields in changes.items()
    }
    sections = list(forms) if employer["answer"] == "all" else employer["answer"]
    own = employer.get("changes", {})
    return {s: {**forms[s], **own.get(s, {}), **dates.get(s, {})} for s in sections}


def _answer(runtime: "LocalRuntime", employer: dict[str, Any]) -> None:
    at_the_link = EmployerAtTheLink(
        _invitation_link(runtime, employer["invite"]["contact_email"]), date.today(), http=_http(runtime)
    )
    filled = answers(employer, date.today())
    # Every section, in the task list's order, when the employer sends them all.
    at_the_link.complete(None if employer["answer"] == "all" else list(filled), filled)
    if employer["answer"] == "all":
        at_the_link.send().raise_for_status()


def _publish_the_handbook(runtime: "LocalRuntime") -> None:
    """An admin publishes the first handbook before any employer is approved: each gets it once approved."""
    _http(runtime, "ada.admin@example.org").post(
        f"{runtime.base_url}/api/handbook/versions",
        json={"summary": "The first version of our employer handbook", "material": True},
        timeout=30,
    ).raise_for_status()


def _sign_the_handbook(runtime: "LocalRuntime", spoc: str, name: str) -> None:
    """The SPOC of an employer just approved follows the link in the handbook email and signs."""
    links = _links_to(runtime, spoc, "/handbook")
    if not links:
        raise RuntimeError(f"no handbook reached {spoc}")
    sign_the_handbook(links[-1], name, http=_http(runtime)).raise_for_status()


def _wait_for_status(runtime: "LocalRuntime", session: requests.Session, url: str, status: str) -> None:
    _settled(runtime)
    found = session.get(url, timeout=30).json()["employer"]["status"]
    if found != status:
        raise RuntimeError(f"{url} is {found}, not {status}")
