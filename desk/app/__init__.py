"""The application runtime: the Qt-free owner of desk's background work.

The UI creates one ``Runtime`` per open workspace; so can a headless tool or a test. It owns the
feed router (every live event kind has exactly one consuming service), the periodic jobs
(watchdog, duty supervision, accident targets, gauge judging), the thread jobs (sync, the
central's live stream, the demo streams, a drill's inject feed), their start/stop/restart on
settings changes, and their health. Widgets subscribe to it; none of them owns a service's work.
"""

from desk.app.jobs import JobHealth, JobState
from desk.app.router import FeedRouter
from desk.app.runtime import Runtime

__all__ = ["FeedRouter", "JobHealth", "JobState", "Runtime"]
