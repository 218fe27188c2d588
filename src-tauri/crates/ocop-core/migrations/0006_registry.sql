-- The province's OCOP record: localities with stable codes, the registry of recognised products
-- (one entry per certificate, whether issued here, by re-recognition or imported from the lists
-- kept before the app), revocations (this office's, and those imported from other offices' signed
-- lists), plan targets and renewals (re-recognition by written opinions, upgrades).

-- Localities. A code is derived from the folded names (`registry::locality_code`), so two offices
-- that name the same place the same way agree on its code: "thanh-hoa", "thanh-hoa/nga-son".
CREATE TABLE locality (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    level       TEXT NOT NULL CHECK (level IN ('province','district','commune')),
    parent_code TEXT REFERENCES locality(code),
    search      TEXT NOT NULL,                 -- the folded name without its kind ("nga son")
    created_at  TEXT NOT NULL
);
CREATE INDEX locality_search ON locality(search);

-- One recognised product's certificate. `certificate_id` links the certificates this office
-- issued after a round; re-recognitions by written opinions and imported entries have none.
-- `payload` is the signed OCOP1 payload when this office signed one.
CREATE TABLE registry_entry (
    id             TEXT PRIMARY KEY,
    product_id     TEXT NOT NULL REFERENCES product(id),
    certificate_id TEXT UNIQUE REFERENCES certificate(id),
    number         TEXT NOT NULL DEFAULT '',   -- the certificate number, as printed
    star           INTEGER NOT NULL CHECK (star BETWEEN 3 AND 5),
    score          REAL,
    decision_no    TEXT NOT NULL,
    decision_date  TEXT NOT NULL,              -- ISO
    issuing_level  TEXT NOT NULL CHECK (issuing_level IN ('district','province','centre')),
    issuing_body   TEXT NOT NULL DEFAULT '',
    valid_until    TEXT NOT NULL,              -- ISO: 36 months after the decision (QĐ 26/2026 Điều 4.3)
    kind           TEXT NOT NULL CHECK (kind IN ('new','rerecognition','upgrade','imported')),
    supersedes     TEXT REFERENCES registry_entry(id),
    superseded_by  TEXT REFERENCES registry_entry(id),
    payload        TEXT,
    search         TEXT NOT NULL DEFAULT '',   -- folded certificate and decision numbers
    created_at     TEXT NOT NULL,
    format         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX registry_entry_product ON registry_entry(product_id);
CREATE INDEX registry_entry_until ON registry_entry(valid_until);
CREATE INDEX registry_entry_number ON registry_entry(number);
-- The list's order: newest decision first.
CREATE INDEX registry_entry_date ON registry_entry(decision_date, id);

-- A revocation decision (QĐ 26/2026 Điều 8) of one of this office's entries.
CREATE TABLE revocation (
    id            TEXT PRIMARY KEY,
    entry_id      TEXT NOT NULL UNIQUE REFERENCES registry_entry(id),
    ground        TEXT NOT NULL CHECK (ground IN ('a','b','c','d','đ','e')),
    decision_no   TEXT NOT NULL CHECK (length(trim(decision_no)) > 0),
    decision_date TEXT NOT NULL,
    concluded_on  TEXT,                        -- the conclusion the 15-day limit runs from
    authority     TEXT NOT NULL CHECK (authority IN ('province_chair','minister')),
    reason        TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    format        INTEGER NOT NULL DEFAULT 1
);
CREATE TRIGGER revocation_kept BEFORE DELETE ON revocation
BEGIN SELECT RAISE(ABORT, 'a revocation is never deleted'); END;

-- Revocations of certificates signed by other offices, read from their signed lists.
CREATE TABLE foreign_revocation (
    id              TEXT PRIMARY KEY,
    key_fingerprint TEXT NOT NULL,             -- the key that signed the certificate (claim `k`)
    certificate_no  TEXT NOT NULL,             -- claim `n`
    product         TEXT NOT NULL DEFAULT '',
    ground          TEXT NOT NULL,
    decision_no     TEXT NOT NULL,
    decision_date   TEXT NOT NULL,
    reason          TEXT NOT NULL DEFAULT '',
    source          TEXT NOT NULL,             -- fingerprint of the key that signed the list
    source_name     TEXT NOT NULL,
    imported_at     TEXT NOT NULL,
    UNIQUE (key_fingerprint, certificate_no)
);

-- Plan targets: new OCOP products a locality plans for a year, by star.
CREATE TABLE plan_target (
    year          INTEGER NOT NULL CHECK (year BETWEEN 2018 AND 2100),
    locality_code TEXT NOT NULL REFERENCES locality(code),
    star          INTEGER NOT NULL CHECK (star BETWEEN 3 AND 5),
    target        INTEGER NOT NULL CHECK (target >= 0),
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (year, locality_code, star)
);

-- Re-recognition (Điều 6.1c, 7.6) or upgrade (Điều 6.1b) of a registry entry.
CREATE TABLE renewal (
    id            TEXT PRIMARY KEY,
    entry_id      TEXT NOT NULL REFERENCES registry_entry(id),
    kind          TEXT NOT NULL CHECK (kind IN ('rerecognition','upgrade')),
    filed_on      TEXT NOT NULL,
    complete_on   TEXT,                        -- the dossier is complete: the 45 days run from here
    changes       TEXT NOT NULL DEFAULT '',    -- what changed since the recognition
    status        TEXT NOT NULL CHECK (status IN ('opinions','meeting','decided','refused')),
    round_id      TEXT REFERENCES round(id),   -- the meeting, or the upgrade's evaluation
    decision_no   TEXT,
    decision_date TEXT,
    new_entry_id  TEXT REFERENCES registry_entry(id),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX renewal_entry ON renewal(entry_id);
-- One renewal in progress per entry.
CREATE UNIQUE INDEX renewal_one_open ON renewal(entry_id) WHERE status IN ('opinions','meeting');

CREATE TABLE renewal_opinion (
    renewal_id  TEXT NOT NULL REFERENCES renewal(id),
    person_id   TEXT NOT NULL REFERENCES person(id),
    agree       INTEGER NOT NULL CHECK (agree IN (0, 1)),
    remark      TEXT NOT NULL DEFAULT '',
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (renewal_id, person_id)
);

-- The certificates issued before this release become registry entries (their `search` is filled
-- in by the Rust step after this file, `store::registry::migrate_0006`).
INSERT INTO registry_entry (id, product_id, certificate_id, number, star, score, decision_no,
    decision_date, issuing_level, issuing_body, valid_until, kind, payload, created_at)
SELECT c.id, c.product_id, c.id, c.number, c.star, c.score, r.number, r.date,
    CASE ro.level WHEN 'district' THEN 'district' WHEN 'centre' THEN 'centre' ELSE 'province' END,
    COALESCE((SELECT json_extract(value, '$.people_committee') FROM setting WHERE key = 'office'), ''), c.valid_until, 'new', c.payload, c.created_at
FROM certificate c JOIN recognition r ON r.id = c.recognition_id JOIN round ro ON ro.id = r.round_id;
INSERT INTO revocation (id, entry_id, ground, decision_no, decision_date, authority, reason, created_at, created_by)
SELECT c.id, c.id, 'e', '(trước khi có sổ theo dõi)', c.revoked_on, 'province_chair',
    COALESCE(c.revoked_reason, ''), c.created_at, 'migration'
FROM certificate c WHERE c.revoked_on IS NOT NULL;
