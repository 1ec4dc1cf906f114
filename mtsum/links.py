"""Fetching the web page behind a link, within caps, and (for visitors) only from the internet.

A server that fetches whatever link a visitor sends can be made to read its own network: the
cloud's metadata service, an admin page on localhost, a database on a private address. So for
visitors (``public_only``) every address the host resolves to must be a public one, checked
again after every redirect (followed here, at most ``MAX_REDIRECTS``, each one re-checked),
and the connection goes to the very address that was checked, with the host name in the
``Host`` header and in TLS (SNI and the certificate check): a second DNS answer (DNS
rebinding) cannot swap it for another. For everyone: only ``http`` and ``https``, no user name
or password in the link, no cookies kept between requests, no credentials from the
environment (``.netrc``) or proxies, at most ``MAX_BYTES`` of page and ``FETCH_SECONDS`` for
the whole fetch. Every refusal is a ``LinkError`` that says why.

httpx does the HTTP; the address checks use the standard library's ``ipaddress``.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit, urlunsplit

from .errors import LinkError
from .version import __version__

if TYPE_CHECKING:  # imported when a link is fetched, not with mtsum
    import httpx

__all__ = ["FETCH_SECONDS", "MAX_BYTES", "MAX_REDIRECTS", "FetchedPage", "LinkFetcher"]

log = logging.getLogger(__name__)

MAX_REDIRECTS = 5
# A news article's HTML is 50 KB to 2 MB (pages with inline scripts and styles at the top of
# that); 5 MB leaves room for the heaviest and bounds what a hostile server can make us hold.
MAX_BYTES = 5 * 2**20
# The whole fetch, redirects included: a news site answers in about a second; a server that
# trickles bytes to hold a worker is cut off here.
FETCH_SECONDS = 20.0
CONNECT_SECONDS = 5.0
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")
_DEFAULT_PORTS = {"http": 80, "https": 443}

Resolver = Callable[[str, int], list[str]]
"""Host name and port to the IP addresses it resolves to (``getaddrinfo`` by default)."""


@dataclass(frozen=True)
class FetchedPage:
    """A page as fetched.

    Attributes:
        url: the link as given.
        final_url: where the page was found, after any redirects.
        content: its bytes (at most the fetcher's ``max_bytes``).
        content_type: the media type the server named, without parameters ("" when none).
        charset: the ``charset`` the server named, or None.
    """

    url: str
    final_url: str
    content: bytes
    content_type: str
    charset: str | None


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (IPv4 and IPv6), in the resolver's order."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise OSError(f"the host name {host} does not resolve ({exc})") from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether an address is on the public internet: not loopback, private, link-local (the
    cloud metadata service, 169.254.169.254), shared (100.64/10), reserved, multicast or
    unspecified, also when it hides in an IPv6 address (mapped, 6to4, Teredo)."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = address.ipv4_mapped or address.sixtofour or (address.teredo or (None, None))[1]
        if inner is not None and not _is_public(inner):
            return False
    return address.is_global and not (
        address.is_multicast
        or address.is_reserved
        or address.is_loopback
        or address.is_link_local
        or address.is_unspecified
    )


class LinkFetcher:
    """Fetches pages by link, with the caps above; for visitors, from public addresses only.

    Args:
        public_only: refuse every host that resolves to a non-public address (the server's
            rule for visitors' links); False for the CLI and the Python API, whose user is
            the operator.
        max_bytes: the largest page accepted.
        seconds: the time the whole fetch (redirects included) may take.
        loopback_for_tests: tests only, off by default: with ``public_only``, also accept
            this machine's loopback addresses (a test's own server), nothing else.
        resolver: host name to addresses (tests may give a fixed answer).
    """

    def __init__(
        self,
        *,
        public_only: bool,
        max_bytes: int = MAX_BYTES,
        seconds: float = FETCH_SECONDS,
        loopback_for_tests: bool = False,
        resolver: Resolver = resolve,
    ) -> None:
        self.public_only = public_only
        self.max_bytes = max_bytes
        self.seconds = seconds
        self.loopback_for_tests = loopback_for_tests
        self.resolver = resolver

    def fetch(self, url: str) -> FetchedPage:
        """The page at ``url``, redirects followed (each checked as the link itself).

        Raises:
            LinkError: the link, a redirect or an address is refused, the page is too large,
                too slow, not a web page, answers with an error status, or cannot be reached.
        """
        import httpx

        deadline = time.monotonic() + self.seconds
        current = url.strip()
        # trust_env=False: no proxy settings and no .netrc credentials from the environment.
        with httpx.Client(trust_env=False, follow_redirects=False) as client:
            for _ in range(MAX_REDIRECTS + 1):
                response = self._request(client, current, url, deadline)
                try:
                    location = response.headers.get("location")
                    if response.status_code in _REDIRECTS and location:
                        current = urljoin(current, location)
                        continue
                    return self._page(response, url, current, deadline)
                finally:
                    response.close()
        raise LinkError(
            f"{url} redirects more than {MAX_REDIRECTS} times; give the article's own link",
            url,
            "redirects",
        )

    def _request(
        self, client: httpx.Client, current: str, url: str, deadline: float
    ) -> httpx.Response:
        """Send one GET to ``current`` at a checked address; the response is streamed."""
        import httpx

        parts = urlsplit(current)
        scheme = parts.scheme.lower()
        if scheme not in _DEFAULT_PORTS:
            raise LinkError(
                f"{current} is not a web link; only http and https links are fetched",
                current,
                "scheme",
            )
        if parts.username is not None or parts.password is not None:
            raise LinkError(
                f"links with a user name or password are not fetched ({parts.hostname})",
                current,
                "credentials",
            )
        host = parts.hostname
        if not host:
            raise LinkError(f"{current!r} has no host name", current, "scheme")
        try:
            port = parts.port or _DEFAULT_PORTS[scheme]
        except ValueError:
            raise LinkError(f"{current} has an invalid port", current, "scheme") from None
        address = self._checked_address(host, port, current)
        shown = f"[{address}]" if ":" in address else address
        pinned = urlunsplit((scheme, f"{shown}:{port}", parts.path or "/", parts.query, ""))
        headers = {
            "Host": parts.netloc.rpartition("@")[2],
            "User-Agent": f"mtsum/{__version__} (article fetch)",
            "Accept": "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.5",
        }
        left = max(deadline - time.monotonic(), 0.001)
        timeout = httpx.Timeout(left, connect=min(CONNECT_SECONDS, left))
        client.cookies.clear()  # nothing a page set travels to the next request
        # The request is built here, not by the client, so nothing of the client's (cookies,
        # auth) is merged into it; the timeout rides along as the client would put it.
        extensions = {"sni_hostname": host, "timeout": timeout.as_dict()}
        request = httpx.Request("GET", pinned, headers=headers, extensions=extensions)
        with self._network_errors(url, current, f"{host} could not be reached", "check the link"):
            return client.send(request, stream=True)

    def _checked_address(self, host: str, port: int, current: str) -> str:
        """The address to connect to: the host's first, after every one of them is checked."""
        try:
            addresses = self.resolver(host, port)
        except OSError as exc:
            raise LinkError(f"{exc}; check the link", current, "network") from None
        if not addresses:
            raise LinkError(f"the host name {host} does not resolve", current, "network")
        if self.public_only:
            for text in addresses:
                address = ipaddress.ip_address(text.split("%")[0])
                if _is_public(address) or (self.loopback_for_tests and address.is_loopback):
                    continue
                log.info("refused a link to a non-public address: %s -> %s", host, address)
                raise LinkError(
                    f"{host} is not on the public internet (it resolves to a private, "
                    "loopback, link-local or reserved address); only public pages are fetched",
                    current,
                    "address",
                )
        return addresses[0]

    def _page(
        self, response: httpx.Response, url: str, current: str, deadline: float
    ) -> FetchedPage:
        """The body of a final response, read within the size and time caps."""
        if response.status_code >= 400:
            raise LinkError(
                f"{urlsplit(current).hostname} answered {response.status_code} "
                f"{response.reason_phrase} for this link; check it",
                current,
                "status",
            )
        media, _, parameters = response.headers.get("content-type", "").partition(";")
        media = media.strip().lower()
        if media and media not in _PAGE_TYPES:
            raise LinkError(
                f"the link gives a {media} file, not a web page; download it and give the file",
                current,
                "type",
            )
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise self._too_large(url)
        body = bytearray()
        with self._network_errors(url, current, "the page broke off while loading", "try again"):
            for chunk in response.iter_bytes():  # as it arrives: the deadline is checked each time
                body += chunk
                if len(body) > self.max_bytes:
                    raise self._too_large(url)
                if time.monotonic() > deadline:
                    raise self._too_slow(url)
        charset = next(
            (
                value.strip().strip('"')
                for key, _, value in (p.partition("=") for p in parameters.split(";"))
                if key.strip().lower() == "charset"
            ),
            None,
        )
        return FetchedPage(url, current, bytes(body), media, charset)

    @contextmanager
    def _network_errors(self, url: str, current: str, what: str, advice: str) -> Iterator[None]:
        """httpx's errors inside as ``LinkError``: a timeout is "too slow", any other failure
        ``what`` with the error's kind and ``advice``."""
        import httpx

        try:
            yield
        except httpx.TimeoutException:
            raise self._too_slow(url) from None
        except httpx.HTTPError as exc:
            raise LinkError(
                f"{what} ({type(exc).__name__}); {advice}", current, "network"
            ) from None

    def _too_large(self, url: str) -> LinkError:
        return LinkError(
            f"the page is larger than {self.max_bytes // 2**20 or 1} MB, more than any article; "
            "copy the article's text instead",
            url,
            "size",
        )

    def _too_slow(self, url: str) -> LinkError:
        return LinkError(
            f"the page took more than {self.seconds:g} seconds to load; try again later, or "
            "copy the article's text instead",
            url,
            "time",
        )
