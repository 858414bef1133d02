"""Staff publish a version of the employer handbook; a SPOC signs for it through their link."""

from safeplace.handbook.acknowledge_handbook import Acknowledgement
from safeplace.handbook.models import STATEMENTS
from safeplace.handbook.publish_handbook import Publication
from safeplace.web.forms.fields import TextField, TickEachField, YesNoField
from safeplace.web.forms.form import Form


class PublishHandbookForm(Form[Publication]):
    model = Publication
    fields = (
        TextField(
            "summary", "What changed", "what changed", max_length=1000,
            hint="Employers read this in the email and at the top of their copy",
        ),
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
