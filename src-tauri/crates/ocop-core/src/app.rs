//! The application facade the desktop shell adapts one command to one method. It owns the store
//! and the user's language, and turns errors into messages in that language.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::criteria::{CriteriaIndex, ProductSet};
use crate::error::{CoreError, ErrorDto, Lang, Result};
use crate::model::*;
use crate::plan_import::PlanImportPlan;
use crate::registry::{
    Dashboard, Locality, LocalityLevel, PlanTarget, RegistryDue, RegistryEntry, RegistryFilter,
    RegistryPage, Renewal, RenewalInput, Revocation, RevocationImport, RevocationInput,
};
use crate::rules::Role;
use crate::store::{Store, SCHEMA_VERSION};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
    pub schema_version: u32,
    /// The day this build was made (UTC, `YYYY-MM-DD`).
    pub build_date: String,
    /// The fingerprint of the criteria data built in (`ocop criteria check` checks that data).
    pub criteria_fingerprint: String,
}

/// The day this build was made (UTC), from the build script.
pub const BUILD_DATE: &str = env!("OCOP_BUILD_DATE");

/// What `ocop --version` prints after the program's name, for a support call: the version, the
/// build date, the schema version and the criteria data's fingerprint.
pub fn version_line() -> &'static str {
    static LINE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    LINE.get_or_init(|| {
        format!(
            "{} (bản dựng/build {BUILD_DATE}, lược đồ/schema {SCHEMA_VERSION}, tiêu chí/criteria {})",
            env!("CARGO_PKG_VERSION"),
            crate::criteria::BUILTIN_FINGERPRINT
        )
    })
}

pub struct App {
    store: Mutex<Store>,
    lang: Mutex<Lang>,
    /// Who is at the keyboard, for the audit log (set from the UI).
    operator: Mutex<String>,
    data_dir: PathBuf,
    /// Set by [`App::cancel_job`]; checked by long jobs between steps.
    cancel: std::sync::atomic::AtomicBool,
    /// One backup, restore or automatic backup at a time (`app_backup.rs`).
    pub(crate) backup_lock: Mutex<()>,
}

/// The operator recorded in the audit log until the UI names one.
pub const DEFAULT_OPERATOR: &str = "Thư ký Hội đồng";

/// What a shell command returns: a value, or a coded error with its message in the user's
/// language.
pub type Reply<T> = std::result::Result<T, ErrorDto>;

pub mod msg {
    crate::messages! {
        OPERATOR_MISSING = "app.operator_missing" {
            vi: "Chưa nhập tên người sử dụng",
            en: "The user's name is missing",
        }
    }
}

impl App {
    /// Opens the store in `data_dir` (created if needed).
    pub fn open(data_dir: &Path) -> Result<App> {
        Ok(App {
            store: Mutex::new(Store::open_data_dir(data_dir)?),
            lang: Mutex::new(Lang::Vi),
            operator: Mutex::new(DEFAULT_OPERATOR.into()),
            data_dir: data_dir.to_path_buf(),
            cancel: Default::default(),
            backup_lock: Mutex::new(()),
        })
    }

