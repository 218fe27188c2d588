-- The office's signing keys and the keys of other offices it trusts, each in a table of its own.
-- The key that `setting` held in clear hex and the trusted keys it held as one JSON list are moved
-- here by the code that runs right after this file (store/office.rs, `migrate_0004`), in the same
-- transaction.

-- One active key at most; older ones are retired, never deleted, so their certificates still
-- verify. The private key is stored only sealed under the office's passphrase (`sealed`, JSON,
-- format 1); a key from before passphrases keeps its seed in `legacy_seed` until the office
-- chooses one. A retired key keeps neither: it signs no more.
CREATE TABLE office_key (
    id          TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL UNIQUE,          -- first 16 hex digits of SHA-256(public key)
    public_key  TEXT NOT NULL,                 -- 64 hex digits (Ed25519)
    sealed      TEXT,
    legacy_seed TEXT,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    retired_at  TEXT,
    retired_by  TEXT,
    CHECK (sealed IS NULL OR legacy_seed IS NULL),
    CHECK (retired_at IS NOT NULL OR sealed IS NOT NULL OR legacy_seed IS NOT NULL)
);
-- A second creator (the app and the CLI at once) cannot add a second active key.
CREATE UNIQUE INDEX office_key_one_active ON office_key ((retired_at IS NULL)) WHERE retired_at IS NULL;
CREATE TRIGGER office_key_public_fixed BEFORE UPDATE OF id, fingerprint, public_key, created_at ON office_key
BEGIN SELECT RAISE(ABORT, 'an office key''s public part never changes'); END;
CREATE TRIGGER office_key_kept BEFORE DELETE ON office_key
BEGIN SELECT RAISE(ABORT, 'office keys are retired, never deleted'); END;

CREATE TABLE trusted_key (
    id          TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,                 -- the issuing office, as verifiers show it
    public_key  TEXT NOT NULL,
    added_at    TEXT NOT NULL,
    added_by    TEXT NOT NULL
);

-- How to read a certificate row; rows of the first release are format 1.
ALTER TABLE certificate ADD COLUMN format INTEGER NOT NULL DEFAULT 1;
