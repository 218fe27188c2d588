//! The local SQLite store: WAL, foreign keys on, ordered migrations embedded in the binary.
//!
//! Every function here is tested against an in-memory database (`Store::open_in_memory`).

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use sha2::{Digest, Sha256};

pub mod audit;
pub mod backup;
pub mod central;
pub mod directory;
pub mod exchange;
pub mod import;
pub mod office;
pub mod registry;
pub mod results;
pub mod room;
pub mod rounds;
pub mod sheets;
pub mod stored;

use crate::criteria::{Catalog, Decision, DecisionSheets, ProductSet};
use crate::error::{CoreError, Entity, Result};

pub mod msg {
    crate::messages! {}
}

/// One write in progress: an IMMEDIATE transaction that records what it changes in the audit log
/// before it may commit. Made by [`Store::write`]; derefs to the connection for the SQL.
pub struct Tx<'a> {
    tx: rusqlite::Transaction<'a>,
    actor: &'a str,
    audited: std::cell::Cell<u32>,
}

impl std::ops::Deref for Tx<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.tx
    }
}

impl Tx<'_> {
    /// Appends an audit entry for this change, in this transaction. `before`/`after` are stored as
    /// JSON; the round the change belongs to is worked out from the entry (see [`audit::append`]).
    pub fn audit(
        &self,
        action: &str,
        entity: &str,
        entity_id: &str,
        before: Option<serde_json::Value>,
        after: Option<serde_json::Value>,
    ) -> Result<()> {
        audit::append(
            &self.tx,
            self.actor,
            action,
            entity,
            entity_id,
            before.as_ref(),
            after.as_ref(),
        )?;
        self.audited.set(self.audited.get() + 1);
        Ok(())
    }

    /// Who makes the change.
    pub fn actor(&self) -> &str {
        self.actor
    }
}

/// Ordered migrations: `PRAGMA user_version` records how many have run.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/0001_criteria.sql"),
    include_str!("../../migrations/0002_rounds.sql"),
    include_str!("../../migrations/0003_recognition.sql"),
    include_str!("../../migrations/0004_office_key.sql"),
    include_str!("../../migrations/0005_audit_round.sql"),
    include_str!("../../migrations/0006_registry.sql"),
    include_str!("../../migrations/0007_commune_centre.sql"),
    include_str!("../../migrations/0008_exchange.sql"),
    include_str!("../../migrations/0009_exchange_resolution.sql"),
    include_str!("../../migrations/0010_room.sql"),
    include_str!("../../migrations/0011_certificate_qr.sql"),
];

/// What a migration does that SQL cannot, run right after its SQL in the same transaction.
fn after_migration(tx: &Connection, version: i64) -> Result<()> {
    match version {
        // 0004's data move writes audit entries, so it runs once 0005 has given the audit log
        // its `format` and `round_id` columns (both arrive in the same release).
        5 => office::migrate_0004(tx),
        6 => registry::migrate_0006(tx),
        _ => Ok(()),
    }
}

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The database file name inside the application's data directory.
pub const DB_FILE: &str = "ocop-council.sqlite";

/// The application identifier; the data directory is named after it (as Tauri does).
pub const APP_IDENTIFIER: &str = "vn.ocop.council";

/// The data directory the desktop app uses: `OCOP_DATA_DIR` if set, else the OS data directory
/// (`%APPDATA%` on Windows, `$XDG_DATA_HOME` or `~/.local/share` on Linux) + the identifier.
pub fn default_data_dir() -> std::path::PathBuf {
    match std::env::var_os("OCOP_DATA_DIR") {
        Some(d) => d.into(),
        None => dirs::data_dir()
            .unwrap_or_else(|| ".".into())
            .join(APP_IDENTIFIER),
    }
}

pub struct Store {
    pub(crate) conn: Connection,
    /// Parsed criteria sheets by hash: sheets are immutable once stored, so this never goes stale.
    sheets: std::cell::RefCell<std::collections::HashMap<String, std::sync::Arc<ProductSet>>>,
}

