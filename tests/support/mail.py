"""A mail transport for the notices' tests."""
from shared.mail import MailError, MailMessage


class Flaky:
    """A transport that fails `failures` times, then accepts."""
    name = "flaky"

    def __init__(self, failures: int):
        self.failures = failures
        self.calls = 0
        self.sent: list[MailMessage] = []

    def send(self, message: MailMessage) -> None:
        self.calls += 1
        if self.calls <= self.failures:
            raise MailError("ConnectionRefusedError: [Errno 111] Connection refused")
        self.sent.append(message)
