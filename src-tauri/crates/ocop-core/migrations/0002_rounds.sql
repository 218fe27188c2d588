-- Council work: the member directory, owners and products, rounds with their roster and dossiers,
-- score sheets, and the append-only audit log. Every row has a stable UUID so records can move
-- between offices; attachments are content-addressed (SHA-256).

CREATE TABLE person (
    id           TEXT PRIMARY KEY,
    full_name    TEXT NOT NULL CHECK (length(trim(full_name)) > 0),
    title        TEXT NOT NULL DEFAULT '',      -- chức vụ
    unit         TEXT NOT NULL DEFAULT '',      -- đơn vị công tác
    pin_hash     TEXT,                          -- argon2id PHC string
    pin_failures INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);

CREATE TABLE owner (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL CHECK (length(trim(name)) > 0),
    kind            TEXT NOT NULL CHECK (kind IN ('htx','tht','dn','hkd','trang_trai','khac')),
    representative  TEXT NOT NULL DEFAULT '',
    rep_sex         TEXT NOT NULL DEFAULT '' CHECK (rep_sex IN ('', 'nam', 'nu')),
    rep_ethnicity   TEXT NOT NULL DEFAULT '',
    address         TEXT NOT NULL DEFAULT '',
    commune         TEXT NOT NULL DEFAULT '',
    district        TEXT NOT NULL DEFAULT '',
    province        TEXT NOT NULL DEFAULT '',
    phone           TEXT NOT NULL DEFAULT '',
    email           TEXT NOT NULL DEFAULT '',
    registration_no TEXT NOT NULL DEFAULT '',
    search          TEXT NOT NULL DEFAULT '',  -- folded name/representative/commune
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX owner_search ON owner(search);

CREATE TABLE product (
    id          TEXT PRIMARY KEY,
    owner_id    TEXT NOT NULL REFERENCES owner(id),
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    decision_id TEXT NOT NULL REFERENCES criteria_decision(id),
    set_code    TEXT NOT NULL,
    code        TEXT NOT NULL DEFAULT '',       -- mã số sản phẩm (T-X-STT-năm or T-H-X-STT-năm)
    search      TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX product_search ON product(search);
CREATE INDEX product_owner ON product(owner_id);

CREATE TABLE round (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL CHECK (length(trim(name)) > 0),
    level        TEXT NOT NULL CHECK (level IN ('district','province','centre')),
    decision_id  TEXT NOT NULL REFERENCES criteria_decision(id),
    procedure    TEXT NOT NULL,
    date         TEXT NOT NULL,
    place        TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','scoring','finalised')),
    rules        TEXT NOT NULL,                 -- RoundRules as JSON
    demo         INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    finalised_at TEXT,
    results      TEXT                        -- RoundResults as JSON, frozen at finalisation
);

CREATE TABLE round_member (
    round_id  TEXT NOT NULL REFERENCES round(id),
    person_id TEXT NOT NULL REFERENCES person(id),
    role      TEXT NOT NULL CHECK (role IN ('chair','vice_chair','member','secretary','advisor')),
    present   INTEGER NOT NULL DEFAULT 1,       -- attendance at the round's meeting
    PRIMARY KEY (round_id, person_id)
);

CREATE TABLE dossier (
    id               TEXT PRIMARY KEY,
    round_id         TEXT NOT NULL REFERENCES round(id),
    product_id       TEXT NOT NULL REFERENCES product(id),
    application_type TEXT NOT NULL CHECK (application_type IN ('first','upgrade','reevaluation')),
    received_on      TEXT NOT NULL DEFAULT '',
    checklist        TEXT NOT NULL DEFAULT '{}', -- item key → received (JSON)
    permits          TEXT NOT NULL DEFAULT '[]', -- [{kind, number, valid_until}] (JSON)
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    UNIQUE (round_id, product_id)
);

CREATE TABLE attachment (
    sha256        TEXT PRIMARY KEY,
    mime          TEXT NOT NULL,
    size          INTEGER NOT NULL,
    added_at      TEXT NOT NULL
);

CREATE TABLE dossier_attachment (
    dossier_id TEXT NOT NULL REFERENCES dossier(id),
    sha256     TEXT NOT NULL REFERENCES attachment(sha256),
    name       TEXT NOT NULL,
    PRIMARY KEY (dossier_id, sha256)
);

CREATE TABLE recusal (
    round_id   TEXT NOT NULL REFERENCES round(id),
    person_id  TEXT NOT NULL REFERENCES person(id),
    product_id TEXT NOT NULL REFERENCES product(id),
    reason     TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    PRIMARY KEY (round_id, person_id, product_id)
);

-- One sheet per member × product; `version` grows when a signed sheet is reopened (the old version
-- stays, superseded). `pass` 2 is the second keying of a paper sheet (double entry).
CREATE TABLE score_sheet (
    id           TEXT PRIMARY KEY,
    round_id     TEXT NOT NULL REFERENCES round(id),
    product_id   TEXT NOT NULL REFERENCES product(id),
    person_id    TEXT NOT NULL REFERENCES person(id),
    sheet_sha256 TEXT NOT NULL REFERENCES criteria_sheet(sha256),
    version      INTEGER NOT NULL DEFAULT 1,
    pass         INTEGER NOT NULL DEFAULT 1 CHECK (pass IN (1, 2)),
    entry        TEXT NOT NULL DEFAULT 'member' CHECK (entry IN ('member','keyed')),
    keyed_by     TEXT REFERENCES person(id),
    status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','signed','superseded')),
    elimination  TEXT,
    comment      TEXT NOT NULL DEFAULT '',
    signed_at    TEXT,
    reopen_reason TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    UNIQUE (round_id, product_id, person_id, version, pass)
);
CREATE INDEX score_sheet_round ON score_sheet(round_id, product_id);

CREATE TABLE answer (
    sheet_id     TEXT NOT NULL REFERENCES score_sheet(id),
    criterion    TEXT NOT NULL,
    option_index INTEGER NOT NULL CHECK (option_index >= 0),
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (sheet_id, criterion)
);

-- A spread flag resolved by discussion and re-scoring.
CREATE TABLE spread_review (
    round_id   TEXT NOT NULL REFERENCES round(id),
    product_id TEXT NOT NULL REFERENCES product(id),
    note       TEXT NOT NULL CHECK (length(trim(note)) > 0),
    spread_before REAL NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (round_id, product_id)
);

-- Append-only, hash-chained: hash = SHA-256(prev_hash | seq | at | actor | action | entity | entity_id | before | after).
CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    before    TEXT,
    after     TEXT,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
