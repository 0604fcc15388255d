"""API under /api/v1/initiatives/."""

from ninja import Router

router = Router(tags=["initiatives"])
