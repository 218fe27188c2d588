//! The desktop shell: opens the core on the OS data directory and adapts each IPC command to one
//! method of [`ocop_core::app::App`]. No SQL and no rules live here.

mod cmd_central;

use std::sync::Arc;

use ocop_core::app::{App, AppInfo, Reply};
use ocop_core::criteria::{CriteriaIndex, ProductSet};
use ocop_core::model::*;
use ocop_core::office::{OfficeKey, OfficeSettings, Recognition, TrustedKey, Verification};
use ocop_core::plan_import::PlanImportPlan;
use ocop_core::registry::{
    Dashboard, Locality, LocalityLevel, PlanTarget, RegistryDue, RegistryEntry, RegistryFilter,
    RegistryPage, Renewal, RenewalInput, Revocation, RevocationImport, RevocationInput,
};
use ocop_core::rules::Role;
use ocop_core::CoreError;
use ocop_core::Lang;
use ocop_docs::papers::{self, Issue, PaperKind};
use ocop_docs::papers_registry;
use tauri::{AppHandle, Emitter, Manager, State};
use tauri_plugin_opener::OpenerExt;

mod cmd_backup;
mod cmd_exchange;
mod cmd_room;
use cmd_exchange::{
    bundle_export, bundle_import, bundle_inspect, exchange_conflicts, resolve_conflict,
};

#[tauri::command(async)]
fn app_info(app: State<Arc<App>>) -> Reply<AppInfo> {
    app.app_info()
}

#[tauri::command(async)]
fn set_lang(app: State<Arc<App>>, lang: Lang) -> Reply<()> {
    app.set_lang(lang)
}

#[tauri::command(async)]
fn criteria_index(app: State<Arc<App>>) -> Reply<CriteriaIndex> {
    app.criteria_index()
}

#[tauri::command(async)]
fn criteria_sheet(app: State<Arc<App>>, decision: String, set: String) -> Reply<ProductSet> {
    app.criteria_sheet(&decision, &set)
}

#[tauri::command(async)]
fn sheet_by_hash(app: State<Arc<App>>, sha256: String) -> Reply<ProductSet> {
    app.sheet_by_hash(&sha256)
}

#[tauri::command(async)]
fn set_operator(app: State<Arc<App>>, name: String) -> Reply<()> {
    app.set_operator(&name)
}

#[tauri::command(async)]
fn operator(app: State<Arc<App>>) -> Reply<String> {
    app.operator()
}

#[tauri::command(async)]
fn persons(app: State<Arc<App>>, query: Option<String>) -> Reply<Vec<Person>> {
    app.persons(query)
}

#[tauri::command(async)]
fn add_person(app: State<Arc<App>>, input: PersonInput) -> Reply<Person> {
    app.add_person(input)
}

#[tauri::command(async)]
fn update_person(app: State<Arc<App>>, id: String, input: PersonInput) -> Reply<Person> {
    app.update_person(&id, input)
}

#[tauri::command(async)]
fn set_pin(
    app: State<Arc<App>>,
    person_id: String,
    current: Option<String>,
    new_pin: String,
) -> Reply<()> {
    app.set_pin(&person_id, current, &new_pin)
}

#[tauri::command(async)]
fn owners(app: State<Arc<App>>, filter: ListFilter) -> Reply<Vec<Owner>> {
    app.owners(filter)
}

#[tauri::command(async)]
fn save_owner(app: State<Arc<App>>, owner: Owner) -> Reply<Owner> {
    app.save_owner(owner)
}

#[tauri::command(async)]
fn products(app: State<Arc<App>>, filter: ListFilter) -> Reply<Vec<Product>> {
    app.products(filter)
}

#[tauri::command(async)]
fn save_product(app: State<Arc<App>>, input: ProductInput) -> Reply<Product> {
    app.save_product(input)
}

#[tauri::command(async)]
fn rounds(app: State<Arc<App>>) -> Reply<Vec<Round>> {
    app.rounds()
}

#[tauri::command(async)]
fn round(app: State<Arc<App>>, id: String) -> Reply<Round> {
    app.round(&id)
}

#[tauri::command(async)]
fn create_round(app: State<Arc<App>>, input: RoundInput) -> Reply<Round> {
    app.create_round(input)
}

