"""The provider's staff: roles and what each may do, sign-in through Cognito's hosted pages, and sessions."""
