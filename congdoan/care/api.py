"""API for care and welfare under /api/v1/care/, one router per area."""

from ninja import Router

from .api_funds import router as funds_router
from .api_houses import router as houses_router
from .api_overview import router as overview_router
from .api_support import router as support_router

router = Router(tags=["care"])
router.add_router("", overview_router)
router.add_router("", support_router)
router.add_router("", funds_router)
router.add_router("", houses_router)
