"""Models filled in as a careful employer, member of staff or requester would: a test changes only what it is about."""

from datetime import date, datetime, timedelta
from typing import Any

from safeplace.core.provider import ProviderContact
from safeplace.handbook.models import ProviderDetails
from safeplace.onboarding.answers import (
    Answers,
    Contact,
    EvidenceFile,
    HealthAndSafetyPolicy,
    Insurance,
    MinimumRequirementsAcceptance,
    Organisation,
    RiskAssessment,
    SafeguardingArrangements,
    Site,
    SpocAnswers,
    SpocTraining,
    YoungPersons,
)
from safeplace.onboarding.models import Address, Check, CheckType, Employer, EmployerStatus, Spoc
from safeplace.onboarding.spoc_training import TrainingLevel
from safeplace.placements.models import PlacementRequest
from safeplace.speakers.models import SpeakerBookingRequest
from safeplace.staff.models import Role, StaffUser
from safeplace_local.employer_link import PDF

SENDER = "safeguarding@example.org"

COMPLIANCE = "compliance@example.org"

BASE_URL = "https://safeplace.example.org/v1"

DSL = "dee.dsl@example.org"

ADA = StaffUser(username="ada", email="ada.admin@example.org", roles=frozenset({Role.ADMIN}))

CONTACT = ProviderContact(
    name="Northern Skills Training",
    email="partnerships@northern-skills.example",
    phone="0113 496 0900",
    website="https://www.northern-skills.example",
)

# The provider's contact details as every function's settings take them (the template's Globals on AWS).
PROVIDER_SETTINGS = {f"provider_{name}": str(value) for name, value in CONTACT.model_dump().items()}

PROVIDER = ProviderDetails(
    name="Northern Skills Training",
    dsl_name="Dee Shaw",
    dsl_email=DSL,
    dsl_phone="0113 496 0999",
    safeguarding_phone="0113 496 0990",
    absence_email="absence@example.org",
    absence_report_hours=1,
)


def an_employer(at: datetime, **changes: Any) -> Employer:
    return Employer(
        **{
            "id": "emp-0123456789ab",
            "name": "Hollins Bakery",
            "contact_name": "Kim Hollins",
            "contact_email": "kim@hollins.example",
            "status": EmployerStatus.INVITED,
            "invited_by": "sam.staff@example.org",
            "invited_at": at,
            "updated_at": at,
            "version": 1,
            "checks": [Check(type=t, updated_at=at) for t in CheckType],
            **changes,
        }
    )


PNG = b"\x89PNG\r\n\x1a\n" + bytes(32)


def an_evidence_file(employer_id: str, check: CheckType, at: datetime) -> EvidenceFile:
    return EvidenceFile(
        key=f"evidence/{employer_id}/{check}/test", content_type="application/pdf", size=len(PDF), uploaded_at=at
    )


def a_submission(today: date = date(2026, 3, 2), employer_id: str = "emp-0123456789ab", **sections: Any) -> Answers:
    """Every section answered as a careful employer would; `sections` replaces whole sections.

    `model_construct` on a replacement lets a test hold answers that today's rules would refuse.
    """
    at = datetime.combine(today, datetime.min.time())
    address = Address(line1="1 Mill Lane", town="Leeds", postcode="LS1 4AB")
    answers = Answers(
        organisation=Organisation(
            legal_name="Hollins Bakery Ltd",
            companies_house_number="01234567",
            address=address,
            sector="Food",
            employees=12,
            main_contact=Contact(name="Kim Hollins", email="kim@hollins.example", phone="0113 496 0000"),
            sites=[Site(name="Mill Lane bakery", address=address)],
        ),
        spoc=SpocAnswers(
            spoc=Spoc(name="Kim Hollins", role="Owner", email="kim@hollins.example", phone="0113 496 0000"),
            commitment=True,
        ),
        spoc_training=SpocTraining(
            course="home-office-prevent",
            training_provider="GOV.UK",
            completed_on=today - timedelta(days=90),
            level=TrainingLevel.AWARENESS,
            certificate=an_evidence_file(employer_id, CheckType.SPOC_TRAINING, at),
        ),
        employers_liability_insurance=Insurance(
            insurer="Northern Mutual",
            policy_number="EL-99812",
            cover_gbp=10_000_000,
            expires_on=today + timedelta(days=300),
            certificate=an_evidence_file(employer_id, CheckType.EMPLOYERS_LIABILITY_INSURANCE, at),
        ),
        health_and_safety_policy=HealthAndSafetyPolicy(
            reviewed_on=today - timedelta(days=60),
            document=an_evidence_file(employer_id, CheckType.HEALTH_AND_SAFETY_POLICY, at),
        ),
        risk_assessment=RiskAssessment(
            assessed_on=today - timedelta(days=30),
            low_risk=False,
            document=an_evidence_file(employer_id, CheckType.RISK_ASSESSMENT, at),
        ),
        young_persons_risk_assessment=YoungPersons(
            takes_under_18=True,
            assessed_on=today - timedelta(days=30),
            measures="No slicer or oven work; always supervised; finishes by 6pm",
        ),
        safeguarding_arrangements=SafeguardingArrangements(
            concern_contact_name="Kim Hollins",
            concern_contact_role="Owner",
            how_learners_raise_concerns="Told at induction; name and number on the staff room board",
            how_you_tell_the_provider="Phone the provider's DSL the same day, then email",
        ),
        minimum_safeguarding_requirements=MinimumRequirementsAcceptance(
            version="2026-11", accepted_by="Kim Hollins", accepted=True
        ),
    )
    return answers.model_copy(update=sections)


