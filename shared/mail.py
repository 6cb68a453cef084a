"""Sending e-mail: an in-process Outbox (embedded mode) or SMTP (distributed mode).

A transport has `name` and `send(message)`; `send` raises MailError when the message was not
accepted (the caller retries). Messages carry a stable Message-ID (the notice id), so a message
sent again after a crash between sending and recording can be recognised as the same one.

The Outbox delivers nothing: it keeps every message it was given, so anyone can try the platform
without an SMTP server. What was sent is visible in the read model the notices' projections keep
(`shared/notices.py`, collection `outbox`), and in `Outbox.messages` in-process.
"""
import smtplib
import ssl
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from typing import Protocol

from shared.settings import Settings


class MailError(Exception):
    """The transport did not accept the message (server away, refused, timed out)."""


@dataclass(frozen=True)
class Attachment:
    """A file sent with a message (a letter's PDF): its name as the recipient sees it, its media type."""
    filename: str
    content_type: str  # "application/pdf"
    data: bytes


@dataclass(frozen=True)
class MailMessage:
    message_id: str  # stable per notice: the same notice always has the same Message-ID
    recipient: str
    subject: str
    body: str  # plain text, UTF-8
    attachments: tuple[Attachment, ...] = ()


class Transport(Protocol):
    name: str

    def send(self, message: MailMessage) -> None: ...


def build_email(message: MailMessage, sender: str) -> EmailMessage:
    domain = parseaddr(sender)[1].rpartition("@")[2] or "lsp.local"
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=False, usegmt=True)
    email["Message-ID"] = f"<{message.message_id}@{domain}>"
    email["Auto-Submitted"] = "auto-generated"  # RFC 3834: auto-responders do not answer it
    email.set_content(message.body, charset="utf-8", cte="quoted-printable")  # 7-bit safe for any server
    for attachment in message.attachments:  # the message becomes multipart/mixed, the text first
        maintype, _, subtype = attachment.content_type.partition("/")
        email.add_attachment(attachment.data, maintype=maintype, subtype=subtype or "octet-stream",
                             filename=attachment.filename)
    return email


class Outbox:
    """Embedded mode: accepts and keeps every message (as built for sending, attachments included);
    nothing leaves the process."""

    name = "outbox"

    def __init__(self, sender: str = "LSP e-Asesmen <no-reply@lsp.local>"):
        self.sender = sender
        self.messages: list[EmailMessage] = []
        self._lock = threading.Lock()

    def send(self, message: MailMessage) -> None:
        email = build_email(message, self.sender)
        with self._lock:
            self.messages.append(email)


class SmtpTransport:
    """One SMTP session per message (notices are few; no idle connection to keep alive).
    STARTTLS verifies the server's certificate; login only when a user is set."""

    name = "smtp"

    def __init__(self, host: str, port: int, sender: str, user: str = "", password: str = "",
                 starttls: bool = False, timeout: float = 10.0):
        self.host, self.port, self.sender = host, port, sender
        self.user, self.password = user, password
        self.starttls, self.timeout = starttls, timeout

    def send(self, message: MailMessage) -> None:
        email = build_email(message, self.sender)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.user:
                    smtp.login(self.user, self.password)
                refused = smtp.send_message(email)
        except (smtplib.SMTPException, OSError) as exc:
            raise MailError(f"{type(exc).__name__}: {exc}") from exc
        if refused:
            raise MailError(f"recipient refused: {refused}")


def open_mail_transport(settings: Settings) -> Outbox | SmtpTransport:
    """LSP_MAIL_TRANSPORT: "outbox" (the default in embedded mode) or "smtp" (the default otherwise)."""
    kind = settings.resolved_mail_transport()
    if kind == "outbox":
        return Outbox(settings.smtp_from)
    if kind == "smtp":
        return SmtpTransport(settings.smtp_host, settings.smtp_port, settings.smtp_from, settings.smtp_user,
                             settings.smtp_password, settings.smtp_starttls, settings.smtp_timeout)
    raise ValueError(f"unknown mail transport {kind!r}")
