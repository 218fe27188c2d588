//! The backup's SQL: a consistent copy of the live database through SQLite's online backup API,
//! what a copy holds and whether it is sound (`PRAGMA integrity_check`), the backup settings kept
//! in the `setting` table, and the audit entry of a restore. The file format, its checks and the
//! swapping of files are in [`crate::backup`].

use std::path::Path;
use std::time::Duration;

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::Store;
use crate::backup::{BackupSettings, DEFAULT_KEEP};
use crate::error::{CoreError, Entity, Result};

/// The setting that holds [`StoredBackupSettings`].
const SETTINGS_KEY: &str = "backup.settings";

/// The backup settings as stored in `setting` (format 1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredBackupSettings {
    pub format: u32,
    pub keep: u32,
    #[serde(default)]
    pub folder: Option<String>,
}

/// The format of [`StoredBackupSettings`] this build writes.
pub const SETTINGS_FORMAT: u32 = 1;

/// What a database file holds, read straight from it (never migrated, never written).
#[derive(Debug, Clone, PartialEq)]
pub struct DbFacts {
    /// `PRAGMA integrity_check`: "ok" when sound, else the first problems it lists.
    pub integrity: String,
    pub schema_version: i64,
    pub rounds: u64,
    pub products: u64,
    pub certificates: u64,
    pub registry_entries: u64,
    /// The attachments its rows refer to (`attachment.sha256`), sorted.
    pub attachments: Vec<String>,
    /// The office's name and the fingerprint of its current key, when it has one.
    pub office: Option<(String, String)>,
}

/// Copies the database at `src` to a new file `dst` with SQLite's online backup API: one
/// consistent snapshot, taken while other connections (the window, the CLI) go on reading and
/// writing. The copy is a self-contained file (rollback journal, no `-wal` beside it).
pub fn snapshot(src: &Path, dst: &Path) -> Result<()> {
    let from = Connection::open_with_flags(src, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    from.busy_timeout(Duration::from_secs(5))?;
    let mut to = Connection::open(dst)?;
    {
        let backup = Backup::new(&from, &mut to)?;
        // All pages in one step, so the copy is one read transaction; a writer holding the lock
        // for a moment is waited for.
        let mut waits = 0;
        loop {
            match backup.step(-1)? {
                StepResult::Done => break,
                StepResult::More => {}
                StepResult::Busy | StepResult::Locked if waits < 100 => {
                    waits += 1;
                    std::thread::sleep(Duration::from_millis(50));
                }
                StepResult::Busy | StepResult::Locked => {
                    return Err(rusqlite::Error::SqliteFailure(
                        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                        Some("the database stayed locked".into()),
                    )
                    .into())
                }
                // `StepResult` is non-exhaustive.
                _ => return Err(CoreError::internal("unknown backup step result")),
            }
        }
    }
    to.pragma_update(None, "journal_mode", "DELETE")?;
    Ok(())
}

/// Reads what the database file at `path` holds and checks it. Opens it read-only: a backup's
/// copy is inspected exactly as it is.
pub fn facts(path: &Path) -> Result<DbFacts> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    let mut integrity = Vec::new();
    {
        let mut stmt = conn.prepare("PRAGMA integrity_check(20)")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        for row in rows {
            integrity.push(row?);
        }
    }
    let integrity = integrity.join("; ");
    let schema_version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let count = |table: &str| -> Result<u64> {
        if !has_table(&conn, table) {
            return Ok(0);
        }
        let n: i64 = conn.query_row(&format!("SELECT COUNT(*) FROM \"{table}\""), [], |r| {
            r.get(0)
        })?;
        Ok(n as u64)
    };
    let mut attachments = Vec::new();
    if has_table(&conn, "attachment") {
        let mut stmt = conn.prepare("SELECT sha256 FROM attachment ORDER BY sha256")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        for row in rows {
            attachments.push(row?);
        }
    }
    let facts = DbFacts {
        integrity,
        schema_version,
        rounds: count("round")?,
        products: count("product")?,
        certificates: count("certificate")?,
        registry_entries: count("registry_entry")?,
        attachments,
        office: None,
    };
    // The office is a label on the backup: a copy whose office does not read still has its
    // records, and is judged by its checks, not by this.
    let store = Store {
        conn,
        sheets: Default::default(),
    };
    let office = if has_table(&store.conn, "office_key") {
        store
            .own_key()
            .ok()
            .flatten()
            .map(|k| (k.name, k.fingerprint))
    } else {
        None
    };
    Ok(DbFacts { office, ..facts })
}

fn has_table(conn: &Connection, table: &str) -> bool {
    conn.query_row(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1",
        [table],
        |_| Ok(()),
    )
    .optional()
    .ok()
    .flatten()
    .is_some()
}

impl Store {
    /// A store on nothing (an empty in-memory connection, no migrations): holds the place of the
    /// real one while a restore swaps the files beneath it.
    pub(crate) fn closed() -> Result<Store> {
        Ok(Store {
            conn: Connection::open_in_memory()?,
            sheets: Default::default(),
        })
    }

    /// How many backups to keep and the second folder they go to (defaults: 7, none).
    pub fn backup_settings(&self) -> Result<BackupSettings> {
        let text: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM setting WHERE key = ?1",
                [SETTINGS_KEY],
                |r| r.get(0),
            )
            .optional()?;
        let Some(text) = text else {
            return Ok(BackupSettings::default());
        };
        let stored: StoredBackupSettings =
            serde_json::from_str(&text).map_err(|e| CoreError::unreadable(Entity::Setting, e))?;
        if stored.format > SETTINGS_FORMAT {
            return Err(CoreError::unreadable(
                Entity::Setting,
                format!("backup settings format {}", stored.format),
            ));
        }
        Ok(BackupSettings {
            format: crate::backup::IPC_FORMAT,
            keep: stored.keep,
            folder: stored.folder,
        })
    }

    /// Stores the backup settings (checked by [`crate::backup::check_settings`]), audited.
    pub fn save_backup_settings(
        &mut self,
        actor: &str,
        settings: &BackupSettings,
    ) -> Result<BackupSettings> {
        let settings = crate::backup::check_settings(settings)?;
        let before = self.backup_settings()?;
        let stored = StoredBackupSettings {
            format: SETTINGS_FORMAT,
            keep: settings.keep,
            folder: settings.folder.clone(),
        };
        let text = serde_json::to_string(&stored).expect("settings serialise");
        self.write(actor, |tx| {
            tx.execute(
                "INSERT INTO setting (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = ?2",
                rusqlite::params![SETTINGS_KEY, text],
            )?;
            tx.audit(
                "backup.settings",
                "setting",
                SETTINGS_KEY,
                Some(json!({ "keep": before.keep, "folder": before.folder })),
                Some(json!({ "keep": stored.keep, "folder": stored.folder })),
            )
        })?;
        self.backup_settings()
    }

    /// Records in the restored database that it was restored: from which backup (its creation
    /// time and file) and where the data it replaced was saved first.
    pub fn record_restore(
        &mut self,
        actor: &str,
        created_at: &str,
        file: &str,
        safety_copy: &str,
    ) -> Result<()> {
        self.write(actor, |tx| {
            tx.audit(
                "backup.restore",
                "backup",
                created_at,
                None,
                Some(json!({ "file": file, "created_at": created_at, "safety_copy": safety_copy })),
            )
        })
    }
}

impl Default for BackupSettings {
    fn default() -> BackupSettings {
        BackupSettings {
            format: crate::backup::IPC_FORMAT,
            keep: DEFAULT_KEEP,
            folder: None,
        }
    }
}
