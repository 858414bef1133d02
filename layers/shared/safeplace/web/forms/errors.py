"""Problems as govuk-frontend-jinja's macros take them: a field's errorMessage and the error summary's errorList."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from safeplace.web.forms.fields import Shown


@dataclass(frozen=True)
class Problem:
    message: str
    # Where the error summary's link lands: the field's input, or the first box of a date at fault.
    href: str
    # The boxes of a date input to mark; empty for other fields.
    parts: tuple[str, ...] = ()


def error_message(problems: Mapping[str, Problem], field_id: str) -> dict[str, str] | Literal[False]:
    """A field's errorMessage param: {"text": ...}, or false when the field has no problem."""
    problem = problems.get(field_id)
    return {"text": problem.message} if problem else False


def error_list(problems: Mapping[str, Problem]) -> list[dict[str, str]]:
    """govukErrorSummary's errorList, in page order."""
    return [{"text": problem.message, "href": problem.href} for problem in problems.values()]


_WIDTHS = {"day": 2, "month": 2, "year": 4}


def date_items(name: str, values: Shown, problem: Problem | None) -> list[dict[str, str]]:
    """govukDateInput's items (use with namePrefix=name): what was typed, and the boxes at fault marked."""
    marked = (problem.parts or tuple(_WIDTHS)) if problem else ()
    items = []
    for part, width in _WIDTHS.items():
        value = values.get(f"{name}-{part}", "")
        classes = f"govuk-input--width-{width}" + (" govuk-input--error" if part in marked else "")
        items.append({"name": part, "value": value if isinstance(value, str) else "", "classes": classes})
    return items