#[tauri::command(async)]
fn update_round(app: State<Arc<App>>, id: String, input: RoundInput) -> Reply<Round> {
    app.update_round(&id, input)
}

#[tauri::command(async)]
fn start_scoring(app: State<Arc<App>>, id: String) -> Reply<Round> {
    app.start_scoring(&id)
}

#[tauri::command(async)]
fn roster(app: State<Arc<App>>, round_id: String) -> Reply<Vec<RoundMember>> {
    app.roster(&round_id)
}

#[tauri::command(async)]
fn set_round_member(
    app: State<Arc<App>>,
    round_id: String,
    person_id: String,
    role: Role,
) -> Reply<Vec<RoundMember>> {
    app.set_round_member(&round_id, &person_id, role)
}

#[tauri::command(async)]
fn remove_round_member(
    app: State<Arc<App>>,
    round_id: String,
    person_id: String,
) -> Reply<Vec<RoundMember>> {
    app.remove_round_member(&round_id, &person_id)
}

#[tauri::command(async)]
fn set_attendance(
    app: State<Arc<App>>,
    round_id: String,
    person_id: String,
    present: bool,
) -> Reply<Vec<RoundMember>> {
    app.set_attendance(&round_id, &person_id, present)
}

#[tauri::command(async)]
fn recusals(app: State<Arc<App>>, round_id: String) -> Reply<Vec<Recusal>> {
    app.recusals(&round_id)
}

#[tauri::command(async)]
fn set_recusal(
    app: State<Arc<App>>,
    round_id: String,
    person_id: String,
    product_id: String,
    reason: Option<String>,
) -> Reply<Vec<Recusal>> {
    app.set_recusal(&round_id, &person_id, &product_id, reason)
}

#[tauri::command(async)]
fn dossiers(app: State<Arc<App>>, round_id: String) -> Reply<Vec<Dossier>> {
    app.dossiers(&round_id)
}

#[tauri::command(async)]
fn save_dossier(app: State<Arc<App>>, round_id: String, input: DossierInput) -> Reply<Dossier> {
    app.save_dossier(&round_id, input)
}

#[tauri::command(async)]
fn remove_dossier(app: State<Arc<App>>, round_id: String, product_id: String) -> Reply<()> {
    app.remove_dossier(&round_id, &product_id)
}

#[tauri::command(async)]
fn open_sheet(
    app: State<Arc<App>>,
    round_id: String,
    product_id: String,
    person_id: String,
    keyed_by: Option<String>,
    pass: u8,
) -> Reply<ScoreSheet> {
    app.open_sheet(&round_id, &product_id, &person_id, keyed_by, pass)
}

#[tauri::command(async)]
fn sheet(app: State<Arc<App>>, id: String) -> Reply<ScoreSheet> {
    app.sheet(&id)
}

#[tauri::command(async)]
fn product_sheets(
    app: State<Arc<App>>,
    round_id: String,
    product_id: String,
) -> Reply<Vec<ScoreSheet>> {
    app.product_sheets(&round_id, &product_id)
}

#[tauri::command(async)]
fn sheet_history(
    app: State<Arc<App>>,
    round_id: String,
    product_id: String,
    person_id: String,
) -> Reply<Vec<ScoreSheet>> {
    app.sheet_history(&round_id, &product_id, &person_id)
}

#[tauri::command(async)]
fn save_answer(
    app: State<Arc<App>>,
    sheet_id: String,
    criterion: String,
    option: Option<u32>,
) -> Reply<ScoreSheet> {
    app.save_answer(&sheet_id, &criterion, option)
}

#[tauri::command(async)]
fn set_elimination(
    app: State<Arc<App>>,
    sheet_id: String,
    reason: Option<String>,
) -> Reply<ScoreSheet> {
    app.set_elimination(&sheet_id, reason)
}

#[tauri::command(async)]
fn set_comment(app: State<Arc<App>>, sheet_id: String, comment: String) -> Reply<ScoreSheet> {
    app.set_comment(&sheet_id, &comment)
}

#[tauri::command(async)]
fn mismatches(app: State<Arc<App>>, sheet_id: String) -> Reply<Vec<Mismatch>> {
    app.mismatches(&sheet_id)
}

