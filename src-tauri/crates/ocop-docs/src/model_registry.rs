//! View models of the provincial registry's papers: the annual (or
//! half-year) OCOP report, the registry list, the revocation decision and the
//! re-recognition by written opinions (QĐ 26/2026/QĐ-TTg, Điều 7 khoản 6).
//!
//! Like [`crate::model`], these are plain data filled by the caller with
//! text ready to print. The renderers compute only what a paper shows as
//! arithmetic on the figures given: the total row and the percentages of the
//! report, the counts of a summary of opinions.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::model::{vn_number, Office, Signer};

// ---------------------------------------------------------------------------
// Report (Báo cáo kết quả thực hiện Chương trình OCOP)
// ---------------------------------------------------------------------------

/// One locality's plan and result (a row of the report's first table).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ReportLocalityRow {
    /// Locality, e.g. "Huyện Triệu Sơn", "Xã Xuân Lâm".
    pub locality: String,
    /// Products planned in the period (all stars). May exceed the sum of
    /// the per-star targets when the plan gives a total only.
    pub target_total: u32,
    /// Planned 3-star products.
    pub target_3: u32,
    /// Planned 4-star products.
    pub target_4: u32,
    /// Planned 5-star products.
    pub target_5: u32,
    /// Products recognised 3 stars in the period.
    pub achieved_3: u32,
    /// Products recognised 4 stars in the period.
    pub achieved_4: u32,
    /// Products recognised 5 stars in the period.
    pub achieved_5: u32,
    /// Products recognised in the period (all stars).
    pub achieved_total: u32,
}

/// A label and a count (products by owner type, by product set).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportCountRow {
    /// E.g. "Hợp tác xã", "Bộ 11 - Chè tươi, chè chế biến".
    pub label: String,
    /// Number of products.
    pub count: u32,
}

/// Products in force at the end of a year, by star.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportYearRow {
    /// Year, e.g. 2026.
    pub year: i32,
    /// 3-star products in force.
    pub star3: u32,
    /// 4-star products in force.
    pub star4: u32,
    /// 5-star products in force.
    pub star5: u32,
    /// All products in force.
    pub total: u32,
}

/// Báo cáo kết quả thực hiện Chương trình Mỗi xã một sản phẩm (OCOP) for a
/// period (a year or six months).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportDoc {
    /// Issuing office (the People's Committee or the standing agency).
    pub office: Office,
    /// Number and symbol, e.g. "245/BC-UBND" (a draft: "    /BC-UBND").
    pub number: String,
    /// Date on the date line.
    pub date: NaiveDate,
    /// Period as it follows the title, e.g. "năm 2026", "6 tháng đầu năm 2026".
    pub period_label: String,
    /// Year of the report.
    pub year: i32,
    /// Heading of the locality column, e.g. "Huyện, thị xã, thành phố" or
    /// "Xã, phường". Empty: "Địa phương".
    #[serde(default)]
    pub locality_heading: String,
    /// The plan the targets come from, e.g. "Kế hoạch số 36/KH-UBND ngày
    /// 24/02/2026 của UBND tỉnh"; named in the introduction when given.
    #[serde(default)]
    pub plan_label: String,
    /// Plan and result per locality; the renderers add the total row.
    pub by_locality: Vec<ReportLocalityRow>,
    /// Products recognised in the period by owner type.
    pub by_owner_type: Vec<ReportCountRow>,
    /// Products recognised in the period by product set.
    pub by_set: Vec<ReportCountRow>,
    /// Products in force at the end of each year, oldest first.
    pub cumulative_by_star: Vec<ReportYearRow>,
    /// Certificates revoked in the period.
    pub revoked: u32,
    /// Certificates that expired in the period without re-recognition.
    pub expired: u32,
    /// Products re-recognised in the period.
    pub rerecognised: u32,
    /// Products recognised at a higher star in the period.
    pub upgraded: u32,
    /// Signer.
    pub signer: Signer,
    /// "Nơi nhận:" list.
    pub recipients: Vec<String>,
}

impl ReportDoc {
    /// The total row of the locality table: every column summed.
    pub fn locality_total(&self) -> ReportLocalityRow {
        let mut t = ReportLocalityRow {
            locality: "Tổng cộng".into(),
            ..Default::default()
        };
        for r in &self.by_locality {
            t.target_total += r.target_total;
            t.target_3 += r.target_3;
            t.target_4 += r.target_4;
            t.target_5 += r.target_5;
            t.achieved_3 += r.achieved_3;
            t.achieved_4 += r.achieved_4;
            t.achieved_5 += r.achieved_5;
            t.achieved_total += r.achieved_total;
        }
        t
    }
}

