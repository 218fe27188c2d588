//! View models: plain data the renderers turn into paper.
//!
//! Nothing here knows about the database or the scoring rules. The caller
//! (the core's mapping layer) fills these structs with text that is ready to
//! print: star bands, means, spreads and validity dates are computed by the
//! caller, not here. Every string may be in NFC or NFD; the renderers
//! normalise to NFC before drawing.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// The office that issues a paper: the left column of the Decree 30/2020
/// header and the place on the date line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Office {
    /// Province or city name, e.g. "Thanh Hóa". Used in generated phrases
    /// such as the program line on certificates.
    pub province: String,
    /// Parent body, printed upper-case regular above the issuing body, e.g.
    /// "UBND TỈNH THANH HÓA". Empty when the issuing body has no parent line
    /// (e.g. when the issuing body is the provincial People's Committee).
    #[serde(default)]
    pub issuing_body_parent: String,
    /// Issuing body, printed bold upper-case with a short rule under it, e.g.
    /// "HỘI ĐỒNG ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP TỈNH" or
    /// "ỦY BAN NHÂN DÂN TỈNH THANH HÓA". A `\n` forces a line break.
    pub issuing_body: String,
    /// Place name on the date line: "Thanh Hóa" gives
    /// "Thanh Hóa, ngày 23 tháng 11 năm 2026".
    pub place: String,
}

/// A signature block (Decree 30/2020, mục 7).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signer {
    /// Authority line when signing on behalf, e.g. "KT. CHỦ TỊCH",
    /// "TM. HỘI ĐỒNG". `None` when the holder signs in their own right.
    #[serde(default)]
    pub sign_for: Option<String>,
    /// Position, e.g. "PHÓ CHỦ TỊCH", "CHỦ TỊCH HỘI ĐỒNG", "THƯ KÝ".
    pub title: String,
    /// Full name, printed bold under the space left for the signature.
    pub name: String,
}

// ---------------------------------------------------------------------------
// Score sheet (Phiếu đánh giá sản phẩm OCOP)
// ---------------------------------------------------------------------------

/// One member's score sheet for one product (Phụ lục II, QĐ 26/2026/QĐ-TTg),
/// filled in or blank.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreSheetDoc {
    /// Evaluation round, e.g. "Đánh giá, phân hạng sản phẩm OCOP cấp tỉnh
    /// năm 2026 (đợt 2)".
    pub round_name: String,
    /// The criteria decision, e.g. "QĐ 26/2026/QĐ-TTg".
    pub decision_label: String,
    /// Product set number (1–26).
    pub set_no: u32,
    /// Product set name, e.g. "Chè tươi, chè chế biến".
    pub set_name: String,
    /// Product name, e.g. "Chè xanh Bình Sơn".
    pub product_name: String,
    /// Product code (mã số sản phẩm).
    pub product_code: String,
    /// Owner (chủ thể) name.
    pub owner_name: String,
    /// Owner address.
    pub owner_address: String,
    /// Owner phone number.
    pub owner_phone: String,
    /// Evaluating member's full name.
    pub member_name: String,
    /// Member's role in the council, e.g. "Thành viên Hội đồng".
    pub member_role: String,
    /// "Hồ sơ bị loại khi …" text printed in a box above the criteria
    /// (the sheet's disqualification conditions). Empty: no box.
    pub disqualification: String,
    /// Parts A, B, C … in order.
    pub parts: Vec<SheetPart>,
    /// Total of the sheet. `None` prints an empty box (blank sheet).
    pub total: Option<f64>,
    /// Why the sheet stopped or the product was eliminated, if it was, e.g.
    /// "Có tạp chất không chấp nhận được (6.1.1): không đánh giá các bước
    /// tiếp theo". Printed bold after the total.
    #[serde(default)]
    pub elimination_note: Option<String>,
    /// "Ý kiến của người đánh giá". `None` prints dotted lines to write on.
    #[serde(default)]
    pub comment: Option<String>,
    /// Star-marker footnote, e.g. "Dấu sao là yêu cầu tối thiểu phải đạt theo
    /// các cấp độ sao (*** - 3 sao; **** - 4 sao; ***** - 5 sao)". On the
    /// sheet the markers are drawn as small black stars after the option.
    pub footer_note: String,
    /// Place on the date line at the foot, e.g. "Thanh Hóa".
    pub place: String,
    /// Date of scoring. `None` prints "ngày …… tháng …… năm ……".
    #[serde(default)]
    pub date: Option<NaiveDate>,
    /// QR payload identifying round, member, product and decision, printed in
    /// the top-right corner (blank sheets carry it so that a scanned paper
    /// sheet can be matched). `None`: no QR.
    #[serde(default)]
    pub qr_payload: Option<String>,
    /// Blank sheet: no ticks, empty boxes for subtotals and total.
    pub blank: bool,
}