#[tauri::command(async)]
fn sign_sheet(app: State<Arc<App>>, sheet_id: String, pin: String) -> Reply<ScoreSheet> {
    app.sign_sheet(&sheet_id, &pin)
}

#[tauri::command(async)]
fn reopen_sheet(
    app: State<Arc<App>>,
    sheet_id: String,
    chair_pin: String,
    reason: String,
) -> Reply<ScoreSheet> {
    app.reopen_sheet(&sheet_id, &chair_pin, &reason)
}

#[tauri::command(async)]
fn round_results(app: State<Arc<App>>, round_id: String) -> Reply<RoundResults> {
    app.round_results(&round_id)
}

#[tauri::command(async)]
fn record_spread_review(
    app: State<Arc<App>>,
    round_id: String,
    product_id: String,
    note: String,
) -> Reply<RoundResults> {
    app.record_spread_review(&round_id, &product_id, &note)
}

#[tauri::command(async)]
fn finalise_round(
    app: State<Arc<App>>,
    round_id: String,
    chair_pin: String,
) -> Reply<RoundResults> {
    app.finalise_round(&round_id, &chair_pin)
}

#[tauri::command(async)]
fn audit_list(app: State<Arc<App>>, filter: AuditFilter) -> Reply<Vec<AuditEntry>> {
    app.audit_list(filter)
}

#[tauri::command(async)]
fn audit_verify(app: State<Arc<App>>) -> Reply<AuditVerdict> {
    app.audit_verify()
}

/// Stores an uploaded file (raw body; headers `dossier` and `name`, URI-encoded) in the dossier.
#[tauri::command(async)]
fn attach_file(app: State<Arc<App>>, request: tauri::ipc::Request) -> Reply<AttachmentRef> {
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

/// The header `key` of a raw request (URI-encoded), when present and not empty.
fn header(request: &tauri::ipc::Request, key: &str) -> Option<String> {
    request
        .headers()
        .get(key)
        .and_then(|v| v.to_str().ok())
        .map(ocop_core::text::percent_decode)
        .filter(|v| !v.is_empty())
}

/// The plan of importing an .xlsx file sent raw (header `round` for its dossiers); writes nothing.
#[tauri::command(async)]
fn import_plan(
    handle: AppHandle,
    app: State<Arc<App>>,
    request: tauri::ipc::Request,
) -> Reply<ocop_core::import::ImportPlan> {
    match (request.body(), header(&request, "registry").as_deref()) {
        // A list of recognised products, for the registry (header `registry: 1`).
        (tauri::ipc::InvokeBody::Raw(bytes), Some("1")) => app.registry_import_plan(bytes),
        (tauri::ipc::InvokeBody::Raw(bytes), _) => app.import_plan(
            bytes,
            header(&request, "round"),
            &mut import_progress(&handle),
        ),
        _ => Err(app.error(ocop_core::error::cli_msg::BAD_REQUEST.err())),
    }
}

/// Tells the window how far an import is (event `import-progress`, `{done, total}`), about a
/// hundred times per file at most.
fn import_progress(handle: &AppHandle) -> impl FnMut(u32, u32) + '_ {
    move |done, total| {
        if done == 0 || done % (total / 100).max(1) == 0 {
            let _ = handle.emit(
                "import-progress",
                ocop_core::import::ImportProgress { done, total },
            );
        }
    }
}

/// Applies the confirmed plan (header `fingerprint`) of the .xlsx file sent raw, all or nothing.
#[tauri::command(async)]
fn import_apply(
    handle: AppHandle,
    app: State<Arc<App>>,
    request: tauri::ipc::Request,
) -> Reply<ocop_core::import::ImportPlan> {
    match (
        request.body(),
        header(&request, "fingerprint"),
        header(&request, "registry").as_deref(),
    ) {
        (tauri::ipc::InvokeBody::Raw(bytes), Some(fingerprint), Some("1")) => {
            app.registry_import_apply(bytes, fingerprint)
        }
        (tauri::ipc::InvokeBody::Raw(bytes), Some(fingerprint), _) => app.import_apply(
            bytes,
            header(&request, "round"),
            fingerprint,
            &mut import_progress(&handle),
        ),
        _ => Err(app.error(ocop_core::error::cli_msg::BAD_REQUEST.err())),
    }
}

