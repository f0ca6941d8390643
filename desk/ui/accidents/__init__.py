"""The dispatcher's screens for minor-accident quick handling (轻微事故快处)."""

from __future__ import annotations

from desk.ui.accidents.panel import AccidentPanel

__all__ = ["AccidentPanel"]
