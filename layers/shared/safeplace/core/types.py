"""Value types shared by every feature's models."""

import re
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, StringConstraints

# Characters nobody types into a name or an answer, which could hide or reorder text where it is shown (an email's
# subject, a page, the register's CSV): C0 and C1 controls, DEL, and the bidirectional embeddings, overrides and
# isolates (U+202A to U+202E, U+2066 to U+2069).
_OTHER_HIDDEN = "\x7f-\x9f\u202a-\u202e\u2066-\u2069"
_HIDDEN_IN_LINE = re.compile(f"[\x00-\x1f{_OTHER_HIDDEN}]")
# Text of several lines keeps its tabs and line breaks.
_HIDDEN_IN_LINES = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f{_OTHER_HIDDEN}]")


def _one_line(value: str) -> str:
    if _HIDDEN_IN_LINE.search(value):
        raise ValueError("Remove the hidden characters (such as a tab, a line break or a text-direction mark)")
    return value


def _lines(value: str) -> str:
    if _HIDDEN_IN_LINES.search(value):
        raise ValueError("Remove the hidden characters (such as a null character or a text-direction mark)")
    return value


# Put on any str type of a name or an answer: one line (PlainLine) or several (PlainLines).
PlainLine = AfterValidator(_one_line)
PlainLines = AfterValidator(_lines)

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), PlainLine]
OptionalText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), PlainLine]

LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000), PlainLines]
OptionalLongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000), PlainLines]


def _a_calendar_day(value: Any) -> Any:
    # Pydantic reads a number as seconds since 1970: a date of birth of 0 would be 1 January 1970.
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError("Enter a date, like 2027-09-06")
    return value


# A date given as a date, never as a number.
Day = Annotated[date, BeforeValidator(_a_calendar_day)]


PHONE = re.compile(r"^\+?[0-9 ()-]{10,20}$")


def _phone(value: str) -> str:
    if not PHONE.match(value):
        raise ValueError("Enter a phone number, like 01632 960 001 or +44 7700 900 982")
    return value


Phone = Annotated[Text, AfterValidator(_phone)]
