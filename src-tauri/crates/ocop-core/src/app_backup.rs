//! Backup and restore as the shell and the UI see them: the [`App`] methods and their boundary
//! types (each with a `format`, apart from the backup file's own `Manifest`). The work is in
//! [`crate::backup`].

use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::{App, Reply};
use crate::backup;
use crate::error::{ErrorDto, Result};

/// What a backup holds, as its manifest says; `verified` when the whole file was checked
/// (every member's hash, the database's `integrity_check`, the counts).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BackupInfo {
    pub format: u32,
    pub path: String,
    #[ts(type = "number")]
    pub size: u64,
    /// When it was made, UTC, RFC 3339.
    pub created_at: String,
    pub app_version: String,
    /// The backup file's format.
    pub backup_format: u32,
    pub schema_version: u32,
    pub office: Option<BackupOffice>,
    pub counts: BackupCounts,
    /// Attachments the database lists that were missing or damaged on disk when it was made.
    pub missing_attachments: Vec<String>,
    pub verified: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BackupOffice {
    pub name: String,
    pub fingerprint: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BackupCounts {
    pub rounds: u32,
    pub products: u32,
    pub certificates: u32,
    pub registry_entries: u32,
    pub attachments: u32,
}

/// Where a listed backup is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum BackupPlace {
    /// `<data dir>/backups/`
    Local,
    /// The chosen folder (a USB stick).
    Folder,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum BackupKind {
    /// A daily automatic backup (rotated).
    Auto,
    /// The data as it was before a restore (kept).
    BeforeRestore,
    /// Any other backup file of this app.
    Other,
}

/// One backup file in the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BackupEntry {
    pub format: u32,
    pub path: String,
    pub file_name: String,
    pub place: BackupPlace,
    pub kind: BackupKind,
    #[ts(type = "number")]
    pub size: u64,
    /// What its manifest says (not yet checked in full), or `None` with `problem`.
    pub info: Option<BackupInfo>,
    pub problem: Option<ErrorDto>,
}

/// How many automatic backups to keep, and the second folder they also go to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BackupSettings {
    pub format: u32,
    pub keep: u32,
    pub folder: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RestoreReport {
    pub format: u32,
    /// The backup now in use.
    pub restored: BackupInfo,
    /// The backup of the data it replaced, in `<data dir>/backups/`.
    pub safety_copy: Option<BackupInfo>,
    /// When the replaced database could not be backed up (it was damaged): the folder its files
    /// were moved to instead.
    pub kept_aside: Option<String>,
}

/// One place of the automatic backup: the backup made there now (if it was due), the old ones
/// removed, or why the place could not be used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AutoBackupPlace {
    pub dir: String,
    pub made: Option<BackupInfo>,
    pub pruned: Vec<String>,
    pub problem: Option<ErrorDto>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AutoBackupReport {
    pub format: u32,
    pub local: AutoBackupPlace,
    /// The chosen folder, when one is set.
    pub folder: Option<AutoBackupPlace>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AutoBackupStatus {
    pub format: u32,
    pub settings: BackupSettings,
    pub local_dir: String,
    /// When the newest automatic backup was made here and in the chosen folder (UTC).
    pub newest_local: Option<String>,
    pub newest_folder: Option<String>,
    /// Whether the chosen folder is there now (`None`: no folder chosen).
    pub folder_reachable: Option<bool>,
    /// Whether `auto_backup_if_due` would make one now.
    pub due: bool,
}

/// Backup and restore: one method per shell command.
impl App {
    fn backup_data_dir(&self) -> Result<&Path> {
        if self.data_dir().as_os_str().is_empty() {
            return Err(backup::msg::NEEDS_DATA_DIR.err());
        }
        Ok(self.data_dir())
    }

    fn backup_guard(&self) -> std::sync::MutexGuard<'_, ()> {
        self.backup_lock.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Makes a backup into `out` (checked before it is renamed into place).
    pub fn backup_create(&self, out: &str) -> Reply<BackupInfo> {
        let _one = self.backup_guard();
        let r = self
            .backup_data_dir()
            .and_then(|d| backup::create(d, Path::new(out), chrono::Utc::now()));
        self.reply(r)
    }

    /// Checks a backup file in full and says what it holds; refuses a damaged or newer one.
    pub fn backup_inspect(&self, path: &str) -> Reply<BackupInfo> {
        self.reply(backup::inspect(Path::new(path)))
    }

    /// Replaces the data with the backup at `path` once `confirm`ed, after backing up the
    /// current data; the app then works on the restored data.
    pub fn backup_restore(&self, path: &str, confirm: bool) -> Reply<RestoreReport> {
        let _one = self.backup_guard();
        let dir = match self.backup_data_dir() {
            Ok(d) => d.to_path_buf(),
            Err(e) => return self.reply(Err(e)),
        };
        self.with(|s, a| backup::restore(s, &dir, Path::new(path), confirm, a, chrono::Utc::now()))
    }

    /// The backups in the data directory and the chosen folder, newest first.
    pub fn backups(&self) -> Reply<Vec<BackupEntry>> {
        let lang = self.lang();
        let r = self.backup_data_dir().and_then(|d| {
            let settings = self.with_store_ref(|s| s.backup_settings())?;
            Ok(backup::list(
                d,
                settings.folder.as_deref().map(Path::new),
                lang,
            ))
        });
        self.reply(r)
    }

    pub fn backup_settings(&self) -> Reply<BackupSettings> {
        self.with(|s, _| s.backup_settings())
    }

    pub fn set_backup_settings(&self, settings: BackupSettings) -> Reply<BackupSettings> {
        self.with(|s, a| s.save_backup_settings(a, &settings))
    }

    pub fn auto_backup_status(&self) -> Reply<AutoBackupStatus> {
        let r = self.backup_data_dir().and_then(|d| {
            let settings = self.with_store_ref(|s| s.backup_settings())?;
            Ok(backup::status(d, &settings, chrono::Utc::now()))
        });
        self.reply(r)
    }

    /// Makes the daily backup if it is due (in the data directory and the chosen folder) and
    /// keeps the newest N; the shell calls it at start and every hour.
    pub fn auto_backup_if_due(&self) -> Reply<AutoBackupReport> {
        self.auto_backup_if_due_at(chrono::Utc::now())
    }

    /// [`App::auto_backup_if_due`] as if it were `now`.
    pub fn auto_backup_if_due_at(
        &self,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Reply<AutoBackupReport> {
        let _one = self.backup_guard();
        let lang = self.lang();
        let r = self.backup_data_dir().and_then(|d| {
            let settings = self.with_store_ref(|s| s.backup_settings())?;
            backup::auto_backup_if_due(d, &settings, now, lang)
        });
        self.reply(r)
    }
}