impl Store {
    /// Opens (creating if needed) the database at `path`, migrates it and loads the built-in
    /// criteria.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| CoreError::Io {
                path: dir.display().to_string(),
                reason: e.to_string(),
            })?;
        }
        // Two processes opening a fresh file at once (the app and the CLI) can meet a lock that
        // SQLite reports at once instead of waiting (switching to WAL, a migration's first
        // write): such an open is tried again, for a few seconds.
        let mut attempt = 0;
        loop {
            match Store::open_once(path) {
                Err(CoreError::Db(rusqlite::Error::SqliteFailure(e, _)))
                    if e.code == rusqlite::ErrorCode::DatabaseBusy && attempt < 50 =>
                {
                    attempt += 1;
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                r => return r,
            }
        }
    }

    fn open_once(path: &Path) -> Result<Store> {
        let conn = Connection::open(path)?;
        // Before anything that locks: another process (the app and the CLI at once) may be
        // opening or migrating the same file.
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // A database from a newer version is refused before anything writes to it (switching
        // the journal to WAL rewrites the file's header): a downgrade leaves the file as it was.
        let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if found > SCHEMA_VERSION {
            return Err(CoreError::SchemaTooNew {
                found,
                supported: SCHEMA_VERSION,
            });
        }
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // FULL: a save acknowledged to the user survives a power cut, not only a crash.
        conn.pragma_update(None, "synchronous", "FULL")?;
        // A page cache of 32 MiB (SQLite's default is 2 MiB): a province's registry (20,000
        // entries with their products and owners) stays in memory between the dashboard's scans.
        conn.pragma_update(None, "cache_size", -32768)?;
        Store::init(conn)
    }

    /// Opens the database in `dir` under its standard file name.
    pub fn open_dir(dir: &Path) -> Result<Store> {
        Store::open(&dir.join(DB_FILE))
    }

    /// Opens the data directory as a process starts (the app, a CLI command): first puts back
    /// the data of a restore the machine stopped in the middle of
    /// (`backup::recover_interrupted_restore`). Not for the extra connections of a running app,
    /// which must not take a restore in progress for an interrupted one.
    pub fn open_data_dir(dir: &Path) -> Result<Store> {
        crate::backup::recover_interrupted_restore(dir)?;
        Store::open_dir(dir)
    }

    pub fn open_in_memory() -> Result<Store> {
        Store::init(Connection::open_in_memory()?)
    }

    fn init(conn: Connection) -> Result<Store> {
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let mut store = Store {
            conn,
            sheets: Default::default(),
        };
        store.migrate()?;
        // Parsing and hashing 52 sheets takes a moment: only when the built-in data changed.
        let loaded: Option<String> = store
            .conn
            .query_row(
                "SELECT value FROM setting WHERE key = 'criteria_fingerprint'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        if loaded.as_deref() != Some(crate::criteria::BUILTIN_FINGERPRINT) {
            store.load_criteria(Catalog::builtin())?;
            store.conn.execute(
                "INSERT INTO setting (key, value) VALUES ('criteria_fingerprint', ?1)
                 ON CONFLICT(key) DO UPDATE SET value = ?1",
                [crate::criteria::BUILTIN_FINGERPRINT],
            )?;
        }
        Ok(store)
    }

    /// Runs `f` in one IMMEDIATE transaction and commits when it returns `Ok` having appended at
    /// least one audit entry ([`Tx::audit`]); otherwise everything is rolled back. Every change to
    /// the records goes through here, so a change and its audit entry are one atomic step.
    pub fn write<T>(&mut self, actor: &str, f: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
        let tx = Tx {
            tx: self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?,
            actor,
            audited: std::cell::Cell::new(0),
        };
        let value = f(&tx)?;
        if tx.audited.get() == 0 {
            return Err(crate::error::msg::UNAUDITED_WRITE.err());
        }
        tx.tx.commit()?;
        Ok(value)
    }

    /// The raw connection, for tests and benchmarks only (SQL lives in this module).
    #[cfg(any(test, feature = "test-support"))]
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    pub fn audit_verify(&self) -> Result<crate::model::AuditVerdict> {
        audit::verify(&self.conn)
    }

    /// Entries, newest first, that match `filter`.
    pub fn audit_list(
        &self,
        filter: &crate::model::AuditFilter,
    ) -> Result<Vec<crate::model::AuditEntry>> {
        audit::list(&self.conn, filter)
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    fn migrate(&mut self) -> Result<()> {
        let found = self.schema_version()?;
        if found > SCHEMA_VERSION {
            return Err(CoreError::SchemaTooNew {
                found,
                supported: SCHEMA_VERSION,
            });
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            // Another process (the app and the CLI at once) may have run it meanwhile.
            let at: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            if at > i as i64 {
                continue;
            }
            tx.execute_batch(sql)?;
            after_migration(&tx, (i + 1) as i64)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
            tx.commit()?;
        }
        Ok(())
    }

    /// Loads every sheet of `catalog` that the database does not hold yet, and makes each sheet of
    /// `catalog` the current one of its set (also a version held from before, e.g. a data change
    /// that a later build reverted); other versions stay for the evaluations that used them.
    /// Returns how many sheets became current.
    pub fn load_criteria(&mut self, catalog: &Catalog) -> Result<usize> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut added = 0;
        for d in &catalog.decisions {
            let body = serde_json::to_string(&d.decision).expect("decision serialises");
            tx.execute(
                "INSERT INTO criteria_decision (id, number, title, signed, effective, body)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(id) DO UPDATE SET number=?2, title=?3, signed=?4, effective=?5, body=?6",
                params![d.decision.id, d.decision.number, d.decision.title, d.decision.signed, d.decision.effective, body],
            )?;
            for s in &d.sets {
                let (hash, body) = sheet_hash(s);
                let current: Option<bool> = tx
                    .query_row(
                        "SELECT current FROM criteria_sheet WHERE sha256 = ?1",
                        [&hash],
                        |r| r.get(0),
                    )
                    .optional()?;
                match current {
                    Some(true) => continue,
                    Some(false) => {
                        tx.execute(
                            "UPDATE criteria_sheet SET current = (sha256 = ?3) WHERE decision_id = ?1 AND set_code = ?2",
                            params![d.decision.id, s.code, hash],
                        )?;
                        added += 1;
                        continue;
                    }
                    None => {}
                }
                tx.execute(
                    "UPDATE criteria_sheet SET current = 0 WHERE decision_id = ?1 AND set_code = ?2",
                    params![d.decision.id, s.code],
                )?;
                tx.execute(
                    "INSERT INTO criteria_sheet (sha256, decision_id, set_code, name, body, loaded_at, current)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1)",
                    params![hash, d.decision.id, s.code, s.name, body, now()],
                )?;
                added += 1;
            }
        }
        tx.commit()?;
        Ok(added)
    }

    /// The criteria as stored (current sheets only).
    pub fn catalog(&self) -> Result<Catalog> {
        let mut decisions = Vec::new();
        let mut stmt = self
            .conn
            .prepare("SELECT body FROM criteria_decision ORDER BY signed")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        for body in rows {
            let decision: Decision = serde_json::from_str(&body?)
                .map_err(|e| CoreError::unreadable(Entity::Decision, e))?;
            let mut sets = Vec::new();
            let mut q = self.conn.prepare(
                "SELECT body FROM criteria_sheet WHERE decision_id = ?1 AND current = 1 ORDER BY set_code",
            )?;
            for b in q.query_map([&decision.id], |r| r.get::<_, String>(0))? {
                sets.push(parse_sheet_body(&b?)?);
            }
            decisions.push(DecisionSheets { decision, sets });
        }
        Ok(Catalog { decisions })
    }

    /// The current sheet of a set, with the hash evaluations record.
    pub fn current_sheet(&self, decision: &str, set: &str) -> Result<(String, ProductSet)> {
        self.conn
            .query_row(
                "SELECT sha256, body FROM criteria_sheet WHERE decision_id = ?1 AND set_code = ?2 AND current = 1",
                params![decision, set],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
            )
            .optional()?
            .ok_or_else(|| CoreError::UnknownSet { decision: decision.into(), set: set.into() })
            .and_then(|(h, b)| Ok((h, parse_sheet_body(&b)?)))
    }

    /// A sheet by its hash (the exact version an evaluation was scored on).
    pub fn sheet_by_hash(&self, sha256: &str) -> Result<ProductSet> {
        Ok(self.sheet_arc(sha256)?.as_ref().clone())
    }

    /// A sheet by its hash, parsed once and shared.
    pub fn sheet_arc(&self, sha256: &str) -> Result<std::sync::Arc<ProductSet>> {
        if let Some(s) = self.sheets.borrow().get(sha256) {
            return Ok(s.clone());
        }
        let body: String = self
            .conn
            .query_row(
                "SELECT body FROM criteria_sheet WHERE sha256 = ?1",
                [sha256],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| CoreError::NotFound {
                kind: Entity::CriteriaSheet,
                id: sha256.into(),
            })?;
        let set = std::sync::Arc::new(parse_sheet_body(&body)?);
        self.sheets
            .borrow_mut()
            .insert(sha256.to_string(), set.clone());
        Ok(set)
    }

    /// `PRAGMA integrity_check` result ("ok" when healthy).
    pub fn integrity_check(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }
}

