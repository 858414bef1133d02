"""Staff place a learner with an employer."""

from safeplace.placements.models import PlacementRequest
from safeplace.web.forms.dates import DateField
from safeplace.web.forms.fields import ChoiceField, TextField
from safeplace.web.forms.form import Form


class PlaceLearnerForm(Form[PlacementRequest]):
    model = PlacementRequest
    fields = (
        TextField(
            "learner_reference", "Learner reference", "the learner's reference",
            hint="Your own reference for the learner, not their name", max_length=None,
            invalid_message="Enter the learner's reference using 3 to 30 letters, numbers, /, _ or -",
        ),
        DateField(
            "date_of_birth", "Learner's date of birth", "the learner's date of birth",
            hint="Needed to apply the stricter checks for learners aged 16 to 18",
        ),
        # The employers offered change as they are invited: the model says which ids are real.
        ChoiceField("employer_id", "Employer", "the employer"),
        # The chosen employer's own sites; the use case refuses any other.
        ChoiceField("site", "Site where the learner will work", "the site where the learner will work"),
        DateField("start_date", "Start date", "the start date"),
        TextField("assessor", "Assessor", "the assessor's name"),
    )  # fmt: skip
    problems_go_to = (("Check the date of birth and the start date", "date_of_birth"),)
