//! The append-only, hash-chained audit log. Each entry's hash covers the previous entry's hash and
//! every field of its own, so editing, deleting or reordering a row breaks the chain at that row.
//! Values (`before`/`after`) are JSON; each entry names the round it belongs to, so a round's
//! history is one indexed query.

use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use crate::error::{CoreError, Entity, Result};
use crate::model::{AuditEntry, AuditFilter, AuditVerdict};

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

/// The format of `before`/`after` this build writes: JSON. Rows of format 0 were written before
/// formats were recorded and hold plain text (the first releases) or JSON.
pub const AUDIT_FORMAT: i64 = 1;

/// A row of `audit_log` as stored: the storage type behind [`AuditEntry`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AuditRow {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub format: i64,
    pub round_id: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

const COLUMNS: &str =
    "seq, at, actor, action, entity, entity_id, before, after, format, round_id, prev_hash, hash";

impl AuditRow {
    fn read(r: &rusqlite::Row) -> rusqlite::Result<AuditRow> {
        Ok(AuditRow {
            seq: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            action: r.get(3)?,
            entity: r.get(4)?,
            entity_id: r.get(5)?,
            before: r.get(6)?,
            after: r.get(7)?,
            format: r.get(8)?,
            round_id: r.get(9)?,
            prev_hash: r.get(10)?,
            hash: r.get(11)?,
        })
    }

    /// The hash of this row chained on `prev`. It covers every field the row was written with:
    /// rows of format 0 their first nine (as they were hashed then), rows of format 1 also their
    /// format and round, so neither can be changed (nor a row passed off as another format)
    /// without breaking the chain.
    fn chained_hash(&self, prev: &str) -> String {
        let mut h = Sha256::new();
        let seq = self.seq.to_string();
        for part in [
            prev,
            &seq,
            &self.at,
            &self.actor,
            &self.action,
            &self.entity,
            &self.entity_id,
        ] {
            h.update(part.as_bytes());
            h.update([0x1f]);
        }
        let optional = |h: &mut Sha256, part: Option<&str>| {
            match part {
                Some(p) => {
                    h.update([1]);
                    h.update(p.as_bytes());
                }
                None => h.update([0]),
            }
            h.update([0x1f]);
        };
        optional(&mut h, self.before.as_deref());
        optional(&mut h, self.after.as_deref());
        if self.format >= 1 {
            h.update([0x1e]);
            optional(&mut h, Some(&self.format.to_string()));
            optional(&mut h, self.round_id.as_deref());
        }
        hex::encode(h.finalize())
    }

    /// The entry as the app shows it: values as JSON (old plain text reads as a JSON string).
    fn entry(self) -> Result<AuditEntry> {
        let seq = self.seq;
        let format = self.format;
        let value = |text: Option<String>| -> Result<Option<serde_json::Value>> {
            let Some(text) = text else { return Ok(None) };
            match format {
                0 => Ok(Some(
                    serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
                )),
                AUDIT_FORMAT => serde_json::from_str(&text)
                    .map(Some)
                    .map_err(|e| CoreError::unreadable(Entity::AuditEntry, format!("{seq}: {e}"))),
                other => Err(CoreError::unreadable(
                    Entity::AuditEntry,
                    format!("{seq}: format {other}"),
                )),
            }
        };
        Ok(AuditEntry {
            seq,
            at: self.at,
            actor: self.actor,
            action: self.action,
            entity: self.entity,
            entity_id: self.entity_id,
            before: value(self.before)?,
            after: value(self.after)?,
            round_id: self.round_id,
            hash: self.hash,
        })
    }
}

