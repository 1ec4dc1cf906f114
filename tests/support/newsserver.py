"""A news site on loopback, written for the tests: an article page with navigation, a cookie
banner and comments, and pages that misbehave (redirect loops, a redirect to a private
address, an oversized page, a slow page, a PDF, a cookie set before a redirect)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARTICLE_PARAGRAPHS = (
    "La nouvelle ligne de tramway de la ville ouvrira mardi matin après trois ans de travaux. "
    "Elle reliera la gare au campus universitaire en vingt minutes.",
    "Le maire a annoncé que les trajets seront gratuits pendant la première semaine. Les "
    "habitants du quartier nord attendaient ce projet depuis longtemps.",
    "Selon la régie des transports, douze mille voyageurs par jour sont attendus dès le "
    "premier mois.",
)
TITLE = "La ligne de tram ouvre mardi"
BOILERPLATE = (
    "Nous utilisons des cookies",
    "Accueil",
    "Politique",
    "Enfin ! Il était temps",
    "Tous droits réservés",
)
NEWS_PAGE = (
    '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
    f"<title>{TITLE} | Le Journal</title>"
    '<meta name="author" content="Claire Dubois">'
    '<meta property="article:published_time" content="2026-11-28T08:00:00+01:00">'
    f'<meta property="og:title" content="{TITLE}"></head><body>'
    '<div id="cookie-banner" class="cookie-consent"><p>Nous utilisons des cookies pour '
    "améliorer votre expérience. Acceptez-vous les cookies ?</p><button>Accepter</button></div>"
    '<header><nav><ul><li><a href="/">Accueil</a></li><li><a href="/politique">Politique</a>'
    '</li><li><a href="/sport">Sport</a></li><li><a href="/culture">Culture</a></li></ul></nav>'
    f"</header><main><article><h1>{TITLE}</h1>"
    + "".join(f"<p>{paragraph}</p>" for paragraph in ARTICLE_PARAGRAPHS)
    + '</article><section class="comments"><h2>Commentaires</h2><div class="comment"><p>Enfin ! '
    "Il était temps que ce tram arrive chez nous.</p></div></section></main>"
    "<footer><p>© 2026 Le Journal. Tous droits réservés. Mentions légales.</p></footer>"
    "</body></html>"
)
EMPTY_PAGE = (
    '<html><body><nav><a href="/">Accueil</a> <a href="/sport">Sport</a></nav></body></html>'
)
BIG_BYTES = 300_000
SLOW_SECONDS = 0.4  # between two trickled bytes of /slow


class _Handler(BaseHTTPRequestHandler):
    cookies_seen: list[str | None]

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the tests read the answers, not the server's log."""

    def do_GET(self) -> None:
        path = self.path
        if path == "/news":
            self._send(200, NEWS_PAGE.encode(), "text/html; charset=utf-8")
        elif path == "/private":
            self._redirect("http://10.0.0.1/news")
        elif path == "/metadata":
            self._redirect("http://169.254.169.254/latest/meta-data/")
        elif path.startswith("/loop/"):
            self._redirect(f"/loop/{int(path.rsplit('/', 1)[1]) + 1}")
        elif path == "/hop":
            self._redirect("/news")
        elif path == "/big":
            self._send(200, b"<p>" + b"a" * BIG_BYTES + b"</p>", "text/html")
        elif path == "/big-unsaid":
            self._trickle(b"<p>" + b"a" * BIG_BYTES + b"</p>", pause=0.0)
        elif path == "/slow":
            self._trickle(b"<html><body>" + b"x" * 100, pause=SLOW_SECONDS)
        elif path == "/empty":
            self._send(200, EMPTY_PAGE.encode(), "text/html; charset=utf-8")
        elif path == "/pdf":
            self._send(200, b"%PDF-1.4", "application/pdf")
        elif path == "/cookie":
            self.send_response(302)
            self.send_header("Location", "/echo")
            self.send_header("Set-Cookie", "session=secret; Path=/")
            self.end_headers()
        elif path == "/echo":
            type(self).cookies_seen.append(self.headers.get("Cookie"))
            self._send(200, NEWS_PAGE.encode(), "text/html; charset=utf-8")
        else:
            self._send(404, b"not here", "text/plain")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _trickle(self, body: bytes, pause: float) -> None:
        """The body without a length, in pieces (``pause`` seconds apart)."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        try:
            for start in range(0, len(body), 10 if pause else 65536):
                self.wfile.write(body[start : start + (10 if pause else 65536)])
                self.wfile.flush()
                if pause:
                    time.sleep(pause)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should


@contextmanager
def news_site() -> Iterator[tuple[str, list[str | None]]]:
    """The site's base URL on 127.0.0.1, and the Cookie headers ``/echo`` received."""
    seen: list[str | None] = []
    handler = type("Handler", (_Handler,), {"cookies_seen": seen})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()
