"""Commands from the gateway (a plain, non-monkey-patched process) to the nameko services.

One long-lived ClusterRpcProxy per thread: proxies are not thread-safe, and a proxy per call
would leave one reply queue per call on the broker for five minutes.
Domain errors come back as the same shared.errors class, with template, field and params.
"""
import logging
import threading
from typing import Any

from amqp.exceptions import AMQPError
from kombu.exceptions import KombuError
from nameko.exceptions import RemoteError, RpcTimeout, UnknownService, deserialize_to_instance
from nameko.standalone.rpc import ClusterRpcProxy

from shared.errors import ERRORS_BY_NAME, ServiceUnavailable

log = logging.getLogger(__name__)

# nameko rebuilds a registered exception from its path and args (template, field, params) instead
# of returning a RemoteError; the services raise these very classes.
for _cls in ERRORS_BY_NAME.values():
    deserialize_to_instance(_cls)


def domain_error(error: RemoteError) -> Exception:
    """A RemoteError naming a shared.errors class, as that class (its English text only); else unchanged."""
    cls = ERRORS_BY_NAME.get(error.exc_type or "")
    return cls(error.value) if cls else error


class RpcBus:
    def __init__(self, amqp_uri: str, timeout: float = 10.0):
        self.config = {"AMQP_URI": amqp_uri}
        self.timeout = timeout
        self._local = threading.local()
        self._lock = threading.Lock()
        self._runners: set[ClusterRpcProxy] = set()  # every thread's, so close() stops them all

    def call(self, service: str, command: str, **kwargs: Any) -> Any:
        return self._rpc(service, "call", command, kwargs)

    def case_timeline(self, service: str, tenant: str | None, case_id: str) -> list[dict[str, Any]]:
        return self._rpc(service, "case_timeline", tenant, str(case_id))

    def replay_dead_letter(self, service: str, letter_id: str, actor: dict[str, Any]) -> str:
        return self._rpc(service, "replay_dead_letter", str(letter_id), actor)

    def close(self) -> None:
        with self._lock:
            runners, self._runners = self._runners, set()
        for runner in runners:
            _stop(runner)

    def _rpc(self, service: str, method: str, *args: Any) -> Any:
        try:
            return getattr(self._cluster()[service], method)(*args)
        except RemoteError as error:
            raise domain_error(error) from None
        except RpcTimeout:
            self._discard()  # a late reply must not be read as the next call's
            raise ServiceUnavailable("{service} did not answer {method} within {seconds}s", service=service,
                                     method=method, seconds=f"{self.timeout:g}") from None
        except UnknownService:
            raise ServiceUnavailable("{service} is not running", service=service) from None
        except (OSError, KombuError, AMQPError) as error:
            self._discard()
            raise ServiceUnavailable("message broker unreachable ({reason})", reason=str(error)) from error

    def _cluster(self) -> Any:
        cluster = getattr(self._local, "cluster", None)
        if cluster is None:
            runner = ClusterRpcProxy(self.config, timeout=self.timeout)
            cluster = runner.start()
            self._local.runner, self._local.cluster = runner, cluster
            with self._lock:
                self._runners.add(runner)
        return cluster

    def _discard(self) -> None:
        runner = getattr(self._local, "runner", None)
        self._local.runner = self._local.cluster = None
        if runner is not None:
            with self._lock:
                self._runners.discard(runner)
            _stop(runner)


def _stop(runner: ClusterRpcProxy) -> None:
    try:
        runner.stop()
    except Exception:  # already broken; nothing left to release
        log.debug("rpc proxy stop failed", exc_info=True)