/// The round an entry belongs to: the round itself when the entry is about one, else the
/// `round_id` its values name, else the round of the score sheet or dossier it is about. (The
/// same rules fill in rows written before the column existed: migration 0005.)
fn round_of(
    conn: &Connection,
    entity: &str,
    entity_id: &str,
    before: Option<&serde_json::Value>,
    after: Option<&serde_json::Value>,
) -> Result<Option<String>> {
    let is_round = conn
        .query_row("SELECT 1 FROM round WHERE id = ?1", [entity_id], |_| Ok(()))
        .optional()?
        .is_some();
    if is_round {
        return Ok(Some(entity_id.to_string()));
    }
    let named = [after, before].into_iter().flatten().find_map(|v| {
        v.get("round_id")
            .and_then(serde_json::Value::as_str)
            .filter(|r| !r.is_empty())
    });
    if let Some(r) = named {
        return Ok(Some(r.to_string()));
    }
    let owner = match entity {
        "score_sheet" => "SELECT round_id FROM score_sheet WHERE id = ?1",
        "dossier" => "SELECT round_id FROM dossier WHERE id = ?1",
        _ => return Ok(None),
    };
    Ok(conn
        .query_row(owner, [entity_id], |r| r.get(0))
        .optional()?)
}

/// Appends an entry. Call inside the transaction that makes the change (`Tx::audit`).
pub fn append(
    conn: &Connection,
    actor: &str,
    action: &str,
    entity: &str,
    entity_id: &str,
    before: Option<&serde_json::Value>,
    after: Option<&serde_json::Value>,
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
    let mut row = AuditRow {
        seq,
        at: super::now(),
        actor: actor.into(),
        action: action.into(),
        entity: entity.into(),
        entity_id: entity_id.into(),
        before: before.map(|v| v.to_string()),
        after: after.map(|v| v.to_string()),
        format: AUDIT_FORMAT,
        round_id: round_of(conn, entity, entity_id, before, after)?,
        prev_hash: prev,
        hash: String::new(),
    };
    row.hash = row.chained_hash(&row.prev_hash);
    conn.execute(
        &format!("INSERT INTO audit_log ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"),
        params![
            row.seq,
            row.at,
            row.actor,
            row.action,
            row.entity,
            row.entity_id,
            row.before,
            row.after,
            row.format,
            row.round_id,
            row.prev_hash,
            row.hash
        ],
    )?;
    Ok(())
}

/// Recomputes the chain.
pub fn verify(conn: &Connection) -> Result<AuditVerdict> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM audit_log ORDER BY seq"))?;
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS.to_string();
    let mut expected_seq = 1;
    let mut n = 0;
    while let Some(r) = rows.next()? {
        let row = AuditRow::read(r)?;
        if row.seq != expected_seq || row.prev_hash != prev || row.chained_hash(&prev) != row.hash {
            return Ok(AuditVerdict::new(n, Some(row.seq), crate::Lang::Vi));
        }
        prev = row.hash;
        expected_seq += 1;
        n += 1;
    }
    Ok(AuditVerdict::new(n, None, crate::Lang::Vi))
}

/// The entries `filter` asks for, newest first. Each condition is an indexed column.
pub fn list(conn: &Connection, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
    let mut conditions = Vec::new();
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    let mut when = |column: &str, value: rusqlite::types::Value| {
        args.push(value);
        conditions.push(format!("{column} ?{}", args.len()));
    };
    if let Some(r) = &filter.round_id {
        when("round_id =", r.clone().into());
    }
    if let Some(e) = &filter.entity {
        when("entity =", e.clone().into());
    }
    if let Some(id) = &filter.entity_id {
        when("entity_id =", id.clone().into());
    }
    if let Some(seq) = filter.before_seq {
        when("seq <", seq.into());
    }
    let limit = filter.limit.unwrap_or(DEFAULT_LIMIT);
    args.push(i64::from(limit).into());
    let sql = format!(
        "SELECT {COLUMNS} FROM audit_log{} ORDER BY seq DESC LIMIT ?{}",
        if conditions.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", conditions.join(" AND "))
        },
        args.len()
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args), AuditRow::read)?;
    rows.map(|r| r?.entry()).collect()
}