/// Achieved as a percentage of the target; `None` when nothing was planned.
pub fn percent_of_plan(achieved: u32, target: u32) -> Option<f64> {
    (target > 0).then(|| f64::from(achieved) * 100.0 / f64::from(target))
}

/// "83,3" (one decimal), "-" when nothing was planned.
pub(crate) fn percent_text(achieved: u32, target: u32) -> String {
    percent_of_plan(achieved, target)
        .map(|p| vn_number(p, 1, true))
        .unwrap_or_else(|| "-".into())
}

/// The title's abstract: "Kết quả thực hiện Chương trình … (OCOP) năm 2026".
pub(crate) fn report_abstract(d: &ReportDoc) -> String {
    format!(
        "Kết quả thực hiện Chương trình Mỗi xã một sản phẩm (OCOP) {}",
        d.period_label.trim()
    )
}

/// Heading of the locality column.
pub(crate) fn locality_heading(d: &ReportDoc) -> &str {
    if d.locality_heading.trim().is_empty() {
        "Địa phương"
    } else {
        d.locality_heading.trim()
    }
}

/// The table of changes: (label, count).
pub(crate) fn report_changes(d: &ReportDoc) -> [(&'static str, u32); 4] {
    [
        ("Sản phẩm được công nhận lại", d.rerecognised),
        ("Sản phẩm được nâng hạng sao", d.upgraded),
        ("Sản phẩm bị thu hồi Giấy chứng nhận", d.revoked),
        (
            "Sản phẩm hết hiệu lực Giấy chứng nhận, không được công nhận lại",
            d.expired,
        ),
    ]
}

// ---------------------------------------------------------------------------
// Registry list (Danh sách sản phẩm OCOP)
// ---------------------------------------------------------------------------

/// A product in the provincial registry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegistryListRow {
    /// Row number as the caller orders the list.
    pub stt: u32,
    /// Product name.
    pub product: String,
    /// Owner (chủ thể) name.
    pub owner: String,
    /// Owner type, e.g. "Hợp tác xã", "Doanh nghiệp", "Hộ kinh doanh".
    pub owner_type: String,
    /// Commune.
    pub commune: String,
    /// District (empty after the two-level reorganisation).
    pub district: String,
    /// Product set, e.g. "Bộ 11 - Chè tươi, chè chế biến".
    pub set_label: String,
    /// Star (3, 4 or 5).
    pub star: u8,
    /// Recognition decision number.
    pub decision_no: String,
    /// Recognition decision date (unknown for some imported records).
    #[serde(default)]
    pub decision_date: Option<NaiveDate>,
    /// Certificate valid until.
    #[serde(default)]
    pub valid_until: Option<NaiveDate>,
    /// Status as the registry words it, e.g. "Còn hiệu lực", "Đã thu hồi".
    pub status_label: String,
    /// Certificate number.
    pub certificate_no: String,
    /// Imported from an earlier register (not recognised through the app).
    pub imported: bool,
}

/// Danh sách sản phẩm OCOP of the registry, as one Excel sheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegistryListDoc {
    /// Issuing office.
    pub office: Office,
    /// Title, e.g. "DANH SÁCH SẢN PHẨM OCOP TỈNH THANH HÓA".
    pub title: String,
    /// Date the list was produced.
    pub generated_on: NaiveDate,
    /// The products, in printing order.
    pub rows: Vec<RegistryListRow>,
}

// ---------------------------------------------------------------------------
// Revocation decision (Quyết định thu hồi Giấy chứng nhận)
// ---------------------------------------------------------------------------

/// Quyết định về việc thu hồi Giấy chứng nhận sản phẩm OCOP.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RevocationDecisionDoc {
    /// Issuing office.
    pub office: Office,
    /// Number and symbol, e.g. "310/QĐ-UBND".
    pub number: String,
    /// Signing date; the decision takes effect on it.
    pub date: NaiveDate,
    /// Issuing authority line, e.g. "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH THANH
    /// HÓA" or, for a 5-star product, "BỘ TRƯỞNG BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG".
    pub authority: String,
    /// Legal bases, one "Căn cứ …;" line each (printed in italics).
    pub bases: Vec<String>,
    /// Certificate number, e.g. "201/GCN-UBND".
    pub certificate_no: String,
    /// Product name.
    pub product: String,
    /// Owner (chủ thể) name.
    pub owner: String,
    /// Recognised star (3, 4 or 5).
    pub star: u8,
    /// The recognition decision, e.g. "125/QĐ-UBND".
    pub recognition_decision_no: String,
    /// Its date.
    pub recognition_decision_date: NaiveDate,
    /// The ground in the rules, e.g. "điểm b khoản 1 Điều 8 Quyết định số
    /// 26/2026/QĐ-TTg: sản phẩm không duy trì được chất lượng …".
    pub ground_label: String,
    /// What happened, in the office's words.
    pub reason: String,
    /// Who carries the decision out, before "… và {owner} chịu trách nhiệm
    /// thi hành", e.g. "Chánh Văn phòng UBND tỉnh, Giám đốc Sở Nông nghiệp
    /// và Môi trường, Thủ trưởng các cơ quan, đơn vị có liên quan". Empty:
    /// "Thủ trưởng các cơ quan, đơn vị có liên quan".
    #[serde(default)]
    pub executors: String,
    /// Signer.
    pub signer: Signer,
    /// "Nơi nhận:" list.
    pub recipients: Vec<String>,
}

