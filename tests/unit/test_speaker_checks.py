"""A speaker booking request, and the automated checks a compliance officer reads before anyone decides."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from safeplace.speakers.checks import (
    audience_under_18,
    completeness,
    lead_time,
    materials,
    online_or_streamed,
    run_checks,
    speaker_register,
)
from safeplace.speakers.models import (
    CheckName,
    Flag,
    Outcome,
    PastOutcome,
    RegisterEntry,
    SpeakerBookingRequest,
    register_key,
)
from safeplace.speakers.working_days import bank_holidays, day_in_england, working_days_between
from tests.support.builders import REQUESTED, a_request


def errors_of(**kwargs: Any) -> str:
    with pytest.raises(ValidationError) as raised:
        a_request(**kwargs)
    return str(raised.value)


# The request


def test_a_complete_request_is_accepted_as_given():
    request = a_request()

    assert request.event.title == "Careers in cyber security"
    assert request.audience.under_18 is False
    assert request.materials is not None and request.materials.link is not None


@pytest.mark.parametrize("ends_at", ["10:00", "09:30"])
def test_an_event_must_end_after_it_starts(ends_at):
    assert "The end time must be after the start time" in errors_of(event={"ends_at": ends_at})


def test_an_event_in_a_room_needs_its_venue_but_an_online_one_does_not():
    assert "Enter the venue, or say the event is online" in errors_of(event={"venue": "  "})
    assert "Enter the venue" in errors_of(event={"delivery": "hybrid", "venue": ""})

    online = a_request(event={"delivery": "online", "venue": ""})

    assert online.event.venue == ""


def test_whether_under_18s_attend_must_be_answered_not_assumed():
    fields = a_request().model_dump()
    del fields["audience"]["under_18"]

    with pytest.raises(ValidationError, match=r"audience\.under_18\s+Field required"):
        SpeakerBookingRequest.model_validate(fields)


def test_an_age_range_must_run_from_youngest_to_oldest():
    assert "cannot be more than the oldest" in errors_of(audience={"age_range": {"youngest": 30, "oldest": 19}})


@pytest.mark.parametrize(("youngest", "oldest"), [(13, 19), (16, 101)])
def test_an_age_range_must_be_an_age_a_learner_could_be(youngest, oldest):
    assert "age_range" in errors_of(
        audience={"age_range": {"youngest": youngest, "oldest": oldest}, "under_18": youngest < 18}
    )


def test_the_age_range_and_the_under_18_answer_must_agree():
    assert "say that learners under 18 attend" in errors_of(audience={"age_range": {"youngest": 16, "oldest": 19}})
    assert "check both" in errors_of(audience={"under_18": True})

    without_ages = a_request(audience={"age_range": None, "under_18": True})

    assert without_ages.audience.under_18


def test_materials_are_an_upload_or_a_link_but_not_both_or_neither():
    both = {"file_key": "speaker-materials/b1/slides.pdf", "link": "https://example.org/slides.pdf"}
    assert "one or the other" in errors_of(materials=both)
    assert "one or the other" in errors_of(materials={})


def test_uploaded_materials_must_be_under_the_key_the_server_chose():
    assert "file_key" in errors_of(materials={"file_key": "evidence/emp-0123456789ab/insurance/x.pdf"})

    uploaded = a_request(materials={"file_key": "speaker-materials/spk-1/20270601T101500-slides.pdf"})

    assert uploaded.materials is not None and uploaded.materials.link is None


def test_the_register_matches_names_whatever_their_case_punctuation_or_spacing():
    assert register_key("  Northern   Cyber, Ltd. ") == register_key("northern cyber ltd") == "northern cyber ltd"
    assert register_key("Priya Shah") != register_key("Priya Shahid")


# Completeness


def test_a_complete_request_passes_the_completeness_check():
    result = completeness(a_request())

    assert result.outcome is Outcome.PASSED
    assert result.flags == ()


def test_what_is_missing_is_said_in_words():
    request = a_request(
        speaker={"role": "", "biography": "", "website": None, "social_links": []},
        audience={"cohort": "", "age_range": None},
        outline="",
    )

    result = completeness(request)

    assert result.outcome is Outcome.FLAGGED
    assert result.flags == (Flag.INCOMPLETE,)
    assert result.message == (
        "Not given: the speaker's role, a short biography of the speaker, a website or social media link, to see "
        "what the speaker or their organisation says in public, an outline of the session, the age range of the "
        "audience and which cohort or group attends. The approver can ask the requester for them."
    )


def test_a_social_media_link_is_enough_to_see_what_a_speaker_says_in_public():
    request = a_request(speaker={"website": None, "social_links": ["https://social.example.org/@priya"]})

    assert completeness(request).outcome is Outcome.PASSED
    assert completeness(a_request(speaker={"website": None})).message == (
        "Not given: a website or social media link, to see what the speaker or their organisation says in public. "
        "The approver can ask the requester for them."
    )


# Lead time in working days


def test_christmas_boxing_day_and_new_year_are_not_working_days():
    request = a_request(event={"on": date(2027, 1, 5)})

    result = lead_time(request, date(2026, 12, 21))

    # 22-24 December, 29-31 December and 4 January: Christmas Day, Boxing Day observed on Monday 28th
    # and New Year's Day fall out, as do the weekends.
    assert working_days_between(date(2026, 12, 21), date(2027, 1, 5)) == 7
    assert result.outcome is Outcome.FLAGGED
    assert result.flags == (Flag.LATE,)
    assert result.message == (
        "Requested on 21 December 2026 for 5 January 2027: 7 working days of notice, not counting weekends, "
        "bank holidays in England and Wales, or either day itself. The policy asks for at least 10; a late "
        "request goes to the DSL."
    )


def test_the_bank_holidays_come_from_the_maintained_calendar_including_substitute_days():
    assert bank_holidays(date(2026, 12, 21), date(2027, 1, 5)) == {
        date(2026, 12, 25),
        date(2026, 12, 26),
        date(2026, 12, 28),
        date(2027, 1, 1),
    }
    assert bank_holidays(date(2027, 1, 5), date(2027, 1, 4)) == frozenset()


def test_good_friday_and_easter_monday_are_not_working_days():
    # 23-25 March, then 30 and 31 March: Good Friday 26 March and Easter Monday 29 March 2027 fall out
    assert working_days_between(date(2027, 3, 22), date(2027, 4, 1)) == 5
    assert working_days_between(date(2027, 3, 25), date(2027, 3, 30)) == 0


def test_a_weekend_is_not_working_days():
    assert working_days_between(date(2027, 6, 4), date(2027, 6, 7)) == 0  # Friday to Monday
    assert working_days_between(date(2027, 6, 4), date(2027, 6, 8)) == 1  # Friday to Tuesday


def test_neither_the_day_of_the_request_nor_the_day_of_the_event_counts():
    assert working_days_between(date(2027, 6, 7), date(2027, 6, 7)) == 0
    assert working_days_between(date(2027, 6, 7), date(2027, 6, 8)) == 0
    assert working_days_between(date(2027, 6, 7), date(2027, 6, 9)) == 1


def test_exactly_the_minimum_notice_passes_and_one_day_less_is_late():
    on_time = lead_time(a_request(event={"on": date(2027, 6, 21)}), REQUESTED)
    late = lead_time(a_request(event={"on": date(2027, 6, 18)}), REQUESTED)

    assert on_time.outcome is Outcome.PASSED
    assert on_time.message.startswith("Requested on 4 June 2027 for 21 June 2027: 10 working days of notice")
    assert late.outcome is Outcome.FLAGGED
    assert "9 working days of notice" in late.message


def test_a_spring_bank_holiday_monday_counts_against_the_notice():
    assert working_days_between(date(2027, 5, 28), date(2027, 6, 2)) == 1
    assert "1 working day of notice" in lead_time(a_request(event={"on": date(2027, 6, 2)}), date(2027, 5, 28)).message


def test_an_event_before_the_request_is_flagged_as_booked_after_the_fact():
    result = lead_time(a_request(event={"on": date(2027, 6, 3)}), REQUESTED)

    assert result.flags == (Flag.LATE,)
    assert result.message == (
        "The event on 3 June 2027 was before the request on 4 June 2027: it was booked after the fact. "
        "A late request goes to the DSL."
    )


def test_the_day_of_a_request_is_the_day_in_england():
    assert day_in_england(datetime(2027, 6, 1, 23, 30, tzinfo=UTC)) == date(2027, 6, 2)  # 00:30 BST
    assert day_in_england(datetime(2027, 1, 1, 23, 30, tzinfo=UTC)) == date(2027, 1, 1)  # GMT


def test_england_and_wales_share_their_bank_holidays():
    years = range(2020, 2036)

    england = holidays.country_holidays("GB", subdiv="ENG", years=years)
    wales = holidays.country_holidays("GB", subdiv="WLS", years=years)

    assert set(england) == set(wales)


days = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))


@given(days, st.integers(min_value=-30, max_value=400))
def test_working_days_never_exceed_the_days_in_between(requested_on, gap):
    counted = working_days_between(requested_on, requested_on + timedelta(days=gap))

    assert 0 <= counted <= max(0, gap - 1)
    assert counted <= 5 * (max(0, gap - 1) // 7 + 1)


@given(days, st.integers(min_value=0, max_value=60))
def test_a_later_event_never_gives_less_notice(requested_on, gap):
    event_on = requested_on + timedelta(days=gap)

    assert working_days_between(requested_on, event_on + timedelta(days=1)) >= working_days_between(
        requested_on, event_on
    )


# The provider's own speaker register


def an_entry(outcome: PastOutcome, on: date, detail: str, speaker: str = "Priya Shah", organisation: str = ""):
    return RegisterEntry(speaker_name=speaker, organisation=organisation, outcome=outcome, on=on, detail=detail)


def test_a_speaker_the_register_has_never_seen_passes():
    result = speaker_register(a_request(), [], REQUESTED)

    assert result.outcome is Outcome.PASSED
    assert result.message == "The register has no earlier decisions on this speaker or their organisation."


def test_a_speaker_declined_before_is_flagged_with_the_reason_even_if_their_name_is_written_differently():
    declined = an_entry(PastOutcome.DECLINED, date(2026, 2, 10), "Spoke at an event promoting hatred.", "PRIYA  shah")

    result = speaker_register(a_request(), [declined], REQUESTED)

    assert result.outcome is Outcome.FLAGGED
    assert result.flags == (Flag.DECLINED_BEFORE,)
    assert result.message == "PRIYA  shah was declined on 10 February 2026: Spoke at an event promoting hatred."


def test_a_concern_about_the_organisation_is_flagged_whoever_it_sends():
    concern = an_entry(
        PastOutcome.CONCERN_RAISED,
        date(2026, 11, 3),
        "learners reported leaflets handed out after the talk",
        speaker="Dan Field",
        organisation="Northern Cyber Ltd.",
    )

    result = speaker_register(a_request(), [concern], REQUESTED)

    assert result.flags == (Flag.CONCERNS_RAISED,)
    assert result.message == (
        "A concern was raised about Dan Field (Northern Cyber Ltd.) on 3 November 2026: learners reported "
        "leaflets handed out after the talk."
    )


def test_a_decline_and_a_concern_are_both_flagged_with_recent_approvals_for_context():
    register = [
        an_entry(PastOutcome.DECLINED, date(2025, 3, 1), "no outline given"),
        an_entry(PastOutcome.APPROVED, date(2026, 9, 1), "Cyber careers week"),
        an_entry(PastOutcome.CONCERN_RAISED, date(2026, 9, 20), "off-topic remarks on politics"),
    ]

    result = speaker_register(a_request(), register, REQUESTED)

    assert result.flags == (Flag.DECLINED_BEFORE, Flag.CONCERNS_RAISED)
    assert result.message == (
        "Priya Shah was declined on 1 March 2025: no outline given. "
        "A concern was raised about Priya Shah on 20 September 2026: off-topic remarks on politics. "
        "Priya Shah was approved on 1 September 2026 for Cyber careers week."
    )


def test_an_approval_within_the_policys_365_days_passes_and_is_named():
    approved = an_entry(PastOutcome.APPROVED, REQUESTED - timedelta(days=365), "Cyber careers week")

    result = speaker_register(a_request(), [approved], REQUESTED)

    assert result.outcome is Outcome.PASSED
    assert result.message == (
        "Nothing against them in the register. Priya Shah was approved on 4 June 2026 for Cyber careers week."
    )


def test_an_approval_older_than_the_policy_counts_as_recent_is_checked_as_if_new():
    approved = an_entry(PastOutcome.APPROVED, REQUESTED - timedelta(days=366), "Cyber careers week")

    result = speaker_register(a_request(), [approved], REQUESTED)

    assert result.outcome is Outcome.PASSED
    assert result.message == (
        "Nothing against them in the register. The last approval, on 3 June 2026, was more than 365 days ago, "
        "so check them as if new."
    )


def test_other_speakers_and_entries_after_the_request_do_not_count():
    independent = a_request(speaker={"organisation": ""})
    register = [
        # Neither has an organisation: a blank name must not match another blank name
        an_entry(PastOutcome.DECLINED, date(2026, 1, 5), "extremist views", speaker="Someone Else"),
        an_entry(PastOutcome.CONCERN_RAISED, REQUESTED + timedelta(days=1), "recorded after this request"),
    ]

    result = speaker_register(independent, register, REQUESTED)

    assert result.outcome is Outcome.PASSED
    assert result.flags == ()


# The audience, how the session reaches it, and the materials


def test_learners_under_18_in_the_audience_are_flagged():
    young = a_request(audience={"age_range": {"youngest": 16, "oldest": 18}, "under_18": True})

    flagged, passed = audience_under_18(young), audience_under_18(a_request())

    assert flagged.flags == (Flag.UNDER_18_AUDIENCE,)
    assert flagged.message.startswith("Learners under 18 attend (aged 16 to 18)")
    assert passed.outcome is Outcome.PASSED
    assert passed.message == "No learners under 18 attend (aged 19 to 45)."


@pytest.mark.parametrize(
    ("event", "reach"),
    [
        ({"delivery": "online", "venue": ""}, "it is held online"),
        ({"delivery": "hybrid"}, "it is also held online"),
        ({"streamed": True}, "it is streamed live beyond the room"),
        ({"delivery": "online", "streamed": True}, "it is held online and it is streamed live beyond the room"),
    ],
)
def test_a_session_online_or_streamed_is_flagged(event, reach):
    result = online_or_streamed(a_request(event=event))

    assert result.flags == (Flag.ONLINE_OR_STREAMED,)
    assert result.message.startswith(f"The session reaches people beyond the room: {reach}.")


def test_an_in_person_session_that_is_only_recorded_passes():
    result = online_or_streamed(a_request(event={"recorded": True}))

    assert result.outcome is Outcome.PASSED
    assert result.message == "In person only, and not streamed. It is recorded."


def test_no_materials_are_flagged_and_an_upload_or_a_link_passes():
    none = materials(a_request(materials=None))
    uploaded = materials(a_request(materials={"file_key": "speaker-materials/spk-1/slides.pdf"}))
    linked = materials(a_request())

    assert none.flags == (Flag.NO_MATERIALS,)
    assert none.message.startswith("No slides, handouts or links were given")
    assert uploaded.outcome is Outcome.PASSED
    assert uploaded.message == "The speaker's materials were uploaded, to be seen before the event."
    assert linked.message == (
        "The speaker's materials are linked: https://northern-cyber.example.org/careers-talk.pdf, "
        "to be seen before the event."
    )


def test_every_check_runs_in_the_order_the_approver_reads_them():
    results = run_checks(a_request(), REQUESTED, [])

    assert [r.name for r in results] == list(CheckName)
    assert all(r.outcome is Outcome.PASSED for r in results)
