"""desk-central: the reference central REST endpoint (FastAPI), Qt-free."""
