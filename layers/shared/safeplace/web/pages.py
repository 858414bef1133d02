"""Server-rendered pages (Jinja2). Autoescaped; no inline script or style, so the CSP can forbid both."""

from functools import cache
from typing import Any

from jinja2 import ChainableUndefined, Environment, PackageLoader, select_autoescape


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("safeplace", "templates/pages"),
        autoescape=select_autoescape(["html"]),
        # Forms re-shown after an error hold only the fields that were sent; a missing one renders empty.
        undefined=ChainableUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["date"] = lambda value: value.strftime("%-d %B %Y")
    env.filters["datetime"] = lambda value: value.strftime("%-d %B %Y at %H:%M UTC")
    return env


def render(template: str, **context: Any) -> str:
    return _environment().get_template(template).render(**{"errors": {}, **context})
