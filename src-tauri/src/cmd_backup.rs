//! Backup and restore commands: each one line into [`App`] (`ocop_core::app_backup`).

use std::sync::Arc;

use ocop_core::app::{App, Reply};
use ocop_core::app_backup::{
    AutoBackupReport, AutoBackupStatus, BackupEntry, BackupInfo, BackupSettings, RestoreReport,
};
use tauri::State;

#[tauri::command(async)]
pub fn backup_create(app: State<Arc<App>>, out: String) -> Reply<BackupInfo> {
    app.backup_create(&out)
}

#[tauri::command(async)]
pub fn backup_inspect(app: State<Arc<App>>, path: String) -> Reply<BackupInfo> {
    app.backup_inspect(&path)
}

#[tauri::command(async)]
pub fn backup_restore(app: State<Arc<App>>, path: String, confirm: bool) -> Reply<RestoreReport> {
    app.backup_restore(&path, confirm)
}

#[tauri::command(async)]
pub fn backups(app: State<Arc<App>>) -> Reply<Vec<BackupEntry>> {
    app.backups()
}

#[tauri::command(async)]
pub fn backup_settings(app: State<Arc<App>>) -> Reply<BackupSettings> {
    app.backup_settings()
}

#[tauri::command(async)]
pub fn set_backup_settings(
    app: State<Arc<App>>,
    settings: BackupSettings,
) -> Reply<BackupSettings> {
    app.set_backup_settings(settings)
}

#[tauri::command(async)]
pub fn auto_backup_status(app: State<Arc<App>>) -> Reply<AutoBackupStatus> {
    app.auto_backup_status()
}

#[tauri::command(async)]
pub fn auto_backup_if_due(app: State<Arc<App>>) -> Reply<AutoBackupReport> {
    app.auto_backup_if_due()
}
