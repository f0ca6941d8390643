-- Telemetry at volume: positions and readings in daily range partitions on time (UNIX seconds, UTC
-- days), BRIN on time inside each partition (rows arrive in time order), PostGIS points with a GiST
-- index. Partitions are created by the store as data arrives and dropped whole by retention.

CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE positions (
    id bigint GENERATED ALWAYS AS IDENTITY, unit_id text NOT NULL, device_id text,
    lat double precision NOT NULL, lon double precision NOT NULL, at double precision NOT NULL,
    heading double precision, speed_kmh double precision, accuracy_m double precision,
    received_at double precision NOT NULL,
    geom geometry(Point, 4326) GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED
) PARTITION BY RANGE (at);
CREATE INDEX idx_positions_at ON positions USING brin (at);
CREATE INDEX idx_positions_geom ON positions USING gist (geom);
-- A unit's track for a replay: without it a track reads every fix of the time window.
CREATE INDEX idx_positions_unit ON positions (unit_id, at);

CREATE TABLE readings (
    id bigint GENERATED ALWAYS AS IDENTITY, point_id text NOT NULL, at double precision NOT NULL,
    depth_cm double precision, rain_mm double precision, received_at double precision NOT NULL
) PARTITION BY RANGE (at);
CREATE INDEX idx_readings_at ON readings USING brin (at);

-- One row per unit, rewritten by every batch: no index but the key (updates stay HOT in the
-- free half of each page), no geometry (nothing searches it by place; positions are searched).
CREATE TABLE last_fix (
    unit_id text PRIMARY KEY, lat double precision NOT NULL, lon double precision NOT NULL,
    at double precision NOT NULL, heading double precision, speed_kmh double precision
) WITH (fillfactor = 50);