fn parse_sheet_body(body: &str) -> Result<ProductSet> {
    serde_json::from_str(body).map_err(|e| CoreError::unreadable(Entity::CriteriaSheet, e))
}

/// The canonical JSON of a sheet and its SHA-256.
pub fn sheet_hash(set: &ProductSet) -> (String, String) {
    let body = serde_json::to_string(set).expect("sheet serialises");
    (hex::encode(Sha256::digest(body.as_bytes())), body)
}

/// A new stable id: a time-ordered UUID (v7), unique across offices.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// The current time, UTC, RFC 3339 with milliseconds.
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_in_memory_with_both_decisions_loaded() {
        let s = Store::open_in_memory().unwrap();
        assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
        let c = s.catalog().unwrap();
        assert_eq!(c.decisions.len(), 2);
        assert!(c.decisions.iter().all(|d| d.sets.len() == 26));
        assert_eq!(s.integrity_check().unwrap(), "ok");
    }

    #[test]
    fn loading_twice_adds_nothing_and_a_changed_sheet_becomes_current() {
        let mut s = Store::open_in_memory().unwrap();
        assert_eq!(s.load_criteria(Catalog::builtin()).unwrap(), 0);
        let (old_hash, _) = s.current_sheet("QD26-2026", "07").unwrap();
        let mut fixed = Catalog::builtin().clone();
        fixed.decisions[1].sets[6].name.push_str(" (sửa)");
        assert_eq!(s.load_criteria(&fixed).unwrap(), 1);
        let (new_hash, sheet) = s.current_sheet("QD26-2026", "07").unwrap();
        assert_ne!(old_hash, new_hash);
        assert!(sheet.name.ends_with("(sửa)"));
        // The old version is still there for evaluations scored on it.
        assert!(!s.sheet_by_hash(&old_hash).unwrap().name.ends_with("(sửa)"));
    }

    #[test]
    fn a_version_held_from_before_becomes_current_again_when_its_catalogue_is_loaded() {
        let mut s = Store::open_in_memory().unwrap();
        let (builtin_hash, _) = s.current_sheet("QD26-2026", "07").unwrap();
        let mut changed = Catalog::builtin().clone();
        changed.decisions[1].sets[6].name.push_str(" (sửa)");
        assert_eq!(s.load_criteria(&changed).unwrap(), 1);
        assert_ne!(s.current_sheet("QD26-2026", "07").unwrap().0, builtin_hash);
        // A later build reverts the change: its data is current again, once.
        assert_eq!(s.load_criteria(Catalog::builtin()).unwrap(), 1);
        let (hash, sheet) = s.current_sheet("QD26-2026", "07").unwrap();
        assert_eq!(hash, builtin_hash);
        assert!(!sheet.name.ends_with("(sửa)"));
        assert_eq!(s.load_criteria(Catalog::builtin()).unwrap(), 0);
        let current: i64 = s
            .conn()
            .query_row(
                "SELECT COUNT(*) FROM criteria_sheet WHERE decision_id = 'QD26-2026' AND set_code = '07' AND current = 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(current, 1);
    }

    #[test]
    fn refuses_a_newer_schema() {
        let conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        match Store::init(conn) {
            Err(CoreError::SchemaTooNew { found, supported }) => {
                assert_eq!((found, supported), (SCHEMA_VERSION + 1, SCHEMA_VERSION));
            }
            other => panic!("expected SchemaTooNew, got {:?}", other.err()),
        }
    }

    #[test]
    fn file_database_uses_wal_and_foreign_keys() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open_dir(dir.path()).unwrap();
        let mode: String = s
            .conn()
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let fk: i64 = s
            .conn()
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
        drop(s);
        // Re-opening migrates nothing and keeps the data.
        let s = Store::open_dir(dir.path()).unwrap();
        assert_eq!(s.catalog().unwrap().decisions.len(), 2);
    }
}
