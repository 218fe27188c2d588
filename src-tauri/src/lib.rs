//! The desktop shell: opens the core on the OS data directory and adapts each IPC command to one
//! method of [`ocop_core::app::App`]. No SQL and no rules live here.

use ocop_core::app::{App, AppInfo, Reply};
use ocop_core::criteria::{CriteriaIndex, ProductSet};
use ocop_core::model::*;
use ocop_core::office::{OfficeSettings, Recognition, TrustedKey, Verification};
use ocop_core::rules::Role;
use ocop_core::Lang;
use ocop_docs::papers::{self, PaperKind};
use tauri::{Manager, State};
use tauri_plugin_opener::OpenerExt;

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

#[tauri::command]
fn sheet_by_hash(app: State<App>, sha256: String) -> Reply<ProductSet> {
    app.sheet_by_hash(&sha256)
}

#[tauri::command]
fn set_operator(app: State<App>, name: String) -> Reply<()> {
    app.set_operator(&name)
}

#[tauri::command]
fn operator(app: State<App>) -> Reply<String> {
    app.operator()
}

#[tauri::command]
fn persons(app: State<App>, query: Option<String>) -> Reply<Vec<Person>> {
    app.persons(query)
}

#[tauri::command]
fn add_person(app: State<App>, input: PersonInput) -> Reply<Person> {
    app.add_person(input)
}

#[tauri::command]
fn update_person(app: State<App>, id: String, input: PersonInput) -> Reply<Person> {
    app.update_person(&id, input)
}

#[tauri::command]
fn set_pin(
    app: State<App>,
    person_id: String,
    current: Option<String>,
    new_pin: String,
) -> Reply<()> {
    app.set_pin(&person_id, current, &new_pin)
}

#[tauri::command]
fn owners(app: State<App>, filter: ListFilter) -> Reply<Vec<Owner>> {
    app.owners(filter)
}

#[tauri::command]
fn save_owner(app: State<App>, owner: Owner) -> Reply<Owner> {
    app.save_owner(owner)
}

#[tauri::command]
fn products(app: State<App>, filter: ListFilter) -> Reply<Vec<Product>> {
    app.products(filter)
}

#[tauri::command]
fn save_product(app: State<App>, input: ProductInput) -> Reply<Product> {
    app.save_product(input)
}

#[tauri::command]
fn rounds(app: State<App>) -> Reply<Vec<Round>> {
    app.rounds()
}

#[tauri::command]
fn round(app: State<App>, id: String) -> Reply<Round> {
    app.round(&id)
}

#[tauri::command]
fn create_round(app: State<App>, input: RoundInput) -> Reply<Round> {
    app.create_round(input)
}

#[tauri::command]
fn update_round(app: State<App>, id: String, input: RoundInput) -> Reply<Round> {
    app.update_round(&id, input)
}

#[tauri::command]
fn start_scoring(app: State<App>, id: String) -> Reply<Round> {
    app.start_scoring(&id)
}

#[tauri::command]
fn roster(app: State<App>, round_id: String) -> Reply<Vec<RoundMember>> {
    app.roster(&round_id)
}

#[tauri::command]
fn set_round_member(
    app: State<App>,
    round_id: String,
    person_id: String,
    role: Role,
) -> Reply<Vec<RoundMember>> {
    app.set_round_member(&round_id, &person_id, role)
}

#[tauri::command]
fn remove_round_member(
    app: State<App>,
    round_id: String,
    person_id: String,
) -> Reply<Vec<RoundMember>> {
    app.remove_round_member(&round_id, &person_id)
}

#[tauri::command]
fn set_attendance(
    app: State<App>,
    round_id: String,
    person_id: String,
    present: bool,
) -> Reply<Vec<RoundMember>> {
    app.set_attendance(&round_id, &person_id, present)
}

#[tauri::command]
fn recusals(app: State<App>, round_id: String) -> Reply<Vec<Recusal>> {
    app.recusals(&round_id)
}

#[tauri::command]
fn set_recusal(
    app: State<App>,
    round_id: String,
    person_id: String,
    product_id: String,
    reason: Option<String>,
) -> Reply<Vec<Recusal>> {
    app.set_recusal(&round_id, &person_id, &product_id, reason)
}

#[tauri::command]
fn dossiers(app: State<App>, round_id: String) -> Reply<Vec<Dossier>> {
    app.dossiers(&round_id)
}

#[tauri::command]
fn save_dossier(app: State<App>, round_id: String, input: DossierInput) -> Reply<Dossier> {
    app.save_dossier(&round_id, input)
}

#[tauri::command]
fn remove_dossier(app: State<App>, round_id: String, product_id: String) -> Reply<()> {
    app.remove_dossier(&round_id, &product_id)
}

