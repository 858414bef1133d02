"""Staff publish a version of the employer handbook; a SPOC signs for it through their link."""

from typing import ClassVar

from safeplace.handbook.acknowledge_handbook import Acknowledgement
from safeplace.handbook.models import STATEMENTS
from safeplace.handbook.publish_handbook import Publication
from safeplace.handbook.text import MAX_SOURCE
from safeplace.web.forms.fields import TextField, TickEachField, YesNoField
from safeplace.web.forms.form import Form


class HandbookTextField(TextField):
    """The handbook's text: what is wrong with it is the text model's to say, in words about the text."""

    domain_messages: ClassVar[bool] = True


class PublishHandbookForm(Form[Publication]):
    model = Publication
    fields = (
        TextField(
            "summary", "What changed", "what changed", max_length=1000,
            hint="Employers read this in the email and at the top of their copy",
        ),
        HandbookTextField("text", "Handbook text", "the handbook text", max_length=MAX_SOURCE),
        YesNoField(
            "material", "Must every SPOC sign for this version again?",
            "whether every SPOC must sign for this version again",
            hint="Yes for a change to what employers must do; no for a correction or a new phone number",
        ),
    )  # fmt: skip


class SignHandbookForm(Form[Acknowledgement]):
    """Whether every statement is ticked and the name is the SPOC's is the use case's to say (NotAcknowledged's
    problems, keyed statements and typed_name: give them to Result.with_problems)."""

    model = Acknowledgement
    fields = (
        TickEachField(
            "statements", "I confirm that:", "every statement",
            boxes=tuple(f"statement-{i}" for i in range(len(STATEMENTS))), path=("accepted",),
        ),
        TextField(
            "typed_name", "Type your full name to sign", "your full name", required=False,
            hint="This is your signature: it is recorded with the time and the document's fingerprint",
        ),
    )  # fmt: skip