/// An attachment's bytes, sent raw.
#[tauri::command(async)]
fn attachment(app: State<Arc<App>>, sha256: String) -> Reply<tauri::ipc::Response> {
    app.attachment(&sha256)
        .map(|(_, bytes)| tauri::ipc::Response::new(bytes))
}

#[tauri::command(async)]
fn office(app: State<Arc<App>>) -> Reply<OfficeSettings> {
    app.office()
}

#[tauri::command(async)]
fn save_office(app: State<Arc<App>>, office: OfficeSettings) -> Reply<OfficeSettings> {
    app.save_office(office)
}

#[tauri::command(async)]
fn own_key(app: State<Arc<App>>) -> Reply<Option<OfficeKey>> {
    app.own_key()
}

#[tauri::command(async)]
fn office_keys(app: State<Arc<App>>) -> Reply<Vec<OfficeKey>> {
    app.office_keys()
}

#[tauri::command(async)]
fn set_up_key(app: State<Arc<App>>, passphrase: String) -> Reply<OfficeKey> {
    app.set_up_key(&passphrase)
}

#[tauri::command(async)]
fn change_passphrase(app: State<Arc<App>>, current: String, new: String) -> Reply<OfficeKey> {
    app.change_passphrase(&current, &new)
}

#[tauri::command(async)]
fn rotate_key(app: State<Arc<App>>, passphrase: String) -> Reply<OfficeKey> {
    app.rotate_key(&passphrase)
}

#[tauri::command(async)]
fn add_compact_codes(app: State<Arc<App>>, passphrase: String) -> Reply<u32> {
    app.add_compact_codes(&passphrase)
}

#[tauri::command(async)]
fn certificates_without_compact_code(app: State<Arc<App>>) -> Reply<u32> {
    app.certificates_without_compact_code()
}

#[tauri::command(async)]
fn trusted_keys(app: State<Arc<App>>) -> Reply<Vec<TrustedKey>> {
    app.trusted_keys()
}

#[tauri::command(async)]
fn trust_key(app: State<Arc<App>>, name: String, public_key: String) -> Reply<TrustedKey> {
    app.trust_key(&name, &public_key)
}

#[tauri::command(async)]
fn verify_certificate(app: State<Arc<App>>, payload: String) -> Reply<Verification> {
    app.verify_certificate(&payload)
}

/// Verifies the certificate code in a photo or scan (PNG or JPEG) chosen in an open dialog.
#[tauri::command(async)]
fn verify_certificate_image(app: State<Arc<App>>, path: String) -> Reply<Verification> {
    let lang = app.lang();
    app.with_job_store(|s, _| ocop_docs::scan::verify_image(s, std::path::Path::new(&path), lang))
}

#[tauri::command(async)]
fn recognition(app: State<Arc<App>>, round_id: String) -> Reply<Option<Recognition>> {
    app.recognition(&round_id)
}

#[tauri::command(async)]
fn issue_recognition(
    app: State<Arc<App>>,
    round_id: String,
    date: String,
    passphrase: String,
) -> Reply<Recognition> {
    app.issue_recognition(&round_id, &date, &passphrase)
}

/// Runs `f` on Tauri's pool for blocking work, with the app's state: rendering and writing papers
/// take seconds and must not hold up the window or the other commands.
async fn blocking<T: Send + 'static>(
    handle: AppHandle,
    f: impl FnOnce(&App) -> Reply<T> + Send + 'static,
) -> Reply<T> {
    let h = handle.clone();
    tauri::async_runtime::spawn_blocking(move || f(&h.state::<Arc<App>>()))
        .await
        .unwrap_or_else(|e| Err(handle.state::<Arc<App>>().error(CoreError::internal(e))))
}

/// A paper's bytes (PDF or xlsx), for the in-app preview.
#[tauri::command]
async fn paper(
    handle: AppHandle,
    kind: PaperKind,
    round_id: String,
    product_id: Option<String>,
    date: Option<String>,
) -> Reply<tauri::ipc::Response> {
    blocking(handle, move |app| {
        app.with_job_store(|s, a| {
            papers::render(
                s,
                Issue::by(a),
                kind,
                &round_id,
                product_id.as_deref(),
                date.as_deref(),
            )
        })
    })
    .await
    .map(|p| tauri::ipc::Response::new(p.bytes))
}

