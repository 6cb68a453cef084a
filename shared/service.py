"""What a service is, for everything that runs it: one definition per service package.

Each `services/<name>/__init__.py` declares `definition`; `services/__init__.py` lists them. Both
runtimes, the nameko service, the projector process and the gateway read the same definition, so
no one assembles a service's module paths from strings. The parts are loaded when asked for: a
nameko process never imports the web pages, and the gateway never builds what it does not run.
"""
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shared.eventstore import ServiceApplication
from shared.settings import Settings


def nothing(*_: Any) -> list[Any]:
    return []


@dataclass(frozen=True)
class ServiceDefinition:
    name: str
    nameko_module: str  # where its nameko service class is, for `nameko run`
    # its eventsourcing Application class (nameko reads its policies at import) and how to build one
    application: Callable[[], type[ServiceApplication]]
    build: Callable[[Settings], ServiceApplication]
    projections: Callable[[], dict[str, Any]]  # event type -> async fn(read store, envelope)
    routers: Callable[[], list[Any]] = field(default=nothing)  # JSON API and pages, mounted by the gateway
    workers: Callable[[ServiceApplication, Settings], list[Any]] = field(default=nothing)  # loops beside the relay
    # async fn(read store, tenant, case id) -> what it shows of a case on the case pages, or None
    case_part: Callable[[], Any] | None = None
    # its pages' templates (found as "<name>/<page>.html") and interface text {key: (Indonesian, English)}
    templates: Path | None = None
    texts: Callable[[], dict[str, tuple[str, str]]] = field(default=dict)

    def __post_init__(self) -> None:
        if not self.name.isidentifier():
            raise ValueError(f"not a service name: {self.name!r}")
