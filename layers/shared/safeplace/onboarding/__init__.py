"""Employer onboarding, one module per use case."""
