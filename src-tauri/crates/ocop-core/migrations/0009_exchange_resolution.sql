-- How a conflict kept apart at import was settled: the copy here kept, or the incoming one
-- taken (`store::exchange::resolve_conflict`).
ALTER TABLE exchange_conflict ADD COLUMN resolved_at TEXT;
ALTER TABLE exchange_conflict ADD COLUMN resolved_by TEXT;
ALTER TABLE exchange_conflict ADD COLUMN resolution TEXT CHECK (resolution IN ('kept_local','took_incoming'));
