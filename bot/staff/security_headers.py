"""Headers that tell the browser to trust nothing but the staff application itself.

Every admin and API response carries a Content-Security-Policy (scripts, styles, images and
connections only from this origin; no frames, no plugins, forms only to this origin), HSTS
(browsers keep to HTTPS for a year once they have seen it over HTTPS; over plain HTTP they
ignore it), frame options, no MIME sniffing and no referrer to other sites. The admin's pages
have no inline script (``static/admin.js``) so that ``script-src 'self'`` holds; styles may be
inline, since the admin's library sets some. The API's own pages are JSON, except its
OpenAPI page, whose library FastAPI loads from its CDN.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the policies are read by tests that run without Starlette
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

ADMIN_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
                "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
API_POLICY = "default-src 'none'; frame-ancestors 'none'"
API_DOCS_POLICY = ("default-src 'none'; script-src https://cdn.jsdelivr.net 'unsafe-inline'; "
                   "style-src https://cdn.jsdelivr.net; img-src https://fastapi.tiangolo.com "
                   "data:; connect-src 'self'; frame-ancestors 'none'")
COMMON = {
    "Strict-Transport-Security": "max-age=31536000",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


class SecurityHeaders:
    """Adds ``COMMON`` and a policy to every HTTP response of ``app``; ``policies`` maps a
    path (within the app) to its own policy."""

    def __init__(self, app: ASGIApp, policy: str,
                 policies: dict[str, str] | None = None) -> None:
        self.app = app
        self.policy = policy
        self.policies = policies or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        root = scope.get("root_path", "")
        within = path[len(root):] if root and path.startswith(root) else path
        policy = self.policies.get(within, self.policy)
        added = [(name.lower().encode(), value.encode())
                 for name, value in {**COMMON, "Content-Security-Policy": policy}.items()]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in added}
                headers = [h for h in message.get("headers", []) if h[0].lower() not in names]
                message = {**message, "headers": headers + added}
            await send(message)

        await self.app(scope, receive, send_with_headers)
