"""What a service is, for everything that runs it: one definition per service package.

Each `services/<name>/__init__.py` declares `definition`; `services/__init__.py` lists them. Both
runtimes, the nameko service, the projector process and the gateway read the same definition, so
no one assembles a service's module paths from strings. The parts are loaded when asked for: a
nameko process never imports the web pages, and the gateway never builds what it does not run.
"""
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any

from shared.eventstore import ServiceApplication
from shared.settings import Settings


def nothing(*_: Any) -> list[Any]:
    return []


@dataclass(frozen=True)
class Texts:
    """A service's words, Bahasa Indonesia first: interface text {key: (id, en)}, its error messages
    {English template as raised: Indonesian}, its audit-trail steps {event type: (id, en)}, and the
    Indonesian names of the fields and values its errors carry {term: Indonesian}."""
    text: dict[str, tuple[str, str]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    steps: dict[str, tuple[str, str]] = field(default_factory=dict)
    terms: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, module: Any) -> "Texts":
        """From a texts.py module's TEXT, ERRORS, STEPS and TERMS (each optional)."""
        return cls(*(getattr(module, name, {}) for name in ("TEXT", "ERRORS", "STEPS", "TERMS")))


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
    # its pages' templates (found as "<name>/<page>.html") and its words (texts.py)
    templates: Path | None = None
    texts: Callable[[], Texts] = field(default=Texts)

    def __post_init__(self) -> None:
        if not self.name.isidentifier():
            raise ValueError(f"not a service name: {self.name!r}")


def declare(package: str, application: str, *, pages: bool = False, case_part: bool = True,
            workers: str = "") -> ServiceDefinition:
    """A service declared by the package layout of CONVENTIONS.md, from its own `__init__.py` (package is its
    `__name__`): `application.py` holds the `application` class and build_application, `projections.py`
    PROJECTIONS, `api.py` (and `web.py`, with templates/ and `texts.py` (Texts.of), when it has pages) a
    router, `queries.py` case_part; `workers` names a "module.function" giving its background loops. Each
    part is imported when first asked for."""
    def part(module: str, name: str) -> Any:
        return getattr(import_module(f"{package}.{module}"), name)

    def routers() -> list[Any]:
        return [part("api", "router"), *([part("web", "router")] if pages else [])]

    module, _, function = workers.partition(".")
    return ServiceDefinition(
        name=package.rsplit(".", 1)[-1], nameko_module=f"{package}.service",
        application=lambda: part("application", application),
        build=lambda settings: part("application", "build_application")(settings),
        projections=lambda: part("projections", "PROJECTIONS"), routers=routers,
        workers=(lambda app, settings: part(module, function)(app, settings)) if workers else nothing,
        case_part=(lambda: part("queries", "case_part")) if case_part else None,
        templates=Path(import_module(package).__file__).parent / "templates" if pages else None,
        texts=(lambda: Texts.of(import_module(f"{package}.texts"))) if pages else Texts)
