"""Domain errors. Plain Python so domain code can raise them; edges map them to HTTP / RPC.

The message is an English template with {name} placeholders and its params, gettext-style:
the gateway shows it in the reader's language (services/gateway/web/i18n.py ERROR_TEXT),
so a raise never formats the text itself.
"""
from typing import Any


def fill(template: str, params: dict[str, Any]) -> str:
    """The template with its params; a list is shown as "a, b"."""
    try:
        return template.format_map({k: ", ".join(v) if isinstance(v, list) else v for k, v in params.items()})
    except (ValueError, LookupError, AttributeError):  # a param missing, or braces that are no placeholder:
        return template  # shown as written rather than failing the raise


class DomainError(Exception):
    status = 400
    code = "domain_error"

    def __init__(self, message: str, field: str | None = None, params: dict[str, Any] | None = None,
                 **kwargs: Any):
        # params arrive as keywords from a raise, or as one dict when RPC rebuilds the error from its
        # args. They are kept as text (lists of text), which is all nameko carries across RPC anyway,
        # so an error reads the same in embedded and distributed mode.
        self.template = message
        self.field = field
        self.params = {k: [str(i) for i in v] if isinstance(v, list | tuple) else str(v)
                       for k, v in {**(params or {}), **kwargs}.items()}
        self.message = fill(message, self.params)
        # args are exactly what the constructor takes, so RPC (nameko serialises exc.args) rebuilds it whole
        super().__init__(message, field, self.params)

    def __str__(self) -> str:
        return self.message

    def to_dict(self) -> dict:
        return {"code": self.code, "field": self.field, "message": self.message, "template": self.template,
                "params": self.params}


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    """A stale write or a command the current state does not allow."""
    status = 409
    code = "conflict"


class Invalid(DomainError):
    status = 422
    code = "invalid"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class NotReady(DomainError):
    """An inbound event arrived before what it depends on; the consumer retries it."""
    status = 409
    code = "not_ready"


class ServiceUnavailable(DomainError):
    """A service did not answer (not running, too slow, or the broker is away)."""
    status = 503
    code = "service_unavailable"


ERASED = "data dihapus atas permintaan pemilik data"  # shown in place of an erased value


class Forgotten(DomainError):
    """The person's data was erased on their request (their key was shredded)."""
    status = 410
    code = "forgotten"

    def __init__(self, message: str = "data erased at the request of its owner", field: str | None = None,
                 params: dict[str, Any] | None = None, **kwargs: Any):
        super().__init__(message, field, params, **kwargs)


ERRORS_BY_NAME = {cls.__name__: cls for cls in (DomainError, NotFound, Conflict, Invalid, Forbidden, NotReady,
                                                      ServiceUnavailable, Forgotten)}
