"""Learner placements and the gate they pass through: recording, releasing and flagging placements, what follows
when an employer is admitted or a check is revoked. One module per use case."""
