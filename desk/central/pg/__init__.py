"""desk-central on PostgreSQL 15 + PostGIS 3: the store, its numbered SQL migrations, and a test server.

``desk.central.stores.open_store("postgresql://…")`` selects it; a file path keeps SQLite.
"""
