"""The pages behind emailed links, one router per area; functions/link_pages includes them all."""
