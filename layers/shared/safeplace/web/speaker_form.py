"""The speaker booking form as the console posts it, turned into what BookingDetails validates, and back."""

from typing import Any
from urllib.parse import parse_qs

from pydantic import ValidationError

# The order fields appear on the page: the error summary follows it.
BOOKING_LABELS = {
    "event.title": "the event's title",
    "event.on": "the date of the event",
    "event.starts_at": "the start time, like 10:00",
    "event.ends_at": "the end time, like 11:30",
    "event.delivery": "whether it is in person, online or both",
    "event.venue": "the venue",
    "event.recorded": "whether it is recorded",
    "event.streamed": "whether it is streamed",
    "audience.size": "how many people will attend",
    "audience.age_range": "the age range",
    "audience.age_range.youngest": "the youngest age",
    "audience.age_range.oldest": "the oldest age",
    "audience.under_18": "whether learners under 18 attend",
    "audience.cohort": "the cohort",
    "speaker.name": "the speaker's full name",
    "speaker.email": "the speaker's email address, like name@example.com",
    "speaker.role": "the speaker's role",
    "speaker.organisation": "the organisation",
    "speaker.website": "a website address starting https://",
    "speaker.social_links": "social media links, one per line, each starting https://",
    "speaker.biography": "a short biography",
    "topic": "the topic",
    "outline": "an outline",
    "materials": "the materials",
    "materials.link": "a link to the materials starting https://",
    "staff_present": "the email address of the member of staff who will be there",
}
_YES_NO = {"yes": True, "no": False}


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def _date(parts: Any) -> Any:
    if not isinstance(parts, dict):
        return None
    day, month, year = (str(parts.get(k, "")).strip() for k in ("day", "month", "year"))
    if not (day or month or year):
        return None
    # Anything not a real date reaches pydantic as text, which says so in the error summary.
    return f"{year.zfill(4)}-{month.zfill(2)}-{day.zfill(2)}" if day.isdigit() and month.isdigit() else f"{day}/{month}"


def booking_details(fields: dict[str, Any]) -> dict[str, Any]:
    """Nested form fields (see web.http.form_fields) as BookingDetails' input."""
    event = dict(fields.get("event") or {})
    audience = dict(fields.get("audience") or {})
    speaker = dict(fields.get("speaker") or {})
    ages = {k: _blank_to_none(v) for k, v in dict(audience.get("age_range") or {}).items()}
    links = str(speaker.get("social_links") or "").split()
    materials = _blank_to_none((fields.get("materials") or {}).get("link"))
    return {
        "event": {
            **event,
            "on": _date(event.get("on")),
            "recorded": _YES_NO.get(str(event.get("recorded"))),
            "streamed": _YES_NO.get(str(event.get("streamed"))),
        },
        "audience": {
            **audience,
            "size": _blank_to_none(audience.get("size")),
            "age_range": ages if any(ages.values()) else None,
            "under_18": _YES_NO.get(str(audience.get("under_18"))),
        },
        "speaker": {**speaker, "website": _blank_to_none(speaker.get("website")), "social_links": links},
        "topic": fields.get("topic"),
        "outline": fields.get("outline") or "",
        "materials": {"link": materials} if materials else None,
        "staff_present": fields.get("staff_present"),
    }


def form_values(details: dict[str, Any]) -> dict[str, Any]:
    """A booking's details as the form shows them again (to change and resend)."""
    event, audience, speaker = details["event"], details["audience"], details["speaker"]
    day = event["on"]
    return {
        **details,
        "event": {
            **event,
            "on": {"day": day.day, "month": day.month, "year": day.year},
            "starts_at": event["starts_at"].strftime("%H:%M"),
            "ends_at": event["ends_at"].strftime("%H:%M"),
            "recorded": "yes" if event["recorded"] else "no",
            "streamed": "yes" if event["streamed"] else "no",
        },
        "audience": {**audience, "under_18": "yes" if audience["under_18"] else "no"},
        "speaker": {**speaker, "social_links": "\n".join(str(u) for u in speaker["social_links"])},
        "materials": {"link": str(details["materials"]["link"] or "")} if details.get("materials") else {},
    }


def decision_fields(body: str | None) -> dict[str, Any]:
    """A decision form (approve with conditions, decline with a reason, or ask a question) as BookingDecision's
    input. The conditions are several checkboxes of one name, so every value is kept."""
    sent = parse_qs(body or "", keep_blank_values=True)

    def one(name: str) -> str:
        return sent.get(name, [""])[-1]

    return {
        "decision": one("decision") or None,
        "conditions": [c for c in sent.get("conditions", []) if c],
        "other_conditions": one("other_conditions"),
        "reason": one("reason"),
        "question": one("question"),
    }


def decision_errors(error: ValidationError) -> dict[str, str]:
    """One message per field of the decision form; the union's tags are not fields."""
    found: dict[str, str] = {}
    for problem in error.errors():
        parts = [str(p) for p in problem["loc"] if p not in ("approve", "decline", "ask")]
        field = parts[0] if parts else "decision"
        if field == "decision":
            message = "Choose whether to approve, decline or ask the requester for more information"
        elif problem["type"] == "value_error":
            message = str(problem["msg"]).removeprefix("Value error, ")
        elif field == "conditions":
            message = "Choose conditions from the list"
        else:
            message = f"{field.replace('_', ' ').capitalize()} must be 2000 characters or fewer"
        found.setdefault(field, message)
    return found
