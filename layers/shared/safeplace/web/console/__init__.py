"""The staff console's pages and the staff JSON API: one Powertools Router per area."""
