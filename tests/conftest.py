import os

# What the template's Globals give every function; handler modules read it when they are imported.
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "Safeplace")

pytest_plugins = ["tests.support.aws", "tests.support.runtime", "tests.support.tier_times"]
