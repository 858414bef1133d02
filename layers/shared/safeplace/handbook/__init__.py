"""The employer handbook delivered against receipt (guidance 11.6): publishing versions, each SPOC's own copy,
delivery and chasing, signing, and verifying a receipt against the stored document. One module per use case."""