/// One part of a score sheet ("Phần A: Sản phẩm và sức mạnh cộng đồng").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SheetPart {
    /// Part code: "A", "B", "C".
    pub code: String,
    /// Part title, e.g. "SẢN PHẨM VÀ SỨC MẠNH CỦA CỘNG ĐỒNG".
    pub title: String,
    /// Maximum points of the part.
    pub max: f64,
    /// Group headings, criteria and options, in printing order.
    pub rows: Vec<SheetRow>,
    /// Points scored in the part. `None` prints an empty box.
    #[serde(default)]
    pub subtotal: Option<f64>,
}

/// A line of a score sheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SheetRow {
    /// Group heading, e.g. "1. TỔ CHỨC SẢN XUẤT" (18 đ). A criterion that
    /// directly follows its group with the same code and title (a group
    /// scored directly, e.g. "8. CÔNG BỐ CHẤT LƯỢNG SẢN PHẨM") is not printed
    /// twice: only its notes are.
    Group {
        /// Group code, e.g. "1".
        code: String,
        /// Group title.
        title: String,
        /// Maximum points of the group.
        max: f64,
    },
    /// Criterion heading, e.g. "1.1 Nguồn gốc sản phẩm" (5 đ).
    Criterion {
        /// Nesting depth: 0 for "1.1", 1 for "6.1.1".
        depth: u8,
        /// Criterion code, e.g. "6.1.1".
        code: String,
        /// Criterion title.
        title: String,
        /// Maximum points of the criterion.
        max: f64,
        /// Notes printed in italics under the heading ("Ghi chú: …").
        #[serde(default)]
        notes: Vec<String>,
    },
    /// One option the evaluator can tick.
    Option {
        /// Option text.
        text: String,
        /// Points the option is worth.
        points: f64,
        /// Star-minimum marker: `Some(4)` draws ★★★★ after the text.
        #[serde(default)]
        min_star: Option<u8>,
        /// Case label when the criterion offers alternative cases, e.g.
        /// "Trường hợp 1: Sản phẩm có …". Printed once, in italics, before
        /// the first option of each case.
        #[serde(default)]
        case_label: Option<String>,
        /// The evaluator ticked this option.
        #[serde(default)]
        ticked: bool,
    },
}

// ---------------------------------------------------------------------------
// Summary (Bảng tổng hợp kết quả đánh giá) and the minutes' results table
// ---------------------------------------------------------------------------

/// One product's consolidated result (a row of the summary and of the
/// minutes' results table).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultRow {
    /// Product name.
    pub product_name: String,
    /// Owner (chủ thể) name.
    pub owner_name: String,
    /// Product set, e.g. "Bộ 11 - Chè tươi, chè chế biến".
    pub set_name: String,
    /// Each member's total, in the order of [`SummaryDoc::members`];
    /// `None` = recused or absent (printed "-").
    pub scores: Vec<Option<f64>>,
    /// Mean total of the members who scored (`None` if nobody did).
    pub mean: Option<f64>,
    /// Spread between the scores (largest deviation from the mean, or
    /// max − min, as the caller defines it).
    pub spread: Option<f64>,
    /// The spread breaks the ±10 rule: the value is printed bold with "(!)".
    pub spread_flag: bool,
    /// Star band of the mean score (1–5), before the per-star minima check.
    pub band_star: Option<u8>,
    /// Final star after the minima check; `None` while undecided.
    pub final_star: Option<u8>,
    /// Outcome text, e.g. "Đề nghị công nhận 4 sao", "Đề nghị Trung ương
    /// đánh giá 5 sao", "Không đạt".
    pub outcome: String,
}

/// Bảng tổng hợp kết quả đánh giá, phân hạng sản phẩm OCOP.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SummaryDoc {
    /// Issuing office (usually the council).
    pub office: Office,
    /// Number and symbol, e.g. "12/BTH-HĐ"; `None` leaves the number line out.
    #[serde(default)]
    pub number: Option<String>,
    /// Round name, e.g. "Đánh giá, phân hạng sản phẩm OCOP cấp tỉnh năm 2026 (đợt 2)".
    pub round_name: String,
    /// Date of the council meeting (also used on the date line).
    pub round_date: NaiveDate,
    /// Meeting place, e.g. "Hội trường Sở Nông nghiệp và Môi trường".
    pub round_place: String,
    /// Member names, one column each, in order.
    pub members: Vec<String>,
    /// One row per product.
    pub rows: Vec<ResultRow>,
    /// Note under the table, e.g. the ±10 rule; `None`: a default legend.
    #[serde(default)]
    pub note: Option<String>,
    /// Signature blocks, left to right (e.g. secretary, chair).
    pub signers: Vec<Signer>,
}

