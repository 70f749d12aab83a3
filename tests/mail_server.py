"""A real SMTP server (aiosmtpd) on loopback that keeps what it receives and can refuse
one address; the ``smtp_server`` fixture in tests/conftest.py starts one for a test's app."""

from __future__ import annotations

from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any


@dataclass
class MailServer:
    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


class _Handler:
    def __init__(self, server: MailServer) -> None:
        self.server = server

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if address in self.server.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.server.messages.append(
            message_from_bytes(envelope.original_content, policy=policy.default)
        )  # type: ignore[arg-type]
        return "250 Message accepted"


def start_mail_server(server: MailServer, **options: Any) -> Any:
    from aiosmtpd.controller import Controller

    controller = Controller(_Handler(server), hostname="127.0.0.1", port=server.port, **options)
    controller.start()  # pyproject.toml ignores its AUTH-without-TLS warning
    return controller
