"""Dates typed into three boxes, and times of day."""

import re
from datetime import date, time
from typing import Any, ClassVar

from safeplace.web.forms.fields import Field, Invalid, Raw, Shown, capitalised

PARTS = ("day", "month", "year")
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_DAY = re.compile(r"[0-9]{1,2}")
_YEAR = re.compile(r"[0-9]{4}")
_DIGITS = re.compile(r"[0-9]+")


def month_number(text: str) -> int | None:
    """A month as people type it: 3, 03, March, mar, Mar., Sept."""
    typed = text.strip().lower().rstrip(".")
    if _DAY.fullmatch(typed):
        return int(typed) if 1 <= int(typed) <= 12 else None
    for number, name in enumerate(_MONTHS, start=1):
        if typed in (name, name[:3]) or (typed == "sept" and number == 9):
            return number
    return None


class DateField(Field):
    """A GOV.UK date input: boxes posted as <name>-day, <name>-month and <name>-year."""

    domain_messages: ClassVar[bool] = False

    def box(self, part: str) -> str:
        return f"{self.name}-{part}"

    def href(self, parts: tuple[str, ...] = ()) -> str:
        # The first box at fault, as govuk-frontend ids them: <id>-day, <id>-month, <id>-year.
        return f"#{self.id}-{(parts or PARTS)[0]}"

    @property
    def real_date_message(self) -> str:
        return f"{capitalised(self.thing)} must be a real date"

    def message_for(self, kind: str, message: str) -> str:
        return self.required_message if kind == "missing" else self.real_date_message

    def read(self, raw: Raw) -> date | None:
        day, month, year = (self.last(raw, self.box(part)).strip() for part in PARTS)
        if not (day or month or year):
            if self.required:
                raise Invalid(self.required_message, PARTS)
            return None
        missing = tuple(part for part, typed in zip(PARTS, (day, month, year), strict=True) if not typed)
        if missing:
            raise Invalid(f"{capitalised(self.thing)} must include a {' and '.join(missing)}", missing)
        number = month_number(month)
        wrong = tuple(
            part
            for part, right in (
                ("day", _DAY.fullmatch(day) and 1 <= int(day) <= 31),
                ("month", number is not None),
                ("year", _YEAR.fullmatch(year)),
            )
            if not right
        )
        if wrong == ("year",) and _DIGITS.fullmatch(year):
            raise Invalid(f"{capitalised(self.thing)} must include the year as 4 numbers", wrong)
        if wrong or number is None:
            raise Invalid(self.real_date_message, wrong)
        try:
            return date(int(year), number, int(day))
        except ValueError:
            raise Invalid(self.real_date_message, PARTS) from None

    def sent(self, raw: Raw) -> Shown:
        return {self.box(part): self.last(raw, self.box(part)) for part in PARTS if self.box(part) in raw}

    def show(self, value: Any) -> Shown:
        if not isinstance(value, date):
            return {}
        return {self.box("day"): str(value.day), self.box("month"): str(value.month), self.box("year"): str(value.year)}


_CLOCK = re.compile(r"(?P<hour>[0-9]{1,2})(?:[:.](?P<minute>[0-9]{2}))?\s*(?P<half>[ap]\.?m\.?)?")
_FOUR_DIGITS = re.compile(r"(?P<hour>[0-9]{2})(?P<minute>[0-9]{2})")
_WORDS = {"midday": time(12), "noon": time(12), "midnight": time(0)}


def time_of_day(text: str) -> time | None:
    """A time as people type it: 14:30, 9.30, 1430, 2:30pm, 10am, midday."""
    typed = text.strip().lower()
    if typed in _WORDS:
        return _WORDS[typed]
    found = _CLOCK.fullmatch(typed) or _FOUR_DIGITS.fullmatch(typed)
    if found is None:
        return None
    hour, minute = int(found["hour"]), int(found["minute"] or 0)
    half = found.groupdict().get("half")
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half.startswith("p") else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


class TimeField(Field):
    domain_messages: ClassVar[bool] = False

    def __init__(self, name: str, label: str, thing: str, **options: Any) -> None:
        options.setdefault("invalid_message", f"Enter {thing} on the 24-hour clock, like 10:00 or 14:30")
        super().__init__(name, label, thing, **options)

    def read(self, raw: Raw) -> time | None:
        text = self.text(raw)
        if not text:
            if self.required:
                raise Invalid(self.required_message)
            return None
        found = time_of_day(text)
        if found is None:
            raise Invalid(self.invalid_message)
        return found

    def show(self, value: Any) -> Shown:
        return {self.name: value.strftime("%H:%M")} if isinstance(value, time) else {}
