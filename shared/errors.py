"""Domain errors. Plain Python so domain code can raise them; edges map them to HTTP / RPC."""


class DomainError(Exception):
    status = 400
    code = "domain_error"

    def __init__(self, message: str, field: str | None = None):
        # args are exactly the constructor's, so RPC (nameko serialises exc.args) rebuilds it whole
        super().__init__(*((message,) if field is None else (message, field)))
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message

    def to_dict(self) -> dict:
        body = {"code": self.code, "message": self.message}
        if self.field:
            body["field"] = self.field
        return body


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


ERASED = "data dihapus atas permintaan pemilik data"


class Forgotten(DomainError):
    """The person's data was erased on their request (their key was shredded)."""
    status = 410
    code = "forgotten"

    def __init__(self, message: str = ERASED, field: str | None = None):
        super().__init__(message, field)


ERRORS_BY_NAME = {cls.__name__: cls for cls in (DomainError, NotFound, Conflict, Invalid, Forbidden, NotReady,
                                                      ServiceUnavailable, Forgotten)}