/// Writes a paper to `path` (chosen in a save dialog) or, without one, to the data directory.
#[tauri::command]
async fn save_paper(
    handle: AppHandle,
    kind: PaperKind,
    round_id: String,
    product_id: Option<String>,
    date: Option<String>,
    path: Option<String>,
) -> Reply<String> {
    blocking(handle, move |app| {
        let dir = app.data_dir().to_path_buf();
        app.with_job_store(|s, a| {
            let target = path.as_deref().map(std::path::Path::new);
            papers::write(
                s,
                Issue::by(a),
                &dir,
                kind,
                &round_id,
                product_id.as_deref(),
                date.as_deref(),
                target,
            )
        })
    })
    .await
    .map(|p| p.display().to_string())
}

/// Writes a paper to the data directory and opens it in the system viewer (to print).
#[tauri::command]
async fn open_paper(
    handle: AppHandle,
    kind: PaperKind,
    round_id: String,
    product_id: Option<String>,
    date: Option<String>,
) -> Reply<String> {
    let path = save_paper(handle.clone(), kind, round_id, product_id, date, None).await?;
    handle
        .opener()
        .open_path(&path, None::<&str>)
        .map_err(|e| {
            handle
                .state::<Arc<App>>()
                .error(ocop_core::error::cli_msg::OPEN_VIEWER.with("detail", e))
        })?;
    Ok(path)
}

/// Writes every paper of a round into `dir` (default: the round's folder in the data directory),
/// telling the window after each file (event `papers-progress`); `cancel_job` stops it.
#[tauri::command]
async fn save_all_papers(
    handle: AppHandle,
    round_id: String,
    date: Option<String>,
    dir: Option<String>,
) -> Reply<papers::BatchResult> {
    let events = handle.clone();
    blocking(handle, move |app| {
        let dir = match dir {
            Some(d) => std::path::PathBuf::from(d),
            None => app.data_dir().join("papers").join(&round_id),
        };
        let cancel = app.start_job();
        let lang = app.lang();
        app.with_job_store(|s, a| {
            papers::write_all(s, a, &dir, &round_id, date.as_deref(), lang, &mut |p| {
                let _ = events.emit("papers-progress", p);
                !cancel.load(std::sync::atomic::Ordering::SeqCst)
            })
        })
    })
    .await
}

/// Asks a running batch (printing every paper) to stop after the file it is writing.
#[tauri::command(async)]
fn cancel_job(app: State<Arc<App>>) -> Reply<()> {
    app.cancel_job()
}

// ---- The provincial registry ----

#[tauri::command(async)]
fn registry_page(app: State<Arc<App>>, filter: RegistryFilter) -> Reply<RegistryPage> {
    app.registry_page(filter)
}

#[tauri::command(async)]
fn registry_entry(app: State<Arc<App>>, id: String) -> Reply<RegistryEntry> {
    app.registry_entry(&id)
}

#[tauri::command(async)]
fn import_mapping(app: State<Arc<App>>) -> Reply<std::collections::BTreeMap<String, String>> {
    app.import_mapping()
}

#[tauri::command(async)]
fn save_import_mapping(
    app: State<Arc<App>>,
    map: std::collections::BTreeMap<String, String>,
) -> Reply<std::collections::BTreeMap<String, String>> {
    app.save_import_mapping(map)
}

#[tauri::command(async)]
fn registry_due(app: State<Arc<App>>) -> Reply<Vec<RegistryDue>> {
    app.registry_due()
}

#[tauri::command(async)]
fn revoke(app: State<Arc<App>>, input: RevocationInput) -> Reply<RegistryEntry> {
    app.revoke(input)
}

#[tauri::command(async)]
fn revocations(app: State<Arc<App>>) -> Reply<Vec<Revocation>> {
    app.revocations()
}

#[tauri::command(async)]
fn revocations_export(app: State<Arc<App>>, path: String, passphrase: String) -> Reply<u32> {
    app.revocations_export(&path, &passphrase)
}

#[tauri::command(async)]
fn revocations_import(app: State<Arc<App>>, path: String) -> Reply<RevocationImport> {
    app.revocations_import(&path)
}

#[tauri::command(async)]
fn localities(app: State<Arc<App>>) -> Reply<Vec<Locality>> {
    app.localities()
}

