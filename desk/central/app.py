"""The desk-central HTTP API (FastAPI): ops, change feed, counts, telemetry, OsmAnd, live stream,
users and audit. Every endpoint checks the caller's bearer token and role; refusals are JSON
``{"error": code, "reason": 中文}``; bad input is a 4xx, never a 5xx.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import random
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any, Literal
from urllib.parse import parse_qsl

from fastapi import Depends, FastAPI, Query, Request
from fastapi import Path as FastApiPath
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from desk.central.auth import (
    GATEWAY,
    INSURER_ROLES,
    READ_ROLES,
    REASONS,
    TELEMETRY_ROLES,
    authorize_op,
    device_denial,
    namespace_denial,
    redact_parties,
)
from desk.central.insurance import AckOut, Answer, ClaimError, ClaimOut, acknowledge, list_claims
from desk.central.storage import (
    ROLES,
    CentralStore,
    OpIn,
    Principal,
)
from desk.central.stream import StreamHub
from desk.domain.telemetry import DEFAULT_MAX_AGE_S, UNKNOWN, SensorReading, UnitFix

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 16 * 1024 * 1024
MAX_OPS = 5000
MAX_TELEMETRY = 20_000
KNOT_KMH = 1.852
#: Request body caps per route (bytes); anything not listed gets ``DEFAULT_BODY_BYTES``. Checked
#: after the token and before a byte of the body is parsed.
ROUTE_BODY_BYTES = {"/ops": MAX_BODY_BYTES, "/telemetry": 8 * 1024 * 1024, "/osmand": 16 * 1024,
                    "/": 16 * 1024}
DEFAULT_BODY_BYTES = 64 * 1024
#: Served without a token.
PUBLIC_PATHS = frozenset({"/health", "/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"})
#: The OsmAnd protocol: Traccar Client and OsmAnd post to ``/`` by default.
OSMAND_PATHS = frozenset({"/", "/osmand"})
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


# -- errors ------------------------------------------------------------------------------------


class ApiError(Exception):
    """A refusal: status, reason code, Chinese reason. ``audited``: an audit row with more
    detail was already written (otherwise a refused write is audited by the error handler)."""

    def __init__(self, status: int, error: str, reason: str | None = None,
                 headers: dict[str, str] | None = None, *, audited: bool = False) -> None:
        super().__init__(error)
        self.status = status
        self.error = error
        self.reason = reason or REASONS.get(error, error)
        self.headers = headers
        self.audited = audited


class ErrorOut(BaseModel):
    error: str
    reason: str


def _utf8(text: str) -> str:
    # A lone surrogate from a JSON escape would pass validation and then fail in SQLite.
    text.encode("utf-8")
    return text


def _integral(value: Any) -> Any:
    # JSON Schema's "integer" includes 3.0; a boolean or a string is not one.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


Text = Annotated[str, AfterValidator(_utf8)]
Scalar = Text | int | float | bool | None
#: An integer as JSON Schema means it: 3 and 3.0, never true or "3" (the models are strict).
Integer = Annotated[int, BeforeValidator(_integral)]


class StrictIn(BaseModel):
    """A request body: strict types, so ``"lon": false`` or ``"at": "now"`` is a 422, not 0."""

    model_config = ConfigDict(strict=True)

_ERR = {"model": ErrorOut}
COMMON: dict[int | str, dict[str, Any]] = {400: _ERR, 401: _ERR, 403: _ERR, 413: _ERR}


# -- models ------------------------------------------------------------------------------------


class OpModel(StrictIn):
    op_id: Text = Field(min_length=1, max_length=100)
    entity: Text = Field(min_length=1, max_length=64)
    entity_id: Text = Field(min_length=1, max_length=200)
    op: Literal["insert", "update", "delete"]
    patch: dict[Text, Scalar] | None = Field(default=None, max_length=500)
    base_rev: Integer = Field(default=0, ge=0, le=2**53)
    hlc: Text = Field(min_length=1, max_length=100)
    actor: Text = Field(default="", max_length=100, description="the operator at the desk")
    unit: Text = Field(default="", max_length=100,
                       description="op_id of the state change this op was written with")


class OpsRequest(StrictIn):
    ns: Literal["live", "drill"] = "live"
    origin: Text = Field(min_length=1, max_length=64, description="the writing workspace's node id")
    ops: list[OpModel] = Field(max_length=MAX_OPS)


class OpResultOut(BaseModel):
    op_id: str
    status: Literal["applied", "merged", "conflict", "rejected"]
    code: int
    rev: int
    seq: int | None = None
    reason: str | None = None
    record: dict[str, Any] | None = None
    conflict_fields: list[str] = []
    replayed: bool = False
    overwritten: dict[str, Any] | None = None


class OpsResponse(BaseModel):
    epoch: str
    results: list[OpResultOut]


class ChangeOut(BaseModel):
    seq: int
    entity: str
    entity_id: str
    op: Literal["insert", "update", "delete"]
    rev: int
    hlc: str | None
    at: float
    data: dict[str, Any] | None


class ChangesResponse(BaseModel):
    epoch: str
    since: int
    last_seq: int
    head: int
    more: bool
    changes: list[ChangeOut]


class CountsResponse(BaseModel):
    epoch: str
    head: int
    counts: dict[str, int]


class FixIn(StrictIn):
    unit_id: Text = Field(min_length=1, max_length=100)
    lat: float
    lon: float
    at: float
    heading: float | None = None
    speed_kmh: float | None = None
    accuracy_m: float | None = None


class ReadingIn(StrictIn):
    point_id: Text = Field(min_length=1, max_length=100)
    at: float
    depth_cm: float | None = None
    rain_mm: float | None = None


class TelemetryRequest(StrictIn):
    fixes: list[FixIn] = Field(default=[], max_length=MAX_TELEMETRY)
    readings: list[ReadingIn] = Field(default=[], max_length=MAX_TELEMETRY)


class TelemetryResponse(BaseModel):
    stored_fixes: int
    stored_readings: int
    rejected: dict[str, int]


class AlertRequest(StrictIn):
    ns: Literal["live", "drill"] = "live"
    level: Literal["info", "warning", "critical"] = "warning"
    message: Text = Field(min_length=1, max_length=2000)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)


class ReportParty(StrictIn):
    plate: Text = Field(default="", max_length=16)
    vehicle: Text = Field(default="", max_length=32)
    name: Text = Field(default="", max_length=32)
    phone: Text = Field(default="", max_length=20)


class AccidentReportRequest(StrictIn):
    """A minor-accident report taken outside the desk (122 call-taking, the 12123 app's 快处
    gateway): broadcast to the workstations, where it becomes a case in the queue."""

    ns: Literal["live", "drill"] = "live"
    case_key: Text = Field(min_length=1, max_length=64)
    place: Text = Field(min_length=1, max_length=200)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    accident_type: Text = Field(default="other", max_length=32)
    narrative: Text = Field(default="", max_length=2000)
    parties: list[ReportParty] = Field(default_factory=list, max_length=6)


class UserRequest(StrictIn):
    # The schema states what the handler enforces: a chief needs a station, a device a unit
    # (or an explicit gateway), and only a device may have either.
    model_config = ConfigDict(strict=True, json_schema_extra={"allOf": [
        {"if": {"properties": {"role": {"const": "station_chief"}}, "required": ["role"]},
         "then": {"required": ["station_id"],
                  "properties": {"station_id": {"type": "string", "minLength": 1}}}},
        {"if": {"properties": {"role": {"const": "device"}}, "required": ["role"]},
         "then": {"anyOf": [
             {"required": ["unit_id"],
              "properties": {"unit_id": {"type": "string", "minLength": 1},
                             "gateway": {"const": False}}},
             {"required": ["gateway"], "properties": {"gateway": {"const": True},
                                                      "unit_id": {"type": "null"}}}]},
         "else": {"properties": {"unit_id": {"type": "null"}, "gateway": {"const": False}}}},
    ]})

    name: Text = Field(min_length=1, max_length=100)
    role: Literal["dispatcher", "station_chief", "trainer", "admin", "device", "insurer"]
    station_id: Text | None = Field(
        default=None, min_length=1, max_length=100,
        description="station_chief: the station (required); insurer: the insurance company it "
                    "may see (optional, all when absent)")
    workstation: Text = Field(default="", max_length=100)
    unit_id: Text | None = Field(default=None, min_length=1, max_length=100,
                                 description="device: the one unit this token reports for")
    gateway: bool = Field(default=False,
                          description="device: a gateway that may report for every unit")
    expires_days: float | None = Field(
        default=365.0, gt=0, le=36500,
        description="the token stops working after this many days (null: never)")


class UserOut(BaseModel):
    id: int
    name: str
    role: str
    station_id: str | None
    workstation: str
    created_at: float
    unit_id: str | None = None
    expires_at: float | None = None
    revoked_at: float | None = None


class UserName(BaseModel):
    name: str


class RevokeOut(BaseModel):
    name: str
    revoked: int


class RotateRequest(StrictIn):
    expires_days: float | None = Field(default=365.0, gt=0, le=36500)


class UserCreated(BaseModel):
    name: str
    role: str
    token: str


class AuditRow(BaseModel):
    id: int
    at: float
    user: str
    role: str
    workstation: str
    action: str
    target: str
    outcome: str
    detail: str | None


class AckRequest(StrictIn):
    model_config = ConfigDict(strict=True, json_schema_extra={
        "if": {"properties": {"decision": {"const": "rejected"}}, "required": ["decision"]},
        "then": {"required": ["reason"],
                 "properties": {"reason": {"type": "string", "pattern": r"\S"}}}})

    ns: Literal["live", "drill"] = "live"
    decision: Answer = Field(description="accepted（已受理）或 rejected（被拒绝）")
    reason: Text = Field(default="", max_length=2000, description="拒绝时必填")
    claim_no: Text | None = Field(default=None, max_length=100,
                                  description="保险公司的报案号（可选）")


class WhoAmI(BaseModel):
    name: str
    role: str
    station_id: str | None
    workstation: str


class Health(BaseModel):
    status: str
    epoch: str


class EpochOut(BaseModel):
    epoch: str


class TelemetryStats(BaseModel):
    positions: int
    readings: int
    rejected: dict[str, int]


# -- test-mode fault injection -------------------------------------------------------------------


@dataclass
class Faults:
    """Test mode only: make some requests slow or fail, before or after doing their work."""

    delay_s: float = 0.0
    fail_before: float = 0.0
    fail_after: float = 0.0
    status: int = 500
    retry_after: float | None = None
    paths: tuple[str, ...] = ("/ops", "/changes", "/counts")
    rng: random.Random = field(default_factory=lambda: random.Random(4))


class FaultsIn(StrictIn):
    delay_s: float = Field(default=0.0, ge=0, le=30)
    fail_before: float = Field(default=0.0, ge=0, le=1)
    fail_after: float = Field(default=0.0, ge=0, le=1)
    status: int = Field(default=500, ge=400, le=599)
    retry_after: float | None = None
    paths: list[str] = ["/ops", "/changes", "/counts"]
    seed: int = 4


# -- authentication and body size, before anything parses the body ----------------------------


class _TooLarge(Exception):
    pass


def body_cap(path: str) -> int:
    """The largest request body ``path`` takes (``ROUTE_BODY_BYTES``)."""
    return ROUTE_BODY_BYTES.get(path, DEFAULT_BODY_BYTES)


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope["headers"]:
        if key.lower() == name:
            return bytes(value)
    return None


def _scope_token(scope: Scope) -> str:
    raw = (_header(scope, b"authorization") or b"").decode("latin-1")
    if raw[:7].lower() == "bearer ":
        return raw[7:].strip()
    if scope["path"] in OSMAND_PATHS:
        # OsmAnd trackers cannot send headers: the token rides in the query.
        query = scope.get("query_string", b"").decode("latin-1")
        for key, value in parse_qsl(query, keep_blank_values=True):
            if key == "token":
                return str(value)
    return ""


class AuthFirst:
    """Check the bearer token, then cap the body by route (413), before a byte is parsed.

    FastAPI reads and decodes a JSON body before it runs any dependency, so a 10 MB body from
    nobody would be parsed in full just to be refused: this middleware answers 401 first and
    hands the caller (``request.state.principal``) on. An OsmAnd POST may carry its token in
    the small form body; those pass with their capped body and are checked by the handler.
    """

    def __init__(self, app: ASGIApp, store: CentralStore,
                 caps: Callable[[str], int] = body_cap) -> None:
        self.app = app
        self.store = store
        self.caps = caps

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if path not in PUBLIC_PATHS and not path.startswith("/_test/"):
            token = _scope_token(scope)
            if token:
                # Off the event loop: the store's lock may be held by a big batch.
                who, reason = await asyncio.to_thread(self.store.check_token, token, time.time())
                if who is None:
                    await _send_error(send, 401, reason or "bad_token", REASONS.get(
                        reason or "bad_token", "访问令牌无效"), www_auth=True)
                    return
                scope.setdefault("state", {})["principal"] = who
            elif not (path in OSMAND_PATHS and scope["method"] == "POST"):
                await _send_error(send, 401, "missing_token", REASONS["missing_token"],
                                  www_auth=True)
                return
        await self._limited(scope, receive, send, self.caps(path))

    async def _refuse_size(self, scope: Scope, send: Send, cap: int) -> None:
        who = scope.get("state", {}).get("principal")
        if who is not None and scope["method"] in WRITE_METHODS:
            # A refused write of a known caller is audited like any other.
            await asyncio.to_thread(self.store.audit, who, f"{scope['method']} {scope['path']}",
                                    scope["path"], "rejected",
                                    {"status": 413, "reason": "too_large", "cap": cap})
        await _send_error(send, 413, "too_large", _too_large(cap))

    async def _limited(self, scope: Scope, receive: Receive, send: Send, cap: int) -> None:
        length = _header(scope, b"content-length")
        if length is not None:
            if not length.isdigit():
                await _send_error(send, 400, "bad_request", "Content-Length 无效")
                return
            if int(length) > cap:
                await self._refuse_size(scope, send, cap)
                return
        seen = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > cap:
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._refuse_size(scope, send, cap)


def _too_large(cap: int) -> str:
    return f"请求体过大：此接口最多接收 {cap // 1024} KB"


async def _send_error(send: Send, status: int, error: str, reason: str, *,
                      www_auth: bool = False) -> None:
    body = json.dumps({"error": error, "reason": reason}, ensure_ascii=False).encode()
    headers = [(b"content-type", b"application/json"),
               (b"content-length", str(len(body)).encode())]
    if www_auth:
        headers.append((b"www-authenticate", b"Bearer"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


# -- the app -----------------------------------------------------------------------------------

_bearer_scheme = HTTPBearer(auto_error=False, description="由 desk-central user add 签发的令牌")


def principal(
    request: Request,
    creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer_scheme)],
) -> Principal:
    """The caller, from its bearer token (checked by ``AuthFirst``); 401 with a reason otherwise."""
    who: Principal | None = getattr(request.state, "principal", None)
    if who is not None:
        return who
    if creds is None or not creds.credentials:
        raise ApiError(401, "missing_token", headers={"WWW-Authenticate": "Bearer"})
    store: CentralStore = request.app.state.store
    found, reason = store.check_token(creds.credentials, time.time())
    if found is None:
        raise ApiError(401, reason or "bad_token", headers={"WWW-Authenticate": "Bearer"})
    request.state.principal = found
    return found


Who = Annotated[Principal, Depends(principal)]


def _allowed_methods(app: FastAPI, scope: Scope) -> list[str]:
    """Every method some route serves at this path (one route per method may share a path)."""
    methods: set[str] = set()
    for route in app.router.routes:
        route_methods = getattr(route, "methods", None)
        # A route matches a path with another method PARTIALly; either way it serves the path.
        if route_methods and route.matches(scope)[0] != Match.NONE:
            methods |= set(route_methods)
    return sorted(methods)


def create_app(
    store: CentralStore, *, test_mode: bool = False, heartbeat_s: float = 15.0,
    max_fix_age_s: float | None = DEFAULT_MAX_AGE_S,
) -> FastAPI:
    """Build the API over ``store``. ``test_mode`` adds the fault-injection endpoint;
    ``max_fix_age_s`` is the oldest fix or reading stored (``None``: no limit)."""
    app = FastAPI(
        title="desk-central",
        version="1",
        description="交管指挥桌面中心端：同步（ops / changes）、遥测接入、实时流、理赔交接、用户与审计。",
    )
    hub = StreamHub()
    faults = Faults()
    app.state.store = store
    app.state.hub = hub
    app.state.faults = faults

    async def audit_refusal(request: Request, status: int, error: str) -> None:
        """Every refused write of a known caller leaves an audit row: role and scope refusals,
        invalid bodies, unknown claims, methods that do not exist."""
        who: Principal | None = getattr(request.state, "principal", None)
        if who is None or request.method not in WRITE_METHODS:
            return
        route = request.scope.get("route")
        action = f"{request.method} {getattr(route, 'path', request.url.path)}"
        await asyncio.to_thread(
            store.audit, who, action, request.url.path,
            "denied" if status in (401, 403) else "rejected", {"status": status, "reason": error})

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        if not exc.audited:
            await audit_refusal(request, exc.status, exc.error)
        return JSONResponse({"error": exc.error, "reason": exc.reason}, status_code=exc.status,
                            headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        await audit_refusal(request, 422, "invalid_input")
        # ASCII-escaped: the offending input may hold lone surrogates that UTF-8 cannot encode.
        body = json.dumps({"detail": jsonable_encoder(exc.errors())}, ensure_ascii=True,
                          default=repr, allow_nan=True)
        return Response(body, status_code=422, media_type="application/json")

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        # FastAPI's own 400s (an unparsable body) in our documented error shape.
        await audit_refusal(request, exc.status_code, f"http_{exc.status_code}")
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            # Starlette names only the methods of the first route on the path; ours has one
            # route per method, so list them all (RFC 9110: every method the resource serves).
            headers["Allow"] = ", ".join(_allowed_methods(app, request.scope))
        return JSONResponse({"error": f"http_{exc.status_code}", "reason": str(exc.detail)},
                            status_code=exc.status_code, headers=headers)

    def need_role(who: Principal, roles: tuple[str, ...], action: str) -> None:
        if who.role not in roles:
            store.audit(who, action, "", "denied", {"reason": "role_forbidden"})
            raise ApiError(403, "role_forbidden", audited=True)

    def need_admin(who: Principal, action: str) -> None:
        need_role(who, ("admin",), action)

    def need_ns(who: Principal, ns: str, *, write: bool, action: str) -> None:
        denial = namespace_denial(who, ns, write=write)
        if denial:
            if write:
                store.audit(who, action, ns, "denied", {"reason": denial})
            raise ApiError(403, denial, audited=write)

    if test_mode:
        @app.middleware("http")
        async def _inject_faults(
            request: Request, call_next: Callable[[Request], Awaitable[Response]]
        ) -> Response:
            if not any(request.url.path.startswith(p) for p in faults.paths):
                return await call_next(request)
            if faults.delay_s:
                await asyncio.sleep(faults.delay_s)
            roll = faults.rng.random()
            headers = ({"Retry-After": f"{faults.retry_after:g}"}
                       if faults.retry_after is not None else None)
            if roll < faults.fail_before:
                return JSONResponse({"error": "injected", "reason": "测试注入故障"},
                                    status_code=faults.status, headers=headers)
            response = await call_next(request)
            if roll < faults.fail_before + faults.fail_after:
                # The work is done and committed; only the answer is lost.
                return JSONResponse({"error": "injected", "reason": "测试注入故障（已执行）"},
                                    status_code=faults.status, headers=headers)
            return response

        @app.post("/_test/faults", include_in_schema=False)
        def set_faults(body: FaultsIn) -> dict[str, str]:
            faults.delay_s, faults.fail_before, faults.fail_after = (
                body.delay_s, body.fail_before, body.fail_after)
            faults.status, faults.retry_after = body.status, body.retry_after
            faults.paths = tuple(body.paths)
            faults.rng = random.Random(body.seed)
            return {"status": "ok"}

    @app.get("/health", response_model=Health, tags=["meta"])
    def health() -> Health:
        """Liveness and the current epoch (no token needed)."""
        return Health(status="ok", epoch=store.epoch())

    @app.get("/whoami", response_model=WhoAmI, responses=COMMON, tags=["meta"])
    def whoami(who: Who) -> WhoAmI:
        return WhoAmI(name=who.name, role=who.role, station_id=who.station_id,
                      workstation=who.workstation)

    @app.post("/ops", response_model=OpsResponse, responses=COMMON, tags=["sync"])
    def post_ops(body: OpsRequest, who: Who) -> OpsResponse:
        """Apply a batch of client ops in order, idempotently by ``op_id``.

        A replayed op returns its stored result and changes nothing. An op made on a stale base
        revision merges descriptive fields by HLC and answers ``conflict`` (with the server's
        record) for operational fields changed by someone else. One bad op is rejected on its own.
        """
        need_role(who, ("dispatcher", "station_chief", "trainer", "admin"), "ops")
        need_ns(who, body.ns, write=True, action="ops")
        ops = [OpIn(o.op_id, o.entity, o.entity_id, o.op, o.patch, o.base_rev, o.hlc, o.actor,
                    o.unit) for o in body.ops]
        results = store.apply_ops(body.ns, body.origin, ops, who, authorize_op)
        head = max((r.seq for r in results if r.seq and not r.replayed), default=0)
        if head:
            events = [{"kind": "sync.changed", "at": time.time(), "data": {"head": head}}]
            for o, r in zip(ops, results, strict=True):
                if (o.entity == "units" and r.status in ("applied", "merged") and not r.replayed
                        and o.patch and "status" in o.patch and r.seq):
                    events.append({"kind": "unit.status", "at": time.time(),
                                   "data": {"unit_id": o.entity_id, "status": o.patch["status"]}})
            hub.publish(body.ns, {"fixes": [], "readings": [], "events": events})
        return OpsResponse(epoch=store.epoch(),
                           results=[OpResultOut(**r.to_json()) for r in results])

    @app.get("/changes", response_model=ChangesResponse, responses=COMMON, tags=["sync"])
    def get_changes(
        who: Who,
        since: Annotated[int, Query(ge=0, le=2**62)] = 0,
        limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
        ns: Literal["live", "drill"] = "live",
    ) -> Response:
        """The change feed after ``since``, oldest first, with the server's epoch."""
        need_ns(who, ns, write=False, action="changes")
        rows, last, head = store.changes(ns, since, limit)
        rows = scoped_rows(store, who, ns, rows)
        text = (f'{{"epoch":"{store.epoch()}","since":{since},"last_seq":{last},"head":{head},'
                f'"more":{"true" if last < head else "false"},"changes":[' + ",".join(rows) + "]}")
        return Response(text, media_type="application/json")

    @app.get("/counts", response_model=CountsResponse, responses=COMMON, tags=["sync"])
    def get_counts(who: Who, ns: Literal["live", "drill"] = "live") -> CountsResponse:
        """Live (not deleted) records per entity, to compare with a workspace after a sync."""
        need_ns(who, ns, write=False, action="counts")
        _, _, head = store.changes(ns, 2**62, 1)
        return CountsResponse(epoch=store.epoch(), head=head, counts=store.counts(ns))

    def _publish_telemetry(fixes: list[UnitFix], readings: list[SensorReading]) -> None:
        if fixes or readings:
            hub.publish("live", {
                "fixes": [[f.unit_id, f.lat, f.lon, f.at, f.heading, f.speed_kmh]
                          for f in fixes],
                "readings": [[r.point_id, r.at, r.depth_cm, r.rain_mm] for r in readings],
                "events": [],
            })

    def need_units(who: Principal, units: set[str], readings: bool, action: str) -> None:
        """A device token reports its own unit only (a gateway any): refused and audited."""
        if who.role != "device":
            return
        denial = ("other_unit" if readings and who.unit_id != GATEWAY else None) or next(
            (d for d in (device_denial(who, u) for u in sorted(units)) if d), None)
        if denial:
            store.audit(who, action, "live", "denied",
                        {"reason": denial, "bound_to": who.unit_id,
                         "units": sorted(units)[:20], "readings": readings})
            raise ApiError(403, denial, audited=True)

    @app.post("/telemetry", response_model=TelemetryResponse, responses=COMMON,
              tags=["telemetry"])
    def post_telemetry(body: TelemetryRequest, who: Who) -> TelemetryResponse:
        """Batched unit positions and sensor readings. Bad ones are counted by reason, not stored.

        A speed or heading of −1 means "unknown" and is stored as null; a heading is folded
        into [0, 360). Fixes and readings older than the server's ``--max-fix-age`` (default
        7 days) are counted as ``too_old``, later than 5 minutes ahead as ``future_time``. A
        device token may report only the unit it is bound to (403 ``other_unit``)."""
        need_role(who, TELEMETRY_ROLES, "telemetry")
        need_units(who, {f.unit_id for f in body.fixes}, bool(body.readings), "telemetry")
        fixes = [UnitFix(f.unit_id, f.lat, f.lon, f.at, f.heading, f.speed_kmh, f.accuracy_m)
                 for f in body.fixes]
        readings = [SensorReading(r.point_id, r.at, r.depth_cm, r.rain_mm) for r in body.readings]
        result = store.ingest(fixes, readings, time.time(), max_age_s=max_fix_age_s)
        store.audit(who, "telemetry", "live", "applied",
                    {"fixes": result.stored_fixes, "readings": result.stored_readings,
                     "rejected": dict(result.rejected)})
        _publish_telemetry(result.accepted_fixes, result.accepted_readings)
        return TelemetryResponse(stored_fixes=result.stored_fixes,
                                 stored_readings=result.stored_readings,
                                 rejected=dict(result.rejected))

    @app.get("/telemetry/stats", response_model=TelemetryStats, responses=COMMON,
             tags=["telemetry"])
    def telemetry_stats(who: Who) -> TelemetryStats:
        need_role(who, ("dispatcher", "admin", "station_chief"), "telemetry.stats")
        return TelemetryStats(**store.telemetry_stats())

    async def _osmand(request: Request) -> Response:
        params: dict[str, str] = dict(request.query_params)
        if request.method == "POST":
            ctype = request.headers.get("content-type", "")
            raw = await request.body()
            if "json" in ctype and raw:
                params.update(_traccar_json(raw))
            elif raw:
                # Form-encoded, as OsmAnd clients POST it (parsed here: no multipart dependency).
                try:
                    params.update(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
                except UnicodeDecodeError as exc:
                    raise ApiError(400, "bad_request", "请求体不是 UTF-8 编码") from exc
        token = params.pop("token", "")
        who: Principal | None = getattr(request.state, "principal", None)
        if who is None:
            # Only a form POST without a query or header token gets here (see AuthFirst).
            found, why = (await asyncio.to_thread(store.check_token, token, time.time())
                          if token else (None, "missing_token"))
            if found is None:
                raise ApiError(401, why or "bad_token", headers={"WWW-Authenticate": "Bearer"})
            who = request.state.principal = found
        need_role(who, TELEMETRY_ROLES, "osmand")
        fix, reason = _osmand_fix(params, store)
        if fix is None:
            store.count_rejects(Counter({reason or "bad_request": 1}))
            status = 404 if reason == "unknown_device" else 400
            raise ApiError(status, reason or "bad_request", _osmand_reason(reason))
        need_units(who, {fix.unit_id}, False, "osmand")
        result = await asyncio.to_thread(store.ingest, [fix], [], time.time(),
                                         max_age_s=max_fix_age_s)
        if result.rejected:
            reason = next(iter(result.rejected))
            raise ApiError(400, reason, _osmand_reason(reason))
        _publish_telemetry(result.accepted_fixes, [])
        return Response(status_code=200)

    def osmand_params(method: str) -> dict[str, Any]:
        # What the handler checks, stated: a GET carries id, lat and lon in the query; a POST may
        # carry them in a form or Traccar JSON body instead, so there none is required.
        required = method == "GET"
        number = {"type": "number"}
        schemas: dict[str, tuple[dict[str, Any], bool]] = {
            "id": ({"type": "string", "minLength": 1, "maxLength": 100}, required),
            "deviceid": ({"type": "string", "minLength": 1, "maxLength": 100}, False),
            "lat": ({"type": "number", "minimum": -90, "maximum": 90}, required),
            "lon": ({"type": "number", "minimum": -180, "maximum": 180}, required),
            "timestamp": ({"type": "string", "minLength": 1, "maxLength": 40,
                           "description": "POSIX seconds or milliseconds, or ISO 8601"}, False),
            "speed": ({**number, "description": "knots; −1 = unknown"}, False),
            "bearing": ({**number, "description": "degrees, folded into [0, 360); −1 = unknown"},
                        False),
            "heading": (number, False), "accuracy": (number, False),
            "altitude": (number, False), "batt": (number, False),
            "token": ({"type": "string", "minLength": 1}, False),
        }
        return {"parameters": [
            {"name": n, "in": "query", "required": req, "schema": schema}
            for n, (schema, req) in schemas.items()]}

    # One route per method and path, each with its own operation id: a shared route gets one id
    # for both methods and the OpenAPI document would carry a duplicate. ``/`` is the protocol's
    # default path (Traccar Client, OsmAnd).
    for path in ("/osmand", "/"):
        for method in ("GET", "POST"):
            name = "osmand" if path == "/osmand" else "osmand_root"
            app.add_api_route(
                path, _osmand, methods=[method], tags=["telemetry"],
                operation_id=f"{name}_{method.lower()}",
                summary="OsmAnd / Traccar Client position report (id, lat, lon, timestamp, speed …)",
                responses={200: {"description": "stored"}, 404: _ERR, **COMMON},
                openapi_extra=osmand_params(method),
            )

    @app.get("/stream", responses={200: {"content": {"text/event-stream": {}}}, **COMMON},
             tags=["stream"])
    async def stream(who: Who, ns: Literal["live", "drill"] = "live") -> StreamingResponse:
        """Server-sent events: ``batch`` events carrying fixes, readings and events."""
        need_ns(who, ns, write=False, action="stream")
        if who.role == "device":
            raise ApiError(403, "role_forbidden")
        return StreamingResponse(hub.events(ns, heartbeat_s), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache"})

    @app.post("/alerts", response_model=EpochOut, responses=COMMON, tags=["stream"])
    def post_alert(body: AlertRequest, who: Who) -> EpochOut:
        """Broadcast an alert (告警) to every workstation on the stream; audited."""
        need_role(who, ("dispatcher", "admin", "trainer", "station_chief"), "alert")
        need_ns(who, body.ns, write=True, action="alert")
        store.audit(who, "alert", body.ns, "applied", body.model_dump())
        hub.publish(body.ns, {"fixes": [], "readings": [], "events": [
            {"kind": "alert", "at": time.time(), "data": body.model_dump(exclude={"ns"})}]})
        return EpochOut(epoch=store.epoch())

    @app.post("/reports/accident", response_model=EpochOut, responses=COMMON, tags=["stream"])
    def post_accident_report(body: AccidentReportRequest, who: Who) -> EpochOut:
        """Broadcast a minor-accident report (事故报警) to every workstation on the stream, as an
        ``accident.report`` event; the desks' accident service turns it into a case. Audited."""
        need_role(who, ("dispatcher", "admin", "trainer", "device"), "accident.report")
        need_ns(who, body.ns, write=True, action="accident.report")
        store.audit(who, "accident.report", body.ns, "applied", {"case_key": body.case_key})
        data = body.model_dump(exclude={"ns"})
        data["source"] = "central"
        hub.publish(body.ns, {"fixes": [], "readings": [], "events": [
            {"kind": "accident.report", "at": time.time(), "data": data}]})
        return EpochOut(epoch=store.epoch())

    @app.get("/insurance/queue", response_model=list[ClaimOut], responses=COMMON,
             tags=["insurance"])
    def insurance_queue(
        who: Who,
        ns: Literal["live", "drill"] = "live",
        limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    ) -> list[ClaimOut]:
        """Claims pushed by the workstations (理赔推送) that the insurer has not answered yet,
        least recently changed first, with the case and its parties' plates and liability.
        An insurer token scoped to a company sees that company's claims only."""
        need_role(who, INSURER_ROLES, "insurance.queue")
        return list_claims(store, ns, who, limit)

    @app.post("/insurance/{claim_id}/ack", response_model=AckOut,
              responses={**COMMON, 404: _ERR, 409: _ERR}, tags=["insurance"])
    def insurance_ack(
        claim_id: Annotated[Text, FastApiPath(min_length=1, max_length=200)],
        body: AckRequest,
        who: Who,
    ) -> AckOut:
        """The insurer's answer: ``accepted`` (已受理) or ``rejected`` (被拒绝, reason required).

        Written as an ordinary data change of the claim (and its case), audited, so it flows
        back to every workstation through the change feed. The same answer again is a replay
        (``replayed``); a different answer to an answered claim is 409."""
        need_role(who, INSURER_ROLES, "insurance.ack")
        try:
            result = acknowledge(store, body.ns, who, claim_id, body.decision, body.reason,
                                 body.claim_no)
        except ClaimError as exc:
            raise ApiError(exc.status, exc.error) from exc
        if result.seq:
            hub.publish(body.ns, {"fixes": [], "readings": [], "events": [
                {"kind": "sync.changed", "at": time.time(), "data": {"head": result.seq}}]})
        return result

    @app.post("/admin/users", response_model=UserCreated, responses=COMMON, tags=["admin"])
    def add_user(body: UserRequest, who: Who) -> UserCreated:
        """Issue a token for a user on a workstation (shown once; only its hash is kept).

        A station chief needs ``station_id``; a device needs ``unit_id`` (the one unit it
        reports for) or ``gateway: true``; tokens expire after ``expires_days`` (default 365)."""
        need_admin(who, "user.add")
        if body.role == "station_chief" and not body.station_id:
            raise ApiError(400, "bad_request", "中队长必须指定所属中队（station_id）")
        if body.role == "device" and (body.unit_id is None) == (not body.gateway):
            raise ApiError(400, "bad_request", "设备令牌须绑定一个单位（unit_id）或声明为网关（gateway）")
        if body.role != "device" and (body.unit_id is not None or body.gateway):
            raise ApiError(400, "bad_request", "只有设备令牌可以绑定单位")
        unit = GATEWAY if body.gateway else body.unit_id
        expires = None if body.expires_days is None else time.time() + body.expires_days * 86400
        token = store.add_user(body.name, body.role, body.station_id, body.workstation,
                               unit_id=unit, expires_at=expires)
        store.audit(who, "user.add", body.name, "applied",
                    {"role": body.role, "station_id": body.station_id,
                     "workstation": body.workstation, "unit_id": unit, "expires_at": expires})
        return UserCreated(name=body.name, role=body.role, token=token)

    @app.get("/admin/users", response_model=list[UserOut], responses=COMMON, tags=["admin"])
    def list_users(who: Who) -> list[UserOut]:
        need_admin(who, "user.list")
        return [UserOut(**u) for u in store.users()]

    def self_lockout(who: Principal, name: str) -> None:
        # Over the API an admin cannot lock themselves out (the CLI on the server can).
        if name == who.name:
            raise ApiError(409, "own_token", "不能通过接口吊销或轮换自己的令牌，请在服务器上用 "
                           "desk-central user 命令")

    @app.post("/admin/users/{name}/revoke", response_model=RevokeOut,
              responses={**COMMON, 404: _ERR, 409: _ERR}, tags=["admin"])
    def revoke_user(name: Annotated[Text, FastApiPath(min_length=1, max_length=100)],
                    who: Who) -> RevokeOut:
        """Revoke every token of the user ``name`` at once (401 ``revoked_token`` afterwards)."""
        need_admin(who, "user.revoke")
        self_lockout(who, name)
        count = store.revoke_user(name, time.time())
        if not count:
            raise ApiError(404, "not_found", "没有该名称的有效用户")
        store.audit(who, "user.revoke", name, "applied", {"tokens": count})
        return RevokeOut(name=name, revoked=count)

    @app.post("/admin/users/{name}/rotate", response_model=UserCreated,
              responses={**COMMON, 404: _ERR, 409: _ERR}, tags=["admin"])
    def rotate_user(name: Annotated[Text, FastApiPath(min_length=1, max_length=100)],
                    body: RotateRequest, who: Who) -> UserCreated:
        """A new token for ``name``; the old one stops working at once."""
        need_admin(who, "user.rotate")
        self_lockout(who, name)
        expires = None if body.expires_days is None else time.time() + body.expires_days * 86400
        try:
            token = store.rotate_token(name, time.time(), expires)
        except ValueError as exc:
            raise ApiError(409, "ambiguous_user", "有多个同名的有效用户，请先吊销多余的") from exc
        if token is None:
            raise ApiError(404, "not_found", "没有该名称的有效用户")
        role = next((u["role"] for u in store.users()
                     if u["name"] == name and u["revoked_at"] is None), "")
        store.audit(who, "user.rotate", name, "applied", {"expires_at": expires})
        return UserCreated(name=name, role=role, token=token)

    @app.get("/admin/audit", response_model=list[AuditRow], responses=COMMON, tags=["admin"])
    def audit(
        who: Who,
        limit: Annotated[int, Query(ge=1, le=10_000)] = 100,
        before_id: Annotated[int | None, Query(ge=0, le=2**62)] = None,
    ) -> list[AuditRow]:
        """The append-only audit log, newest first."""
        need_admin(who, "audit.read")
        return [AuditRow(**r) for r in store.audit_rows(limit, before_id)]

    @app.post("/admin/epoch", response_model=EpochOut, responses=COMMON, tags=["admin"])
    def rotate_epoch(who: Who) -> EpochOut:
        """Start a new epoch (after restoring a backup): workstations will ask before syncing."""
        need_admin(who, "epoch.rotate")
        epoch = store.rotate_epoch()
        store.audit(who, "epoch.rotate", epoch, "applied")
        return EpochOut(epoch=epoch)

    assert set(ROLES) >= set(READ_ROLES)
    app.add_middleware(AuthFirst, store=store)
    from desk.central.scale import install

    install(app, store)  # position history, 503 when the database is unreachable
    _document_middleware_answers(app)
    return app


def _document_middleware_answers(app: FastAPI) -> None:
    """Every route behind ``AuthFirst`` can answer 401 (token) and 413 (body cap) before it
    runs: say so in the OpenAPI document of each, including routes other modules add."""
    plain = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        doc = plain()
        error_ref = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        for path, ops in doc.get("paths", {}).items():
            if path in PUBLIC_PATHS:
                continue
            for spec in ops.values():
                if not isinstance(spec, dict) or "responses" not in spec:
                    continue
                for status, what in (("401", "访问令牌缺失、无效、过期或已吊销"),
                                     ("413", "请求体超过此接口的上限")):
                    spec["responses"].setdefault(status, {"description": what,
                                                          "content": error_ref})
        app.openapi_schema = doc
        return doc

    app.openapi = openapi  # type: ignore[method-assign]


# -- read scoping ------------------------------------------------------------------------------


def case_stations(store: CentralStore, ns: str, case_ids: set[str]) -> dict[str, str | None]:
    """The station (中队) each accident case belongs to: its own ``station_id`` if it has one,
    else the station of the unit assigned to it; ``None`` when no station owns the case."""
    cases = store.records(ns, "accident_cases", case_ids)
    unit_ids = {str(d.get("assigned_unit_id")) for d, _ in cases.values()
                if d.get("assigned_unit_id") and not d.get("station_id")}
    units = store.records(ns, "units", unit_ids) if unit_ids else {}
    out: dict[str, str | None] = {}
    for cid, (data, _) in cases.items():
        station = data.get("station_id")
        if not station and data.get("assigned_unit_id"):
            station = units.get(str(data["assigned_unit_id"]), ({}, 0))[0].get("station_id")
        out[cid] = None if station is None else str(station)
    return out


def scoped_rows(store: CentralStore, who: Principal, ns: str, rows: list[str]) -> list[str]:
    """Change rows as ``who`` may read them: a station chief gets the ID numbers and phones of
    other stations' accident parties redacted (``desk.central.auth.redact_parties``)."""
    if who.role != "station_chief" or not any('"accident_parties"' in r for r in rows):
        return rows
    parsed = {i: json.loads(r) for i, r in enumerate(rows) if '"accident_parties"' in r}
    parties = {i: c for i, c in parsed.items()
               if c.get("entity") == "accident_parties" and isinstance(c.get("data"), dict)}
    # An update row carries only the changed fields: its case comes from the stored party.
    need = {str(c["entity_id"]) for c in parties.values() if "case_id" not in c["data"]}
    stored = store.records(ns, "accident_parties", need) if need else {}
    case_of = {i: str(c["data"].get("case_id", stored.get(str(c["entity_id"]), ({}, 0))[0]
                                      .get("case_id"))) for i, c in parties.items()}
    stations = case_stations(store, ns, set(case_of.values()))
    out = list(rows)
    for i, change in parties.items():
        probe = {**change["data"], "case_id": case_of[i]}
        if redact_parties(who, [probe], stations):
            change["data"].update({k: probe[k] for k in change["data"] if k in probe})
            out[i] = json.dumps(change, ensure_ascii=False, separators=(",", ":"))
    return out


# -- OsmAnd helpers ----------------------------------------------------------------------------


def _traccar_json(raw: bytes) -> dict[str, str]:
    """Traccar Client 8+ posts JSON: {device_id, location: {timestamp, coords: {...}}}."""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return {}
    if not isinstance(data, dict):
        return {}
    out: dict[str, str] = {}
    if data.get("device_id") is not None:
        out["id"] = str(data["device_id"])
    loc = data.get("location")
    if isinstance(loc, dict):
        if loc.get("timestamp") is not None:
            out["timestamp"] = str(loc["timestamp"])
        coords = loc.get("coords")
        if isinstance(coords, dict):
            for src, dst in (("latitude", "lat"), ("longitude", "lon"), ("heading", "bearing"),
                             ("accuracy", "accuracy"), ("altitude", "altitude")):
                if coords.get(src) is not None:
                    out[dst] = str(coords[src])
            if coords.get("speed") is not None and coords["speed"] != UNKNOWN:
                # Traccar Client JSON reports m/s; the query protocol uses knots (−1: unknown).
                try:
                    out["speed"] = str(float(coords["speed"]) / 0.514444)
                except (TypeError, ValueError):
                    out["speed"] = "nan"
    return out


def _number(text: str | None) -> float | None:
    if text is None or text == "":
        return None
    try:
        return float(text)
    except ValueError:
        return math.nan


def _timestamp(text: str | None) -> float | None:
    if text is None or text == "":
        return time.time()
    try:
        value = float(text)
    except ValueError:
        try:
            return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
        except ValueError:
            return None
    # Some trackers send milliseconds.
    return value / 1000.0 if value > 1e11 else value


def _osmand_fix(params: dict[str, str], store: CentralStore) -> tuple[UnitFix | None, str | None]:
    device = params.get("id") or params.get("deviceid")
    if not device or len(device) > 100:
        return None, "missing_id"
    # Who is reporting comes first: nothing else an unknown device says matters.
    unit = store.unit_for_device(device)
    if unit is None:
        return None, "unknown_device"
    lat, lon = _number(params.get("lat")), _number(params.get("lon"))
    if lat is None or lon is None:
        return None, "missing_position"
    at = _timestamp(params.get("timestamp"))
    if at is None:
        return None, "bad_time"
    speed = _number(params.get("speed"))
    if speed == UNKNOWN:
        speed = None  # −1 knots is "unknown", not −1.852 km/h
    return UnitFix(
        unit, lat, lon, at,
        heading=_number(params.get("bearing") or params.get("heading")),
        speed_kmh=None if speed is None else speed * KNOT_KMH,
        accuracy_m=_number(params.get("accuracy")),
    ), None


def _osmand_reason(reason: str | None) -> str:
    from desk.domain.telemetry import REJECTION_LABELS

    labels = {"missing_id": "缺少设备号（id）", "missing_position": "缺少经纬度",
              **REJECTION_LABELS}
    return labels.get(reason or "", reason or "请求无效")
