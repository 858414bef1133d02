"""Speaker bookings' forms: the request, the decision (staff page and approver's link alike), the event, the
speaker's confirmation."""

from datetime import date, time
from typing import Any

import pytest

from safeplace.speakers.acknowledge_conditions import SpeakerConfirmation
from safeplace.speakers.models import AgeRange, Approval, Condition, Decline, Delivery, InformationRequest
from safeplace.speakers.record_event import HowItWent
from safeplace.web.forms.speakers import (
    BookingForm,
    ConfirmConditionsForm,
    DecisionForm,
    MaterialsUploadForm,
    RecordEventForm,
)
from tests.support.builders import a_booking_form


def booking(**changes: str) -> dict[str, str]:
    """The shared booking form, posted with a month by name, a stream and Windows line ends between links."""
    return a_booking_form(
        date(2027, 6, 21),
        **{
            "event.on-month": "June",
            "event.ends_at": "11:30",
            "event.streamed": "yes",
            "speaker.social_links": "https://social.example/@priya\r\nhttps://video.example/priya",
            "outline": "What analysts do all day.",
            "materials.link": "https://northern-cyber.example.org/talk.pdf",
            "staff_present": "tom.tutor@example.org",
            "csrf_token": "t",
            **changes,
        },
    )


def test_a_booking_is_read_into_its_details():
    details = BookingForm().parse(booking()).model

    assert details is not None
    assert (details.event.on, details.event.starts_at, details.event.ends_at) == (
        date(2027, 6, 21),
        time(10),
        time(11, 30),
    )
    assert (details.event.delivery, details.event.recorded, details.event.streamed) == (Delivery.IN_PERSON, False, True)
    assert (details.audience.size, details.audience.age_range, details.audience.under_18) == (
        25,
        AgeRange(youngest=19, oldest=45),
        False,
    )
    assert [str(link) for link in details.speaker.social_links] == [
        "https://social.example/@priya",
        "https://video.example/priya",
    ]
    assert (
        details.materials is not None and str(details.materials.link) == "https://northern-cyber.example.org/talk.pdf"
    )


def test_what_may_be_left_blank_is_left_out_of_the_booking():
    blank = dict.fromkeys(
        ["audience.age_range.youngest", "audience.age_range.oldest", "speaker.website", "speaker.social_links",
         "materials.link", "speaker.role", "outline"],
        "",
    )  # fmt: skip

    details = BookingForm().parse(booking(**blank)).model

    assert details is not None
    assert (details.audience.age_range, details.speaker.website, details.speaker.social_links) == (None, None, [])
    assert (details.materials, details.speaker.role, details.outline) == (None, "", "")


def test_an_empty_booking_asks_for_each_required_field_in_page_order():
    result = BookingForm().parse({})

    assert list(result.errors.items()) == [
        ("event-title", "Enter the event's title"),
        ("event-on", "Enter the date of the event"),
        ("event-starts_at", "Enter the start time"),
        ("event-ends_at", "Enter the end time"),
        ("event-delivery", "Select whether it is in person, online or both"),
        ("event-recorded", "Select whether it is recorded"),
        ("event-streamed", "Select whether it is streamed"),
        ("audience-size", "Enter the number of people who will attend"),
        ("audience-under_18", "Select whether learners under 18 attend"),
        ("speaker-name", "Enter the speaker's full name"),
        ("speaker-email", "Enter the speaker's email address"),
        ("topic", "Enter the topic"),
        ("staff_present", "Enter the email address of the member of staff who will be there"),
    ]
    assert result.error_list[1] == {"text": "Enter the date of the event", "href": "#event-on-day"}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"event.ends_at": "09:00"}, "event-ends_at", "The end time must be after the start time, on the same day"),
        ({"event.venue": ""}, "event-venue", "Enter the venue, or say the event is online"),
        (
            {"audience.age_range.youngest": "50"},
            "audience-age_range-youngest",
            "The youngest age in the audience cannot be more than the oldest",
        ),
        (
            {"audience.age_range.youngest": "16"},
            "audience-under_18",
            "The youngest in the audience is under 18: say that learners under 18 attend",
        ),
        (
            {"audience.under_18": "yes"},
            "audience-under_18",
            "The youngest in the age range is 18 or over, but you said learners under 18 attend: check both",
        ),
        ({"audience.age_range.oldest": ""}, "audience-age_range-oldest", "Enter the oldest age"),
        (
            {"audience.age_range.youngest": "12"},
            "audience-age_range-youngest",
            "The youngest age must be between 14 and 100",
        ),
        ({"audience.size": "twenty"}, "audience-size", "Enter the number of people who will attend as a whole number"),
        ({"event.on-month": "Jume"}, "event-on", "The date of the event must be a real date"),
        (
            {"event.starts_at": "ten"},
            "event-starts_at",
            "Enter the start time on the 24-hour clock, like 10:00 or 14:30",
        ),
        ({"event.delivery": "by post"}, "event-delivery", "Select whether it is in person, online or both"),
        ({"event.recorded": ""}, "event-recorded", "Select whether it is recorded"),
        (
            {"speaker.social_links": "https://a.example not-a-link"},
            "speaker-social_links",
            "Enter each social media link in the correct format, like https://www.example.org/name",
        ),
        (
            {"materials.link": "slides.pdf"},
            "materials-link",
            "Enter the link to the materials in the correct format, like https://www.example.org",
        ),
        (
            {"staff_present": "tom"},
            "staff_present",
            "Enter the email address of the member of staff who will be there in the correct format, like "
            "name@example.com",
        ),
    ],
)
def test_each_problem_with_a_booking_is_shown_at_the_field_that_puts_it_right(
    changes: dict[str, str], field: str, message: str
):
    assert BookingForm().parse(booking(**changes)).errors == {field: message}