    pub fn in_memory() -> Result<App> {
        Ok(App {
            store: Mutex::new(Store::open_in_memory()?),
            lang: Mutex::new(Lang::Vi),
            operator: Mutex::new(DEFAULT_OPERATOR.into()),
            data_dir: PathBuf::new(),
            cancel: Default::default(),
            backup_lock: Mutex::new(()),
        })
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        // A panic while holding the lock leaves the SQLite connection consistent (every write is
        // a transaction), so the poisoned guard is safe to reuse.
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn lang(&self) -> Lang {
        *self.lang.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// An error as the shell returns it, in the user's language.
    pub fn error(&self, e: CoreError) -> ErrorDto {
        e.to_dto(self.lang())
    }

    pub(crate) fn reply<T>(&self, r: Result<T>) -> Reply<T> {
        r.map_err(|e: CoreError| e.to_dto(self.lang()))
    }

    pub fn set_lang(&self, lang: Lang) -> Reply<()> {
        *self.lang.lock().unwrap_or_else(|p| p.into_inner()) = lang;
        Ok(())
    }

    pub fn app_info(&self) -> Reply<AppInfo> {
        Ok(AppInfo {
            version: env!("CARGO_PKG_VERSION").into(),
            data_dir: self.data_dir.display().to_string(),
            schema_version: SCHEMA_VERSION as u32,
            build_date: BUILD_DATE.into(),
            criteria_fingerprint: crate::criteria::BUILTIN_FINGERPRINT.into(),
        })
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    fn actor(&self) -> String {
        self.operator
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Runs `f` on the store with the current operator as the audit actor.
    pub(crate) fn with<T>(&self, f: impl FnOnce(&mut Store, &str) -> Result<T>) -> Reply<T> {
        let actor = self.actor();
        let r = f(&mut self.store(), &actor);
        self.reply(r)
    }

    /// Runs `f` on the store, keeping the core error (for methods that go on with its result).
    pub(crate) fn with_store_ref<T>(&self, f: impl FnOnce(&Store) -> Result<T>) -> Result<T> {
        f(&self.store())
    }

    pub fn set_operator(&self, name: &str) -> Reply<()> {
        let name = crate::text::nfc(name.trim());
        if name.is_empty() {
            return self.reply(Err(msg::OPERATOR_MISSING.err()));
        }
        *self.operator.lock().unwrap_or_else(|p| p.into_inner()) = name;
        Ok(())
    }

    pub fn operator(&self) -> Reply<String> {
        Ok(self.actor())
    }

    pub fn criteria_index(&self) -> Reply<CriteriaIndex> {
        self.reply(self.store().catalog().map(|c| c.index()))
    }

    pub fn criteria_sheet(&self, decision: &str, set: &str) -> Reply<ProductSet> {
        let r = self
            .store()
            .catalog()
            .and_then(|c| c.set(decision, set).cloned());
        self.reply(r)
    }
}

/// Council work: one method per shell command.
impl App {
    pub fn sheet_by_hash(&self, sha256: &str) -> Reply<ProductSet> {
        self.with(|s, _| s.sheet_by_hash(sha256))
    }
    pub fn persons(&self, query: Option<String>) -> Reply<Vec<Person>> {
        self.with(|s, _| s.persons(query.as_deref()))
    }
    pub fn add_person(&self, input: PersonInput) -> Reply<Person> {
        self.with(|s, a| s.add_person(a, &input))
    }
    pub fn update_person(&self, id: &str, input: PersonInput) -> Reply<Person> {
        self.with(|s, a| s.update_person(a, id, &input))
    }
    pub fn set_pin(&self, person_id: &str, current: Option<String>, new_pin: &str) -> Reply<()> {
        self.with(|s, _| s.set_pin(person_id, current.as_deref(), new_pin))
    }
    pub fn owners(&self, filter: ListFilter) -> Reply<Vec<Owner>> {
        self.with(|s, _| s.owners(&filter))
    }
    pub fn save_owner(&self, owner: Owner) -> Reply<Owner> {
        self.with(|s, a| s.save_owner(a, &owner))
    }
    pub fn products(&self, filter: ListFilter) -> Reply<Vec<Product>> {
        self.with(|s, _| s.products(&filter))
    }
    pub fn save_product(&self, input: ProductInput) -> Reply<Product> {
        self.with(|s, a| s.save_product(a, &input))
    }
    pub fn rounds(&self) -> Reply<Vec<Round>> {
        self.with(|s, _| s.rounds())
    }
    pub fn round(&self, id: &str) -> Reply<Round> {
        self.with(|s, _| s.round(id))
    }
    pub fn create_round(&self, input: RoundInput) -> Reply<Round> {
        self.with(|s, a| s.create_round(a, &input))
    }
    pub fn update_round(&self, id: &str, input: RoundInput) -> Reply<Round> {
        self.with(|s, a| s.update_round(a, id, &input))
    }
    pub fn start_scoring(&self, id: &str) -> Reply<Round> {
        self.with(|s, a| s.start_scoring(a, id))
    }
    pub fn roster(&self, round_id: &str) -> Reply<Vec<RoundMember>> {
        self.with(|s, _| s.roster(round_id))
    }
    pub fn set_round_member(
        &self,
        round_id: &str,
        person_id: &str,
        role: Role,
    ) -> Reply<Vec<RoundMember>> {
        self.with(|s, a| {
            s.set_round_member(a, round_id, person_id, role)?;
            s.roster(round_id)
        })
    }
    pub fn remove_round_member(&self, round_id: &str, person_id: &str) -> Reply<Vec<RoundMember>> {
        self.with(|s, a| {
            s.remove_round_member(a, round_id, person_id)?;
            s.roster(round_id)
        })
    }
    pub fn set_attendance(
        &self,
        round_id: &str,
        person_id: &str,
        present: bool,
    ) -> Reply<Vec<RoundMember>> {
        self.with(|s, a| {
            s.set_attendance(a, round_id, person_id, present)?;
            s.roster(round_id)
        })
    }
    pub fn recusals(&self, round_id: &str) -> Reply<Vec<Recusal>> {
        self.with(|s, _| s.recusals(round_id))
    }
    pub fn set_recusal(
        &self,
        round_id: &str,
        person_id: &str,
        product_id: &str,
        reason: Option<String>,
    ) -> Reply<Vec<Recusal>> {
        self.with(|s, a| {
            s.set_recusal(a, round_id, person_id, product_id, reason.as_deref())?;
            s.recusals(round_id)
        })
    }
    pub fn dossiers(&self, round_id: &str) -> Reply<Vec<Dossier>> {
        self.with(|s, _| s.dossiers(round_id))
    }
    pub fn save_dossier(&self, round_id: &str, input: DossierInput) -> Reply<Dossier> {
        self.with(|s, a| s.save_dossier(a, round_id, &input))
    }
    pub fn remove_dossier(&self, round_id: &str, product_id: &str) -> Reply<()> {
        self.with(|s, a| s.remove_dossier(a, round_id, product_id))
    }
    /// Saves the commune's pre-assessment (Mẫu 03) of a dossier.
    pub fn save_commune_report(&self, dossier_id: &str, report: CommuneReport) -> Reply<Dossier> {
        self.with(|s, a| s.save_commune_report(a, dossier_id, &report))
    }
    pub fn attach(&self, dossier_id: &str, name: &str, bytes: &[u8]) -> Reply<AttachmentRef> {
        let dir = self.data_dir.clone();
        self.with(|s, a| s.attach(a, &dir, dossier_id, name, bytes))
    }
    pub fn attachment(&self, sha256: &str) -> Reply<(String, Vec<u8>)> {
        let dir = self.data_dir.clone();
        self.with(|s, _| s.attachment_bytes(&dir, sha256))
    }
    pub fn open_sheet(
        &self,
        round_id: &str,
        product_id: &str,
        person_id: &str,
        keyed_by: Option<String>,
        pass: u8,
    ) -> Reply<ScoreSheet> {
        self.with(|s, a| {
            s.open_sheet(
                a,
                round_id,
                product_id,
                person_id,
                keyed_by.as_deref(),
                pass,
            )
        })
    }
    pub fn sheet(&self, id: &str) -> Reply<ScoreSheet> {
        self.with(|s, _| s.sheet(id))
    }
    pub fn product_sheets(&self, round_id: &str, product_id: &str) -> Reply<Vec<ScoreSheet>> {
        self.with(|s, _| s.product_sheets(round_id, product_id))
    }
    pub fn sheet_history(
        &self,
        round_id: &str,
        product_id: &str,
        person_id: &str,
    ) -> Reply<Vec<ScoreSheet>> {
        self.with(|s, _| s.sheet_history(round_id, product_id, person_id))
    }
    pub fn save_answer(
        &self,
        sheet_id: &str,
        criterion: &str,
        option: Option<u32>,
    ) -> Reply<ScoreSheet> {
        self.with(|s, a| s.save_answer(a, sheet_id, criterion, option))
    }
    pub fn set_elimination(&self, sheet_id: &str, reason: Option<String>) -> Reply<ScoreSheet> {
        self.with(|s, a| s.set_elimination(a, sheet_id, reason.as_deref()))
    }
    pub fn set_comment(&self, sheet_id: &str, comment: &str) -> Reply<ScoreSheet> {
        self.with(|s, a| s.set_comment(a, sheet_id, comment))
    }
    pub fn mismatches(&self, sheet_id: &str) -> Reply<Vec<Mismatch>> {
        self.with(|s, _| s.mismatches(sheet_id))
    }
    pub fn sign_sheet(&self, sheet_id: &str, pin: &str) -> Reply<ScoreSheet> {
        self.with(|s, _| s.sign_sheet(sheet_id, pin))
    }
    pub fn reopen_sheet(&self, sheet_id: &str, chair_pin: &str, reason: &str) -> Reply<ScoreSheet> {
        self.with(|s, _| s.reopen_sheet(sheet_id, chair_pin, reason))
    }
    pub fn round_results(&self, round_id: &str) -> Reply<RoundResults> {
        let lang = self.lang();
        self.with(|s, _| s.round_results(round_id).map(|r| r.in_lang(lang)))
    }
    pub fn record_spread_review(
        &self,
        round_id: &str,
        product_id: &str,
        note: &str,
    ) -> Reply<RoundResults> {
        let lang = self.lang();
        self.with(|s, a| {
            s.record_spread_review(a, round_id, product_id, note)?;
            s.round_results(round_id).map(|r| r.in_lang(lang))
        })
    }
    pub fn finalise_round(&self, round_id: &str, chair_pin: &str) -> Reply<RoundResults> {
        let lang = self.lang();
        self.with(|s, _| {
            s.finalise_round(round_id, chair_pin)
                .map(|r| r.in_lang(lang))
        })
    }
    pub fn audit_list(&self, filter: AuditFilter) -> Reply<Vec<AuditEntry>> {
        self.with(|s, _| s.audit_list(&filter))
    }
    /// What importing the file would do, row by row; writes nothing.
    pub fn import_plan(
        &self,
        bytes: &[u8],
        round_id: Option<String>,
        progress: &mut dyn FnMut(u32, u32),
    ) -> Reply<crate::import::ImportPlan> {
        let lang = self.lang();
        let cancel = self.start_job();
        self.with(|s, _| {
            s.import_plan_with(bytes, round_id.as_deref(), lang, &mut |done, total| {
                progress(done, total);
                !cancel.load(std::sync::atomic::Ordering::SeqCst)
            })
        })
    }
    /// Applies the plan the user confirmed (its `fingerprint`), all or nothing.
    pub fn import_apply(
        &self,
        bytes: &[u8],
        round_id: Option<String>,
        fingerprint: String,
        progress: &mut dyn FnMut(u32, u32),
    ) -> Reply<crate::import::ImportPlan> {
        let lang = self.lang();
        let cancel = self.start_job();
        self.with(|s, a| {
            s.import_apply_with(
                a,
                bytes,
                round_id.as_deref(),
                Some(&fingerprint),
                lang,
                &mut |done, total| {
                    progress(done, total);
                    !cancel.load(std::sync::atomic::Ordering::SeqCst)
                },
            )
        })
    }
    /// What importing a list of recognised products into the registry would do; writes nothing.
    pub fn registry_import_plan(&self, bytes: &[u8]) -> Reply<crate::import::ImportPlan> {
        let lang = self.lang();
        self.with(|s, _| s.registry_import_plan(bytes, lang))
    }
    /// Applies the registry list the user confirmed (its `fingerprint`), all or nothing.
    pub fn registry_import_apply(
        &self,
        bytes: &[u8],
        fingerprint: String,
    ) -> Reply<crate::import::ImportPlan> {
        let lang = self.lang();
        self.with(|s, a| s.registry_import_apply(a, bytes, Some(&fingerprint), lang))
    }
    /// The columns the user mapped once (folded header → field).
    pub fn import_mapping(&self) -> Reply<std::collections::BTreeMap<String, String>> {
        self.with(|s, _| s.import_mapping())
    }
    pub fn save_import_mapping(
        &self,
        map: std::collections::BTreeMap<String, String>,
    ) -> Reply<std::collections::BTreeMap<String, String>> {
        self.with(|s, a| s.save_import_mapping(a, &map))
    }
    pub fn office(&self) -> Reply<crate::office::OfficeSettings> {
        self.with(|s, _| s.office())
    }
    pub fn save_office(
        &self,
        office: crate::office::OfficeSettings,
    ) -> Reply<crate::office::OfficeSettings> {
        self.with(|s, a| s.save_office(a, &office))
    }
    /// This office's current signing key (public part), or `None` before it is set up.
    pub fn own_key(&self) -> Reply<Option<crate::office::OfficeKey>> {
        self.with(|s, _| s.own_key())
    }
    /// This office's keys, the current one first, then the retired ones.
    pub fn office_keys(&self) -> Reply<Vec<crate::office::OfficeKey>> {
        self.with(|s, _| s.office_keys())
    }
    pub fn set_up_key(&self, passphrase: &str) -> Reply<crate::office::OfficeKey> {
        self.with(|s, a| s.set_up_key(a, passphrase))
    }
    pub fn change_passphrase(&self, current: &str, new: &str) -> Reply<crate::office::OfficeKey> {
        self.with(|s, a| s.change_passphrase(a, current, new))
    }
    pub fn rotate_key(&self, passphrase: &str) -> Reply<crate::office::OfficeKey> {
        self.with(|s, a| s.rotate_key(a, passphrase))
    }
    /// The compact QR code for the certificates issued before it; how many got one.
    pub fn add_compact_codes(&self, passphrase: &str) -> Reply<u32> {
        self.with(|s, a| s.add_compact_codes(a, Some(passphrase)))
    }
    /// How many certificates this office issued before the compact code still lack one.
    pub fn certificates_without_compact_code(&self) -> Reply<u32> {
        self.with(|s, _| s.certificates_without_compact_code())
    }
    pub fn trusted_keys(&self) -> Reply<Vec<crate::office::TrustedKey>> {
        self.with(|s, _| s.trusted_keys())
    }
    pub fn trust_key(&self, name: &str, public_key: &str) -> Reply<crate::office::TrustedKey> {
        self.with(|s, a| s.trust_key(a, name, public_key))
    }
    pub fn verify_certificate(&self, payload: &str) -> Reply<crate::office::Verification> {
        let lang = self.lang();
        self.with(|s, _| s.verify_certificate(payload, lang))
    }
    pub fn recognition(&self, round_id: &str) -> Reply<Option<crate::office::Recognition>> {
        self.with(|s, _| s.recognition(round_id))
    }
    /// Issues the recognition decision; the office's passphrase opens its signing key.
    pub fn issue_recognition(
        &self,
        round_id: &str,
        date: &str,
        passphrase: &str,
    ) -> Reply<crate::office::Recognition> {
        self.with(|s, a| s.issue_recognition(a, round_id, date, Some(passphrase)))
    }
    /// Runs `f` on the store with the operator as the audit actor, keeping the core error (for the
    /// council room's hub, which words it in each member's language).
    pub fn with_core<T>(&self, f: impl FnOnce(&mut Store, &str) -> Result<T>) -> Result<T> {
        let actor = self.actor();
        f(&mut self.store(), &actor)
    }

    /// Runs `f` on the store (for the documents crate, which renders from it).
    pub fn with_store<T>(&self, f: impl FnOnce(&mut Store, &str) -> Result<T>) -> Reply<T> {
        self.with(f)
    }

    /// Runs a long job (printing a round's papers) on a connection of its own, so the window's
    /// other commands never wait behind it: SQLite's WAL lets them read and write meanwhile. An
    /// in-memory app (tests) has one connection only and uses it.
    pub fn with_job_store<T>(&self, f: impl FnOnce(&mut Store, &str) -> Result<T>) -> Reply<T> {
        if self.data_dir.as_os_str().is_empty() {
            return self.with(f);
        }
        let actor = self.actor();
        let r = Store::open_dir(&self.data_dir).and_then(|mut s| f(&mut s, &actor));
        self.reply(r)
    }

    /// Asks the running job to stop at its next step.
    pub fn cancel_job(&self) -> Reply<()> {
        self.cancel.store(true, std::sync::atomic::Ordering::SeqCst);
        Ok(())
    }

    /// Starts a long job: clears a Stop left from an earlier one and gives the flag the job
    /// checks between its steps.
    pub fn start_job(&self) -> &std::sync::atomic::AtomicBool {
        self.cancel
            .store(false, std::sync::atomic::Ordering::SeqCst);
        &self.cancel
    }

    // ---- The provincial registry ----

    /// Today, as the registry's statuses count it.
    pub fn today() -> chrono::NaiveDate {
        chrono::Local::now().date_naive()
    }
    pub fn registry_page(&self, filter: RegistryFilter) -> Reply<RegistryPage> {
        self.with(|s, _| s.registry_page(&filter, App::today()))
    }
    pub fn registry_entry(&self, id: &str) -> Reply<RegistryEntry> {
        self.with(|s, _| s.registry_entry(id, App::today()))
    }
    /// The certificates whose re-recognition window opens or closes within 30 days.
    pub fn registry_due(&self) -> Reply<Vec<RegistryDue>> {
        self.with(|s, _| s.registry_due(App::today()))
    }
    pub fn revoke(&self, input: RevocationInput) -> Reply<RegistryEntry> {
        self.with(|s, a| s.revoke(a, &input, App::today()))
    }
    // ---- Central results back at the province (QĐ 26/2026 Điều 7.4) ----

    pub fn central_results(
        &self,
        product_id: Option<String>,
    ) -> Reply<Vec<crate::central::CentralResult>> {
        self.with(|s, _| s.central_results(product_id.as_deref()))
    }
    /// Records a central result keyed from the centre's letter or minutes.
    pub fn record_central_result(
        &self,
        input: crate::central::CentralResultInput,
    ) -> Reply<crate::central::CentralResult> {
        self.with(|s, a| s.record_central_result(a, &input))
    }
    /// The province's 3★/4★ decision on a central result under 90, signed with the office key.
    pub fn recognise_on_central_result(
        &self,
        central_id: &str,
        date: &str,
        passphrase: &str,
    ) -> Reply<RegistryEntry> {
        self.with(|s, a| {
            s.recognise_on_central_result(a, central_id, date, Some(passphrase), App::today())
        })
    }
    /// Records the Ministry's 5★ decision on a central result in the registry.
    pub fn record_centre_decision(
        &self,
        central_id: &str,
        decision_no: &str,
        date: &str,
        certificate_no: &str,
    ) -> Reply<RegistryEntry> {
        self.with(|s, a| {
            s.record_centre_decision(
                a,
                central_id,
                decision_no,
                date,
                certificate_no,
                App::today(),
            )
        })
    }
    pub fn revocations(&self) -> Reply<Vec<Revocation>> {
        self.with(|s, _| s.revocations())
    }
    /// Writes this office's signed revocation list to `path`.
    pub fn revocations_export(&self, path: &str, passphrase: &str) -> Reply<u32> {
        self.with(|s, _| {
            let text = s.revocations_export(Some(passphrase))?;
            std::fs::write(path, &text).map_err(|e| CoreError::Io {
                path: path.into(),
                reason: e.to_string(),
            })?;
            Ok(s.revocations()?
                .iter()
                .filter(|r| r.from_office.is_none())
                .count() as u32)
        })
    }
    pub fn revocations_import(&self, path: &str) -> Reply<RevocationImport> {
        self.with(|s, a| {
            let bytes = std::fs::read(path).map_err(|e| CoreError::Io {
                path: path.into(),
                reason: e.to_string(),
            })?;
            let name = Path::new(path)
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            s.revocations_import(a, &bytes, &name)
        })
    }
    pub fn localities(&self) -> Reply<Vec<Locality>> {
        self.with(|s, _| s.localities())
    }
    pub fn add_locality(&self, name: &str, level: LocalityLevel) -> Reply<Locality> {
        self.with(|s, a| s.add_locality(a, name, level))
    }
    pub fn plan_targets(&self, year: i32) -> Reply<Vec<PlanTarget>> {
        self.with(|s, _| s.plan_targets(Some(year)))
    }
    pub fn set_plan_targets(&self, targets: Vec<PlanTarget>) -> Reply<Vec<PlanTarget>> {
        let year = targets.first().map(|t| t.year);
        self.with(|s, a| {
            s.set_plan_targets(a, &targets)?;
            s.plan_targets(year)
        })
    }
    /// What importing a plan file for `year` would do; writes nothing.
    pub fn plan_import_plan(&self, bytes: &[u8], year: i32) -> Reply<PlanImportPlan> {
        let lang = self.lang();
        self.with(|s, _| s.plan_import_plan(bytes, year, lang))
    }
    /// Applies the plan file the user confirmed (its `fingerprint`), all or nothing.
    pub fn plan_import_apply(
        &self,
        bytes: &[u8],
        year: i32,
        fingerprint: String,
    ) -> Reply<PlanImportPlan> {
        let lang = self.lang();
        self.with(|s, a| s.plan_import_apply(a, bytes, year, Some(&fingerprint), lang))
    }
    pub fn dashboard(
        &self,
        year: i32,
        from: Option<String>,
        to: Option<String>,
    ) -> Reply<Dashboard> {
        self.with(|s, _| {
            let period = match (from, to) {
                (Some(f), Some(t)) => Some((
                    crate::store::registry::parse_day(&f)?,
                    crate::store::registry::parse_day(&t)?,
                )),
                _ => None,
            };
            s.dashboard(year, period, App::today())
        })
    }
    pub fn renewals(&self) -> Reply<Vec<Renewal>> {
        self.with(|s, _| s.renewals())
    }
    pub fn renewal_start(&self, input: RenewalInput) -> Reply<Renewal> {
        self.with(|s, a| s.renewal_start(a, &input))
    }
    pub fn renewal_opinion(
        &self,
        renewal_id: &str,
        person_id: &str,
        agree: bool,
        remark: &str,
    ) -> Reply<Renewal> {
        self.with(|s, a| s.renewal_opinion(a, renewal_id, person_id, agree, remark))
    }
    /// Decides a re-recognition on its written opinions; the passphrase opens the office key.
    pub fn renewal_decide(&self, renewal_id: &str, date: &str, passphrase: &str) -> Reply<Renewal> {
        self.with(|s, a| s.renewal_decide(a, renewal_id, date, Some(passphrase)))
    }
    pub fn renewal_to_round(&self, renewal_id: &str, round_id: &str) -> Reply<Renewal> {
        self.with(|s, a| s.renewal_to_round(a, renewal_id, round_id))
    }
    pub fn renewal_refuse(&self, renewal_id: &str, reason: &str) -> Reply<Renewal> {
        self.with(|s, a| s.renewal_refuse(a, renewal_id, reason))
    }
    pub fn audit_verify(&self) -> Reply<AuditVerdict> {
        let lang = self.lang();
        self.with(|s, _| s.audit_verify().map(|v| v.in_lang(lang)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_come_back_in_the_users_language() {
        let app = App::in_memory().unwrap();
        let vi = app.criteria_sheet("QD26-2026", "99").unwrap_err();
        assert!(vi.message.contains("không có bộ sản phẩm"), "{vi}");
        assert_eq!(vi.code, "criteria.unknown_set");
        assert_eq!(vi.params["set"], "99");
        app.set_lang(Lang::En).unwrap();
        let en = app.criteria_sheet("QD26-2026", "99").unwrap_err();
        assert!(en.message.contains("has no product set"), "{en}");
        assert_eq!(en.code, "criteria.unknown_set");
        assert_eq!(app.criteria_index().unwrap().decisions.len(), 2);
    }
}
