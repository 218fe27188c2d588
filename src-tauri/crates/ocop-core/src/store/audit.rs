//! The append-only, hash-chained audit log. Each entry's hash covers the previous entry's hash and
//! every field of its own, so editing, deleting or reordering a row breaks the chain at that row.

use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use crate::error::Result;
use crate::model::{AuditEntry, AuditVerdict};

pub mod msg {
    crate::messages! {
        INTACT = "audit.intact" {
            vi: "Nhật ký toàn vẹn: {entries} mục, chuỗi băm khớp.",
            en: "Audit log intact: {entries} entries, hash chain matches.",
        }
        BROKEN = "audit.broken" {
            vi: "Nhật ký bị thay đổi hoặc thiếu tại mục số {seq}: chuỗi băm không khớp. Không nên tin dữ liệu từ mục này trở đi.",
            en: "Audit log changed or incomplete at entry {seq}: the hash chain does not match. Do not trust the data from this entry on.",
        }
    }
}

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[allow(clippy::too_many_arguments)]
fn entry_hash(
    prev: &str,
    seq: i64,
    at: &str,
    actor: &str,
    action: &str,
    entity: &str,
    entity_id: &str,
    before: Option<&str>,
    after: Option<&str>,
) -> String {
    let mut h = Sha256::new();
    for part in [prev, &seq.to_string(), at, actor, action, entity, entity_id] {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    for part in [before, after] {
        match part {
            Some(p) => {
                h.update([1]);
                h.update(p.as_bytes());
            }
            None => h.update([0]),
        }
        h.update([0x1f]);
    }
    hex::encode(h.finalize())
}

/// Appends an entry. Call inside the transaction that makes the change.
pub fn append(
    conn: &Connection,
    actor: &str,
    action: &str,
    entity: &str,
    entity_id: &str,
    before: Option<&str>,
    after: Option<&str>,
) -> Result<()> {
    let last: Option<(i64, String)> = conn
        .query_row(
            "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (seq, prev) = match last {
        Some((s, h)) => (s + 1, h),
        None => (1, GENESIS.to_string()),
    };
    let at = super::now();
    let hash = entry_hash(
        &prev, seq, &at, actor, action, entity, entity_id, before, after,
    );
    conn.execute(
        "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, before, after, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![seq, at, actor, action, entity, entity_id, before, after, prev, hash],
    )?;
    Ok(())
}

/// Recomputes the chain.
pub fn verify(conn: &Connection) -> Result<AuditVerdict> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, action, entity, entity_id, before, after, prev_hash, hash FROM audit_log ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS.to_string();
    let mut expected_seq = 1;
    let mut n = 0;
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let before: Option<String> = r.get(6)?;
        let after: Option<String> = r.get(7)?;
        let stored_prev: String = r.get(8)?;
        let stored: String = r.get(9)?;
        let h = entry_hash(
            &prev,
            seq,
            &r.get::<_, String>(1)?,
            &r.get::<_, String>(2)?,
            &r.get::<_, String>(3)?,
            &r.get::<_, String>(4)?,
            &r.get::<_, String>(5)?,
            before.as_deref(),
            after.as_deref(),
        );
        if seq != expected_seq || stored_prev != prev || h != stored {
            return Ok(AuditVerdict::new(n, Some(seq), crate::Lang::Vi));
        }
        prev = stored;
        expected_seq += 1;
        n += 1;
    }
    Ok(AuditVerdict::new(n, None, crate::Lang::Vi))
}

/// Entries, newest first, optionally only those about one entity.
pub fn list(conn: &Connection, entity_id: Option<&str>, limit: u32) -> Result<Vec<AuditEntry>> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, action, entity, entity_id, before, after, hash FROM audit_log
         WHERE ?1 IS NULL OR entity_id = ?1 ORDER BY seq DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![entity_id, limit], |r| {
        Ok(AuditEntry {
            seq: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            action: r.get(3)?,
            entity: r.get(4)?,
            entity_id: r.get(5)?,
            before: r.get(6)?,
            after: r.get(7)?,
            hash: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
