"""Lists shown a page at a time, with an opaque cursor to the next page and back, and names searched by prefix."""

import re
from typing import Generic, TypeVar

from pydantic import Field

from safeplace.core.model import Model

T = TypeVar("T")

# The most a page holds: what a person reads on one screen, and what one Query reads whatever the table's size.
MAX_PAGE_SIZE = 50


class Page(Model, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(default=None, description="Pass as `cursor` for the next page; none on the last")
    previous_cursor: str | None = Field(
        default=None, description="Pass as `cursor` for the page before; none on the first"
    )


def page_size(limit: int) -> int:
    """A requested page size held between one and MAX_PAGE_SIZE."""
    return max(1, min(limit, MAX_PAGE_SIZE))


def name_key(name: str) -> str:
    """A name as lists search it and the register matches it: case, punctuation and spacing make no difference."""
    return " ".join(re.findall(r"\w+", name.casefold()))