#[tauri::command(async)]
fn add_locality(app: State<Arc<App>>, name: String, level: LocalityLevel) -> Reply<Locality> {
    app.add_locality(&name, level)
}

#[tauri::command(async)]
fn plan_targets(app: State<Arc<App>>, year: i32) -> Reply<Vec<PlanTarget>> {
    app.plan_targets(year)
}

#[tauri::command(async)]
fn set_plan_targets(app: State<Arc<App>>, targets: Vec<PlanTarget>) -> Reply<Vec<PlanTarget>> {
    app.set_plan_targets(targets)
}

/// The plan of importing a plan-targets .xlsx sent raw (header `year`); writes nothing.
#[tauri::command(async)]
fn plan_import_plan(app: State<Arc<App>>, request: tauri::ipc::Request) -> Reply<PlanImportPlan> {
    match (request.body(), year_header(&request)) {
        (tauri::ipc::InvokeBody::Raw(bytes), Some(year)) => app.plan_import_plan(bytes, year),
        _ => Err(app.error(ocop_core::error::cli_msg::BAD_REQUEST.err())),
    }
}

/// Applies the plan-targets file the user confirmed (headers `year`, `fingerprint`).
#[tauri::command(async)]
fn plan_import_apply(app: State<Arc<App>>, request: tauri::ipc::Request) -> Reply<PlanImportPlan> {
    match (
        request.body(),
        year_header(&request),
        header(&request, "fingerprint"),
    ) {
        (tauri::ipc::InvokeBody::Raw(bytes), Some(year), Some(f)) => {
            app.plan_import_apply(bytes, year, f)
        }
        _ => Err(app.error(ocop_core::error::cli_msg::BAD_REQUEST.err())),
    }
}

fn year_header(request: &tauri::ipc::Request) -> Option<i32> {
    header(request, "year").and_then(|y| y.parse().ok())
}

#[tauri::command(async)]
fn dashboard(
    app: State<Arc<App>>,
    year: i32,
    from: Option<String>,
    to: Option<String>,
) -> Reply<Dashboard> {
    app.dashboard(year, from, to)
}

/// The registry list (every entry the filter matches) as .xlsx at `path`.
#[tauri::command]
async fn registry_xlsx(handle: AppHandle, path: String, filter: RegistryFilter) -> Reply<String> {
    blocking(handle, move |app| {
        app.with_job_store(|s, _| {
            let p = std::path::Path::new(&path);
            papers_registry::write_registry_xlsx(s, &filter, App::today(), p)
                .map(|p| p.display().to_string())
        })
    })
    .await
}

/// The periodic report of `year` (period `from`–`to`) as PDF or .xlsx at `path`.
#[tauri::command]
async fn report_paper(
    handle: AppHandle,
    year: i32,
    from: Option<String>,
    to: Option<String>,
    format: String,
    path: String,
) -> Reply<String> {
    blocking(handle, move |app| {
        app.with_job_store(|s, _| {
            let p = std::path::Path::new(&path);
            papers_registry::report_paper(s, year, from.as_deref(), to.as_deref(), &format, p)
                .map(|p| p.display().to_string())
        })
    })
    .await
}

#[tauri::command]
async fn revocation_decision_paper(
    handle: AppHandle,
    entry_id: String,
    path: String,
) -> Reply<String> {
    blocking(handle, move |app| {
        app.with_job_store(|s, _| {
            papers_registry::write_revocation_decision(s, &entry_id, std::path::Path::new(&path))
                .map(|p| p.display().to_string())
        })
    })
    .await
}

#[tauri::command]
async fn renewal_paper(
    handle: AppHandle,
    renewal_id: String,
    kind: String,
    path: String,
) -> Reply<String> {
    blocking(handle, move |app| {
        app.with_job_store(|s, _| {
            papers_registry::write_renewal_paper(s, &renewal_id, &kind, std::path::Path::new(&path))
                .map(|p| p.display().to_string())
        })
    })
    .await
}

/// Shows a paper this app saved in the system viewer, to print it.
#[tauri::command(async)]
fn open_path(handle: AppHandle, app: State<Arc<App>>, path: String) -> Reply<()> {
    let p = papers_registry::openable(&path).map_err(|e| app.error(e))?;
    handle
        .opener()
        .open_path(p.display().to_string(), None::<&str>)
        .map_err(|e| app.error(ocop_core::error::cli_msg::OPEN_VIEWER.with("detail", e)))
}