#[tauri::command]
fn open_sheet(
    app: State<App>,
    round_id: String,
    product_id: String,
    person_id: String,
    keyed_by: Option<String>,
    pass: u8,
) -> Reply<ScoreSheet> {
    app.open_sheet(&round_id, &product_id, &person_id, keyed_by, pass)
}

#[tauri::command]
fn sheet(app: State<App>, id: String) -> Reply<ScoreSheet> {
    app.sheet(&id)
}

#[tauri::command]
fn product_sheets(app: State<App>, round_id: String, product_id: String) -> Reply<Vec<ScoreSheet>> {
    app.product_sheets(&round_id, &product_id)
}

#[tauri::command]
fn sheet_history(
    app: State<App>,
    round_id: String,
    product_id: String,
    person_id: String,
) -> Reply<Vec<ScoreSheet>> {
    app.sheet_history(&round_id, &product_id, &person_id)
}

#[tauri::command]
fn save_answer(
    app: State<App>,
    sheet_id: String,
    criterion: String,
    option: Option<u32>,
) -> Reply<ScoreSheet> {
    app.save_answer(&sheet_id, &criterion, option)
}

#[tauri::command]
fn set_elimination(app: State<App>, sheet_id: String, reason: Option<String>) -> Reply<ScoreSheet> {
    app.set_elimination(&sheet_id, reason)
}

#[tauri::command]
fn set_comment(app: State<App>, sheet_id: String, comment: String) -> Reply<ScoreSheet> {
    app.set_comment(&sheet_id, &comment)
}

#[tauri::command]
fn mismatches(app: State<App>, sheet_id: String) -> Reply<Vec<Mismatch>> {
    app.mismatches(&sheet_id)
}

#[tauri::command]
fn sign_sheet(app: State<App>, sheet_id: String, pin: String) -> Reply<ScoreSheet> {
    app.sign_sheet(&sheet_id, &pin)
}

#[tauri::command]
fn reopen_sheet(
    app: State<App>,
    sheet_id: String,
    chair_pin: String,
    reason: String,
) -> Reply<ScoreSheet> {
    app.reopen_sheet(&sheet_id, &chair_pin, &reason)
}

#[tauri::command]
fn round_results(app: State<App>, round_id: String) -> Reply<RoundResults> {
    app.round_results(&round_id)
}

#[tauri::command]
fn record_spread_review(
    app: State<App>,
    round_id: String,
    product_id: String,
    note: String,
) -> Reply<RoundResults> {
    app.record_spread_review(&round_id, &product_id, &note)
}

#[tauri::command]
fn finalise_round(app: State<App>, round_id: String, chair_pin: String) -> Reply<RoundResults> {
    app.finalise_round(&round_id, &chair_pin)
}

#[tauri::command]
fn audit_list(app: State<App>, filter: AuditFilter) -> Reply<Vec<AuditEntry>> {
    app.audit_list(filter)
}

#[tauri::command]
fn audit_verify(app: State<App>) -> Reply<AuditVerdict> {
    app.audit_verify()
}

/// Stores an uploaded file (raw body; headers `dossier` and `name`, URI-encoded) in the dossier.
#[tauri::command]
fn attach_file(app: State<App>, request: tauri::ipc::Request) -> Reply<AttachmentRef> {
    let header = |k: &str| {
        request
            .headers()
            .get(k)
            .and_then(|v| v.to_str().ok())
            .map(ocop_core::text::percent_decode)
    };
    match (request.body(), header("dossier"), header("name")) {
        (tauri::ipc::InvokeBody::Raw(bytes), Some(dossier), Some(name)) => {
            app.attach(&dossier, &name, bytes)
        }
        _ => Err(app.error(ocop_core::error::cli_msg::BAD_REQUEST.err())),
    }
}

/// Imports owners, products (and dossiers, with header `round`) from an .xlsx file sent raw.
#[tauri::command]
fn import_xlsx(
    app: State<App>,
    request: tauri::ipc::Request,
) -> Reply<ocop_core::import::ImportReport> {
    let round = request
        .headers()
        .get("round")
        .and_then(|v| v.to_str().ok())
        .filter(|r| !r.is_empty());
    match request.body() {
        tauri::ipc::InvokeBody::Raw(bytes) => app.import_xlsx(bytes, round.map(String::from)),
        _ => Err(app.error(ocop_core::error::cli_msg::BAD_REQUEST.err())),
    }
}

/// An attachment's bytes, sent raw.
#[tauri::command]
fn attachment(app: State<App>, sha256: String) -> Reply<tauri::ipc::Response> {
    app.attachment(&sha256)
        .map(|(_, bytes)| tauri::ipc::Response::new(bytes))
}

#[tauri::command]
fn office(app: State<App>) -> Reply<OfficeSettings> {
    app.office()
}