/// How many entries a list returns when the filter names no limit.
pub const DEFAULT_LIMIT: u32 = 500;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Store, MIGRATIONS};

    /// The demo round's first 77 audit rows as the release before formats wrote them (JSON values,
    /// no `format`, no `round_id`).
    const DEMO_ROWS: &str = include_str!("../../tests/fixtures/audit-log/demo-first-77.jsonl");
    const ROUND: &str = "01a23324-875a-76b6-bc2c-88b0d449addf";
    const SHEET: &str = "01a23324-8792-70bb-8245-83abce15e4fe";

    /// A database at schema 3 holding the fixture rows, the first releases' plain-text rows after
    /// them (hashed as those releases hashed them), and the round and sheet they are about.
    fn schema_3_database() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        for sql in &MIGRATIONS[..3] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 3).unwrap();
        // Records without their neighbours: no foreign keys until the store opens it.
        conn.pragma_update(None, "foreign_keys", "OFF").unwrap();
        conn.execute(
            "INSERT INTO round (id, name, level, decision_id, procedure, date, rules, created_at, updated_at)
             VALUES (?1, 'Đợt 1', 'province', 'QD26-2026', '26-province', '2026-11-20', '{}', '', '')",
            [ROUND],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO score_sheet (id, round_id, product_id, person_id, sheet_sha256, created_at, updated_at)
             VALUES (?1, ?2, 'p', 'm', 'h', '', '')",
            [SHEET, ROUND],
        )
        .unwrap();
        let mut prev = GENESIS.to_string();
        let mut seq = 0;
        for line in DEMO_ROWS.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let s = |k: &str| v[k].as_str().map(str::to_string);
            seq = v["seq"].as_i64().unwrap();
            conn.execute(
                "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, before, after, prev_hash, hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![seq, s("at"), s("actor"), s("action"), s("entity"), s("entity_id"), s("before"), s("after"), s("prev_hash"), s("hash")],
            )
            .unwrap();
            prev = s("hash").unwrap();
        }
        // The first releases stored short text: "criterion=option", a status, a name.
        for (action, entity, id, before, after) in [
            (
                "sheet.answer",
                "score_sheet",
                SHEET,
                Some("6.1.1=2"),
                Some("6.1.1=3"),
            ),
            (
                "sheet.reopen",
                "score_sheet",
                SHEET,
                Some("signed"),
                Some("x: Chấm lại"),
            ),
            ("person.add", "person", "p1", None, Some("Lê Đức Giang")),
        ] {
            seq += 1;
            let row = AuditRow {
                seq,
                at: "2026-11-20T08:00:00.000Z".into(),
                actor: "Thư ký".into(),
                action: action.into(),
                entity: entity.into(),
                entity_id: id.into(),
                before: before.map(Into::into),
                after: after.map(Into::into),
                format: 0,
                round_id: None,
                prev_hash: prev.clone(),
                hash: String::new(),
            };
            let hash = row.chained_hash(&prev);
            conn.execute(
                "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, before, after, prev_hash, hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![row.seq, row.at, row.actor, row.action, row.entity, row.entity_id, row.before, row.after, prev, hash],
            )
            .unwrap();
            prev = hash;
        }
        conn
    }

    fn all(s: &Store) -> Vec<AuditEntry> {
        s.audit_list(&AuditFilter {
            limit: Some(10_000),
            ..Default::default()
        })
        .unwrap()
    }

    #[test]
    fn old_rows_keep_verifying_read_as_json_and_get_their_round() {
        let conn = schema_3_database();
        assert!(
            verify_v3(&conn),
            "the fixture chain verifies as the old code did"
        );
        let mut s = Store::init(conn).unwrap();
        assert_eq!(s.schema_version().unwrap(), super::super::SCHEMA_VERSION);
        let v = s.audit_verify().unwrap();
        assert!(v.ok && v.entries == 80, "{v:?}");

        let log = all(&s);
        let by_seq = |seq: i64| log.iter().find(|e| e.seq == seq).unwrap();
        // JSON values read as JSON, the first releases' text as a JSON string.
        assert_eq!(
            by_seq(45).after,
            Some(serde_json::json!({ "criterion": "1.1", "option": 2 }))
        );
        assert_eq!(by_seq(78).before, Some(serde_json::json!("6.1.1=2")));
        assert_eq!(by_seq(80).after, Some(serde_json::json!("Lê Đức Giang")));
        // Every old row about the round, its roster, dossiers and sheet now names it.
        let round: Vec<i64> = s
            .audit_list(&AuditFilter {
                round_id: Some(ROUND.into()),
                limit: Some(10_000),
                ..Default::default()
            })
            .unwrap()
            .iter()
            .map(|e| e.seq)
            .collect();
        assert_eq!(round, (30..=79).rev().collect::<Vec<_>>());

        // New entries after the migration chain on and verify.
        s.write("Thư ký", |tx| {
            tx.audit(
                "sheet.comment",
                "score_sheet",
                SHEET,
                None,
                Some(serde_json::json!({ "comment": "Tốt" })),
            )
        })
        .unwrap();
        assert!(s.audit_verify().unwrap().ok);
        let newest = all(&s).remove(0);
        assert_eq!((newest.seq, newest.round_id.as_deref()), (81, Some(ROUND)));
    }

    #[test]
    fn the_hash_of_a_new_row_covers_its_round_and_format() {
        let mut s = Store::init(schema_3_database()).unwrap();
        for i in 0..2 {
            s.write("Thư ký", |tx| {
                tx.audit(
                    "round.update",
                    "round",
                    ROUND,
                    None,
                    Some(serde_json::json!({ "i": i })),
                )
            })
            .unwrap();
        }
        let tamper = |sql: &str| {
            s.conn()
                .execute_batch(&format!(
                    "DROP TRIGGER IF EXISTS audit_log_no_update; {sql}"
                ))
                .unwrap();
            s.audit_verify().unwrap().first_bad_seq
        };
        // An old row's filled-in round is an index outside its hash (see migration 0005) …
        assert_eq!(
            tamper("UPDATE audit_log SET round_id = NULL WHERE seq = 79"),
            None
        );
        // … a new row's round and format are inside it.
        assert_eq!(
            tamper("UPDATE audit_log SET round_id = NULL WHERE seq = 82"),
            Some(82)
        );
        assert_eq!(
            tamper(&format!(
                "UPDATE audit_log SET round_id = '{ROUND}' WHERE seq = 82; UPDATE audit_log SET format = 0 WHERE seq = 81"
            )),
            Some(81)
        );
    }

    #[test]
    fn a_new_row_whose_json_does_not_parse_is_an_error() {
        let mut s = Store::open_in_memory().unwrap();
        s.write("Thư ký", |tx| {
            tx.audit(
                "person.add",
                "person",
                "p1",
                None,
                Some(serde_json::json!({ "full_name": "A" })),
            )
        })
        .unwrap();
        s.conn()
            .execute_batch(
                "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET after = 'A' WHERE seq = 1;",
            )
            .unwrap();
        let err = s.audit_list(&AuditFilter::default()).unwrap_err();
        assert_eq!(err.code(), "db.stored_unreadable");
        assert_eq!(s.audit_verify().unwrap().first_bad_seq, Some(1));
    }

    /// The chain as the code before formats checked it: nine fields per row.
    fn verify_v3(conn: &Connection) -> bool {
        let mut stmt = conn
            .prepare("SELECT seq, at, actor, action, entity, entity_id, before, after, prev_hash, hash FROM audit_log ORDER BY seq")
            .unwrap();
        let rows: Vec<AuditRow> = stmt
            .query_map([], |r| {
                Ok(AuditRow {
                    seq: r.get(0)?,
                    at: r.get(1)?,
                    actor: r.get(2)?,
                    action: r.get(3)?,
                    entity: r.get(4)?,
                    entity_id: r.get(5)?,
                    before: r.get(6)?,
                    after: r.get(7)?,
                    format: 0,
                    round_id: None,
                    prev_hash: r.get(8)?,
                    hash: r.get(9)?,
                })
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let mut prev = GENESIS.to_string();
        rows.into_iter().all(|row| {
            let ok = row.prev_hash == prev && row.chained_hash(&prev) == row.hash;
            prev = row.hash;
            ok
        })
    }
}
