"""The local runtime: the real template.yaml on moto, with no AWS account and no Docker."""
