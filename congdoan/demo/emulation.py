"""The demo's emulation data, from the seeds (see SEED-FIGURES.md)."""


def record_emulation() -> None:
    """Record the demo data (called once by `manage.py demo`, inside its transaction)."""
