-- The council room (issue 10): each opening of a round's room, and each device paired in it.
-- Tokens and session secrets are never stored: they live in the hub's memory and die with it.
CREATE TABLE room (
    id           TEXT PRIMARY KEY,
    round_id     TEXT NOT NULL REFERENCES round(id),
    fingerprint  TEXT NOT NULL,
    opened_at    TEXT NOT NULL,
    opened_by    TEXT NOT NULL,
    closed_at    TEXT,
    close_reason TEXT
);
CREATE INDEX room_round ON room(round_id);

CREATE TABLE room_pairing (
    id          TEXT PRIMARY KEY,
    room_id     TEXT NOT NULL REFERENCES room(id),
    person_id   TEXT NOT NULL REFERENCES person(id),
    device      TEXT NOT NULL,
    -- Ed25519 public key (hex) of the key the device received, which signs its fallback file.
    public_key  TEXT NOT NULL,
    paired_at   TEXT NOT NULL,
    revoked_at  TEXT,
    revoke_reason TEXT
);
CREATE INDEX room_pairing_room ON room_pairing(room_id);
