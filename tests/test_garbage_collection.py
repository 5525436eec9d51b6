"""The served app freezes its start-up heap, so full collections never walk it on the request path."""

import asyncio
import gc

from api.app import create_app
from api.garbage_collection import YOUNG_GENERATION_THRESHOLD
from ogkg.settings import Settings


class MadeBeforeStartUp:
    """An object the collector tracks, alive when the app starts."""


def test_start_up_freezes_the_heap_and_widens_the_young_generation(settings: Settings) -> None:
    app = create_app(settings)
    made_after_import = MadeBeforeStartUp()

    async def start_and_stop() -> tuple[int, tuple[int, int, int]]:
        async with app.router.lifespan_context(app):
            return gc.get_freeze_count(), gc.get_threshold()

    frozen, threshold = asyncio.run(start_and_stop())
    assert threshold[0] == YOUNG_GENERATION_THRESHOLD
    # Everything alive at start-up (this object too) is out of the collector's generations.
    assert frozen > 1000
    assert not any(made_after_import is tracked for tracked in gc.get_objects())
