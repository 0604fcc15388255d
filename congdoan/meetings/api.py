"""API under /api/v1/meetings/."""

from ninja import Router

router = Router(tags=["meetings"])
