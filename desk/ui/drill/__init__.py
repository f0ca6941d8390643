"""Drill mode widgets (演练): the trainer's controls, the red DRILL banner and report export."""

from desk.ui.drill.controls import DrillBanner, DrillControls, drill_window_title

__all__ = ["DrillBanner", "DrillControls", "drill_window_title"]
