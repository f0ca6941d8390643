"""The province-scale generator: the stated sizes, inside Hubei, deterministic, and every record
one the central accepts (loaded into a real store of each backend through the op rules)."""

from __future__ import annotations

from desk.central.storage import CentralStore
from desk.demo.province import BBOX, ProvinceSpec, generate_province
from desk.sync.rules import SYNC_RULES


def test_sizes_bounds_and_determinism() -> None:
    p = generate_province()
    assert p.counts() == {"stations": 102, "cameras": 51_000, "checkpoints": 16_000,
                          "units": 5_000, "water_points": 3_000}
    s, w, n, e = BBOX
    for rec in p.cameras + p.checkpoints + p.water_points + p.stations:
        assert s <= rec["lat"] <= n and w <= rec["lon"] <= e
    assert len({c["id"] for c in p.cameras + p.checkpoints}) == 67_000
    small = ProvinceSpec(cameras=500, checkpoints=50, units=20, water_points=10)
    assert generate_province(small) == generate_province(small)
    assert generate_province(ProvinceSpec(seed=1)).cameras[0] != p.cameras[0]
    # Wuhan is the largest city: the most cameras.
    by_city: dict[str, int] = {}
    for c in p.cameras:
        by_city[c["district"]] = by_city.get(c["district"], 0) + 1
    assert max(by_city, key=lambda k: by_city[k]) == "武汉"


def test_records_fit_the_synced_rules_and_load(store: CentralStore) -> None:
    p = generate_province(ProvinceSpec(cameras=300, checkpoints=100, units=50, water_points=30))
    for entity, records in p.by_entity():
        rule = SYNC_RULES[entity]
        for rec in records:
            assert set(rec) <= rule.columns() | {rule.pk}, (entity, set(rec) - rule.columns())
        assert store.bulk_load("live", entity, records) == len(records)
    assert store.counts("live") == {"stations": 102, "cameras": 400, "units": 50,
                                    "water_points": 30}
    assert store.unit_for_device("dev-00007") == "U00007"