// ---------------------------------------------------------------------------
// Minutes (Biên bản họp Hội đồng)
// ---------------------------------------------------------------------------

/// A person on the attendance list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attendee {
    /// Full name.
    pub name: String,
    /// Position and unit, e.g. "Phó Giám đốc Sở Nông nghiệp và Môi trường".
    pub title: String,
    /// Role in the council, e.g. "Chủ tịch Hội đồng", "Thành viên", "Thư ký".
    pub role: String,
    /// Present at the meeting.
    pub present: bool,
}

/// A member who did not score a product.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recusal {
    /// Member name.
    pub member: String,
    /// Product name.
    pub product: String,
    /// Reason, e.g. "Có quan hệ với chủ thể (tư vấn hồ sơ)".
    pub reason: String,
}

/// A spread discussion and re-score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rescore {
    /// Product name.
    pub product: String,
    /// Situation before the discussion, e.g. "Chênh lệch 14,5 điểm (Trần Văn Nam: 62)".
    pub before: String,
    /// Result after it, e.g. "Chấm lại: 71; chênh lệch 6,0 điểm".
    pub after: String,
}

/// Biên bản họp Hội đồng đánh giá, phân hạng sản phẩm OCOP.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MinutesDoc {
    /// Issuing office (the council).
    pub office: Office,
    /// Number and symbol, e.g. "05/BB-HĐ"; `None` leaves the number line out.
    #[serde(default)]
    pub number: Option<String>,
    /// Date on the date line.
    pub date: NaiveDate,
    /// Round name, printed under the title.
    pub round_name: String,
    /// Opening time, e.g. "08 giờ 00 phút, ngày 23/11/2026".
    pub time: String,
    /// Meeting place.
    pub place: String,
    /// Attendance list, in order.
    pub attendance: Vec<Attendee>,
    /// Quorum statement, e.g. "Có mặt 7/8 thành viên, đạt trên 3/4, có Chủ
    /// tịch Hội đồng; đủ điều kiện tiến hành đánh giá."
    pub quorum: String,
    /// Recusals.
    pub recusals: Vec<Recusal>,
    /// Spread discussions and re-scores.
    pub rescores: Vec<Rescore>,
    /// Results, same rows as the summary (member columns are not printed).
    pub results: Vec<ResultRow>,
    /// Proposals of the council, one paragraph each.
    pub proposals: Vec<String>,
    /// Closing paragraph, e.g. "Cuộc họp kết thúc vào hồi 11 giờ 30 phút
    /// cùng ngày. Biên bản đã được thông qua …"; `None`: no paragraph.
    #[serde(default)]
    pub closing: Option<String>,
    /// Chair's signature (right).
    pub chair: Signer,
    /// Secretary's signature (left).
    pub secretary: Signer,
}

// ---------------------------------------------------------------------------
// Recognition decision (Quyết định công nhận) and its attached list
// ---------------------------------------------------------------------------

/// A product in the list attached to a recognition decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecognisedRow {
    /// Product name.
    pub product_name: String,
    /// Owner (chủ thể) name.
    pub owner_name: String,
    /// Owner address.
    pub owner_address: String,
    /// Product set name.
    pub set_name: String,
    /// Product code.
    pub product_code: String,
    /// Council mean score.
    pub score: f64,
    /// Recognised star (3, 4 or 5).
    pub star: u8,
}

/// Quyết định công nhận sản phẩm OCOP, with its attached list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionDoc {
    /// Issuing office (the People's Committee).
    pub office: Office,
    /// Number and symbol, e.g. "125/QĐ-UBND".
    pub number: String,
    /// Signing date (date line).
    pub date: NaiveDate,
    /// Abstract (trích yếu), e.g. "Về việc công nhận sản phẩm đạt chuẩn OCOP
    /// tỉnh Thanh Hóa năm 2026 (đợt 2)".
    pub title: String,
    /// Issuing authority line, e.g. "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH THANH HÓA".
    pub authority: String,
    /// Legal bases, one "Căn cứ …;" line each (printed in italics).
    pub bases: Vec<String>,
    /// Articles, each starting "Điều N." (the prefix is printed bold).
    pub articles: Vec<String>,
    /// "Nơi nhận:" list, e.g. "Như Điều 3;", "Lưu: VT, NN.".
    pub recipients: Vec<String>,
    /// Signer.
    pub signer: Signer,
    /// Title of the attached list, e.g. "DANH SÁCH SẢN PHẨM ĐẠT CHUẨN OCOP
    /// TỈNH THANH HÓA NĂM 2026 (ĐỢT 2)".
    pub list_title: String,
    /// Who issued the decision, for the list's subtitle "(Kèm theo Quyết định
    /// số … ngày … của {list_issuer})", e.g. "Chủ tịch UBND tỉnh Thanh Hóa".
    pub list_issuer: String,
    /// Recognised products; the list groups them by star, 5 first.
    pub list: Vec<RecognisedRow>,
}

