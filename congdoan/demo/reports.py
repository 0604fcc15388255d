"""The demo's reports data, from the seeds (see SEED-FIGURES.md)."""


def record_reports() -> None:
    """Record the demo data (called once by `manage.py demo`, inside its transaction)."""
