"""What desk-central adds for larger deployments, wired into the app in one call: the position
history endpoints, a 503 with ``Retry-After`` when the database is unreachable, and the NATS
fan-out between nodes when ``DESK_CENTRAL_NATS_URL`` is set (``GET /cluster`` says which)."""

from __future__ import annotations

import json
import logging
import os
import uuid

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from desk.central.storage import CentralStore
from desk.central.stores import StoreUnavailable

log = logging.getLogger(__name__)

_BODY = {"error": "store_unavailable", "reason": "中心数据库暂时不可用，请稍后重试"}


class Unavailable503:
    """Outermost middleware: a ``StoreUnavailable`` from anywhere below (the token check runs in
    a middleware, out of reach of exception handlers) becomes a 503 with ``Retry-After``. The
    request's transaction rolled back, so retrying is safe (ops are idempotent)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except StoreUnavailable as exc:
            if started:
                raise
            log.warning("database unavailable: %s (%s)", exc, scope.get("path"))
            body = json.dumps(_BODY, ensure_ascii=False).encode()
            await send({"type": "http.response.start", "status": 503, "headers": [
                (b"content-type", b"application/json"),
                (b"retry-after", str(StoreUnavailable.retry_after_s).encode()),
                (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})


def install(app: FastAPI, store: CentralStore) -> None:
    from desk.central.history import history_router

    app.include_router(history_router(store))

    async def _unavailable(request: Request, exc: Exception) -> JSONResponse:
        log.warning("database unavailable: %s (%s)", exc, request.url.path)
        return JSONResponse(_BODY, status_code=503,
                            headers={"Retry-After": str(StoreUnavailable.retry_after_s)})

    app.add_exception_handler(StoreUnavailable, _unavailable)
    app.add_middleware(Unavailable503)

    from desk.central.bus import ENV, NatsBus

    node = os.environ.get("DESK_CENTRAL_NODE") or uuid.uuid4().hex[:12]
    url = os.environ.get(ENV, "").strip()
    bus = NatsBus(url, app.state.hub, node=node).start() if url else None
    app.state.bus = bus

    @app.get("/cluster", tags=["meta"])
    def cluster() -> dict[str, object]:
        """This node's id and its live fan-out (any valid token)."""
        if bus is None:
            return {"node": node, "bus": "local"}
        return {"node": node, "bus": "nats", "connected": bus.connected, "sent": bus.sent,
                "received": bus.received, "dropped": bus.dropped}
