"""Domain errors. Each becomes HTTP (safeplace.web.errors) or an ASL error name (its class name) in one place."""


class DomainError(Exception):
    """Base of every error the domain raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    pass


class InvalidRequest(DomainError):
    """Input that passed the shape checks but breaks a rule; the message says which."""


class Conflict(DomainError):
    """The record changed underneath the caller (version mismatch) or is in the wrong state."""


class Forbidden(DomainError):
    pass


class NotSignedIn(DomainError):
    """No staff session, or it has expired."""

    def __init__(self) -> None:
        super().__init__("Sign in to continue.")


class LinkNotUsable(DomainError):
    """A wrong, used, revoked or expired link: deliberately one error with one message."""

    def __init__(self) -> None:
        super().__init__("This link has expired or has already been used.")


class TemporaryFailure(DomainError):
    """An AWS dependency failed in a way worth retrying (throttling, 5xx). Step Functions retries it."""


class EmailNotSent(DomainError):
    """SES refused the message (unverified sender, suppressed recipient)."""
