"""Live telemetry sources: the desk-central stream, the demo simulator, drill injects."""

from desk.feeds.base import Feed, FeedBatch, FeedEvent, FeedSink

__all__ = ["Feed", "FeedBatch", "FeedEvent", "FeedSink"]
