"""What the page templates need beyond govuk-frontend-jinja's component macros and the form they are given.

A form's errors reach the macros through the forms package (`form.error_message(id)`, `form.error_list`,
`form.date_items(name)`), the one adapter from our problems to their params.
"""

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlencode

from safeplace.core.paging import Page


def reveals(chosen: bool, fields: Iterable[str], errors: Mapping[str, str]) -> bool:
    """Whether the questions under a radio open and close with it (a conditional reveal). Not when one of them has
    an error while its radio is not chosen (a date typed wrong, then "no"): they are shown outright, or the error
    would be hidden. `fields` and `errors` are by field id (`form.errors`)."""
    return bool(chosen) or not any(name in errors for name in fields)


def pagination(address: str, asked: Mapping[str, str], page: Page[Any]) -> dict[str, Any] | None:
    """govukPagination's params for a page of a list: Previous and Next links that keep what was asked (the filters
    and search) and carry the page's cursor. None for a list that fits on one page."""
    kept = {name: value for name, value in asked.items() if value and name != "cursor"}

    def link(cursor: str) -> dict[str, str]:
        return {"href": f"{address}?{urlencode({**kept, 'cursor': cursor})}"}

    links = {
        **({"previous": link(page.previous_cursor)} if page.previous_cursor else {}),
        **({"next": link(page.next_cursor)} if page.next_cursor else {}),
    }
    return {**links, "landmarkLabel": "Pages"} if links else None