// ---------------------------------------------------------------------------
// Certificate (Giấy chứng nhận sản phẩm OCOP)
// ---------------------------------------------------------------------------

/// Giấy chứng nhận sản phẩm OCOP (one A4 landscape page).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CertificateDoc {
    /// Issuing office; `issuing_body` is printed under the national motto and
    /// `place` on the date line.
    pub office: Office,
    /// Certificate number, printed top-left when given.
    #[serde(default)]
    pub certificate_no: Option<String>,
    /// Product name (printed large).
    pub product_name: String,
    /// Owner (chủ thể) name.
    pub owner_name: String,
    /// Owner address.
    pub owner_address: String,
    /// Star rank: 3, 4 or 5 (anything else is refused).
    pub star: u8,
    /// Product code.
    pub product_code: String,
    /// Product set name.
    pub set_name: String,
    /// Recognition decision number, e.g. "125/QĐ-UBND".
    pub decision_number: String,
    /// Recognition decision date.
    pub decision_date: NaiveDate,
    /// Issue date (date line).
    pub issue_date: NaiveDate,
    /// Valid until (the caller computes: 36 months from issue).
    pub valid_until: NaiveDate,
    /// Signer.
    pub signer: Signer,
    /// Signed verification payload, drawn as a QR code (vector).
    pub qr_payload: String,
}

// ---------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------

/// Long Vietnamese date as on the date line of an administrative paper:
/// "ngày 23 tháng 11 năm 2026". Following Decree 30/2020, days below 10 and
/// the months 1 and 2 take a leading zero ("ngày 05 tháng 02 năm 2026").
pub fn vn_long_date(d: NaiveDate) -> String {
    let month = if d.month() <= 2 {
        format!("{:02}", d.month())
    } else {
        d.month().to_string()
    };
    format!("ngày {:02} tháng {} năm {}", d.day(), month, d.year())
}

/// "dd/mm/yyyy", e.g. "05/02/2026".
pub fn dd_mm_yyyy(d: NaiveDate) -> String {
    format!("{:02}/{:02}/{}", d.day(), d.month(), d.year())
}

/// "Thanh Hóa, ngày 23 tháng 11 năm 2026"; with no date, a line to fill in
/// by hand: "Thanh Hóa, ngày …… tháng …… năm ……".
pub fn place_date_line(place: &str, d: Option<NaiveDate>) -> String {
    match d {
        Some(d) => format!("{place}, {}", vn_long_date(d)),
        None => format!("{place}, ngày …… tháng …… năm ……"),
    }
}

/// Vietnamese number: decimal comma, at most `decimals` decimals, trailing
/// zeros kept only when `fixed` ("81,17", "5", "2,5").
pub fn vn_number(v: f64, decimals: usize, fixed: bool) -> String {
    let mut s = format!("{v:.decimals$}");
    if !fixed && s.contains('.') {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
    if s == "-0" {
        s = "0".into();
    }
    s.replace('.', ",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_date_pads_day_and_early_months() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(vn_long_date(d), "ngày 23 tháng 11 năm 2026");
        let d = NaiveDate::from_ymd_opt(2025, 2, 5).unwrap();
        assert_eq!(vn_long_date(d), "ngày 05 tháng 02 năm 2025");
        let d = NaiveDate::from_ymd_opt(2025, 3, 9).unwrap();
        assert_eq!(vn_long_date(d), "ngày 09 tháng 3 năm 2025");
    }

    #[test]
    fn short_date() {
        let d = NaiveDate::from_ymd_opt(2026, 2, 5).unwrap();
        assert_eq!(dd_mm_yyyy(d), "05/02/2026");
    }

    #[test]
    fn numbers_use_decimal_comma() {
        assert_eq!(vn_number(81.1666, 2, true), "81,17");
        assert_eq!(vn_number(5.0, 2, false), "5");
        assert_eq!(vn_number(2.5, 2, false), "2,5");
        assert_eq!(vn_number(70.0, 2, true), "70,00");
    }

    #[test]
    fn place_date() {
        assert_eq!(
            place_date_line("Thanh Hóa", None),
            "Thanh Hóa, ngày …… tháng …… năm ……"
        );
    }
}
