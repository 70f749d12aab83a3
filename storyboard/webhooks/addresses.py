"""Where a webhook may be sent: public internet addresses only, unless the admin allows
private ones (``STORYBOARD_WEBHOOK_ALLOW_PRIVATE``, for a receiver on the same host or
network).

Without that setting a host is refused when any address it resolves to is loopback,
private, link-local, multicast, reserved, unspecified or otherwise not global (an
IPv4 address inside an IPv6 one counts as that IPv4 address), so a webhook cannot be
used to reach the portal's own host, its network or a cloud metadata service. The check
runs when the webhook is saved and again when each delivery connects, to the very
addresses that were checked (a name that later resolves elsewhere, DNS rebinding,
cannot slip past).

Honest limit: when the environment names an HTTP(S) proxy for the address, the proxy
resolves the name itself; the name is still checked here first, but the proxy could be
told another address by its DNS.
"""

from __future__ import annotations

import ipaddress
import socket

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
ALLOW_SETTING = "WEBHOOK_ALLOW_PRIVATE"


class RefusedAddress(OSError):
    """A webhook host that resolves to an address webhooks may not reach."""

    def __init__(self, host: str, address: str) -> None:
        super().__init__(host, address)
        self.host = host
        self.address = address

    def __str__(self) -> str:
        return (
            f"{self.host} resolves to {self.address}, an address on this server or a "
            f"private network (allowed only with STORYBOARD_{ALLOW_SETTING}=true)"
        )


def is_private(address: IPAddress) -> bool:
    """True for any address that is not a public internet address."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is not None:
            return is_private(embedded)
    return (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


def resolve(host: str, port: int) -> list[tuple[int, tuple[object, ...]]]:
    """Every (address family, socket address) ``host`` resolves to, as a TCP client
    would try them. Raises ``OSError`` (``socket.gaierror``) when it does not resolve."""
    return [
        (family, sockaddr)
        for family, _type, _proto, _name, sockaddr in socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM
        )
    ]


def check(host: str, addresses: list[tuple[int, tuple[object, ...]]]) -> None:
    """Raise ``RefusedAddress`` when any of ``host``'s resolved addresses is private."""
    for _family, sockaddr in addresses:
        text = str(sockaddr[0])
        if is_private(ipaddress.ip_address(text)):
            raise RefusedAddress(host, text)
