"""The automated checks on a speaker booking: pure rules, each with a result a compliance officer can read.

A check informs the rating and the approver; none of them decides. `requested_on` is the day in England the
request was made (working_days.day_in_england), so the same request always gets the same results.
"""

from collections.abc import Sequence
from datetime import date, timedelta

from safeplace.speakers.models import (
    CheckName,
    CheckResult,
    Delivery,
    Flag,
    Outcome,
    PastOutcome,
    RegisterEntry,
    SpeakerBookingRequest,
    register_key,
)
from safeplace.speakers.risk import POLICY, SpeakerPolicy
from safeplace.speakers.working_days import working_days_between


def _passed(name: CheckName, message: str) -> CheckResult:
    return CheckResult(name=name, outcome=Outcome.PASSED, message=message)


def _flagged(name: CheckName, flags: Sequence[Flag], message: str) -> CheckResult:
    return CheckResult(name=name, outcome=Outcome.FLAGGED, flags=tuple(flags), message=message)


def _in_words(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _day(day: date) -> str:
    return f"{day:%-d %B %Y}"


def completeness(request: SpeakerBookingRequest) -> CheckResult:
    """What due diligence needs that the form lets staff leave blank (materials are a check of their own)."""
    speaker, audience = request.speaker, request.audience
    wanted = (
        ("the speaker's role", bool(speaker.role)),
        ("a short biography of the speaker", bool(speaker.biography)),
        (
            "a website or social media link, to see what the speaker or their organisation says in public",
            speaker.website is not None or bool(speaker.social_links),
        ),
        ("an outline of the session", bool(request.outline)),
        ("the age range of the audience", audience.age_range is not None),
        ("which cohort or group attends", bool(audience.cohort)),
    )
    missing = [words for words, given in wanted if not given]
    if missing:
        return _flagged(
            CheckName.COMPLETENESS,
            [Flag.INCOMPLETE],
            f"Not given: {_in_words(missing)}. The approver can ask the requester for them.",
        )
    return _passed(CheckName.COMPLETENESS, "Every detail the due diligence needs was given.")


def lead_time(request: SpeakerBookingRequest, requested_on: date, policy: SpeakerPolicy = POLICY) -> CheckResult:
    """Whether the request gives the policy's notice in working days (working_days_between says how they count)."""
    event_on, needed = request.event.on, policy.minimum_lead_working_days
    if event_on < requested_on:
        return _flagged(
            CheckName.LEAD_TIME,
            [Flag.LATE],
            f"The event on {_day(event_on)} was before the request on {_day(requested_on)}: "
            "it was booked after the fact. A late request goes to the DSL.",
        )
    days = working_days_between(requested_on, event_on)
    notice = (
        f"Requested on {_day(requested_on)} for {_day(event_on)}: {days} working day{'' if days == 1 else 's'} "
        "of notice, not counting weekends, bank holidays in England and Wales, or either day itself"
    )
    if days < needed:
        return _flagged(
            CheckName.LEAD_TIME,
            [Flag.LATE],
            f"{notice}. The policy asks for at least {needed}; a late request goes to the DSL.",
        )
    return _passed(CheckName.LEAD_TIME, f"{notice}. The policy asks for at least {needed}.")


def _who(entry: RegisterEntry) -> str:
    return f"{entry.speaker_name} ({entry.organisation})" if entry.organisation else entry.speaker_name


def speaker_register(
    request: SpeakerBookingRequest,
    register: Sequence[RegisterEntry],
    requested_on: date,
    policy: SpeakerPolicy = POLICY,
) -> CheckResult:
    """What the provider's own register says about this speaker or their organisation, up to `requested_on`.

    A match is on the speaker's name or the organisation's name, ignoring case and punctuation, so a
    common name can match someone else: the message names who matched so the approver can tell.
    """
    speaker, organisation = register_key(request.speaker.name), register_key(request.speaker.organisation)

    def same(entry: RegisterEntry) -> bool:
        return register_key(entry.speaker_name) == speaker or (
            bool(organisation) and register_key(entry.organisation) == organisation
        )

    found = sorted((e for e in register if e.on <= requested_on and same(e)), key=lambda e: e.on, reverse=True)
    declined = [e for e in found if e.outcome is PastOutcome.DECLINED]
    concerns = [e for e in found if e.outcome is PastOutcome.CONCERN_RAISED]
    approved = [e for e in found if e.outcome is PastOutcome.APPROVED]
    recent = [e for e in approved if e.on >= requested_on - timedelta(days=policy.recent_approval_days)]

    said = [f"{_who(e)} was declined on {_day(e.on)}: {e.detail.rstrip('.')}." for e in declined]
    said += [f"A concern was raised about {_who(e)} on {_day(e.on)}: {e.detail.rstrip('.')}." for e in concerns]
    said += [f"{_who(e)} was approved on {_day(e.on)} for {e.detail.rstrip('.')}." for e in recent]
    flags = [flag for flag, entries in ((Flag.DECLINED_BEFORE, declined), (Flag.CONCERNS_RAISED, concerns)) if entries]
    if flags:
        return _flagged(CheckName.REGISTER, flags, " ".join(said))
    if recent:
        return _passed(CheckName.REGISTER, " ".join(["Nothing against them in the register.", *said]))
    if approved:
        return _passed(
            CheckName.REGISTER,
            f"Nothing against them in the register. The last approval, on {_day(approved[0].on)}, was more than "
            f"{policy.recent_approval_days} days ago, so check them as if new.",
        )
    return _passed(CheckName.REGISTER, "The register has no earlier decisions on this speaker or their organisation.")


def audience_under_18(request: SpeakerBookingRequest) -> CheckResult:
    ages = request.audience.age_range
    aged = f" (aged {ages.youngest} to {ages.oldest})" if ages else ""
    if request.audience.under_18:
        return _flagged(
            CheckName.UNDER_18,
            [Flag.UNDER_18_AUDIENCE],
            f"Learners under 18 attend{aged}: the provider's enhanced protection for 16 to 18 year olds applies "
            "(guidance 9.4).",
        )
    return _passed(CheckName.UNDER_18, f"No learners under 18 attend{aged}.")


def online_or_streamed(request: SpeakerBookingRequest) -> CheckResult:
    """Online and streamed sessions reach people the staff member present cannot see.

    A recording alone is not flagged: it keeps a record of what was said, and an approver may ask for one.
    """
    event = request.event
    reach: list[str] = []
    if event.delivery is Delivery.ONLINE:
        reach.append("it is held online")
    elif event.delivery is Delivery.HYBRID:
        reach.append("it is also held online")
    if event.streamed:
        reach.append("it is streamed live beyond the room")
    if reach:
        return _flagged(
            CheckName.ONLINE,
            [Flag.ONLINE_OR_STREAMED],
            f"The session reaches people beyond the room: {_in_words(reach)}. The member of staff present cannot "
            "see everyone who hears the speaker, and what is said can be captured and shared.",
        )
    recorded = " It is recorded." if event.recorded else ""
    return _passed(CheckName.ONLINE, f"In person only, and not streamed.{recorded}")


def materials(request: SpeakerBookingRequest) -> CheckResult:
    given = request.materials
    if given is None:
        return _flagged(
            CheckName.MATERIALS,
            [Flag.NO_MATERIALS],
            "No slides, handouts or links were given, so nobody can see beforehand what the speaker will show.",
        )
    where = "were uploaded" if given.file_key is not None else f"are linked: {given.link}"
    return _passed(CheckName.MATERIALS, f"The speaker's materials {where}, to be seen before the event.")


def run_checks(
    request: SpeakerBookingRequest,
    requested_on: date,
    register: Sequence[RegisterEntry],
    policy: SpeakerPolicy = POLICY,
) -> list[CheckResult]:
    """Every check, in the order the approver reads them."""
    return [
        completeness(request),
        lead_time(request, requested_on, policy),
        speaker_register(request, register, requested_on, policy),
        audience_under_18(request),
        online_or_streamed(request),
        materials(request),
    ]
