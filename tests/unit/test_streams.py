import asyncio

from services.gateway.streams import EventHub


async def test_subscribers_get_their_branch_only_and_a_ping_when_idle():
    hub = EventHub("memory://")
    hub.loop = asyncio.get_running_loop()  # no consumer thread needed: publish directly
    jkt = hub.subscribe("JKT01", keepalive=0.05)
    first = asyncio.ensure_future(anext(jkt))
    await asyncio.sleep(0)
    hub.publish({"tenant": "SBY01", "type": "X"})
    hub.publish({"tenant": "JKT01", "type": "Y"})
    assert (await first)["type"] == "Y"
    assert await anext(jkt) is None  # nothing for 50 ms: a keep-alive
    await jkt.aclose()
    assert not hub.subscribers
