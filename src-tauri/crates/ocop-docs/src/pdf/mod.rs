//! PDF rendering (printpdf 0.12 ops list).

mod admin;
mod canvas;
mod certificate;
mod decision;
mod fonts;
mod minutes;
mod opinion;
mod qr;
mod report;
mod revocation;
mod sheet;
mod summary;
mod table;

use crate::error::{DocError, Result};
use crate::model::{CertificateDoc, DecisionDoc, MinutesDoc, ScoreSheetDoc, SummaryDoc};
use crate::model_registry::{OpinionFormDoc, OpinionSummaryDoc, ReportDoc, RevocationDecisionDoc};
use canvas::Writer;

/// Score sheets, filled or blank, in one PDF; each sheet starts on a new
/// page and has its own page numbers ("Trang x/y" in the footer).
pub fn score_sheets_pdf(sheets: &[ScoreSheetDoc]) -> Result<Vec<u8>> {
    if sheets.is_empty() {
        return Err(DocError::Empty("phiếu đánh giá"));
    }
    let mut w = Writer::new("Phiếu đánh giá sản phẩm OCOP")?;
    for s in sheets {
        sheet::render(&mut w, s)?;
    }
    w.finish()
}

/// Bảng tổng hợp kết quả đánh giá (A4 portrait, landscape when the member
/// columns do not fit).
pub fn summary_pdf(doc: &SummaryDoc) -> Result<Vec<u8>> {
    let mut w = Writer::new("Bảng tổng hợp kết quả đánh giá, phân hạng sản phẩm OCOP")?;
    summary::render(&mut w, doc)?;
    w.finish()
}

/// Biên bản họp Hội đồng (A4 portrait).
pub fn minutes_pdf(doc: &MinutesDoc) -> Result<Vec<u8>> {
    let mut w = Writer::new("Biên bản họp Hội đồng đánh giá, phân hạng sản phẩm OCOP")?;
    minutes::render(&mut w, doc)?;
    w.finish()
}

/// Quyết định công nhận and its attached list (A4 portrait).
pub fn decision_pdf(doc: &DecisionDoc) -> Result<Vec<u8>> {
    let mut w = Writer::new(&format!("Quyết định số {}", doc.number))?;
    decision::render(&mut w, doc)?;
    w.finish()
}

/// Certificates, one A4 landscape page each, in one PDF.
pub fn certificates_pdf(certs: &[CertificateDoc]) -> Result<Vec<u8>> {
    if certs.is_empty() {
        return Err(DocError::Empty("giấy chứng nhận"));
    }
    let mut w = Writer::new("Giấy chứng nhận sản phẩm OCOP")?;
    for c in certs {
        certificate::render(&mut w, c)?;
    }
    w.finish()
}

/// Báo cáo kết quả thực hiện Chương trình OCOP (A4 portrait): the
/// introduction built from the figures, the tables by locality (with the
/// total row), by owner type, by product set, the changes and the products
/// in force by year, "Nơi nhận" and the signature.
pub fn report_pdf(doc: &ReportDoc) -> Result<Vec<u8>> {
    let mut w = Writer::new(&format!("Báo cáo số {}", doc.number.trim()))?;
    report::render(&mut w, doc)?;
    w.finish()
}

/// Quyết định về việc thu hồi Giấy chứng nhận sản phẩm OCOP (A4 portrait).
pub fn revocation_decision_pdf(doc: &RevocationDecisionDoc) -> Result<Vec<u8>> {
    let mut w = Writer::new(&format!("Quyết định số {}", doc.number.trim()))?;
    revocation::render(&mut w, doc)?;
    w.finish()
}

/// Phiếu lấy ý kiến bằng văn bản về việc công nhận lại sản phẩm OCOP, one
/// page per member, in one PDF.
pub fn opinion_forms_pdf(forms: &[OpinionFormDoc]) -> Result<Vec<u8>> {
    if forms.is_empty() {
        return Err(DocError::Empty("phiếu lấy ý kiến"));
    }
    let mut w = Writer::new("Phiếu lấy ý kiến bằng văn bản về việc công nhận lại sản phẩm OCOP")?;
    opinion::render_forms(&mut w, forms)?;
    w.finish()
}

/// Bảng tổng hợp ý kiến bằng văn bản về việc công nhận lại sản phẩm OCOP
/// (A4 portrait).
pub fn opinion_summary_pdf(doc: &OpinionSummaryDoc) -> Result<Vec<u8>> {
    let mut w =
        Writer::new("Bảng tổng hợp ý kiến bằng văn bản về việc công nhận lại sản phẩm OCOP")?;
    opinion::render_summary(&mut w, doc)?;
    w.finish()
}
