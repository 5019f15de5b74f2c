"""Who gets in: the token, and the Origin and Host checks.

Served beyond loopback, every page, websocket and download needs the server's token:
in the URL (`?token=...`, the link the teacher hands out) or in the cookie the page sets
when it is opened with it (the websocket and downloads textual.js opens carry no query of
ours). On loopback the token is optional (`--token` asks for one there too).
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
TOKEN_COOKIE = "nn_tui_token"
TOKEN_BYTES = 12  # 16 URL-safe characters: not guessable over a network


def local_only(host: str) -> bool:
    return host in LOCAL_HOSTS


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_for(host: str, chosen: str | None) -> str | None:
    """The token the server asks for: the chosen one, a random one beyond loopback, else none."""
    if chosen is not None:
        return chosen
    return None if local_only(host) else new_token()


def refuse_foreign(request, host: str) -> None:
    """403 for a request another web site made the browser send.

    A page from anywhere may open a websocket to 127.0.0.1 (browsers do not
    stop it), so the websocket's Origin must be the page's own; and a local-only
    server answers only to local names, which stops DNS rebinding (evil.example
    resolving to 127.0.0.1)."""
    from aiohttp import web  # optional: comes with textual-serve (the extra `serve`)

    origin = request.headers.get("Origin")
    if origin is not None and urlsplit(origin).netloc != request.host:
        raise web.HTTPForbidden(text="nn-tui serve: cross-origin request refused")
    if local_only(host) and (urlsplit(f"//{request.host}").hostname or "") not in LOCAL_HOSTS:
        raise web.HTTPForbidden(text="nn-tui serve: this server answers only to 127.0.0.1 and localhost")


def _same(given: str | None, token: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), token.encode())


def refuse_without_token(request, token: str | None) -> None:
    """403 unless the request carries the token (its URL or the cookie); nothing when none is asked."""
    from aiohttp import web  # optional: comes with textual-serve (the extra `serve`)

    if token is None:
        return
    if _same(request.query.get("token"), token) or _same(request.cookies.get(TOKEN_COOKIE), token):
        return
    raise web.HTTPForbidden(text="nn-tui serve: this class needs its link with the token "
                                 "(ask the teacher for the URL nn-tui serve printed)")


def remember_token(response, token: str | None) -> None:
    """The cookie that lets the page's websocket and downloads in: this site only, not for scripts."""
    if token is not None:
        response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="Strict", path="/")
