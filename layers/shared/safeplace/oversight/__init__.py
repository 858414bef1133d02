"""What staff oversee across features: an employer's whole record, and what needs doing."""
