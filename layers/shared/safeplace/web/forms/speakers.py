"""External speaker bookings: the request, the decision, how the event went, and the speaker's confirmation."""

from typing import Any

from safeplace.speakers.acknowledge_conditions import SpeakerConfirmation
from safeplace.speakers.models import (
    Approval,
    BookingDetails,
    Condition,
    Decline,
    Delivery,
    InformationRequest,
    Materials,
)
from safeplace.speakers.record_event import HowItWent
from safeplace.web.forms.dates import DateField, TimeField
from safeplace.web.forms.fields import (
    CheckboxesField,
    CheckboxField,
    ChoiceField,
    EmailField,
    TextField,
    UploadField,
    UrlField,
    UrlListField,
    WholeNumberField,
    YesNoField,
)
from safeplace.web.forms.form import Form


class BookingForm(Form[BookingDetails]):
    """Requesting a booking, and changing the request to send it again."""

    model = BookingDetails
    fields = (
        TextField("event.title", "Title", "the event's title"),
        DateField("event.on", "Date", "the date of the event", hint="For example, 21 6 2027"),
        TimeField("event.starts_at", "Start time", "the start time", hint="24-hour clock, like 10:00"),
        TimeField("event.ends_at", "End time", "the end time", hint="24-hour clock, like 11:30"),
        ChoiceField(
            "event.delivery", "Where is it held?", "whether it is in person, online or both",
            options=tuple(Delivery),
        ),
        TextField("event.venue", "Venue", "the venue", required=False, hint="Not needed for an online event"),
        YesNoField("event.recorded", "Will the session be recorded?", "whether it is recorded"),
        YesNoField("event.streamed", "Will it be streamed to people outside the room?", "whether it is streamed"),
        WholeNumberField(
            "audience.size", "How many people will attend?", "the number of people who will attend",
            minimum=1, maximum=10_000,
        ),
        WholeNumberField(
            "audience.age_range.youngest", "Youngest age", "the youngest age", required=False, minimum=14, maximum=100
        ),
        WholeNumberField(
            "audience.age_range.oldest", "Oldest age", "the oldest age", required=False, minimum=14, maximum=100
        ),
        YesNoField("audience.under_18", "Will any learners under 18 attend?", "whether learners under 18 attend"),
        TextField("audience.cohort", "Which cohort or group?", "the cohort", required=False),
        TextField("speaker.name", "Full name", "the speaker's full name"),
        EmailField(
            "speaker.email", "Email address", "the speaker's email address",
            hint="They are sent the conditions and our code of conduct to confirm",
        ),
        TextField("speaker.role", "Role", "the speaker's role", required=False),
        TextField(
            "speaker.organisation", "Organisation", "the speaker's organisation", required=False,
            hint="Leave blank if they speak for themselves",
        ),
        UrlField("speaker.website", "Website", "the speaker's website address", required=False),
        UrlListField(
            "speaker.social_links", "Social media links", "the social media links", hint="One per line", most=10,
            invalid_message="Enter each social media link in the correct format, like https://www.example.org/name",
            too_many_message="Enter 10 social media links or fewer",
        ),
        TextField(
            "speaker.biography", "Short biography", "the speaker's biography", required=False, max_length=2000
        ),
        TextField("topic", "Topic", "the topic"),
        TextField(
            "outline", "Outline", "the outline", required=False, max_length=2000,
            hint="What the session covers, in a few lines",
        ),
        UrlField(
            "materials.link", "Link to the slides or materials", "the link to the materials", required=False,
            hint="Leave blank if there are none: the approver will see that nothing was provided",
        ),
        EmailField(
            "staff_present", "Email address of the member of staff who will be there throughout",
            "the email address of the member of staff who will be there",
        ),
    )  # fmt: skip
    problems_go_to = (
        ("The end time must be after the start time", "event.ends_at"),
        ("Enter the venue", "event.venue"),
        ("The youngest age in the audience cannot be more than the oldest", "audience.age_range.youngest"),
        ("The youngest in", "audience.under_18"),
    )


class MaterialsUploadForm(Form[Materials]):
    """The slides or handout, posted straight to S3: nothing reaches this form but what the check of the file
    refuses (MaterialsRejected's message: give it to Result.with_problems, keyed file)."""

    model = Materials
    fields = (UploadField("the slides or handout", path=("file_key",)),)


Decision = Approval | Decline | InformationRequest
_DECISIONS: dict[str, type[Decision]] = {"approve": Approval, "decline": Decline, "ask": InformationRequest}


class DecisionForm(Form[Decision]):
    """Deciding on a booking: on the staff page, and on the approver's link page."""

    fields = (
        ChoiceField(
            "decision", "What do you decide?", "whether to approve, decline or ask the requester for more information",
            options=tuple(_DECISIONS),
        ),
        CheckboxesField(
            "conditions", "Conditions of an approval", "conditions from the list", options=tuple(Condition),
            hint="Tick none to approve without conditions",
        ),
        TextField(
            "other_conditions", "Any other condition (optional)", "any other condition", required=False,
            max_length=2000, hint="If you approve: the speaker is sent it with the others to agree to",
        ),
        TextField(
            "reason", "Why you decline", "the reason for declining", required=False, max_length=1000,
            hint="Needed to decline: the requester reads it and the speaker register keeps it",
        ),
        TextField(
            "question", "What the requester needs to tell you", "the question", required=False, max_length=1000,
            hint="Needed to ask for more information: the requester changes the request and sends it again",
        ),
    )  # fmt: skip

    def build(self, values: dict[str, Any]) -> Decision:
        # Only the chosen decision's own fields count: a reason typed before approving is not refused.
        model = _DECISIONS[values["decision"]] if values.get("decision") in _DECISIONS else Approval
        return model.model_validate({k: v for k, v in values.items() if k in model.model_fields})


class RecordEventForm(Form[HowItWent]):
    model = HowItWent
    fields = (
        YesNoField("conditions_met", "Were all the conditions kept?", "whether all the conditions were kept"),
        TextField(
            "concerns", "Any concerns about what was said or done", "the concerns", required=False, max_length=2000,
            hint="A concern goes into the speaker register, so a later request for this speaker or organisation "
            "goes to the DSL",
        ),
    )  # fmt: skip
    problems_go_to = (("Say which condition was not kept", "concerns"),)


class ConfirmConditionsForm(Form[SpeakerConfirmation]):
    """Whether it is ticked and the name is the speaker's is the use case's to say (ConditionsNotAcknowledged's
    problems, keyed agreed and typed_name: give them to Result.with_problems)."""

    model = SpeakerConfirmation
    fields = (
        CheckboxField("agreed", "I will keep to these conditions and the code of conduct"),
        TextField(
            "typed_name", "Type your full name", "your full name", required=False,
            hint="As the booking gives it. It is recorded with the time you confirm",
        ),
    )  # fmt: skip
