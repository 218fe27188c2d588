-- Exchange bundles between offices (`assets/criteria/BUNDLE.md`): the bundles this office wrote
-- and imported, the version of every record each one carried, and the records an import kept
-- apart because they had been edited at both ends.

CREATE TABLE exchange_bundle (
    id              TEXT PRIMARY KEY,              -- the bundle's UUID
    direction       TEXT NOT NULL CHECK (direction IN ('in','out')),
    purpose         TEXT NOT NULL,
    office          TEXT NOT NULL,                 -- the sending office
    key_fingerprint TEXT NOT NULL,
    created         TEXT NOT NULL,                 -- when the sender made it
    recorded_at     TEXT NOT NULL,
    recorded_by     TEXT NOT NULL,
    summary         TEXT NOT NULL                  -- counts per entity and action (JSON)
);

-- (entity, record, version) as sent or received; `supersedes` as the bundle said.
CREATE TABLE exchange_version (
    entity     TEXT NOT NULL,
    record_id  TEXT NOT NULL,
    version    TEXT NOT NULL,
    supersedes TEXT,
    bundle_id  TEXT NOT NULL REFERENCES exchange_bundle(id),
    direction  TEXT NOT NULL CHECK (direction IN ('in','out')),
    at         TEXT NOT NULL,
    PRIMARY KEY (entity, record_id, version, bundle_id)
);
CREATE INDEX exchange_version_record ON exchange_version(entity, record_id);

-- An incoming record that was not applied because the copy here had been edited since the last
-- exchange: kept whole, for the user to compare.
CREATE TABLE exchange_conflict (
    id               TEXT PRIMARY KEY,
    bundle_id        TEXT NOT NULL REFERENCES exchange_bundle(id),
    entity           TEXT NOT NULL,
    record_id        TEXT NOT NULL,
    local_version    TEXT NOT NULL,
    incoming_version TEXT NOT NULL,
    supersedes       TEXT,
    record           TEXT NOT NULL,                -- the record line, as it came
    at               TEXT NOT NULL
);
