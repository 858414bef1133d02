"""Safeplace: employer checks, handbook receipts, SPOC training and speaker checks for WBL providers."""