def a_shared_mailbox_spoc() -> Spoc:
    return Spoc.model_construct(name="Kim", role="Owner", email="info@hollins.example", phone="0113 496 0000")


def a_placement_request(employer_id: str, start: date, born: date = date(2000, 1, 1)) -> PlacementRequest:
    return PlacementRequest(
        learner_reference="L-2026-0042",
        date_of_birth=born,
        employer_id=employer_id,
        site="Mill Lane bakery",
        start_date=start,
        assessor="Pat",
    )


REQUESTED = date(2027, 6, 4)  # a Friday

EVENT = date(2027, 6, 21)  # a Monday, ten working days later


def in_good_time() -> str:
    """An event day a year from today, for tests against a runtime on the real clock: notice enough for any policy,
    and within the two years ahead a booking may be."""
    return (date.today() + timedelta(days=365)).isoformat()


def a_request(
    *,
    event: dict[str, Any] | None = None,
    audience: dict[str, Any] | None = None,
    speaker: dict[str, Any] | None = None,
    **fields: Any,
) -> SpeakerBookingRequest:
    """A complete, in-person booking for adults with materials: nothing in it raises a flag."""
    return SpeakerBookingRequest.model_validate(
        {
            "event": {
                "title": "Careers in cyber security",
                "on": EVENT,
                "starts_at": "10:00",
                "ends_at": "11:00",
                "delivery": "in_person",
                "venue": "Room 4, Leeds centre",
                "recorded": False,
                "streamed": False,
                **(event or {}),
            },
            "audience": {
                "size": 25,
                "age_range": {"youngest": 19, "oldest": 45},
                "under_18": False,
                "cohort": "Level 3 digital apprentices, September intake",
                **(audience or {}),
            },
            "speaker": {
                "name": "Priya Shah",
                "email": "priya@northern-cyber.example.org",
                "role": "Security analyst",
                "organisation": "Northern Cyber Ltd",
                "website": "https://northern-cyber.example.org",
                "biography": "Ten years in security operations; runs the firm's apprenticeship scheme.",
                **(speaker or {}),
            },
            "topic": "Starting a career in cyber security",
            "outline": "What analysts do all day, routes in, and a question and answer session.",
            "materials": {"link": "https://northern-cyber.example.org/careers-talk.pdf"},
            "staff_present": "tom.tutor@example.org",
            "requested_by": "sam.staff@example.org",
            **fields,
        }
    )


def a_booking_form(on: date, **changes: str) -> dict[str, str]:
    """The console's booking request form as a browser posts it, filled in as for a_request."""
    return {
        "event.title": "Careers in cyber security",
        "event.on-day": str(on.day),
        "event.on-month": str(on.month),
        "event.on-year": str(on.year),
        "event.starts_at": "10:00",
        "event.ends_at": "11:00",
        "event.delivery": "in_person",
        "event.venue": "Room 4, Leeds centre",
        "event.recorded": "no",
        "event.streamed": "no",
        "audience.size": "25",
        "audience.age_range.youngest": "19",
        "audience.age_range.oldest": "45",
        "audience.under_18": "no",
        "audience.cohort": "Level 3 digital apprentices",
        "speaker.name": "Priya Shah",
        "speaker.email": "priya@northern-cyber.example.org",
        "speaker.role": "Security analyst",
        "speaker.organisation": "Northern Cyber Ltd",
        "speaker.website": "https://northern-cyber.example.org",
        "speaker.social_links": "https://social.example/@priya\nhttps://video.example/priya",
        "speaker.biography": "Ten years in security operations.",
        "topic": "Starting a career in cyber security",
        "outline": "What analysts do all day, routes in, and questions.",
        "materials.link": "https://northern-cyber.example.org/careers-talk.pdf",
        "staff_present": "tom.tutor@example.org",
        **changes,
    }