// ---------------------------------------------------------------------------
// Re-recognition by written opinions (công nhận lại, QĐ 26/2026 Điều 7.6)
// ---------------------------------------------------------------------------

/// Phiếu lấy ý kiến bằng văn bản về việc công nhận lại sản phẩm OCOP: one
/// member's form (one page).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpinionFormDoc {
    /// Issuing office (the council).
    pub office: Office,
    /// Council name as printed under the title, e.g. "Hội đồng đánh giá,
    /// phân hạng sản phẩm OCOP tỉnh Thanh Hóa".
    pub council_name: String,
    /// Member's full name.
    pub member_name: String,
    /// Member's role, e.g. "Thành viên Hội đồng".
    pub member_role: String,
    /// Product name.
    pub product: String,
    /// Owner (chủ thể) name.
    pub owner: String,
    /// Current star (3, 4 or 5).
    pub star: u8,
    /// Certificate number.
    pub certificate_no: String,
    /// Certificate valid until.
    pub valid_until: NaiveDate,
    /// Changes since recognition, as reported by the owner and checked by
    /// the standing agency. Empty: "Không có thay đổi".
    pub changes: String,
    /// Reply deadline printed under the instructions, e.g. "trước ngày
    /// 15/12/2026". Empty: none.
    #[serde(default)]
    pub deadline: String,
    /// Place on the date line.
    pub place: String,
    /// Date of the opinion; `None` prints "ngày …… tháng …… năm ……".
    #[serde(default)]
    pub date: Option<NaiveDate>,
    /// A returned form: `Some(true)` ticks "Đồng ý", `Some(false)`
    /// "Không đồng ý"; `None` leaves both boxes empty.
    #[serde(default)]
    pub agree: Option<bool>,
    /// A returned form's remark; `None` prints lines to write on.
    #[serde(default)]
    pub remark: Option<String>,
}

/// One member's opinion in the summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpinionRow {
    /// Member's full name.
    pub member: String,
    /// Role in the council.
    pub role: String,
    /// `Some(true)` agree, `Some(false)` disagree, `None` not returned.
    pub agree: Option<bool>,
    /// Remark written on the form.
    #[serde(default)]
    pub remark: String,
}

/// Bảng tổng hợp ý kiến bằng văn bản về việc công nhận lại sản phẩm OCOP.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpinionSummaryDoc {
    /// Issuing office (the council).
    pub office: Office,
    /// Number and symbol; `None` leaves the number line out.
    #[serde(default)]
    pub number: Option<String>,
    /// Date on the date line.
    pub date: NaiveDate,
    /// Council name, e.g. "Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh
    /// Thanh Hóa".
    pub council_name: String,
    /// Product name.
    pub product: String,
    /// Owner (chủ thể) name.
    pub owner: String,
    /// Current star (3, 4 or 5).
    pub star: u8,
    /// Certificate number.
    pub certificate_no: String,
    /// Certificate valid until.
    pub valid_until: NaiveDate,
    /// One row per member consulted.
    pub rows: Vec<OpinionRow>,
    /// Conclusion, e.g. "Đa số thành viên Hội đồng đồng ý; đề nghị Chủ tịch
    /// UBND tỉnh công nhận lại sản phẩm đạt hạng 4 sao."
    pub conclusion: String,
    /// Secretary's signature (left).
    pub secretary: Signer,
    /// Chair's signature (right).
    pub chair: Signer,
}

impl OpinionSummaryDoc {
    /// (agree, disagree, not returned).
    pub fn counts(&self) -> (usize, usize, usize) {
        let agree = self.rows.iter().filter(|r| r.agree == Some(true)).count();
        let disagree = self.rows.iter().filter(|r| r.agree == Some(false)).count();
        (agree, disagree, self.rows.len() - agree - disagree)
    }
}
