"""deploy/run_local.py: the registration service as a real process, killed -9 and restarted."""
import signal

import pytest
from pymongo import MongoClient

from deploy.run_local import Ports, start_stack
from shared.messaging.rpc import RpcBus, ServiceUnavailable
from tests.conftest import ACTOR, eventually, free_port, unavailable

pytestmark = pytest.mark.integration



@pytest.fixture(scope="module")
def stack(vhost, it_env, tmp_path_factory):
    if vhost is None:
        unavailable("needs a private RabbitMQ vhost (rabbitmqctl): it runs the real registration service")
    data = tmp_path_factory.mktemp("stack")
    stack = start_stack(it_env, Ports(gateway=free_port(), mongo=free_port()), services=["registration"],
                        gateway=False, mongo_standin=True, data_dir=data, ready_timeout=60)
    yield stack
    stack.stop()
    assert not any(proc.alive for proc in stack.procs.values())


def test_service_survives_kill_9_and_restart(stack, it_env):
    assert set(stack.procs) == {"mongo-standin", "registration", "projector"}
    bus = RpcBus(it_env["LSP_AMQP_URI"], timeout=3)
    try:
        schemes = bus.call("registration", "seed_schemes", tenant="T1", actor=ACTOR)
        case = bus.call("registration", "draft_application", tenant="T1", actor=ACTOR,
                        scheme_id=schemes[0], purpose="Sertifikasi")

        assert stack.kill("registration", signal.SIGKILL) == -signal.SIGKILL
        with pytest.raises(ServiceUnavailable, match="did not answer"):
            bus.call("registration", "seed_schemes", tenant="T1", actor=ACTOR)
        stack.restart("registration")

        assert bus.call("registration", "seed_schemes", tenant="T1", actor=ACTOR) == schemes
        timeline = bus.case_timeline("registration", "T1", case)
        assert [entry["type"] for entry in timeline] == ["ApplicationDrafted"]
    finally:
        bus.close()
    # the projector follows registration's log into the stand-in (LSP_MONGO_URI set by --mongo-standin)
    with MongoClient(stack.env["LSP_MONGO_URI"], serverSelectionTimeoutMS=5000) as client:
        positions = client[f"{it_env['LSP_READ_DB_PREFIX']}_registration"]["_positions"]
        eventually(lambda: (positions.find_one({"_id": "registration.projector"}) or {}).get("position", 0)
                   >= len(schemes) + 1, what="the projector's position")
