"""The clock's pages: what the simulated clock does and what it will do next, and what happened on each day
lived through, told by employer name and day rather than by id."""

import re
from datetime import date, datetime
from html import escape
from typing import Any

from safeplace.core.times import day as calendar_day
from safeplace.core.times import london_datetime, london_time
from safeplace.onboarding.models import CheckType
from safeplace_local.local_pages import button, page
from safeplace_local.template import Schedule


def a_day(value: date) -> str:
    """A day lived through, with its weekday: a person living through days counts them by it."""
    return f"{value:%A} {calendar_day(value)}"


def clock(now: datetime, waits_ahead: list[datetime], schedules: list[Schedule], running: dict[str, list[str]]) -> str:
    names = ", ".join(s.name for s in schedules if s.enabled) or "none in this template"
    return page(
        "Simulated clock",
        f'<p class="govuk-body-l">The simulated date is <strong>{escape(london_datetime(now))}</strong> '
        "(UK time).</p>"
        '<p class="govuk-body">Every page, handler and workflow in this runtime reads the time from this clock, '
        "not from your computer's. It moves on in real time from the moment it was set.</p>"
        '<h2 class="govuk-heading-m">What happens next</h2>'
        f"{_next(waits_ahead)}{_running(running)}"
        '<h2 class="govuk-heading-m">Move the clock on</h2>'
        '<p class="govuk-body">Moving the clock forward ends every wait it passes, one after another in the order '
        "they fall due, as if those days had gone by: the workflows' reminders and escalations (an employer that "
        "has not sent its answers, a handbook nobody signed, a speaker booking nobody decided) and their timeouts. "
        "Setting it back ends nothing.</p>"
        '<form method="post" action="/_local/clock"><div class="govuk-form-group">'
        '<label class="govuk-label" for="advance_days">Move forward by this many days</label>'
        '<input class="govuk-input govuk-input--width-4" id="advance_days" name="advance_days" type="number" '
        f'min="1" value="1"></div>{button("Move forward")}</form>'
        '<form method="post" action="/_local/clock"><div class="govuk-form-group">'
        '<label class="govuk-label" for="now">Set the date and time</label>'
        '<div class="govuk-hint" id="now-hint">In ISO 8601, UTC unless it says otherwise, for example '
        '2027-01-31T09:00</div><input class="govuk-input govuk-input--width-20" id="now" name="now" type="text" '
        f'aria-describedby="now-hint"></div>{button("Set the clock")}</form>'
        '<h2 class="govuk-heading-m">Live through days</h2>'
        '<p class="govuk-body">Living through days moves the clock on one day at a time and, on each day, fires the '
        f"daily schedules ({escape(names)}) as AWS would. The daily sweep sends renewal reminders for checks that "
        "are running out, escalates the ones still not renewed and lapses the ones that have run out. The waits "
        "that fall due end on their day too. You then see what happened on each day, by employer and email.</p>"
        '<form method="post" action="/_local/clock"><input type="hidden" name="schedules" value="daily">'
        '<div class="govuk-form-group"><label class="govuk-label" for="live_days">Days to live through</label>'
        '<div class="govuk-hint" id="live_days-hint">From 1 to 400</div>'
        '<input class="govuk-input govuk-input--width-4" id="live_days" name="advance_days" type="number" min="1" '
        f'max="400" value="62" aria-describedby="live_days-hint"></div>{button("Live through them")}</form>',
    )


def _next(waits_ahead: list[datetime]) -> str:
    if not waits_ahead:
        return (
            '<p class="govuk-body">No workflow is waiting for the clock, so moving it on ends no waits. The daily '
            "schedules may still act on the days you live through.</p>"
        )
    count = len(waits_ahead)
    waits = "1 wait" if count == 1 else f"{count} waits"
    return (
        f'<p class="govuk-body">{waits} in the workflows will end as the clock moves on. The next ends on '
        f"<strong>{escape(london_datetime(waits_ahead[0]))}</strong>: move the clock past it to see what it "
        'sends in the <a class="govuk-link" href="/_local/outbox">outbox</a>.</p>'
    )