#[tauri::command(async)]
fn renewals(app: State<Arc<App>>) -> Reply<Vec<Renewal>> {
    app.renewals()
}

#[tauri::command(async)]
fn renewal_start(app: State<Arc<App>>, input: RenewalInput) -> Reply<Renewal> {
    app.renewal_start(input)
}

#[tauri::command(async)]
fn renewal_opinion(
    app: State<Arc<App>>,
    renewal_id: String,
    person_id: String,
    agree: bool,
    remark: String,
) -> Reply<Renewal> {
    app.renewal_opinion(&renewal_id, &person_id, agree, &remark)
}

#[tauri::command(async)]
fn renewal_decide(
    app: State<Arc<App>>,
    renewal_id: String,
    date: String,
    passphrase: String,
) -> Reply<Renewal> {
    app.renewal_decide(&renewal_id, &date, &passphrase)
}

#[tauri::command(async)]
fn renewal_to_round(app: State<Arc<App>>, renewal_id: String, round_id: String) -> Reply<Renewal> {
    app.renewal_to_round(&renewal_id, &round_id)
}

#[tauri::command(async)]
fn renewal_refuse(app: State<Arc<App>>, renewal_id: String, reason: String) -> Reply<Renewal> {
    app.renewal_refuse(&renewal_id, &reason)
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
            tauri_app.manage(Arc::new(app));
            tauri_app.manage(cmd_room::RoomState::default());
            // The daily backup, at start and then every hour, off the main thread; a failure is
            // reported and never stops the app (the Backups screen shows the status).
            let handle = tauri_app.handle().clone();
            std::thread::spawn(move || loop {
                if let Err(e) = handle.state::<Arc<App>>().auto_backup_if_due() {
                    eprintln!("auto backup: {e}");
                }
                std::thread::sleep(std::time::Duration::from_secs(3600));
            });
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
            cmd_central::save_commune_report,
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
            import_plan,
            import_apply,
            office,
            save_office,
            own_key,
            office_keys,
            set_up_key,
            change_passphrase,
            rotate_key,
            trusted_keys,
            trust_key,
            verify_certificate,
            verify_certificate_image,
            add_compact_codes,
            certificates_without_compact_code,
            recognition,
            issue_recognition,
            paper,
            save_paper,
            open_paper,
            save_all_papers,
            cancel_job,
            registry_page,
            registry_entry,
            registry_due,
            import_mapping,
            save_import_mapping,
            revoke,
            revocations,
            cmd_central::central_results,
            cmd_central::record_central_result,
            cmd_central::recognise_on_central_result,
            cmd_central::record_centre_decision,
            revocations_export,
            revocations_import,
            bundle_export,
            bundle_inspect,
            bundle_import,
            exchange_conflicts,
            resolve_conflict,
            localities,
            add_locality,
            plan_targets,
            set_plan_targets,
            plan_import_plan,
            plan_import_apply,
            dashboard,
            renewals,
            renewal_start,
            renewal_opinion,
            renewal_decide,
            renewal_to_round,
            renewal_refuse,
            registry_xlsx,
            report_paper,
            revocation_decision_paper,
            renewal_paper,
            open_path,
            cmd_backup::backup_create,
            cmd_backup::backup_inspect,
            cmd_backup::backup_restore,
            cmd_backup::backups,
            cmd_backup::backup_settings,
            cmd_backup::set_backup_settings,
            cmd_backup::auto_backup_status,
            cmd_backup::auto_backup_if_due,
            cmd_room::room_open,
            cmd_room::room_info,
            cmd_room::room_board,
            cmd_room::room_reissue,
            cmd_room::room_revoke,
            cmd_room::room_close
        ])
        .build(tauri::generate_context!())
        .expect("the OCOP Council window could not start")
        .run(|handle, event| {
            // An open council room ends with the app: its links and sessions die, and the store
            // records the room closed.
            if let tauri::RunEvent::Exit = event {
                if let Some(room) = handle.try_state::<cmd_room::RoomState>() {
                    room.close_on_exit();
                }
            }
        });
}
