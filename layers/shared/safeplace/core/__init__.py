"""What every feature shares: emailed links, the audit trail and its verifier, retention, the clock, domain errors,
email rendering, value types, and the ports (Protocols) for email, workflows, files and the audit trail."""
