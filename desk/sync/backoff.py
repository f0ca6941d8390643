"""Exponential backoff with jitter for retrying the central, honouring ``Retry-After``."""

from __future__ import annotations

import random


class Backoff:
    """Delays grow ``base * 2**n`` up to ``cap``; each is jittered to between half and all of it,
    so workstations that lost the central together do not come back in lockstep."""

    def __init__(self, base: float = 0.5, cap: float = 60.0, rng: random.Random | None = None) -> None:
        self.base = base
        self.cap = cap
        self.attempt = 0
        self._rng = rng or random.Random()

    def next_delay(self, retry_after: float | None = None) -> float:
        ceiling = min(self.cap, self.base * float(2 ** min(self.attempt, 30)))
        self.attempt += 1
        delay = ceiling / 2 + self._rng.uniform(0, ceiling / 2)
        if retry_after is not None and retry_after > 0:
            # The server knows best when it can take us again; never come back earlier.
            delay = max(delay, min(retry_after, 10 * self.cap))
        return delay

    def reset(self) -> None:
        self.attempt = 0
