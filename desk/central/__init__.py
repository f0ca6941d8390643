"""desk-central: the reference central REST endpoint (FastAPI), Qt-free.

``desk.central.app.create_app(store)`` builds the API over a ``CentralStore``
(``desk.central.storage.SqliteCentralStore`` by default); ``desk-central`` runs it.
"""
