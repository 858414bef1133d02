"""Emails rendered from Jinja2 templates into a subject, a plain-text part and an HTML part.

Each email is one template in templates/email with the blocks `subject`, `text` and `html`, and `audience`
"staff" for staff emails; the base template gives the HTML its shell, and each part ends with the provider's
signature. Rendering is pure; adapters/ses.py sends the result.
"""

from functools import cache
from typing import TYPE_CHECKING

from pydantic import EmailStr

from safeplace.core import times
from safeplace.core.model import Model
from safeplace.core.provider import ProviderContact

if TYPE_CHECKING:
    from jinja2 import Environment


class Email(Model):
    to: EmailStr
    subject: str
    text: str
    html: str


@cache
def _environment() -> "Environment":
    # Built on the first email or document rendered, not at import.
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader("safeplace", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(times.FILTERS)
    return env


# Who every email is from, named in its words and footer, and where staff emails link to. Set once as a function's
# dependencies are made, rather than handed through every use case that sends an email, none of which decides it.
_signatory: dict[str, object] = {}


def sign_as(provider: ProviderContact, console_home: str) -> None:
    """`console_home` is the staff console's address ("https://safeplace.example.org/staff")."""
    _signatory.update(signatory=provider, console_home=console_home.rstrip("/"))


def render_document(name: str, **context: object) -> str:
    """A standalone document (the employer handbook): strict, so a missing detail fails rather than prints blank."""
    return _environment().get_template(name).render(**context)


def render_email(name: str, to: str, **context: object) -> Email:
    template = _environment().get_template(f"email/{name}.j2")
    context = {**_signatory, **context}
    ctx = template.new_context(dict(context))

    def block(block_name: str) -> str:
        return "".join(template.blocks[block_name](ctx)).strip()

    subject = " ".join(block("subject").split())
    signature = (
        _environment()
        .get_template("email/_signature.txt")
        .render(context, audience=block("audience") if "audience" in template.blocks else "")
    )
    text = f"{block('text')}\n\n--\n{signature.strip()}\n"
    return Email(to=to, subject=subject, text=text, html=template.render(**context, subject=subject))
