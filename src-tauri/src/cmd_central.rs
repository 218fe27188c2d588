//! Commands of the commune's pre-assessment (Mẫu 03) and of the central results back at the
//! province: one line each, calling [`ocop_core::app::App`].

use std::sync::Arc;

use ocop_core::app::{App, Reply};
use ocop_core::central::{CentralResult, CentralResultInput};
use ocop_core::model::{CommuneReport, Dossier};
use ocop_core::registry::RegistryEntry;
use tauri::State;

#[tauri::command(async)]
pub fn save_commune_report(
    app: State<Arc<App>>,
    dossier_id: String,
    report: CommuneReport,
) -> Reply<Dossier> {
    app.save_commune_report(&dossier_id, report)
}

#[tauri::command(async)]
pub fn central_results(
    app: State<Arc<App>>,
    product_id: Option<String>,
) -> Reply<Vec<CentralResult>> {
    app.central_results(product_id)
}

#[tauri::command(async)]
pub fn record_central_result(
    app: State<Arc<App>>,
    input: CentralResultInput,
) -> Reply<CentralResult> {
    app.record_central_result(input)
}

#[tauri::command(async)]
pub fn recognise_on_central_result(
    app: State<Arc<App>>,
    central_id: String,
    date: String,
    passphrase: String,
) -> Reply<RegistryEntry> {
    app.recognise_on_central_result(&central_id, &date, &passphrase)
}

#[tauri::command(async)]
pub fn record_centre_decision(
    app: State<Arc<App>>,
    central_id: String,
    decision_no: String,
    date: String,
    certificate_no: String,
) -> Reply<RegistryEntry> {
    app.record_centre_decision(&central_id, &decision_no, &date, &certificate_no)
}
