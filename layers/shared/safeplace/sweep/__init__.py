"""The daily sweep, one module per job."""
