"""Learner placements and the gate they pass through, one module per use case."""