#[tauri::command]
fn save_office(app: State<App>, office: OfficeSettings) -> Reply<OfficeSettings> {
    app.save_office(office)
}

#[tauri::command]
fn own_key(app: State<App>) -> Reply<TrustedKey> {
    app.own_key()
}

#[tauri::command]
fn trusted_keys(app: State<App>) -> Reply<Vec<TrustedKey>> {
    app.trusted_keys()
}

#[tauri::command]
fn trust_key(app: State<App>, name: String, public_key: String) -> Reply<TrustedKey> {
    app.trust_key(&name, &public_key)
}

#[tauri::command]
fn verify_certificate(app: State<App>, payload: String) -> Reply<Verification> {
    app.verify_certificate(&payload)
}

#[tauri::command]
fn recognition(app: State<App>, round_id: String) -> Reply<Option<Recognition>> {
    app.recognition(&round_id)
}

#[tauri::command]
fn issue_recognition(app: State<App>, round_id: String, date: String) -> Reply<Recognition> {
    app.issue_recognition(&round_id, &date)
}

/// A paper's bytes (PDF or xlsx), for the in-app preview.
#[tauri::command]
fn paper(
    app: State<App>,
    kind: PaperKind,
    round_id: String,
    product_id: Option<String>,
    date: Option<String>,
) -> Reply<tauri::ipc::Response> {
    app.with_store(|s, a| {
        papers::render(
            s,
            a,
            kind,
            &round_id,
            product_id.as_deref(),
            date.as_deref(),
        )
    })
    .map(|p| tauri::ipc::Response::new(p.bytes))
}

/// Writes a paper to `path` (chosen in a save dialog) or, without one, to the data directory.
#[tauri::command]
fn save_paper(
    app: State<App>,
    kind: PaperKind,
    round_id: String,
    product_id: Option<String>,
    date: Option<String>,
    path: Option<String>,
) -> Reply<String> {
    let dir = app.data_dir().to_path_buf();
    app.with_store(|s, a| {
        let target = path.as_deref().map(std::path::Path::new);
        papers::write(
            s,
            a,
            &dir,
            kind,
            &round_id,
            product_id.as_deref(),
            date.as_deref(),
            target,
        )
    })
    .map(|p| p.display().to_string())
}

/// Writes a paper to the data directory and opens it in the system viewer (to print).
#[tauri::command]
fn open_paper(
    handle: tauri::AppHandle,
    app: State<App>,
    kind: PaperKind,
    round_id: String,
    product_id: Option<String>,
    date: Option<String>,
) -> Reply<String> {
    let path = save_paper(app.clone(), kind, round_id, product_id, date, None)?;
    handle
        .opener()
        .open_path(&path, None::<&str>)
        .map_err(|e| app.error(ocop_core::error::cli_msg::OPEN_VIEWER.with("detail", e)))?;
    Ok(path)
}

/// Runs the application. The data directory is `--data-dir DIR` if given, else `OCOP_DATA_DIR`,
/// else the OS data directory (used by the demo and the tests).
pub fn run() {
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .setup(|tauri_app| {
            let from_args = std::env::args().skip_while(|a| a != "--data-dir").nth(1);
            let dir = match (from_args, std::env::var_os("OCOP_DATA_DIR")) {
                (Some(d), _) => std::path::PathBuf::from(d),
                (None, Some(d)) => std::path::PathBuf::from(d),
                (None, None) => tauri_app.path().app_data_dir()?,
            };
            let app = App::open(&dir).map_err(|e| e.message(Lang::Vi))?;
            tauri_app.manage(app);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            app_info,
            set_lang,
            criteria_index,
            criteria_sheet,
            sheet_by_hash,
            set_operator,
            operator,
            persons,
            add_person,
            update_person,
            set_pin,
            owners,
            save_owner,
            products,
            save_product,
            rounds,
            round,
            create_round,
            update_round,
            start_scoring,
            roster,
            set_round_member,
            remove_round_member,
            set_attendance,
            recusals,
            set_recusal,
            dossiers,
            save_dossier,
            remove_dossier,
            open_sheet,
            sheet,
            product_sheets,
            sheet_history,
            save_answer,
            set_elimination,
            set_comment,
            mismatches,
            sign_sheet,
            reopen_sheet,
            round_results,
            record_spread_review,
            finalise_round,
            audit_list,
            audit_verify,
            attach_file,
            attachment,
            import_xlsx,
            office,
            save_office,
            own_key,
            trusted_keys,
            trust_key,
            verify_certificate,
            recognition,
            issue_recognition,
            paper,
            save_paper,
            open_paper
        ])
        .run(tauri::generate_context!())
        .expect("the OCOP Council window could not start");
}
