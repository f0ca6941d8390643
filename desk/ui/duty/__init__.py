"""The duty board (勤务一张图 排班板): timeline of posts × time, roster to drag from, live rule
badges, undo/redo, auto-fill, publish, export/import and on-post supervision."""

from __future__ import annotations

from desk.ui.duty.panel import DutyBoardPanel

__all__ = ["DutyBoardPanel"]
