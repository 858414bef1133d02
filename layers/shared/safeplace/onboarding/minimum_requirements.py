"""The provider's minimum safeguarding requirements of an employer, versioned.

An employer accepts one version by name; the acceptance records which. A new version is a new entry
here with a new `version`: earlier acceptances keep pointing at the words they accepted.
"""

from pydantic import ConfigDict

from safeplace.core.model import Model


class MinimumRequirements(Model):
    model_config = ConfigDict(frozen=True)

    version: str
    statements: tuple[str, ...]


VERSIONS = {
    "2026-11": MinimumRequirements(
        version="2026-11",
        statements=(
            "We will name a single point of contact (SPOC) who is available to give the assessor feedback on "
            "each learner, and who takes responsibility for meeting these requirements on our behalf.",
            "Our SPOC will complete safeguarding and Prevent training acceptable to the provider, evidence it, "
            "and keep it up to date with refreshers.",
            "We will tell the provider's designated safeguarding lead (DSL) the same working day about any "
            "concern that a learner may be at risk of harm, abuse or radicalisation, or may harm others.",
            "We will tell the provider the same day when a learner is absent without explanation.",
            "We will give learners a safe and healthy workplace, a health and safety induction on their first "
            "day, and the same protection as our own employees, with the extra care the law requires for "
            "anyone under 18.",
            "We will make sure learners know who to talk to at work if they are worried, and that they can "
            "also contact the provider directly.",
            "We will not let anyone promote extremist views to learners at work, and will tell the provider "
            "if we see or hear of it.",
            "We will read the provider's employer handbook, confirm we have received it, and put its measures "
            "in place before a learner starts.",
            "We will tell the provider promptly if our SPOC, our sites, our insurance or anything else we have "
            "told you changes.",
        ),
    ),
}
CURRENT = VERSIONS["2026-11"]