def test_an_online_event_needs_no_venue():
    details = BookingForm().parse(booking(**{"event.delivery": "online", "event.venue": ""})).model

    assert details is not None and details.event.venue == ""


def test_a_rule_about_the_event_waits_until_its_own_fields_are_right():
    result = BookingForm().parse(booking(**{"event.venue": "", "event.title": ""}))

    assert result.errors == {"event-title": "Enter the event's title"}


def test_a_booking_shown_to_change_and_resend_reads_back_as_the_same_details():
    saved = BookingForm().parse(booking()).model
    assert saved is not None

    shown = BookingForm().show(saved)

    assert shown.values["event.on-day"] == "21" and shown.values["event.starts_at"] == "10:00"
    assert shown.values["event.recorded"] == "no" and shown.values["audience.under_18"] == "no"
    assert BookingForm().parse(dict(shown.values)).model == saved


def decide(**sent: Any) -> Any:
    return DecisionForm().parse(sent)


def test_an_approval_keeps_its_conditions():
    made = decide(decision="approve", conditions=["staff_chair", "recorded"], other_conditions="No filming")

    assert made.model == Approval(conditions={Condition.STAFF_CHAIR, Condition.RECORDED}, other_conditions="No filming")


def test_an_approval_is_not_held_up_by_a_reason_typed_for_another_decision():
    assert decide(decision="approve", reason="changed my mind", question="?").model == Approval()


def test_a_decline_and_a_question_are_read_with_their_words():
    assert decide(decision="decline", reason="Party politics").model == Decline(reason="Party politics")
    assert decide(decision="ask", question="Send the slides").model == InformationRequest(question="Send the slides")


@pytest.mark.parametrize(
    ("sent", "field", "message"),
    [
        ({}, "decision", "Select whether to approve, decline or ask the requester for more information"),
        (
            {"decision": "maybe"},
            "decision",
            "Select whether to approve, decline or ask the requester for more information",
        ),
        (
            {"decision": "decline", "reason": "  "},
            "reason",
            "Say why the booking is declined: the requester reads it and the register keeps it",
        ),
        ({"decision": "ask"}, "question", "Enter the question the requester needs to answer"),
        ({"decision": "approve", "conditions": "filmed"}, "conditions", "Select conditions from the list"),
        (
            {"decision": "approve", "other_conditions": "x" * 2001},
            "other_conditions",
            "Any other condition must be 2000 characters or fewer",
        ),
        (
            {"decision": "decline", "reason": "x" * 1001},
            "reason",
            "The reason for declining must be 1000 characters or fewer",
        ),
    ],
)
def test_each_problem_with_a_decision_is_shown_at_its_field(sent: dict[str, Any], field: str, message: str):
    assert decide(**sent).errors == {field: message}


def test_a_refused_decision_shows_again_the_conditions_ticked():
    assert decide(conditions=["staff_chair", "recorded"]).values["conditions"] == ["staff_chair", "recorded"]


def test_how_an_event_went_is_read_with_kept_as_yes_or_no():
    assert RecordEventForm().parse({"conditions_met": "yes", "concerns": ""}).model == HowItWent(conditions_met=True)


@pytest.mark.parametrize(
    ("sent", "errors"),
    [
        ({}, {"conditions_met": "Select whether all the conditions were kept"}),
        ({"conditions_met": "no", "concerns": ""}, {"concerns": "Say which condition was not kept, and what happened"}),
        (
            {"conditions_met": "yes", "concerns": "x" * 2001},
            {"concerns": "The concerns must be 2000 characters or fewer"},
        ),
    ],
)
def test_each_problem_with_how_an_event_went_is_shown_at_its_field(sent: dict[str, str], errors: dict[str, str]):
    assert RecordEventForm().parse(sent).errors == errors


def test_the_speakers_confirmation_is_read_for_the_use_case_to_check():
    assert ConfirmConditionsForm().parse({"agreed": "yes", "typed_name": "Priya Shah"}).model == SpeakerConfirmation(
        typed_name="Priya Shah", agreed=True
    )
    assert ConfirmConditionsForm().parse({}).model == SpeakerConfirmation(typed_name="", agreed=False)


def test_what_the_use_case_refuses_in_the_confirmation_is_shown_at_its_fields():
    refused = (
        ConfirmConditionsForm()
        .parse({"typed_name": "P Shah"})
        .with_problems(
            {
                "typed_name": "Type your full name as the booking gives it: Priya Shah",
                "agreed": "Confirm that you will keep to the conditions and the code of conduct",
            }
        )
    )

    assert list(refused.errors) == ["agreed", "typed_name"]
    assert refused.error_message("typed_name") == {"text": "Type your full name as the booking gives it: Priya Shah"}
    assert refused.values == {"typed_name": "P Shah"}


def test_what_the_check_of_an_uploaded_file_refuses_is_shown_at_the_file():
    refused = MaterialsUploadForm().show().with_problems({"file": "The file must be a PDF, a PowerPoint or Word file"})

    assert refused.error_list == [{"text": "The file must be a PDF, a PowerPoint or Word file", "href": "#file"}]
    assert refused.values == {} and refused.model is None