def _running(running: dict[str, list[str]]) -> str:
    if not running:
        return ""
    items = "".join(
        f"<li>{escape(_workflow(logical_id))}: {len(whom)} running"
        + (f" ({escape(', '.join(sorted(n for n in whom if n)))})" if any(whom) else "")
        + "</li>"
        for logical_id, whom in sorted(running.items())
    )
    return f'<p class="govuk-body">The workflows running now:</p><ul class="govuk-list govuk-list--bullet">{items}</ul>'


def _workflow(logical_id: str) -> str:
    """ "HandbookRolloutStateMachine" as a person says it: "Handbook rollout"."""
    words = re.findall(r"[A-Z][a-z]*", logical_id.removesuffix("StateMachine")) or [logical_id]
    return " ".join([words[0], *(w.lower() for w in words[1:])])


def employer_ids(days: list[dict[str, Any]]) -> set[str]:
    """The employers the daily schedules acted on: their results name them by id."""
    return {item.split("/", 1)[0] for _, item in _acted(days)}


def lived(now: datetime, count: int, days: list[dict[str, Any]], names: dict[str, str]) -> str:
    """What happened on each day lived through, leaving out the days nothing did: what the daily schedules did,
    then every email sent that day (the sweep's, and the workflows' reminders, escalations and timeouts)."""
    told = [(day["day"], _happenings(day, names)) for day in days]
    sections = "".join(
        f'<h2 class="govuk-heading-m">{escape(a_day(date.fromisoformat(on)))}</h2>'
        f'<ul class="govuk-list govuk-list--bullet">{"".join(f"<li>{escape(h)}</li>" for h in happened)}</ul>'
        for on, happened in told
        if happened
    )
    lived_through = "1 day" if count == 1 else f"{count} days"
    quiet = '<p class="govuk-body">Nothing happened on those days.</p>'
    return page(
        "Days lived through",
        f'<p class="govuk-body">You lived through {lived_through}. The simulated date is now '
        f"<strong>{escape(london_datetime(now))}</strong>.</p>"
        f"{sections or quiet}"
        '<p class="govuk-body"><a class="govuk-link" href="/_local/outbox">See the emails in the outbox</a> · '
        '<a class="govuk-link" href="/_local/clock">Back to the clock</a></p>',
    )


def _acted(days: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [
        (kind, item)
        for day in days
        for fired in day["fired"]
        for kind in ("lapsed", "escalated", "reminded")
        for item in (fired.get("result") or {}).get(kind) or []
    ]


def _happenings(day: dict[str, Any], names: dict[str, str]) -> list[str]:
    happened = [_acted_on(kind, item, names) for kind, item in _acted([day])]
    for fired in day["fired"]:
        if "error" in fired:
            error = fired["error"] or {}
            happened.append(
                f"The schedule {fired['schedule']} failed: {error.get('errorType', 'error')}: "
                f"{error.get('errorMessage', '')}"
            )
    for email in day.get("emails", []):
        at = london_time(datetime.fromisoformat(email["sent_at"]))
        happened.append(f"At {at}, {', '.join(email['to'])} was sent “{email['subject']}”")
    return happened


def _acted_on(kind: str, item: str, names: dict[str, str]) -> str:
    employer_id, check, *left = item.split("/")
    name = names.get(employer_id, f"The employer {employer_id}")
    what = CheckType(check).in_a_sentence if check in {c.value for c in CheckType} else check
    if kind == "reminded":
        days_left = f"{left[0]} days" if left and left[0] != "1" else "1 day"
        return f"{name} was sent a reminder: its {what} runs out in {days_left}"
    if kind == "escalated":
        return (
            f"{name}'s {what} was escalated: it runs out soon and is not renewed, so its main contact and the "
            "compliance team were told"
        )
    return f"{name}'s {what} lapsed: it has run out, so the check no longer counts for placements"
