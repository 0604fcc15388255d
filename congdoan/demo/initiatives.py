"""The demo's initiatives data, from the seeds (see SEED-FIGURES.md)."""


def record_initiatives() -> None:
    """Record the demo data (called once by `manage.py demo`, inside its transaction)."""
