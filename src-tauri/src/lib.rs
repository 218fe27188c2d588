//! The desktop shell: opens the core on the OS data directory and adapts each IPC command to one
//! method of [`ocop_core::app::App`]. No SQL and no rules live here.

use ocop_core::app::{App, AppInfo, Reply};
use ocop_core::criteria::{CriteriaIndex, ProductSet};
use ocop_core::Lang;
use tauri::{Manager, State};

#[tauri::command]
fn app_info(app: State<App>) -> Reply<AppInfo> {
    app.app_info()
}

#[tauri::command]
fn set_lang(app: State<App>, lang: Lang) -> Reply<()> {
    app.set_lang(lang)
}

#[tauri::command]
fn criteria_index(app: State<App>) -> Reply<CriteriaIndex> {
    app.criteria_index()
}

#[tauri::command]
fn criteria_sheet(app: State<App>, decision: String, set: String) -> Reply<ProductSet> {
    app.criteria_sheet(&decision, &set)
}

/// Runs the application. `OCOP_DATA_DIR` overrides the OS data directory (used by the demo and
/// the tests).
pub fn run() {
    tauri::Builder::default()
        .setup(|tauri_app| {
            let dir = match std::env::var_os("OCOP_DATA_DIR") {
                Some(d) => std::path::PathBuf::from(d),
                None => tauri_app.path().app_data_dir()?,
            };
            let app = App::open(&dir).map_err(|e| e.message(Lang::Vi))?;
            tauri_app.manage(app);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![app_info, set_lang, criteria_index, criteria_sheet])
        .run(tauri::generate_context!())
        .expect("the OCOP Council window could not start");
}
