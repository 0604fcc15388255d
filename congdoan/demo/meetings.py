"""The demo's meetings data, from the seeds (see SEED-FIGURES.md)."""


def record_meetings() -> None:
    """Record the demo data (called once by `manage.py demo`, inside its transaction)."""
