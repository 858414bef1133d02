"""Form fields: each reads what a page posted, turns it into the value a model takes, and words its own problems.

A field names itself in messages by its `thing`, written to follow "Enter" or "Select": "the insurer",
"whether it is recorded". Messages follow the GOV.UK Design System's error message guidance.
"""

import copy
import re
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Self
from urllib.parse import urlsplit

# What a page posted: every value of each name, as parse_qs gives them.
Raw = Mapping[str, Sequence[str]]
# What a page shows in its inputs, by posted name: text, or the ticked values of a group of checkboxes.
Shown = dict[str, str | list[str]]


class Invalid(ValueError):
    """What a field finds wrong with what was typed, and which of its boxes to mark (a date has three)."""

    def __init__(self, message: str, parts: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.parts = parts


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


class Field:
    # How a message asks for the missing answer: "Enter the insurer", "Select the level of the training".
    verb: ClassVar[str] = "Enter"
    # Whether a model's own validation sentence (a postcode, a phone number) is shown as it stands.
    domain_messages: ClassVar[bool] = True

    def __init__(
        self,
        name: str,
        label: str,
        thing: str,
        *,
        hint: str = "",
        id: str = "",
        path: tuple[str | int, ...] = (),
        required: bool = True,
        required_message: str = "",
        invalid_message: str = "",
    ) -> None:
        self.name = name
        self.label = label
        self.thing = thing
        self.hint = hint
        self._id = id
        self.path: tuple[str | int, ...] = path or tuple(name.split("."))
        self.required = required
        self.required_message = required_message or f"{self.verb} {thing}"
        self.invalid_message = invalid_message or self.required_message

    @property
    def id(self) -> str:
        """The id of the page element the error summary links to: the name, with dots as hyphens."""
        return self._id or self.name.replace(".", "-")

    def copied(
        self, *, name: str | None = None, id: str | None = None, path: tuple[str | int, ...] | None = None
    ) -> Self:
        twin = copy.copy(self)
        twin.name = self.name if name is None else name
        twin._id = self._id if id is None else id
        twin.path = self.path if path is None else path
        return twin

    def href(self, parts: tuple[str, ...] = ()) -> str:
        return f"#{self.id}"

    @staticmethod
    def last(raw: Raw, name: str) -> str:
        values = raw.get(name) or [""]
        return values[-1]

    def text(self, raw: Raw) -> str:
        return self.last(raw, self.name).strip()

    def given(self, value: Any) -> Any:
        """A value the route knows rather than the page posts (an uploaded file); raises Invalid."""
        return value

    def read(self, raw: Raw) -> Any:
        """The value for the model, None for a blank optional answer; raises Invalid."""
        text = self.text(raw)
        if not text and self.required:
            raise Invalid(self.required_message)
        return text or None

    def sent(self, raw: Raw) -> Shown:
        """What was posted, as typed, to show again beside an error."""
        return {self.name: self.last(raw, self.name)} if self.name in raw else {}

    def show(self, value: Any) -> Shown:
        """A saved value as the page's inputs show it."""
        return {} if value is None else {self.name: str(value)}

    def message_for(self, kind: str, message: str) -> str:
        """This field's words for a problem the model found with its value (pydantic's error type and message)."""
        if kind == "missing":
            return self.required_message
        if kind == "value_error" and self.domain_messages:
            return message.removeprefix("Value error, ")
        return self.invalid_message


class TextField(Field):
    def __init__(self, name: str, label: str, thing: str, *, max_length: int | None = 200, **options: Any) -> None:
        super().__init__(name, label, thing, **options)
        self.max_length = max_length

    @property
    def too_long_message(self) -> str:
        return f"{capitalised(self.thing)} must be {self.max_length} characters or fewer"

    def read(self, raw: Raw) -> str | None:
        text = self.text(raw)
        if not text and self.required:
            raise Invalid(self.required_message)
        if self.max_length is not None and len(text) > self.max_length:
            raise Invalid(self.too_long_message)
        return text

    def message_for(self, kind: str, message: str) -> str:
        if kind == "string_too_long" and self.max_length is not None:
            return self.too_long_message
        return super().message_for(kind, message)


class HiddenField(TextField):
    """A value the page carries for the model (the version of the requirements being accepted)."""

    def __init__(self, name: str, *, default: str) -> None:
        super().__init__(name, "", name.replace("_", " "), required=False)
        self.default = default

    def read(self, raw: Raw) -> str:
        return super().read(raw) or self.default


class EmailField(TextField):
    domain_messages: ClassVar[bool] = False

    def __init__(self, name: str, label: str, thing: str, **options: Any) -> None:
        options.setdefault("invalid_message", f"Enter {thing} in the correct format, like name@example.com")
        super().__init__(name, label, thing, **options)

    def read(self, raw: Raw) -> str | None:
        text = super().read(raw)
        if text:
            # Loaded by the first form that has an address (about 50 ms of compiled patterns), not by every cold start.
            from email_validator import EmailNotValidError, validate_email

            try:
                validate_email(text, check_deliverability=False)
            except EmailNotValidError:
                raise Invalid(self.invalid_message) from None
        return text


class UrlField(TextField):
    domain_messages: ClassVar[bool] = False

    def __init__(self, name: str, label: str, thing: str, **options: Any) -> None:
        options.setdefault("invalid_message", f"Enter {thing} in the correct format, like https://www.example.org")
        options.setdefault("max_length", 2000)
        super().__init__(name, label, thing, **options)

    def read(self, raw: Raw) -> str | None:
        text = super().read(raw)
        if text and not _looks_like_a_web_address(text):
            raise Invalid(self.invalid_message)
        return text or None


def _looks_like_a_web_address(text: str) -> bool:
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and "." in parts.netloc and " " not in text


class UrlListField(Field):
    """Web addresses typed one to a line (spaces between them do too)."""

    domain_messages: ClassVar[bool] = False

    def __init__(self, name: str, label: str, thing: str, *, most: int, too_many_message: str, **options: Any) -> None:
        super().__init__(name, label, thing, required=False, **options)
        self.most = most
        self.too_many_message = too_many_message

    def read(self, raw: Raw) -> list[str]:
        links = self.text(raw).split()
        if len(links) > self.most:
            raise Invalid(self.too_many_message)
        if not all(_looks_like_a_web_address(link) for link in links):
            raise Invalid(self.invalid_message)
        return links

    def show(self, value: Any) -> Shown:
        return {self.name: "\n".join(str(link) for link in value)} if value else {}

    def message_for(self, kind: str, message: str) -> str:
        return self.too_many_message if kind == "too_long" else self.invalid_message


class WholeNumberField(Field):
    domain_messages: ClassVar[bool] = False
    _NUMBER = re.compile(r"-?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)")

    def __init__(self, name: str, label: str, thing: str, *, minimum: int, maximum: int, **options: Any) -> None:
        options.setdefault("invalid_message", f"Enter {thing} as a whole number")
        super().__init__(name, label, thing, **options)
        self.minimum = minimum
        self.maximum = maximum

    @property
    def range_message(self) -> str:
        return f"{capitalised(self.thing)} must be between {self.minimum:,} and {self.maximum:,}"

    def read(self, raw: Raw) -> int | None:
        text = self.text(raw)
        if not text:
            if self.required:
                raise Invalid(self.required_message)
            return None
        if not self._NUMBER.fullmatch(text):
            raise Invalid(self.invalid_message)
        number = int(text.replace(",", ""))
        if not self.minimum <= number <= self.maximum:
            raise Invalid(self.range_message)
        return number

    def message_for(self, kind: str, message: str) -> str:
        if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
            return self.range_message
        return super().message_for(kind, message)


class ChoiceField(Field):
    """Radios or a select; its id is the first radio's, as govuk-frontend's idPrefix gives it. Without `options`
    any answer goes to the model, which says what it accepts."""

    verb: ClassVar[str] = "Select"

    def __init__(self, name: str, label: str, thing: str, *, options: Sequence[str] | None = None, **kw: Any) -> None:
        super().__init__(name, label, thing, **kw)
        self.options = tuple(str(option) for option in options) if options is not None else None

    def read(self, raw: Raw) -> Any:
        text = self.text(raw)
        if not text:
            if self.required:
                raise Invalid(self.required_message)
            return None
        if self.options is not None and text not in self.options:
            raise Invalid(self.invalid_message)
        return text


class YesNoField(ChoiceField):
    """Two radios, "yes" and "no"."""

    domain_messages: ClassVar[bool] = False

    def __init__(self, name: str, label: str, thing: str, **options: Any) -> None:
        super().__init__(name, label, thing, options=("yes", "no"), **options)

    def read(self, raw: Raw) -> bool | None:
        answer = super().read(raw)
        return None if answer is None else answer == "yes"

    def show(self, value: Any) -> Shown:
        return {} if value is None else {self.name: "yes" if value else "no"}


class CheckboxField(Field):
    """One checkbox posting "yes": ticked or not. Whether it must be ticked is the model's rule, in its words."""

    def __init__(self, name: str, label: str, thing: str = "", **options: Any) -> None:
        super().__init__(name, label, thing or label, required=False, **options)

    def read(self, raw: Raw) -> bool:
        return self.text(raw) == "yes"

    def show(self, value: Any) -> Shown:
        return {self.name: "yes"} if value else {}


class CheckboxesField(Field):
    """Checkboxes sharing one name, one value each: the values ticked."""

    verb: ClassVar[str] = "Select"
    domain_messages: ClassVar[bool] = False

    def __init__(self, name: str, label: str, thing: str, *, options: Sequence[str], **kw: Any) -> None:
        super().__init__(name, label, thing, required=False, **kw)
        self.options = tuple(str(option) for option in options)

    def read(self, raw: Raw) -> list[str]:
        ticked = [value.strip() for value in raw.get(self.name, ()) if value.strip()]
        if any(value not in self.options for value in ticked):
            raise Invalid(self.invalid_message)
        return ticked

    def sent(self, raw: Raw) -> Shown:
        return {self.name: [value for value in raw.get(self.name, ()) if value]}

    def show(self, value: Any) -> Shown:
        chosen = {str(v) for v in value or ()}
        return {self.name: [option for option in self.options if option in chosen]} if chosen else {}


class TickEachField(Field):
    """Checkboxes with a name each, posting "yes" (statement-0, statement-1...): the positions ticked."""

    verb: ClassVar[str] = "Confirm"

    def __init__(self, name: str, label: str, thing: str, *, boxes: Sequence[str], **options: Any) -> None:
        super().__init__(name, label, thing, required=False, **options)
        self.boxes = tuple(boxes)

    def read(self, raw: Raw) -> list[int]:
        return [i for i, box in enumerate(self.boxes) if self.last(raw, box).strip() == "yes"]

    def sent(self, raw: Raw) -> Shown:
        return {box: "yes" for box in self.boxes if self.last(raw, box).strip() == "yes"}

    def show(self, value: Any) -> Shown:
        return {self.boxes[i]: "yes" for i in value or () if 0 <= i < len(self.boxes)}


class UploadField(Field):
    """A file sent straight to S3: nothing is posted with the form, the route gives what was uploaded."""

    verb: ClassVar[str] = "Upload"

    def __init__(self, thing: str, *, path: tuple[str, ...], required: bool = True) -> None:
        super().__init__("file", "", thing, path=path, required=required)

    def read(self, raw: Raw) -> None:
        return self.given(None)

    def given(self, value: Any) -> Any:
        if value is None and self.required:
            raise Invalid(self.required_message)
        return value

    def sent(self, raw: Raw) -> Shown:
        return {}

    def show(self, value: Any) -> Shown:
        return {}
