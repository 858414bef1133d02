"""The handbook's text as an admin writes it: headed sections of plain paragraphs and bulleted lists, never HTML.

An admin types it in a light plain-text form (a line starting "## " heads a section, a blank line ends a paragraph,
lines starting "- " are a list); it is kept as the structure it was read into, so each version's copies render
from what was published. Every word is text: the copy's template escapes it, so markup typed in shows as typed and
no link or script can be made. A few names in braces ({dsl_phone}) are filled in with each copy's details.
"""

import itertools
import re
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import ConfigDict, Field, StringConstraints, model_validator

from safeplace.core.model import Model
from safeplace.core.types import PlainLine, PlainLines
from safeplace.handbook.models import EmployerDetails, ProviderDetails

MAX_SOURCE = 50_000
MAX_SECTIONS = 30

PLACEHOLDERS = (
    "provider_name",
    "dsl_name",
    "dsl_phone",
    "dsl_email",
    "safeguarding_phone",
    "absence_email",
    "absence_report_hours",
    "employer_name",
)
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")

Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000), PlainLines]


class Block(Model):
    """A paragraph (one item) or a bulleted list (one item per bullet)."""

    model_config = ConfigDict(frozen=True)

    items: tuple[Line, ...] = Field(min_length=1, max_length=100)
    bulleted: bool = False

    @model_validator(mode="after")
    def _one_paragraph(self) -> "Block":
        if not self.bulleted and len(self.items) != 1:
            raise ValueError("A paragraph is one item: make each paragraph a block of its own")
        return self


class Section(Model):
    model_config = ConfigDict(frozen=True)

    heading: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120), PlainLine]
    blocks: tuple[Block, ...] = Field(min_length=1, max_length=100)


def _words(sections: tuple[Section, ...]) -> list[str]:
    return [s.heading for s in sections] + [item for s in sections for b in s.blocks for item in b.items]


class HandbookText(Model):
    """The sections an admin writes; the copy adds the employer's details, our minimum requirements and the
    statements the SPOC signs, which are not theirs to change here."""

    model_config = ConfigDict(frozen=True)

    sections: tuple[Section, ...] = Field(min_length=1, max_length=MAX_SECTIONS)

    @model_validator(mode="before")
    @classmethod
    def _from_source(cls, value: Any) -> Any:
        return {"sections": read_sections(value)} if isinstance(value, str) else value

    @model_validator(mode="after")
    def _checked(self) -> "HandbookText":
        # However it was sent (as plain text or structured), it stays a size one stored item holds.
        if len(self.source) > MAX_SOURCE:
            raise ValueError(f"The handbook text must be {MAX_SOURCE:,} characters or fewer")
        unknown = sorted({n for word in _words(self.sections) for n in _PLACEHOLDER.findall(word)} - set(PLACEHOLDERS))
        if unknown:
            allowed = ", ".join(f"{{{n}}}" for n in PLACEHOLDERS)
            raise ValueError(f"{{{unknown[0]}}} is not a detail the handbook can fill in: use one of {allowed}")
        return self

    @property
    def source(self) -> str:
        """The text as an admin edits it: reads back into the same sections."""
        parts = []
        for section in self.sections:
            parts.append(f"## {section.heading}")
            for block in section.blocks:
                parts.append("\n".join(f"- {i}" for i in block.items) if block.bulleted else block.items[0])
        return "\n\n".join(parts)

    def filled(self, details: Mapping[str, str]) -> "HandbookText":
        """The sections with each {name} replaced by its detail: still plain text, escaped where it is shown. Not
        validated again: a detail is the employer's or ours, whatever it holds (braces, length)."""

        def fill(word: str) -> str:
            return _PLACEHOLDER.sub(lambda m: details[m[1]], word)

        def block(b: Block) -> Block:
            return b.model_copy(update={"items": tuple(fill(i) for i in b.items)})

        return self.model_copy(
            update={
                "sections": tuple(
                    s.model_copy(update={"heading": fill(s.heading), "blocks": tuple(block(b) for b in s.blocks)})
                    for s in self.sections
                )
            }
        )


def copy_details(provider: ProviderDetails, employer: EmployerDetails) -> dict[str, str]:
    return {
        "provider_name": provider.name,
        "dsl_name": provider.dsl_name,
        "dsl_phone": provider.dsl_phone,
        "dsl_email": str(provider.dsl_email),
        "safeguarding_phone": provider.safeguarding_phone,
        "absence_email": str(provider.absence_email),
        "absence_report_hours": str(provider.absence_report_hours),
        "employer_name": employer.legal_name,
    }


def _blocks(body: str) -> list[dict[str, Any]]:
    """A section's paragraphs and lists: a blank line ends either, and a run of "- " lines is a list."""
    blocks: list[dict[str, Any]] = []
    for chunk in re.split(r"\n\s*\n", body):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        for bulleted, run in itertools.groupby(lines, key=lambda line: line.startswith("- ")):
            found = list(run)
            if bulleted:
                blocks.append({"items": [line[2:].strip() for line in found], "bulleted": True})
            else:
                blocks.append({"items": [" ".join(found)]})
    return blocks


def read_sections(source: str) -> list[dict[str, Any]]:
    """Plain text as sections; raises ValueError, in words an admin can act on."""
    if len(source) > MAX_SOURCE:
        raise ValueError(f"The handbook text must be {MAX_SOURCE:,} characters or fewer")
    if not source.strip():
        raise ValueError("Enter the handbook text, starting with a section heading: a line starting ## and a space")
    before, *headed = re.split(r"^[ \t]*## ", source.replace("\r\n", "\n"), flags=re.MULTILINE)
    if before.strip() or not headed:
        raise ValueError("Start the handbook text with a section heading: a line starting ## and a space")
    if len(headed) > MAX_SECTIONS:
        raise ValueError(f"The handbook can have {MAX_SECTIONS} sections at most")
    sections = []
    for part in headed:
        heading, _, body = part.partition("\n")
        if not heading.strip():
            raise ValueError("Give every section a heading after the ##")
        blocks = _blocks(body)
        if not blocks:
            raise ValueError(f"Add some text to the section “{heading.strip()}”, or take its heading out")
        sections.append({"heading": heading.strip(), "blocks": blocks})
    return sections
