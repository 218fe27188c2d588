//! Quyết định về việc thu hồi Giấy chứng nhận sản phẩm OCOP, laid out as
//! the recognition decision.

use super::canvas::Writer;
use super::decision::{decree_decision, DecreeDecision};
use crate::error::{DocError, Result};
use crate::model::dd_mm_yyyy;
use crate::model_registry::RevocationDecisionDoc;

/// Abstract (trích yếu) of a revocation decision.
pub(crate) const REVOCATION_TITLE: &str = "Về việc thu hồi Giấy chứng nhận sản phẩm OCOP";

/// Strip a trailing full stop or semicolon so that a sentence can follow.
fn clause(s: &str) -> &str {
    s.trim().trim_end_matches(['.', ';'])
}

/// The articles: Điều 1 with its ground and reason, Điều 2 the effect,
/// Điều 3 the execution clause.
pub(crate) fn articles(d: &RevocationDecisionDoc) -> Vec<String> {
    let executors = if d.executors.trim().is_empty() {
        "Thủ trưởng các cơ quan, đơn vị có liên quan"
    } else {
        clause(&d.executors)
    };
    vec![
        format!(
            "Điều 1. Thu hồi Giấy chứng nhận sản phẩm OCOP số {} của sản phẩm “{}” đạt hạng {} sao, \
             chủ thể {}, đã được công nhận tại Quyết định số {} ngày {}.",
            d.certificate_no.trim(),
            d.product.trim(),
            d.star,
            d.owner.trim(),
            d.recognition_decision_no.trim(),
            dd_mm_yyyy(d.recognition_decision_date)
        ),
        format!("Căn cứ thu hồi: {}.", clause(&d.ground_label)),
        format!("Lý do thu hồi: {}.", clause(&d.reason)),
        format!(
            "Điều 2. Kể từ ngày {}, {} không được sử dụng biểu trưng OCOP và thứ hạng sao của \
             sản phẩm “{}” trên bao bì, nhãn sản phẩm và trong các hoạt động quảng bá, xúc tiến \
             thương mại; Giấy chứng nhận số {} hết giá trị.",
            dd_mm_yyyy(d.date),
            d.owner.trim(),
            d.product.trim(),
            d.certificate_no.trim()
        ),
        format!(
            "Điều 3. Quyết định này có hiệu lực kể từ ngày ký. {executors} và {} chịu trách \
             nhiệm thi hành Quyết định này./.",
            d.owner.trim()
        ),
    ]
}

pub(crate) fn render(w: &mut Writer, d: &RevocationDecisionDoc) -> Result<()> {
    if !(3..=5).contains(&d.star) {
        return Err(DocError::InvalidStar {
            star: d.star,
            allowed: "3, 4 hoặc 5 sao",
        });
    }
    let articles = articles(d);
    decree_decision(
        w,
        &DecreeDecision {
            office: &d.office,
            number: &d.number,
            date: d.date,
            title: REVOCATION_TITLE,
            authority: &d.authority,
            bases: &d.bases,
            articles: &articles,
            recipients: &d.recipients,
            signer: &d.signer,
        },
    );
    Ok(())
}
