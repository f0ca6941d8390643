"""The alert inbox (告警) and its sound."""
