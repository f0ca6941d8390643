"""What desk-central adds for larger deployments, wired into the app in one call: the position
history endpoints and a 503 with ``Retry-After`` when the database is unreachable."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from desk.central.storage import CentralStore
from desk.central.stores import StoreUnavailable


def install(app: FastAPI, store: CentralStore) -> None:
    from desk.central.history import history_router

    app.include_router(history_router(store))

    async def _unavailable(request: Request, exc: Exception) -> JSONResponse:
        # The request's transaction rolled back: retrying later is safe (ops are idempotent).
        retry = StoreUnavailable.retry_after_s
        return JSONResponse({"error": "store_unavailable", "reason": "中心数据库暂时不可用，请稍后重试"},
                            status_code=503, headers={"Retry-After": str(retry)})

    app.add_exception_handler(StoreUnavailable, _unavailable)
