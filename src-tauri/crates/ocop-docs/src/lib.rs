//! # ocop-docs
//!
//! The official papers of an OCOP evaluation council, rendered offline from
//! plain view models ([`model`]):
//!
//! - score sheets (Phiếu đánh giá), filled or blank with a QR code;
//! - the summary of results (Bảng tổng hợp kết quả đánh giá), PDF and Excel;
//! - the minutes of the council meeting (Biên bản họp Hội đồng);
//! - the recognition decision (Quyết định công nhận) with its attached list,
//!   PDF, and the list as Excel;
//! - certificates (Giấy chứng nhận sản phẩm OCOP), in batches;
//! - the provincial registry's papers ([`model_registry`]): the OCOP report
//!   (Báo cáo kết quả thực hiện Chương trình OCOP), PDF and Excel; the
//!   registry list as Excel; the revocation decision (Quyết định thu hồi
//!   Giấy chứng nhận); the written-opinion forms for re-recognition and
//!   their summary (Phiếu lấy ý kiến, Bảng tổng hợp ý kiến).
//!
//! PDFs embed subset Liberation Serif (SIL OFL 1.1) and follow the layout of
//! Decree 30/2020/NĐ-CP for administrative papers. Stars, check boxes and QR
//! codes are vector graphics. All text is normalised to NFC.
//!
//! The view models and renderers (`model`, the PDF and Excel functions) use
//! no other workspace crate and no Tauri API; [`papers`] maps ocop-core's
//! records onto them.

pub mod error;
pub mod model;
pub mod model_registry;
pub mod papers;
pub mod papers_registry;
mod pdf;
pub mod scan;
mod xlsx;
mod xlsx_registry;

pub use error::{DocError, Result};
pub use model::*;
pub use model_registry::*;
pub use pdf::{
    certificates_pdf, decision_pdf, minutes_pdf, opinion_forms_pdf, opinion_summary_pdf,
    report_pdf, revocation_decision_pdf, score_sheets_pdf, summary_pdf,
};
pub use xlsx::{recognised_xlsx, summary_xlsx, XLSX_HEADER_ROW};
pub use xlsx_registry::{registry_xlsx, report_xlsx, REGISTRY_SHEET, REPORT_SHEETS};

/// NFC-normalise (every string is normalised before it is written).
pub(crate) fn nfc(s: &str) -> String {
    use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
    if is_nfc_quick(s.chars()) == IsNormalized::Yes {
        s.to_string()
    } else {
        s.nfc().collect()
    }
}
