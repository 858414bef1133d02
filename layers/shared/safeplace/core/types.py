"""Value types shared by every feature's models."""

import re
from typing import Annotated

from pydantic import (
    AfterValidator,
    StringConstraints,
)

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


PHONE = re.compile(r"^\+?[0-9 ()-]{10,20}$")


def _phone(value: str) -> str:
    if not PHONE.match(value):
        raise ValueError("Enter a phone number, like 01632 960 001 or +44 7700 900 982")
    return value


Phone = Annotated[Text, AfterValidator(_phone)]
