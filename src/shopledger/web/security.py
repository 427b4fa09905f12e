"""What every answer of the server carries, and which host names it answers to.

The server usually listens on loopback, where any page the merchant's browser opens could
reach it: a page of another site whose name resolves to 127.0.0.1 (DNS rebinding) arrives
with that site's name in Host and is refused; other sites may not frame our pages, and our
pages run only our own scripts.
"""
from __future__ import annotations

from collections.abc import Iterable

from fastapi import FastAPI
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = ("default-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
                           "frame-ancestors 'none'")
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "x-content-type-options": "nosniff",
}


class SecurityHeaders:
    """Adds the headers to every answer (errors and refusals included) unless it set its own."""

    def __init__(self, app: ASGIApp):
        self.app = app
        self.headers = [(name.encode(), value.encode()) for name, value in SECURITY_HEADERS.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                added = [header for header in self.headers if header[0] not in present]
                message = {**message, "headers": [*message.get("headers", []), *added]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install(app: FastAPI, allowed_hosts: Iterable[str]) -> None:
    # Added last = outermost: a refused Host still gets the headers.
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts), www_redirect=False)
    app.add_middleware(SecurityHeaders)
