"""The demo's awards data, from the seeds (see SEED-FIGURES.md)."""


def record_awards() -> None:
    """Record the demo data (called once by `manage.py demo`, inside its transaction)."""
