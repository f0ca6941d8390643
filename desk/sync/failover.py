"""A central client that fails over between the nodes of one desk-central deployment.

Nodes share one database, so an op_id, the change feed's cursor and the epoch mean the same on
every node: when the current node cannot be reached (connection error, or a 502/503/504 from a
node or its proxy) the same request goes to the next node, and a retried ``/ops`` batch is
answered from the stored results (idempotent by ``op_id``), never applied twice. It is a
``CentralClient``, so ``SyncEngine(ws, FailoverClient([...], token))`` works unchanged.

After a switch the live stream has a gap: :meth:`FailoverClient.last_fixes` reads every unit's
last fix from ``/history/last`` to fill it. ``on_switch`` is called with (old URL, new URL) so the
status bar can show which node the desk is on (``current_url``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from desk.sync.transport import CentralClient, TransportError

log = logging.getLogger(__name__)

#: Answers that say "this node, not the request": try another node.
NODE_DOWN = (502, 503, 504)


class FailoverClient(CentralClient):
    """``CentralClient`` over several node URLs (the first is preferred)."""

    def __init__(self, urls: Sequence[str], token: str, *, timeout: float = 15.0,
                 verify: bool | str = True,
                 on_switch: Callable[[str, str], None] | None = None) -> None:
        clean = [u.rstrip("/") for u in urls if u.strip()]
        if not clean:
            raise ValueError("至少需要一个中心地址")
        self.urls = clean
        self._index = 0
        self._timeout, self._verify = timeout, verify
        self.on_switch = on_switch
        self.switches = 0
        super().__init__(clean[0], token, timeout=timeout, verify=verify)

    @property
    def current_url(self) -> str:
        return self.urls[self._index]

    def _switch(self) -> None:
        old = self.current_url
        self._index = (self._index + 1) % len(self.urls)
        self._client.close()
        fresh = CentralClient(self.current_url, self.token, timeout=self._timeout,
                              verify=self._verify)
        self.url, self._client = fresh.url, fresh._client
        self.switches += 1
        log.warning("central node %s unreachable; switched to %s", old, self.current_url)
        if self.on_switch is not None:
            self.on_switch(old, self.current_url)

    def _call(self, method: str, path: str, *, measure_clock: bool = False, **kwargs: Any) -> Any:
        last: TransportError | None = None
        for _ in range(len(self.urls)):
            try:
                return super()._call(method, path, measure_clock=measure_clock, **kwargs)
            except TransportError as exc:
                # A 429 or a 500 is this request's answer (all nodes share the database): the
                # engine's backoff handles it. No answer, or a gateway error, is the node's.
                if exc.status and exc.status not in NODE_DOWN:
                    raise
                last = exc
                if len(self.urls) > 1:
                    self._switch()
        assert last is not None
        raise last

    def last_fixes(self, page: int = 5000) -> list[dict[str, Any]]:
        """Every unit's last fix (all pages of ``/history/last``), to fill the live stream's gap
        after a switch or a reconnect."""
        out: list[dict[str, Any]] = []
        after: str | None = None
        while True:
            params: dict[str, Any] = {"limit": page}
            if after:
                params["after"] = after
            doc = self._call("GET", "/history/last", params=params)
            out += list(doc["fixes"])
            after = doc.get("next")
            if not after:
                return out

