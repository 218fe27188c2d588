-- Audit entries say which round they belong to (an indexed column, for the round filter) and the
-- format of their before/after values: 0 for rows written before formats were recorded (plain
-- text, or JSON), 1 for JSON written by `Tx::audit`. From format 1 on, a row's hash also covers
-- its format and its round (`store/audit.rs`); rows written before keep the hash they were
-- written with, so the chain still verifies, and their round is filled in below from what they
-- already record (the round itself, a `round_id` in their values, or the round of the sheet or
-- dossier they are about). That filled-in round is an index outside those rows' hash: changing it
-- can only move an old entry in or out of a round's filtered view, never change what it says.
-- (No change of `round.results`: it now holds `store::stored::FrozenResults`, whose format 1 is the
-- JSON the first releases wrote there, so old rows read as they are.)

ALTER TABLE audit_log ADD COLUMN format INTEGER NOT NULL DEFAULT 0;
ALTER TABLE audit_log ADD COLUMN round_id TEXT;

DROP TRIGGER audit_log_no_update;
UPDATE audit_log SET round_id = COALESCE(
    (SELECT r.id FROM round r WHERE r.id = audit_log.entity_id),
    CASE WHEN json_valid(after) AND json_type(after, '$.round_id') = 'text'
         THEN NULLIF(json_extract(after, '$.round_id'), '') END,
    CASE WHEN json_valid(before) AND json_type(before, '$.round_id') = 'text'
         THEN NULLIF(json_extract(before, '$.round_id'), '') END,
    CASE entity
        WHEN 'score_sheet' THEN (SELECT s.round_id FROM score_sheet s WHERE s.id = audit_log.entity_id)
        WHEN 'dossier' THEN (SELECT d.round_id FROM dossier d WHERE d.id = audit_log.entity_id)
    END);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE INDEX audit_log_round ON audit_log(round_id, seq);
CREATE INDEX audit_log_entity ON audit_log(entity, seq);
CREATE INDEX audit_log_entity_id ON audit_log(entity_id, seq);
