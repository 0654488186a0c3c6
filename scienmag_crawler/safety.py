"""Keep the crawler from being steered into internal services (SSRF).

A crawler running in a cloud can reach addresses the public cannot: the metadata service
(169.254.169.254), databases on 10.x, admin panels on localhost. A page or a redirect
naming such an address must not make the crawler fetch it. The mirror origin
(``SCIENMAG_MIRROR_URL``, e.g. a local test server) and hosts listed in
``SCIENMAG_ALLOWED_PRIVATE_HOSTS`` are the deliberate exceptions.

Only literal addresses (and ``localhost``) are judged: names are not resolved here, so a
public name that resolves to a private address is not caught.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import socket
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.httpobj import urlparse_cached

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
DEFAULT_PORTS = {"http": 80, "https": 443}
#: legacy IPv4 spellings that resolvers still accept (127.1, 0x7f000001, 2130706433)
_LEGACY_IPV4 = re.compile(r"^[0-9a-fx.]+$")


class PrivateAddressRefused(IgnoreRequest):
    """The request targets a private, loopback, link-local or reserved address."""


def literal_address(host: str) -> IPAddress | None:
    """The IP address ``host`` spells, also in the legacy IPv4 forms a resolver accepts
    (``127.1``, ``2130706433``, ``0x7f.0.0.1``); IPv4-mapped IPv6 is unwrapped.

    >>> literal_address("2130706433"), literal_address("::ffff:10.0.0.1")
    (IPv4Address('127.0.0.1'), IPv4Address('10.0.0.1'))
    >>> literal_address("scienmag.com") is None
    True
    """
    host = host.strip("[]").rstrip(".").lower()
    try:
        address: IPAddress = ipaddress.ip_address(host)
    except ValueError:
        if not _LEGACY_IPV4.match(host):
            return None
        try:
            address = ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def private_reason(host: str) -> str | None:
    """Why ``host`` is off limits (``"loopback address 127.0.0.1"``), or ``None`` when it is a
    public address or a name.

    >>> private_reason("169.254.169.254"), private_reason("localhost")
    ('link-local address 169.254.169.254', 'localhost')
    >>> private_reason("93.184.215.14") is None
    True
    """
    name = host.strip("[]").rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return "localhost"
    address = literal_address(name)
    if address is None or (address.is_global and not address.is_multicast):
        return None
    for kind in ("loopback", "link_local", "unspecified", "reserved", "multicast", "private"):
        if getattr(address, f"is_{kind}"):
            return f"{kind.replace('_', '-')} address {address}"
    return f"non-public address {address}"


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or DEFAULT_PORTS.get(scheme)


class PrivateAddressGuardMiddleware:
    """Refuse requests to literal private/loopback/link-local/reserved addresses and
    ``localhost``, redirect targets included (they come back through ``process_request``).

    Placed right after Scrapy's OffsiteMiddleware (both at 50), so it guards what the
    offsite filter lets through: spiders without ``allowed_domains``, allowed hosts that are
    addresses, ``dont_filter`` and ``allow_offsite`` requests. A refusal is an
    :class:`PrivateAddressRefused` (an ``IgnoreRequest``: the request's errback gets it), a
    warning naming the URL and the reason, and ``scienmag/refused/private_address`` in the
    stats. Off with ``SCIENMAG_REFUSE_PRIVATE_ADDRESSES = False``.
    """

    def __init__(self, crawler: Crawler, mirror: str | None, allowed: list[str]) -> None:
        self.crawler = crawler
        self.mirror = _origin(mirror) if mirror else None
        self.allowed_hosts: set[str] = set()
        self.allowed_networks: list[IPNetwork] = []
        for entry in allowed:
            try:
                self.allowed_networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
            except ValueError:
                self.allowed_hosts.add(entry.strip("[]").rstrip(".").lower())

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("SCIENMAG_REFUSE_PRIVATE_ADDRESSES", True):
            raise NotConfigured("SCIENMAG_REFUSE_PRIVATE_ADDRESSES is off")
        return cls(
            crawler,
            settings.get("SCIENMAG_MIRROR_URL"),
            settings.getlist("SCIENMAG_ALLOWED_PRIVATE_HOSTS"),
        )

    def _allowed(self, url: str, host: str) -> bool:
        if self.mirror is not None and _origin(url) == self.mirror:
            return True
        if host in self.allowed_hosts:
            return True
        address = literal_address(host)
        return address is not None and any(address in net for net in self.allowed_networks)

    def process_request(self, request: Request) -> None:
        parts = urlparse_cached(request)
        if parts.scheme not in DEFAULT_PORTS:
            return
        host = (parts.hostname or "").rstrip(".").lower()
        reason = private_reason(host)
        if reason is None or self._allowed(request.url, host):
            return
        message = f"refused {reason}"
        if chain := request.meta.get("redirect_urls"):
            message += f" (redirected from {chain[0]})"
        logger.warning("Refused %s: %s", request.url, message)
        self.crawler.stats.inc_value("scienmag/refused/private_address")
        raise PrivateAddressRefused(message)
