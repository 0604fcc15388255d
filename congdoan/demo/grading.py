"""The demo's grading data, from the seeds (see SEED-FIGURES.md)."""


def record_grading() -> None:
    """Record the demo data (called once by `manage.py demo`, inside its transaction)."""
