-- Criteria versions as loaded into this database. A sheet is identified by the SHA-256 of its
-- canonical JSON, so an evaluation keeps the exact sheet it was scored on even after a data fix.
CREATE TABLE criteria_decision (
    id          TEXT PRIMARY KEY,          -- QD148-2023, QD26-2026
    number      TEXT NOT NULL,
    title       TEXT NOT NULL,
    signed      TEXT NOT NULL,
    effective   TEXT NOT NULL,
    body        TEXT NOT NULL              -- decision.json as loaded
);

CREATE TABLE criteria_sheet (
    sha256      TEXT PRIMARY KEY,
    decision_id TEXT NOT NULL REFERENCES criteria_decision(id),
    set_code    TEXT NOT NULL,
    name        TEXT NOT NULL,
    body        TEXT NOT NULL,             -- the product set as JSON
    loaded_at   TEXT NOT NULL,
    current     INTEGER NOT NULL DEFAULT 1 -- 1 for the sheet new evaluations use
);
CREATE INDEX criteria_sheet_by_set ON criteria_sheet(decision_id, set_code, current);
