"""态势 dashboards: units online, alerts per hour by kind, water points by state over time."""
