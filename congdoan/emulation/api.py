"""API under /api/v1/emulation/."""

from ninja import Router

router = Router(tags=["emulation"])
