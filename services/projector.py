"""The projector process of distributed mode: follows services' own logs into their read models.

    python -m services.projector registration [scheduling ...]   (no names: all four)

The services' own broker messages wake it (events as pokes), so read models follow within
milliseconds; the poll interval is only the fallback.
"""
import asyncio
import logging
import sys
import uuid

from services import DEFINITIONS
from shared.messaging.consumer import QueueWorker
from shared.messaging.topology import live_queue
from shared.projector import Projector
from shared.readstore import open_read_store
from shared.settings import get_settings


async def main(names: list[str]) -> None:
    settings = get_settings()
    store = open_read_store(settings.resolved_read_store_uri(), settings.read_db_prefix)
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    chosen = [service for service in DEFINITIONS if not names or service.name in names]
    if unknown := set(names) - {service.name for service in chosen}:
        raise SystemExit(f"no such service: {', '.join(sorted(unknown))}")
    projectors, workers = [], []
    for service in chosen:
        projector = Projector(service.build(settings), store, service.projections())
        projectors.append(projector.run(stop, settings.poll_interval))
        poke = (live_queue(f"projector-{service.name}-{uuid.uuid4().hex[:8]}", [service.name]),
                lambda _body, p=projector: loop.call_soon_threadsafe(p.wake.set))
        workers.append(QueueWorker(settings.resolved_broker_uri(), [poke], f"poke-{service.name}"))
    for worker in workers:
        worker.start()
    print(f"projector running for {', '.join(service.name for service in chosen)}", flush=True)
    try:
        await asyncio.gather(*projectors)
    finally:
        for worker in workers:
            worker.stop()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    asyncio.run(main(sys.argv[1:]))
