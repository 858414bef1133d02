"""What every external speaker agrees to before meeting learners (guidance 8.4, and the Prevent duty's
expectation that visiting speakers are suitable and supervised). Versioned like the other policies."""

VERSION = "2026-12"

CODE_OF_CONDUCT = (
    "I will keep to the topic and outline the booking describes, and to any conditions set on it.",
    "I will not promote or endorse extremist views, or views that undermine the fundamental British values of "
    "democracy, the rule of law, individual liberty and mutual respect and tolerance of those with different "
    "faiths and beliefs.",
    "I will not encourage hatred or discrimination against anyone because of a protected characteristic, or "
    "encourage anyone to break the law.",
    "I will allow challenge and questions, and accept that a member of the provider's staff may stop the session.",
    "I will not seek private contact with learners, collect their personal details, or contact them after the event.",
    "I will share any materials in advance when asked, and use only the materials agreed.",
)
