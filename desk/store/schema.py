"""The registry of migration sets. Each feature owns one ``sqlite_utils.Migrations`` set in its own
module (``desk.store.schema_<feature>``), so features can grow their tables without touching each
other's migrations; this module lists them in the order they are applied.

A workspace is "too new" when it records a migration, in any ``desk.*`` set, that this build does
not know: we refuse it rather than run old code over a schema we do not understand.
"""

from __future__ import annotations

from sqlite_utils import Migrations

from desk.store.schema_accidents import accidents
from desk.store.schema_app import app
from desk.store.schema_core import core
from desk.store.schema_dispatch import dispatch
from desk.store.schema_drill import drill
from desk.store.schema_duty import duty
from desk.store.schema_ops import ops
from desk.store.schema_sync import sync
from desk.store.schema_water import water


def migration_sets() -> list[Migrations]:
    """All migration sets of this build, applied in this order on open."""
    return [
        core,
        water,
        drill,
        sync,
        accidents,
        duty,
        ops,
        app,
        dispatch,
    ]
