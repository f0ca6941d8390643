"""HTTP calls to desk-central, with errors sorted by what the sync must do about them.

``TransportError``: retry later (network down, timeout, 5xx, 429; may carry ``retry_after``).
``AuthError``: the token is missing, wrong or not allowed; stop and tell the user.
``RequestRejected``: any other 4xx for the whole request (the caller narrows it down).
"""

from __future__ import annotations

import json
import logging
import ssl
import time
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

log = logging.getLogger(__name__)


class SyncError(Exception):
    def __init__(self, message: str, status: int = 0, reason: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.reason = reason or message


class TransportError(SyncError):
    def __init__(self, message: str, status: int = 0, retry_after: float | None = None) -> None:
        super().__init__(message, status)
        self.retry_after = retry_after


class AuthError(SyncError):
    pass


class RequestRejected(SyncError):
    pass


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(when.tzinfo)).total_seconds())


def tls_verify(verify: bool | str) -> bool | ssl.SSLContext:
    """``True``/``False``, or a CA file to trust (a deployment's own certificate)."""
    if isinstance(verify, str):
        return ssl.create_default_context(cafile=verify)
    return verify


class CentralClient:
    """A thin client of the desk-central API. One instance per thread (httpx.Client is not
    meant to be shared across threads that close it)."""

    def __init__(self, url: str, token: str, *, timeout: float = 15.0, verify: bool | str = True,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.url = url.rstrip("/")
        self.token = token
        self._client = httpx.Client(
            base_url=self.url, timeout=timeout, verify=tls_verify(verify), transport=transport,
            headers={"Authorization": f"Bearer {token}"} if token else {},
        )
        #: This machine's clock minus the central's, in seconds, from the ``Date`` header of the
        #: last ``get_counts`` answer (``None`` until measured). Good to about a second.
        self.clock_skew_s: float | None = None

    def close(self) -> None:
        self._client.close()

    def _call(self, method: str, path: str, *, measure_clock: bool = False, **kwargs: Any) -> Any:
        sent = time.time()
        try:
            response = self._client.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise TransportError(f"无法连接中心：{exc.__class__.__name__}: {exc}") from exc
        if measure_clock:
            self._measure_clock(response, sent, time.time())
        status = response.status_code
        if status < 300:
            try:
                return response.json()
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                raise TransportError(f"中心返回了无法解析的数据（HTTP {status}）", status) from exc
        reason = _reason(response)
        if status == 429 or status >= 500:
            raise TransportError(f"中心暂时不可用（HTTP {status}）：{reason}", status,
                                 parse_retry_after(response.headers.get("Retry-After")))
        if status in (401, 403):
            raise AuthError(f"中心拒绝访问（HTTP {status}）：{reason}", status, reason)
        raise RequestRejected(f"中心拒绝请求（HTTP {status}）：{reason}", status, reason)

    def _measure_clock(self, response: httpx.Response, sent: float, received: float) -> None:
        date = response.headers.get("Date")
        if not date:
            return
        try:
            server = parsedate_to_datetime(date).timestamp()
        except (TypeError, ValueError):
            return
        # The header has whole seconds: the central's clock read somewhere in [server, server+1).
        self.clock_skew_s = (sent + received) / 2 - (server + 0.5)

    def health(self) -> dict[str, Any]:
        return dict(self._call("GET", "/health"))

    def post_ops(self, ns: str, origin: str, ops: list[dict[str, Any]]) -> dict[str, Any]:
        body = json.dumps({"ns": ns, "origin": origin, "ops": ops}, ensure_ascii=False)
        return dict(self._call("POST", "/ops", content=body.encode(),
                               headers={"Content-Type": "application/json"}))

    def get_changes(self, ns: str, since: int, limit: int) -> dict[str, Any]:
        return dict(self._call("GET", "/changes", params={"ns": ns, "since": since, "limit": limit}))

    def get_counts(self, ns: str) -> dict[str, Any]:
        return dict(self._call("GET", "/counts", measure_clock=True, params={"ns": ns}))


def _reason(response: httpx.Response) -> str:
    try:
        data = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return response.text[:200]
    if isinstance(data, dict):
        if "reason" in data:
            return str(data["reason"])
        if "detail" in data:
            return json.dumps(data["detail"], ensure_ascii=False)[:300]
    return str(data)[:200]
