"""Pages and HTTP: shared by the staff console and the link pages."""
