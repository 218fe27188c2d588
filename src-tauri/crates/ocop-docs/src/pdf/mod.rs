//! PDF rendering (printpdf 0.12 ops list).

mod admin;
mod canvas;
mod certificate;
mod decision;
mod fonts;
mod minutes;
mod qr;
mod sheet;
mod summary;
mod table;

use crate::error::{DocError, Result};
use crate::model::{CertificateDoc, DecisionDoc, MinutesDoc, ScoreSheetDoc, SummaryDoc};
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
