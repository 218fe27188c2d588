//! Errors of the core, with a message for the user in Vietnamese (default) or English.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The user's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "vi" => Ok(Lang::Vi),
            "en" => Ok(Lang::En),
            other => Err(format!("unknown language '{other}' (vi, en)")),
        }
    }
}

pub type Result<T, E = CoreError> = std::result::Result<T, E>;

/// One user-facing message: a stable code (the UI and scripts branch on it) and its text in both
/// languages. `{name}` in a text is filled from the error's parameters.
///
/// Messages are declared with [`messages!`] in the module that raises them; [`catalogue`] lists
/// them all, and a test checks every one (both languages, same placeholders, English free of
/// Vietnamese).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Msg {
    pub code: &'static str,
    pub vi: &'static str,
    pub en: &'static str,
}

/// Declares a module's messages as constants plus `ALL`, the list [`catalogue`] collects.
///
/// ```ignore
/// messages! {
///     NAME_MISSING = "round.name_missing" {
///         vi: "Chưa nhập tên đợt đánh giá",
///         en: "The round has no name",
///     }
/// }
/// ```
#[macro_export]
macro_rules! messages {
    ($( $(#[$m:meta])* $name:ident = $code:literal { vi: $vi:literal, en: $en:literal $(,)? } )*) => {
        $( $(#[$m])* pub const $name: $crate::error::Msg =
            $crate::error::Msg { code: $code, vi: $vi, en: $en }; )*
        /// Every message of this module (collected by `error::catalogue`).
        pub const ALL: &[$crate::error::Msg] = &[$($name),*];
    };
}

impl Msg {
    pub fn text(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Vi => self.vi,
            Lang::En => self.en,
        }
    }

    /// The error with no parameters.
    pub fn err(self) -> CoreError {
        CoreError::Coded {
            msg: self,
            params: Vec::new(),
        }
    }

    /// The error with its first parameter.
    pub fn with(self, key: &'static str, value: impl ToString) -> CoreError {
        self.err().with(key, value)
    }
}

/// Fills `{key}` placeholders of `template`.
pub fn render(template: &str, params: &[(&'static str, String)]) -> String {
    let mut out = template.to_string();
    for (k, v) in params {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

/// Every message the core and the papers can show, for the test that checks them and for the UI
/// (exported to `ui/src/lib/bindings/messages.json`).
pub fn catalogue() -> Vec<Msg> {
    let lists: &[&[Msg]] = &[
        msg::ALL,
        crate::criteria::msg::ALL,
        crate::store::msg::ALL,
        crate::store::audit::msg::ALL,
        crate::store::directory::msg::ALL,
        crate::store::rounds::msg::ALL,
        crate::store::sheets::msg::ALL,
        crate::store::results::msg::ALL,
        crate::rules::msg::ALL,
        crate::import::msg::ALL,
        crate::office::msg::ALL,
        crate::registry::msg::ALL,
        crate::central::msg::ALL,
        crate::score_input::msg::ALL,
        crate::demo::msg::ALL,
        crate::app::msg::ALL,
        crate::backup::msg::ALL,
        crate::exchange::msg::ALL,
        crate::room::msg::ALL,
        paper_msg::ALL,
        cli_msg::ALL,
    ];
    lists.iter().flat_map(|l| l.iter().copied()).collect()
}

/// The kinds of record a "not found" names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    Round,
    RoundMember,
    Dossier,
    Attachment,
    Sheet,
    RoundProduct,
    Person,
    Owner,
    Product,
    CriteriaSheet,
    Recognition,
    Certificate,
    Setting,
    Decision,
    RoundResults,
    AuditEntry,
    RegistryEntry,
    Renewal,
    CentralResult,
    Conflict,
}

impl Entity {
    pub fn msg(self) -> Msg {
        match self {
            Entity::Round => msg::ENTITY_ROUND,
            Entity::RoundMember => msg::ENTITY_ROUND_MEMBER,
            Entity::Dossier => msg::ENTITY_DOSSIER,
            Entity::Attachment => msg::ENTITY_ATTACHMENT,
            Entity::Sheet => msg::ENTITY_SHEET,
            Entity::RoundProduct => msg::ENTITY_ROUND_PRODUCT,
            Entity::Person => msg::ENTITY_PERSON,
            Entity::Owner => msg::ENTITY_OWNER,
            Entity::Product => msg::ENTITY_PRODUCT,
            Entity::CriteriaSheet => msg::ENTITY_CRITERIA_SHEET,
            Entity::Recognition => msg::ENTITY_RECOGNITION,
            Entity::Certificate => msg::ENTITY_CERTIFICATE,
            Entity::Setting => msg::ENTITY_SETTING,
            Entity::Decision => msg::ENTITY_DECISION,
            Entity::RoundResults => msg::ENTITY_ROUND_RESULTS,
            Entity::AuditEntry => msg::ENTITY_AUDIT_ENTRY,
            Entity::RegistryEntry => msg::ENTITY_REGISTRY_ENTRY,
            Entity::Renewal => msg::ENTITY_RENEWAL,
            Entity::CentralResult => msg::ENTITY_CENTRAL_RESULT,
            Entity::Conflict => msg::ENTITY_CONFLICT,
        }
    }
}

/// The messages of the papers (`ocop-docs`), kept here so that one catalogue holds every message.
pub mod paper_msg {
    crate::messages! {
        NOTHING_BLANK = "paper.nothing_blank" {
            vi: "Đợt chưa có sản phẩm hoặc thành viên chấm để in phiếu trắng",
            en: "The round has no products or scoring members to print blank sheets for",
        }
        NO_SHEETS = "paper.no_sheets" {
            vi: "Chưa có phiếu đánh giá nào để in",
            en: "There are no score sheets to print yet",
        }
        NEEDS_FINAL = "paper.needs_final" {
            vi: "Quyết định công nhận và giấy chứng nhận chỉ in được khi đợt đánh giá đã kết thúc",
            en: "The recognition decision and certificates can be printed only once the round is finalised",
        }
        CANCELLED = "paper.cancelled" {
            vi: "Đã dừng in theo yêu cầu: đã lưu {done}/{total} tệp trong {dir}",
            en: "Printing stopped as asked: {done} of {total} files saved in {dir}",
        }
        NONE_RECOGNISED = "paper.none_recognised" {
            vi: "Đợt này không có sản phẩm nào được công nhận ở cấp này",
            en: "No product of this round is recognised at this level",
        }
    }
}

/// The messages of the `ocop` command line and the shell, kept here for the same reason.
pub mod cli_msg {
    crate::messages! {
        UNKNOWN_PAPER = "cli.unknown_paper" {
            vi: "Loại giấy tờ '{kind}' không có ({known})",
            en: "Unknown paper '{kind}' ({known})",
        }
        AMBIGUOUS = "cli.ambiguous" {
            vi: "'{key}' khớp {count} bản ghi: {names}; hãy dùng mã (id)",
            en: "'{key}' matches {count} records: {names}; use the id",
        }
        NEED_PAYLOAD = "cli.need_payload" {
            vi: "Cần nội dung mã QR, --input hoặc --image",
            en: "Give the QR text, --input or --image",
        }
        BAD_IMAGE = "cli.bad_image" {
            vi: "Không đọc được ảnh {path} (cần tệp PNG hoặc JPEG): {reason}",
            en: "Cannot read the image {path} (a PNG or JPEG file is needed): {reason}",
        }
        NO_QR = "cli.no_qr" {
            vi: "Không tìm thấy mã QR nào đọc được trong ảnh {path}; hãy chụp hoặc quét lại cho rõ, đủ sáng, hoặc gõ số giấy chứng nhận",
            en: "No readable QR code in the image {path}; take or scan it again, sharper and well lit, or type the certificate's number",
        }
        NOT_CERTIFICATE_QR = "cli.not_certificate_qr" {
            vi: "Mã QR trong ảnh {path} không phải mã của giấy chứng nhận OCOP",
            en: "The QR code in the image {path} is not an OCOP certificate's",
        }
        PASSPHRASE_ENV = "cli.passphrase_missing" {
            vi: "Cần cụm mật khẩu của cơ quan: đặt biến môi trường {var} (quyết định công nhận ký giấy chứng nhận bằng khóa của cơ quan)",
            en: "The office passphrase is needed: set the environment variable {var} (the recognition decision signs certificates with the office's key)",
        }
        BAD_JSON_FILE = "cli.bad_json" {
            vi: "JSON không hợp lệ ({input}): {detail}",
            en: "Invalid JSON ({input}): {detail}",
        }
        BAD_REQUEST = "shell.bad_request" {
            vi: "Yêu cầu gửi tệp không hợp lệ",
            en: "Invalid file request",
        }
        OPEN_VIEWER = "shell.open_viewer" {
            vi: "Không mở được trình xem tệp: {detail}",
            en: "The file viewer could not be opened: {detail}",
        }
    }
}

/// The core's messages that are not tied to one module.
pub mod msg {
    crate::messages! {
        CRITERIA_INVALID = "criteria.invalid" {
            vi: "Tệp tiêu chí {file}, bộ {set}, tiêu chí {criterion}: {reason}",
            en: "Criteria file {file}, set {set}, criterion {criterion}: {reason}",
        }
        UNKNOWN_DECISION = "criteria.unknown_decision" {
            vi: "Không có quyết định '{decision}' (có: QD148-2023, QD26-2026)",
            en: "Unknown decision '{decision}' (known: QD148-2023, QD26-2026)",
        }
        UNKNOWN_SET = "criteria.unknown_set" {
            vi: "Quyết định {decision} không có bộ sản phẩm '{set}'",
            en: "Decision {decision} has no product set '{set}'",
        }
        UNKNOWN_CRITERION = "score.unknown_criterion" {
            vi: "Phiếu của {member}: không có tiêu chí '{criterion}' trong bộ tiêu chí này",
            en: "Sheet of {member}: no criterion '{criterion}' on this sheet",
        }
        OPTION_OUT_OF_RANGE = "score.option_out_of_range" {
            vi: "Phiếu của {member}, tiêu chí {criterion}: phương án số {index} không có (tiêu chí có {count} phương án, đánh số từ 0)",
            en: "Sheet of {member}, criterion {criterion}: option {index} does not exist (the criterion has {count} options, numbered from 0)",
        }
        INCOMPLETE_SHEET = "score.incomplete_sheet" {
            vi: "Phiếu của {member} chưa chấm đủ: thiếu tiêu chí {missing}",
            en: "Sheet of {member} is incomplete: missing {missing}",
        }
        UNKNOWN_PROCEDURE = "round.unknown_procedure" {
            vi: "Quy trình '{procedure}' không hợp lệ (148-district, 148-province, 26-province, centre)",
            en: "Unknown procedure '{procedure}' (148-district, 148-province, 26-province, centre)",
        }
        PROCEDURE_NOT_FOR_DECISION = "round.procedure_not_for_decision" {
            vi: "Quy trình {procedure} không áp dụng cho quyết định {decision}",
            en: "Procedure {procedure} does not apply to decision {decision}",
        }
        IO = "io" {
            vi: "Không đọc/ghi được {path}: {reason}",
            en: "Cannot read/write {path}: {reason}",
        }
        DB = "db" {
            vi: "Lỗi cơ sở dữ liệu: {detail}",
            en: "Database error: {detail}",
        }
        SCHEMA_TOO_NEW = "db.schema_too_new" {
            vi: "Cơ sở dữ liệu thuộc phiên bản mới hơn ({found}) so với ứng dụng ({supported}); hãy cập nhật ứng dụng",
            en: "The database is from a newer version ({found}) than this application ({supported}); please update the application",
        }
        NOT_FOUND = "not_found" {
            vi: "Không tìm thấy {kind} '{id}'",
            en: "{kind} '{id}' not found",
        }
        PAPER_RENDER = "paper.render_failed" {
            vi: "Không tạo được giấy tờ: {detail}",
            en: "The paper could not be made: {detail}",
        }
        INTERNAL = "internal" {
            vi: "Lỗi bên trong ứng dụng: {detail}",
            en: "Internal error: {detail}",
        }
        BAD_DATE = "input.bad_date" {
            vi: "Ngày '{date}' không hợp lệ (cần YYYY-MM-DD)",
            en: "Invalid date '{date}' (expected YYYY-MM-DD)",
        }
        BAD_JSON = "input.bad_json" {
            vi: "Dữ liệu vào không hợp lệ: {detail}",
            en: "Invalid input: {detail}",
        }
        STORED_UNREADABLE = "db.stored_unreadable" {
            vi: "Không đọc được {kind} đã lưu trong cơ sở dữ liệu: {detail}. Dữ liệu không bị thay đổi; hãy liên hệ bộ phận hỗ trợ",
            en: "The stored {kind} cannot be read: {detail}. Nothing was changed; please contact support",
        }
        UNAUDITED_WRITE = "db.unaudited_write" {
            vi: "Thay đổi không có mục nhật ký kiểm toán nên không được ghi",
            en: "A change without an audit entry was refused",
        }
        ENTITY_ROUND = "entity.round" { vi: "đợt đánh giá", en: "Round" }
        ENTITY_ROUND_MEMBER = "entity.round_member" { vi: "thành viên hội đồng", en: "Council member" }
        ENTITY_DOSSIER = "entity.dossier" { vi: "hồ sơ", en: "Dossier" }
        ENTITY_ATTACHMENT = "entity.attachment" { vi: "tệp đính kèm", en: "Attachment" }
        ENTITY_SHEET = "entity.sheet" { vi: "phiếu đánh giá", en: "Score sheet" }
        ENTITY_ROUND_PRODUCT = "entity.round_product" { vi: "sản phẩm trong đợt", en: "Product in the round" }
        ENTITY_PERSON = "entity.person" { vi: "thành viên", en: "Person" }
        ENTITY_OWNER = "entity.owner" { vi: "chủ thể", en: "Owner" }
        ENTITY_PRODUCT = "entity.product" { vi: "sản phẩm", en: "Product" }
        ENTITY_CRITERIA_SHEET = "entity.criteria_sheet" { vi: "bộ tiêu chí", en: "Criteria sheet" }
        ENTITY_RECOGNITION = "entity.recognition" { vi: "quyết định công nhận", en: "Recognition decision" }
        ENTITY_CERTIFICATE = "entity.certificate" { vi: "giấy chứng nhận", en: "Certificate" }
        ENTITY_SETTING = "entity.setting" { vi: "thiết lập", en: "Setting" }
        ENTITY_DECISION = "entity.decision" { vi: "quyết định", en: "Decision" }
        ENTITY_ROUND_RESULTS = "entity.round_results" { vi: "kết quả đợt đánh giá", en: "Round results" }
        ENTITY_AUDIT_ENTRY = "entity.audit_entry" { vi: "mục nhật ký", en: "Audit entry" }
        ENTITY_REGISTRY_ENTRY = "entity.registry_entry" { vi: "giấy chứng nhận trong sổ theo dõi", en: "Registry entry" }
        ENTITY_RENEWAL = "entity.renewal" { vi: "hồ sơ công nhận lại/nâng hạng", en: "Re-recognition or upgrade" }
        ENTITY_CENTRAL_RESULT = "entity.central_result" { vi: "kết quả đánh giá cấp Trung ương", en: "Central result" }
        ENTITY_CONFLICT = "entity.conflict" { vi: "xung đột khi nhận gói hồ sơ", en: "Exchange conflict" }
    }
}

/// Errors of the core. Each has a stable code and parameters ([`CoreError::code`],
/// [`CoreError::params`]); `Display` gives the Vietnamese message, [`CoreError::message`] either
/// language.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error("{}", self.message(Lang::Vi))]
    /// A criteria file that does not parse or breaks `FORMAT.md`: the reason is a message of
    /// `criteria::msg` (by reference, to keep the error small) with its parameters.
    CriteriaInvalid {
        file: String,
        set: String,
        criterion: String,
        reason: &'static Msg,
        params: Vec<(&'static str, String)>,
    },
    #[error("{}", self.message(Lang::Vi))]
    UnknownDecision(String),
    #[error("{}", self.message(Lang::Vi))]
    UnknownSet { decision: String, set: String },
    #[error("{}", self.message(Lang::Vi))]
    UnknownCriterion { member: String, criterion: String },
    #[error("{}", self.message(Lang::Vi))]
    OptionOutOfRange {
        member: String,
        criterion: String,
        index: i64,
        count: usize,
    },
    #[error("{}", self.message(Lang::Vi))]
    IncompleteSheet {
        member: String,
        missing: Vec<String>,
    },
    #[error("{}", self.message(Lang::Vi))]
    UnknownProcedure(String),
    #[error("{}", self.message(Lang::Vi))]
    ProcedureNotForDecision { procedure: String, decision: String },
    #[error("{}", self.message(Lang::Vi))]
    Io { path: String, reason: String },
    #[error("{}", self.message(Lang::Vi))]
    Db(#[from] rusqlite::Error),
    #[error("{}", self.message(Lang::Vi))]
    SchemaTooNew { found: i64, supported: i64 },
    #[error("{}", self.message(Lang::Vi))]
    NotFound { kind: Entity, id: String },
    /// A stored record that no longer parses.
    #[error("{}", self.message(Lang::Vi))]
    Unreadable { kind: Entity, detail: String },
    /// The finalise gate refused; its reasons are listed in the user's language.
    #[error("{}", self.message(Lang::Vi))]
    FinaliseBlocked(Vec<crate::rules::Blocker>),
    /// Any other message of the catalogue, with its parameters.
    #[error("{}", self.message(Lang::Vi))]
    Coded {
        msg: Msg,
        params: Vec<(&'static str, String)>,
    },
}

impl From<Msg> for CoreError {
    fn from(m: Msg) -> CoreError {
        m.err()
    }
}

impl CoreError {
    /// Adds a parameter (a coded error only; other kinds carry theirs in their fields).
    pub fn with(mut self, key: &'static str, value: impl ToString) -> CoreError {
        if let CoreError::Coded { params, .. } = &mut self {
            params.push((key, value.to_string()));
        }
        self
    }

    /// An internal fault that is not the user's input (randomness, hashing libraries).
    pub fn internal(detail: impl ToString) -> CoreError {
        msg::INTERNAL.with("detail", detail)
    }

    /// Stored data that no longer parses: shown to the user, never papered over.
    pub fn unreadable(kind: Entity, detail: impl ToString) -> CoreError {
        CoreError::Unreadable {
            kind,
            detail: detail.to_string(),
        }
    }

    /// The parameters worded in the user's language: the record kind a "not found" names, the
    /// reasons the finalise gate gives.
    fn lang_params(&self, lang: Lang) -> Vec<(&'static str, String)> {
        match self {
            CoreError::NotFound { kind, .. } | CoreError::Unreadable { kind, .. } => {
                vec![("kind", kind.msg().text(lang).to_string())]
            }
            CoreError::CriteriaInvalid { reason, params, .. } => {
                vec![("reason", render(reason.text(lang), params))]
            }
            CoreError::FinaliseBlocked(blockers) => vec![(
                "blockers",
                blockers
                    .iter()
                    .map(|b| b.message(lang))
                    .collect::<Vec<_>>()
                    .join("\n- "),
            )],
            _ => Vec::new(),
        }
    }

    /// The message and its parameters.
    pub fn parts(&self) -> (Msg, Vec<(&'static str, String)>) {
        use CoreError::*;
        match self {
            CriteriaInvalid {
                file,
                set,
                criterion,
                reason,
                params,
            } => (
                msg::CRITERIA_INVALID,
                [
                    ("file", file.clone()),
                    ("set", set.clone()),
                    ("criterion", criterion.clone()),
                    ("reason_code", reason.code.to_string()),
                ]
                .into_iter()
                .chain(params.iter().cloned())
                .collect(),
            ),
            UnknownDecision(d) => (msg::UNKNOWN_DECISION, vec![("decision", d.clone())]),
            UnknownSet { decision, set } => (
                msg::UNKNOWN_SET,
                vec![("decision", decision.clone()), ("set", set.clone())],
            ),
            UnknownCriterion { member, criterion } => (
                msg::UNKNOWN_CRITERION,
                vec![("member", member.clone()), ("criterion", criterion.clone())],
            ),
            OptionOutOfRange {
                member,
                criterion,
                index,
                count,
            } => (
                msg::OPTION_OUT_OF_RANGE,
                vec![
                    ("member", member.clone()),
                    ("criterion", criterion.clone()),
                    ("index", index.to_string()),
                    ("count", count.to_string()),
                ],
            ),
            IncompleteSheet { member, missing } => (
                msg::INCOMPLETE_SHEET,
                vec![("member", member.clone()), ("missing", missing.join(", "))],
            ),
            UnknownProcedure(p) => (msg::UNKNOWN_PROCEDURE, vec![("procedure", p.clone())]),
            ProcedureNotForDecision {
                procedure,
                decision,
            } => (
                msg::PROCEDURE_NOT_FOR_DECISION,
                vec![
                    ("procedure", procedure.clone()),
                    ("decision", decision.clone()),
                ],
            ),
            Io { path, reason } => (
                msg::IO,
                vec![("path", path.clone()), ("reason", reason.clone())],
            ),
            Db(e) => (msg::DB, vec![("detail", e.to_string())]),
            SchemaTooNew { found, supported } => (
                msg::SCHEMA_TOO_NEW,
                vec![
                    ("found", found.to_string()),
                    ("supported", supported.to_string()),
                ],
            ),
            NotFound { id, .. } => (msg::NOT_FOUND, vec![("id", id.clone())]),
            Unreadable { detail, .. } => (msg::STORED_UNREADABLE, vec![("detail", detail.clone())]),
            FinaliseBlocked(blockers) => (
                crate::store::results::msg::FINALISE_BLOCKED,
                vec![(
                    "codes",
                    blockers
                        .iter()
                        .map(|b| b.code())
                        .collect::<Vec<_>>()
                        .join(","),
                )],
            ),
            Coded { msg, params } => (*msg, params.clone()),
        }
    }

    /// The stable code, e.g. `round.name_missing`.
    pub fn code(&self) -> &'static str {
        self.parts().0.code
    }

    /// The message in the user's language.
    pub fn message(&self, lang: Lang) -> String {
        let (m, mut params) = self.parts();
        params.extend(self.lang_params(lang));
        let text = render(m.text(lang), &params);
        // A sentence starts with a capital, whatever the first parameter is.
        let mut chars = text.chars();
        match chars.next() {
            Some(c) => c.to_uppercase().collect::<String>() + chars.as_str(),
            None => text,
        }
    }

    /// The error as it crosses IPC and the CLI's `--json`.
    pub fn to_dto(&self, lang: Lang) -> ErrorDto {
        let (m, mut params) = self.parts();
        params.extend(self.lang_params(lang));
        ErrorDto {
            code: m.code.to_string(),
            message: self.message(lang),
            params: params
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        }
    }
}

/// An error at the boundary (IPC, `ocop --json` on stderr): `{code, message, params}`. The UI
/// branches on `code` and can translate it with the catalogue; `message` is already in the
/// language the backend was asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ErrorDto {
    pub code: String,
    pub message: String,
    pub params: std::collections::BTreeMap<String, String>,
}

impl std::fmt::Display for ErrorDto {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// A coded message that is not an error (a warning beside a record, a finalise blocker): the UI
/// words it in its language from the catalogue; `message` is the Vietnamese wording.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Notice {
    pub code: String,
    pub params: std::collections::BTreeMap<String, String>,
    pub message: String,
}

impl Notice {
    pub fn new(msg: Msg, params: &[(&'static str, String)]) -> Notice {
        Notice {
            code: msg.code.into(),
            params: params
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
            message: render(msg.vi, params),
        }
    }
}

/// One catalogue entry as exported for the UI.
#[derive(Serialize)]
struct CatalogueEntry {
    vi: &'static str,
    en: &'static str,
}

/// The catalogue as JSON `{code: {vi, en}}`, sorted by code.
pub fn catalogue_json() -> String {
    let map: std::collections::BTreeMap<&str, CatalogueEntry> = catalogue()
        .into_iter()
        .map(|m| (m.code, CatalogueEntry { vi: m.vi, en: m.en }))
        .collect();
    serde_json::to_string_pretty(&map).expect("catalogue serialises") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placeholders(t: &str) -> Vec<String> {
        let mut out: Vec<String> = t
            .split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}').map(|(k, _)| k.to_string()))
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Characters that only Vietnamese uses among the Latin ones a message may hold.
    fn is_vietnamese(c: char) -> bool {
        !c.is_ascii() && c.is_alphabetic()
    }

    #[test]
    fn every_code_has_both_languages_with_the_same_placeholders() {
        let all = catalogue();
        assert!(all.len() > 50, "catalogue looks incomplete: {}", all.len());
        let mut codes = std::collections::HashSet::new();
        for m in &all {
            assert!(codes.insert(m.code), "code {} declared twice", m.code);
            assert!(
                m.code
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._".contains(c)),
                "code {} is not lower.snake",
                m.code
            );
            assert!(
                !m.vi.trim().is_empty() && !m.en.trim().is_empty(),
                "{}",
                m.code
            );
            assert_eq!(placeholders(m.vi), placeholders(m.en), "{}", m.code);
            assert!(
                !m.en.chars().any(is_vietnamese),
                "English text of {} holds Vietnamese: {}",
                m.code,
                m.en
            );
        }
    }

    #[test]
    fn messages_render_their_parameters_in_both_languages() {
        let e = msg::BAD_DATE.with("date", "31/02");
        assert_eq!(e.code(), "input.bad_date");
        assert_eq!(
            e.message(Lang::Vi),
            "Ngày '31/02' không hợp lệ (cần YYYY-MM-DD)"
        );
        assert_eq!(
            e.message(Lang::En),
            "Invalid date '31/02' (expected YYYY-MM-DD)"
        );
        let nf = CoreError::NotFound {
            kind: Entity::Round,
            id: "x".into(),
        };
        assert_eq!(nf.message(Lang::En), "Round 'x' not found");
        assert_eq!(nf.message(Lang::Vi), "Không tìm thấy đợt đánh giá 'x'");
        let dto = nf.to_dto(Lang::En);
        assert_eq!(dto.code, "not_found");
        assert_eq!(dto.params["id"], "x");
    }

    #[test]
    fn catalogue_is_exported_for_the_ui() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../ui/src/lib/bindings/messages.json"
        );
        let json = catalogue_json();
        if std::fs::read_to_string(path).ok().as_deref() != Some(json.as_str()) {
            std::fs::write(path, &json).expect("write messages.json");
        }
    }
}
