"""Staff sign-in and sessions, one module per use case."""
