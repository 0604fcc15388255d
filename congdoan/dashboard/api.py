"""API under /api/v1/dashboard/."""

from ninja import Router

router = Router(tags=["dashboard"])
