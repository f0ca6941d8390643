"""Drill mode widgets (演练): the trainer's controls, the red DRILL banner, report export and the
debrief replay window."""

from desk.ui.drill.controls import DrillBanner, DrillControls, drill_window_title
from desk.ui.drill.replay import DrillReplayWindow, replay_window_title

__all__ = ["DrillBanner", "DrillControls", "DrillReplayWindow", "drill_window_title",
           "replay_window_title"]
