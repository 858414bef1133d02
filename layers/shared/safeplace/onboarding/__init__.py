"""Employer onboarding by emailed link (guidance 5.2, 7.3, 11.4, 11.5): the invitation, the employer's answers in
sections, the check policy, review, the SPOC and their training, and the renewals the daily sweep chases.
Models and policies sit beside one module per use case."""
