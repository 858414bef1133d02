"""What the page templates hand govuk-frontend-jinja's component macros that our routes do not give in its shape.

The routes pass `errors`, a dict of form field name -> message in the order the fields appear. A field's id is
its name with dots as dashes (`address.line1` -> `address-line1`), so the error summary's link lands on it.
"""

from collections.abc import Iterable, Mapping
from typing import Any


def field_id(name: str) -> str:
    """The id of a form field, from the name the route reads (`sites.0.name` -> `sites-0-name`)."""
    return name.replace(".", "-")


def error_message(errors: Mapping[str, str] | None, name: str) -> dict[str, str] | bool:
    """A component's `errorMessage` param for the field `name`: its message, or false when it has none."""
    message = (errors or {}).get(name)
    return {"text": message} if message else False


def error_list(errors: Mapping[str, str] | None) -> list[dict[str, str]]:
    """The error summary's `errorList`: every message, linked to its field."""
    return [{"text": message, "href": f"#{field_id(name)}"} for name, message in (errors or {}).items()]


def reveals(chosen: bool, fields: Iterable[str], errors: Mapping[str, str] | None) -> bool:
    """Whether the questions under a radio open and close with it (a conditional reveal). Not when one of them has
    an error while its radio is not chosen (a date typed wrong, then "no"): they are shown outright, or the error
    would be hidden."""
    return bool(chosen) or not any(name in (errors or {}) for name in fields)


def yes_no(value: Any) -> str | None:
    """A yes/no question's chosen radio: a saved answer is a bool, a re-shown form sends "yes" or "no"."""
    if value is True or value == "yes":
        return "yes"
    if value is False or value == "no":
        return "no"
    return None
