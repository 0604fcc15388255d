"""API under /api/v1/grading/."""

from ninja import Router

router = Router(tags=["grading"])
