"""What the page templates need beyond govuk-frontend-jinja's component macros and the form they are given.

A form's errors reach the macros through the forms package (`form.error_message(id)`, `form.error_list`,
`form.date_items(name)`), the one adapter from our problems to their params.
"""

from collections.abc import Iterable, Mapping


def reveals(chosen: bool, fields: Iterable[str], errors: Mapping[str, str]) -> bool:
    """Whether the questions under a radio open and close with it (a conditional reveal). Not when one of them has
    an error while its radio is not chosen (a date typed wrong, then "no"): they are shown outright, or the error
    would be hidden. `fields` and `errors` are by field id (`form.errors`)."""
    return bool(chosen) or not any(name in errors for name in fields)
