//! Exchange bundles between offices: each command one call into `App` (`ocop_core::app_exchange`).

use std::sync::Arc;

use ocop_core::app::{App, Reply};
use ocop_core::exchange::{
    BundlePlan, ConflictResolution, ExchangeConflict, ExportRequest, ExportSummary,
};
use tauri::State;

#[tauri::command(async)]
pub fn bundle_export(
    app: State<Arc<App>>,
    request: ExportRequest,
    out: String,
    passphrase: String,
) -> Reply<ExportSummary> {
    app.bundle_export(request, &out, &passphrase)
}

#[tauri::command(async)]
pub fn bundle_inspect(app: State<Arc<App>>, path: String) -> Reply<BundlePlan> {
    app.bundle_inspect(&path)
}

#[tauri::command(async)]
pub fn bundle_import(
    app: State<Arc<App>>,
    path: String,
    trust: bool,
    dry_run: bool,
) -> Reply<BundlePlan> {
    app.bundle_import(&path, trust, dry_run)
}

#[tauri::command(async)]
pub fn exchange_conflicts(app: State<Arc<App>>) -> Reply<Vec<ExchangeConflict>> {
    app.exchange_conflicts()
}

#[tauri::command(async)]
pub fn resolve_conflict(
    app: State<Arc<App>>,
    id: String,
    how: ConflictResolution,
) -> Reply<ExchangeConflict> {
    app.resolve_conflict(&id, how)
}
