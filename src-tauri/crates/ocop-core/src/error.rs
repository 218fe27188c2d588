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

/// `Display` gives the Vietnamese message; [`CoreError::message`] gives either language.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error("Tệp tiêu chí {file}, bộ {set}, tiêu chí {criterion}: {reason}")]
    CriteriaInvalid {
        file: String,
        set: String,
        criterion: String,
        reason: String,
    },
    #[error("Không có quyết định '{0}' (có: QD148-2023, QD26-2026)")]
    UnknownDecision(String),
    #[error("Quyết định {decision} không có bộ sản phẩm '{set}'")]
    UnknownSet { decision: String, set: String },
    #[error("Phiếu của {member}: không có tiêu chí '{criterion}' trong bộ tiêu chí này")]
    UnknownCriterion { member: String, criterion: String },
    #[error("Phiếu của {member}, tiêu chí {criterion}: phương án số {index} không có (tiêu chí có {count} phương án, đánh số từ 0)")]
    OptionOutOfRange {
        member: String,
        criterion: String,
        index: i64,
        count: usize,
    },
    #[error("Phiếu của {member} chưa chấm đủ: thiếu tiêu chí {}", missing.join(", "))]
    IncompleteSheet {
        member: String,
        missing: Vec<String>,
    },
    #[error("Quy trình '{0}' không hợp lệ (148-district, 148-province, 26-province, centre)")]
    UnknownProcedure(String),
    #[error("Quy trình {procedure} không áp dụng cho quyết định {decision}")]
    ProcedureNotForDecision { procedure: String, decision: String },
    #[error("Dữ liệu vào không hợp lệ: {0}")]
    BadInput(String),
    #[error("Không đọc/ghi được {path}: {reason}")]
    Io { path: String, reason: String },
    #[error("Lỗi cơ sở dữ liệu: {0}")]
    Db(#[from] rusqlite::Error),
    #[error("Cơ sở dữ liệu thuộc phiên bản mới hơn ({found}) so với ứng dụng ({supported}); hãy cập nhật ứng dụng")]
    SchemaTooNew { found: i64, supported: i64 },
    #[error("Không tìm thấy {kind} '{id}'")]
    NotFound { kind: &'static str, id: String },
    #[error("{0}")]
    Rule(String),
}

impl CoreError {
    /// The message in the user's language.
    pub fn message(&self, lang: Lang) -> String {
        if lang == Lang::Vi {
            return self.to_string();
        }
        match self {
            CoreError::CriteriaInvalid { file, set, criterion, reason } => {
                format!("Criteria file {file}, set {set}, criterion {criterion}: {reason}")
            }
            CoreError::UnknownDecision(d) => {
                format!("Unknown decision '{d}' (known: QD148-2023, QD26-2026)")
            }
            CoreError::UnknownSet { decision, set } => {
                format!("Decision {decision} has no product set '{set}'")
            }
            CoreError::UnknownCriterion { member, criterion } => {
                format!("Sheet of {member}: no criterion '{criterion}' on this sheet")
            }
            CoreError::OptionOutOfRange { member, criterion, index, count } => format!(
                "Sheet of {member}, criterion {criterion}: option {index} does not exist (the criterion has {count} options, numbered from 0)"
            ),
            CoreError::IncompleteSheet { member, missing } => {
                format!("Sheet of {member} is incomplete: missing {}", missing.join(", "))
            }
            CoreError::UnknownProcedure(p) => format!(
                "Unknown procedure '{p}' (148-district, 148-province, 26-province, centre)"
            ),
            CoreError::ProcedureNotForDecision { procedure, decision } => {
                format!("Procedure {procedure} does not apply to decision {decision}")
            }
            CoreError::BadInput(m) => format!("Invalid input: {m}"),
            CoreError::Io { path, reason } => format!("Cannot read/write {path}: {reason}"),
            CoreError::Db(e) => format!("Database error: {e}"),
            CoreError::SchemaTooNew { found, supported } => format!(
                "The database is from a newer version ({found}) than this application ({supported}); please update the application"
            ),
            CoreError::NotFound { kind, id } => format!("{kind} '{id}' not found"),
            CoreError::Rule(m) => m.clone(),
        }
    }
}
