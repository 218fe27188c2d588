//! The province's OCOP record: the registry of recognised products, the status of each
//! certificate over its 36 months, revocation grounds, localities, plan targets and the dashboard.
//! This module is pure (dates in, answers out); its SQL is `store::registry`.
//!
//! Choices where QĐ 26/2026 is silent (recorded in the session notes and the help):
//! - "From 180 to 120 days before expiry" (Điều 7.6) includes both ends; the expiry day itself is
//!   still a valid day (as `office::payload` verifies), the day after is expired.
//! - Achievements against a plan count the entries recognised in the year that are not
//!   re-recognitions (a new product, an imported one, or an upgrade at its new star).

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;
use crate::text::fold;

pub mod msg {
    crate::messages! {
        BAD_GROUND = "revocation.bad_ground" {
            vi: "Căn cứ thu hồi '{ground}' không có (a, b, c, d, đ, e theo khoản 1 Điều 8 Quyết định 26/2026/QĐ-TTg)",
            en: "Revocation ground '{ground}' is unknown (a, b, c, d, dd, e of Article 8.1 of Decision 26/2026/QD-TTg)",
        }
        DECISION_NO_MISSING = "revocation.decision_missing" {
            vi: "Chưa nhập số quyết định thu hồi",
            en: "The revocation decision number is missing",
        }
        ALREADY_REVOKED = "revocation.already" {
            vi: "Giấy chứng nhận {number} đã bị thu hồi ngày {on} (Quyết định {decision})",
            en: "Certificate {number} was already revoked on {on} (decision {decision})",
        }
        NOT_IN_FORCE = "revocation.not_in_force" {
            vi: "Giấy chứng nhận {number} không còn hiệu lực ({status}): chỉ thu hồi giấy đang có hiệu lực. Giấy hết hạn là \"hết hiệu lực\", không phải \"bị thu hồi\"",
            en: "Certificate {number} is no longer in force ({status}): only a certificate in force is revoked. A lapsed certificate is \"expired\", not \"revoked\"",
        }
        BEFORE_CONCLUSION = "revocation.before_conclusion" {
            vi: "Ngày quyết định thu hồi ({date}) trước ngày có kết luận ({concluded})",
            en: "The revocation decision ({date}) is dated before the conclusion ({concluded})",
        }
        BEFORE_RECOGNITION = "revocation.before_recognition" {
            vi: "Ngày thu hồi ({date}) trước ngày công nhận ({recognised})",
            en: "The revocation ({date}) is dated before the recognition ({recognised})",
        }
        NO_CERTIFICATE = "registry.no_certificate" {
            vi: "Không tìm thấy giấy chứng nhận số '{number}' trong sổ theo dõi",
            en: "No certificate numbered '{number}' in the registry",
        }
        AMBIGUOUS_CERTIFICATE = "registry.ambiguous_certificate" {
            vi: "Số giấy chứng nhận '{number}' trùng ở {count} sản phẩm ({products}); hãy chọn trong danh sách",
            en: "Certificate number '{number}' is on {count} products ({products}); pick it from the list",
        }
        BAD_STATUS = "registry.bad_status" {
            vi: "Trạng thái '{status}' không có ({known})",
            en: "Unknown status '{status}' ({known})",
        }
        BAD_STAR = "registry.bad_star" {
            vi: "Hạng sao '{star}' không hợp lệ: chỉ sản phẩm 3, 4, 5 sao được cấp giấy chứng nhận",
            en: "Star '{star}' is not valid: only 3, 4 and 5-star products get a certificate",
        }
        LOCALITY_NAME_MISSING = "locality.name_missing" {
            vi: "Chưa nhập tên địa bàn",
            en: "The locality has no name",
        }
        LOCALITY_UNKNOWN = "locality.unknown" {
            vi: "Địa bàn '{locality}' chưa có trong danh mục",
            en: "Locality '{locality}' is not in the list",
        }
        BAD_TARGET = "plan.bad_target" {
            vi: "Chỉ tiêu '{value}' không hợp lệ ({locality}, {star} sao): phải là số nguyên không âm",
            en: "Target '{value}' is not valid ({locality}, {star} stars): it must be a whole number, 0 or more",
        }
        BAD_YEAR = "plan.bad_year" {
            vi: "Năm '{year}' không hợp lệ",
            en: "Year '{year}' is not valid",
        }
        TARGET_TOO_LARGE = "plan.target_too_large" {
            vi: "Chỉ tiêu '{value}' ({locality}, {star} sao) quá lớn: tối đa {max}",
            en: "Target '{value}' ({locality}, {star} stars) is too large: at most {max}",
        }
        PLAN_TOTAL_MISMATCH = "plan.total_mismatch" {
            vi: "Dòng {row} ({locality}): tổng {total} khác tổng các hạng sao ({sum})",
            en: "Row {row} ({locality}): the total {total} differs from the sum of the stars ({sum})",
        }
        PLAN_NO_ROWS = "plan.no_rows" {
            vi: "Tệp không có dòng chỉ tiêu nào (cần cột địa bàn và cột 3 sao, 4 sao, 5 sao)",
            en: "The file has no target rows (it needs a locality column and 3, 4, 5-star columns)",
        }
        PLAN_DUPLICATE = "plan.duplicate" {
            vi: "Dòng {row}: địa bàn '{locality}' đã có ở dòng {other_row}",
            en: "Row {row}: locality '{locality}' is already on row {other_row}",
        }
        RENEWAL_WINDOW = "renewal.outside_window" {
            vi: "Hồ sơ công nhận lại phải nộp từ {from} đến {to} (từ 180 đến 120 ngày trước khi giấy chứng nhận hết hạn ngày {until}); ngày nộp {filed} nằm ngoài thời hạn này: sản phẩm cần đánh giá như sản phẩm mới",
            en: "A re-recognition must be filed from {from} to {to} (180 to 120 days before the certificate expires on {until}); {filed} is outside that window: the product needs a new evaluation",
        }
        RENEWAL_NOT_IN_FORCE = "renewal.not_in_force" {
            vi: "Giấy chứng nhận {number} không còn hiệu lực ({status}); không thể công nhận lại hay nâng hạng",
            en: "Certificate {number} is not in force ({status}); it cannot be re-recognised or upgraded",
        }
        RENEWAL_OPEN = "renewal.already_open" {
            vi: "Sản phẩm này đã có hồ sơ công nhận lại/nâng hạng đang xử lý",
            en: "This product already has a re-recognition or upgrade in progress",
        }
        UPGRADE_TOP = "renewal.upgrade_top" {
            vi: "Sản phẩm đã đạt 5 sao, không thể nâng hạng",
            en: "The product has 5 stars already and cannot be upgraded",
        }
        UPGRADE_NO_CHANGES = "renewal.upgrade_changes" {
            vi: "Hồ sơ nâng hạng cần mô tả những thay đổi của sản phẩm (khoản 1b Điều 6)",
            en: "An upgrade must describe what changed in the product (Article 6.1b)",
        }
        RENEWAL_CLOSED = "renewal.closed" {
            vi: "Hồ sơ này đã được quyết định; không thể thay đổi",
            en: "This application has been decided; it cannot change",
        }
        RENEWAL_NOT_OPINIONS = "renewal.not_opinions" {
            vi: "Chỉ hồ sơ công nhận lại đang lấy ý kiến bằng văn bản mới nhận ý kiến thành viên",
            en: "Only a re-recognition collecting written opinions takes members' opinions",
        }
        RENEWAL_TOO_FEW = "renewal.too_few_opinions" {
            vi: "Mới có {count} ý kiến; cần ít nhất {min} ý kiến thành viên Hội đồng để quyết định bằng văn bản",
            en: "Only {count} opinions; at least {min} council members' opinions are needed to decide in writing",
        }
        RENEWAL_DIVERGENT = "renewal.divergent" {
            vi: "Ý kiến khác nhau ({agree} đồng ý, {disagree} không đồng ý): Hội đồng phải họp và chấm điểm (khoản 6 Điều 7). Hãy chuyển hồ sơ sang một đợt đánh giá",
            en: "The opinions differ ({agree} agree, {disagree} disagree): the council must meet and score (Article 7.6). Move the application to a round",
        }
        RENEWAL_REMARK_NEEDED = "renewal.remark_needed" {
            vi: "Ý kiến không đồng ý cần ghi rõ lý do",
            en: "A disagreeing opinion needs its reason",
        }
        RENEWAL_PRODUCT_NOT_IN_ROUND = "renewal.not_in_round" {
            vi: "Sản phẩm chưa có hồ sơ trong đợt '{round}': hãy thêm hồ sơ vào đợt trước",
            en: "The product has no dossier in round '{round}': add it to the round first",
        }
        RENEWAL_COMPLETE_BEFORE_FILED = "renewal.complete_before_filed" {
            vi: "Ngày hồ sơ đầy đủ ({complete}) trước ngày nộp ({filed})",
            en: "The dossier is complete ({complete}) before it was filed ({filed})",
        }
        BAD_PERIOD = "report.bad_period" {
            vi: "Kỳ báo cáo '{period}' không hợp lệ (year, h1, h2, q1–q4, hoặc YYYY-MM-DD:YYYY-MM-DD)",
            en: "Report period '{period}' is not valid (year, h1, h2, q1–q4, or YYYY-MM-DD:YYYY-MM-DD)",
        }
        LIST_UNREADABLE = "revocations.unreadable" {
            vi: "Tệp '{file}' không phải danh sách thu hồi OCOP đọc được ({detail})",
            en: "'{file}' is not a readable OCOP revocation list ({detail})",
        }
        LIST_SIGNATURE = "revocations.signature" {
            vi: "CHỮ KÝ KHÔNG KHỚP: danh sách thu hồi '{file}' đã bị sửa đổi hoặc không do cơ quan mang khóa {key} ký; không mục nào được nhập",
            en: "THE SIGNATURE DOES NOT MATCH: revocation list '{file}' was changed or not signed by the office of key {key}; nothing was imported",
        }
        LIST_UNTRUSTED = "revocations.untrusted" {
            vi: "Danh sách thu hồi do '{office}' ký bằng khóa {key} chưa được tin cậy ở đây: hãy nhập khóa công khai của cơ quan đó trước (Cài đặt)",
            en: "The revocation list is signed by '{office}' with key {key}, which is not trusted here: add that office's public key first (Settings)",
        }
        LIST_OWN = "revocations.own" {
            vi: "Danh sách thu hồi này do chính cơ quan này ký; không cần nhập",
            en: "This revocation list was signed by this office; there is nothing to import",
        }
        LIST_FOREIGN_KEY = "revocations.foreign_key" {
            vi: "Danh sách thu hồi của '{office}' có mục thu hồi giấy chứng nhận {number} do khóa {key} của cơ quan khác ký; không mục nào được nhập",
            en: "The list of '{office}' revokes certificate {number}, signed by another office's key {key}; nothing was imported",
        }
    }
}

/// The calendar day the registry counts in.
pub type Date = NaiveDate;
pub use chrono::Days;

/// Months a certificate stays valid (QĐ 26/2026 Điều 4.3).
pub const VALIDITY_MONTHS: u32 = crate::office::VALIDITY_MONTHS;
/// The re-recognition window opens this many days before expiry (Điều 7.6)…
pub const WINDOW_OPENS_DAYS: i64 = 180;
/// …and closes this many days before it.
pub const WINDOW_CLOSES_DAYS: i64 = 120;
/// A complete re-recognition dossier is decided within this many days (Điều 7.6).
pub const RENEWAL_DAYS: i64 = 45;
/// A revocation is decided within this many days of the conclusion (Điều 8.2).
pub const REVOCATION_DAYS: i64 = 15;
/// The fewest written opinions a re-recognition is decided on without a meeting.
pub const MIN_OPINIONS: usize = 3;
/// The start list shows windows that open or close within this many days.
pub const DUE_WITHIN_DAYS: i64 = 30;

/// A report's period in `year`: its first and last day and how the title names it. `spec` is
/// "year" (or empty), "h1"/"h2" (six months), "q1"…"q4", or "YYYY-MM-DD:YYYY-MM-DD".
pub fn period(year: i32, spec: &str) -> Result<(NaiveDate, NaiveDate, String)> {
    let bad = || msg::BAD_PERIOD.with("period", spec);
    let ymd = |m: u32, d: u32| NaiveDate::from_ymd_opt(year, m, d).ok_or_else(bad);
    let end_of = |m: u32| -> Result<NaiveDate> {
        let next = if m == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(year, m + 1, 1)
        };
        next.and_then(|d| d.pred_opt()).ok_or_else(bad)
    };
    let s = spec.trim().to_lowercase();
    Ok(match s.as_str() {
        "" | "year" | "nam" => (ymd(1, 1)?, ymd(12, 31)?, format!("năm {year}")),
        "h1" => (ymd(1, 1)?, end_of(6)?, format!("6 tháng đầu năm {year}")),
        "h2" => (ymd(7, 1)?, ymd(12, 31)?, format!("6 tháng cuối năm {year}")),
        "q1" | "q2" | "q3" | "q4" => {
            let q: u32 = s[1..].parse().map_err(|_| bad())?;
            let roman = ["I", "II", "III", "IV"][(q - 1) as usize];
            (
                ymd(3 * q - 2, 1)?,
                end_of(3 * q)?,
                format!("quý {roman} năm {year}"),
            )
        }
        other => {
            let (a, b) = other.split_once(':').ok_or_else(bad)?;
            let from = NaiveDate::parse_from_str(a.trim(), "%Y-%m-%d").map_err(|_| bad())?;
            let to = NaiveDate::parse_from_str(b.trim(), "%Y-%m-%d").map_err(|_| bad())?;
            if to < from {
                return Err(bad());
            }
            let label = format!(
                "từ ngày {} đến ngày {}",
                from.format("%d/%m/%Y"),
                to.format("%d/%m/%Y")
            );
            (from, to, label)
        }
    })
}

/// Where a certificate stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RegistryStatus {
    /// More than 180 days left.
    Valid,
    /// 180 to 120 days left: the owner may file for re-recognition.
    WindowOpen,
    /// Fewer than 120 days left, not yet expired: too late to file.
    WindowMissed,
    /// Past its validity: it lapsed (not revoked).
    Expired,
    /// Revoked by a decision (Điều 8).
    Revoked,
    /// Replaced by an upgrade or a re-recognition.
    Superseded,
}

impl RegistryStatus {
    pub const ALL: [RegistryStatus; 6] = [
        RegistryStatus::Valid,
        RegistryStatus::WindowOpen,
        RegistryStatus::WindowMissed,
        RegistryStatus::Expired,
        RegistryStatus::Revoked,
        RegistryStatus::Superseded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RegistryStatus::Valid => "valid",
            RegistryStatus::WindowOpen => "window_open",
            RegistryStatus::WindowMissed => "window_missed",
            RegistryStatus::Expired => "expired",
            RegistryStatus::Revoked => "revoked",
            RegistryStatus::Superseded => "superseded",
        }
    }

    pub fn parse(s: &str) -> Result<RegistryStatus> {
        let f = fold(s).replace([' ', '-'], "_");
        RegistryStatus::ALL
            .into_iter()
            .find(|x| x.as_str() == f)
            .ok_or_else(|| {
                msg::BAD_STATUS
                    .with("status", s)
                    .with("known", RegistryStatus::ALL.map(|x| x.as_str()).join(", "))
            })
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            RegistryStatus::Valid => "Còn hiệu lực",
            RegistryStatus::WindowOpen => "Đến hạn công nhận lại",
            RegistryStatus::WindowMissed => "Quá hạn nộp công nhận lại",
            RegistryStatus::Expired => "Hết hiệu lực",
            RegistryStatus::Revoked => "Bị thu hồi",
            RegistryStatus::Superseded => "Đã thay thế",
        }
    }

    /// The certificate can still be used (its owner may show the OCOP mark).
    pub fn in_force(self) -> bool {
        matches!(
            self,
            RegistryStatus::Valid | RegistryStatus::WindowOpen | RegistryStatus::WindowMissed
        )
    }
}

/// Days from `today` to the last valid day.
pub fn days_left(valid_until: NaiveDate, today: NaiveDate) -> i64 {
    (valid_until - today).num_days()
}

/// The status of a certificate valid until `valid_until`, on `today`. A revocation outranks a
/// supersession, which outranks the dates.
pub fn status(
    valid_until: NaiveDate,
    today: NaiveDate,
    revoked: bool,
    superseded: bool,
) -> RegistryStatus {
    if revoked {
        return RegistryStatus::Revoked;
    }
    if superseded {
        return RegistryStatus::Superseded;
    }
    match days_left(valid_until, today) {
        d if d < 0 => RegistryStatus::Expired,
        d if d < WINDOW_CLOSES_DAYS => RegistryStatus::WindowMissed,
        d if d <= WINDOW_OPENS_DAYS => RegistryStatus::WindowOpen,
        _ => RegistryStatus::Valid,
    }
}

/// The range of `valid_until` (inclusive bounds, ISO) an entry that is neither revoked nor
/// superseded has when its status on `today` is `s` — what the store filters on, so that the list
/// and [`status`] never disagree. `None` for revoked and superseded (they are flags, not dates).
pub fn valid_until_range(
    s: RegistryStatus,
    today: NaiveDate,
) -> Option<(Option<NaiveDate>, Option<NaiveDate>)> {
    let day = |n: i64| today + chrono::Duration::days(n);
    match s {
        RegistryStatus::Expired => Some((None, Some(day(-1)))),
        RegistryStatus::WindowMissed => Some((Some(today), Some(day(WINDOW_CLOSES_DAYS - 1)))),
        RegistryStatus::WindowOpen => {
            Some((Some(day(WINDOW_CLOSES_DAYS)), Some(day(WINDOW_OPENS_DAYS))))
        }
        RegistryStatus::Valid => Some((Some(day(WINDOW_OPENS_DAYS + 1)), None)),
        RegistryStatus::Revoked | RegistryStatus::Superseded => None,
    }
}

/// The last valid day of a certificate decided on `decision_date`.
pub fn valid_until(decision_date: NaiveDate) -> Option<NaiveDate> {
    decision_date.checked_add_months(Months::new(VALIDITY_MONTHS))
}

/// The re-recognition filing window of a certificate valid until `until` (Điều 7.6).
pub fn filing_window(until: NaiveDate) -> (NaiveDate, NaiveDate) {
    (
        until - chrono::Duration::days(WINDOW_OPENS_DAYS),
        until - chrono::Duration::days(WINDOW_CLOSES_DAYS),
    )
}

/// What happens to an entry's window soon: it opens or it closes, on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DueEvent {
    Opens,
    Closes,
}

/// The window event of a certificate within [`DUE_WITHIN_DAYS`] of `today`, if any: the day it
/// opens or, once open, the day it closes.
pub fn due_event(until: NaiveDate, today: NaiveDate) -> Option<(DueEvent, NaiveDate)> {
    let (opens, closes) = filing_window(until);
    let within = |d: NaiveDate| (0..=DUE_WITHIN_DAYS).contains(&(d - today).num_days());
    if within(opens) {
        Some((DueEvent::Opens, opens))
    } else if today >= opens && within(closes) {
        Some((DueEvent::Closes, closes))
    } else {
        None
    }
}

/// The grounds of a revocation, as Điều 8.1 lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum RevocationGround {
    #[serde(rename = "a")]
    A,
    #[serde(rename = "b")]
    B,
    #[serde(rename = "c")]
    C,
    #[serde(rename = "d")]
    D,
    #[serde(rename = "đ")]
    Dd,
    #[serde(rename = "e")]
    E,
}

impl RevocationGround {
    pub const ALL: [RevocationGround; 6] = [
        RevocationGround::A,
        RevocationGround::B,
        RevocationGround::C,
        RevocationGround::D,
        RevocationGround::Dd,
        RevocationGround::E,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RevocationGround::A => "a",
            RevocationGround::B => "b",
            RevocationGround::C => "c",
            RevocationGround::D => "d",
            RevocationGround::Dd => "đ",
            RevocationGround::E => "e",
        }
    }

    /// "a", "b", …, "đ" (also "dd", since some keyboards lack it), "e".
    pub fn parse(s: &str) -> Result<RevocationGround> {
        let t = crate::text::nfc(s.trim()).to_lowercase();
        let t = t.trim_start_matches("điểm").trim();
        let g = match t {
            "a" => RevocationGround::A,
            "b" => RevocationGround::B,
            "c" => RevocationGround::C,
            "d" => RevocationGround::D,
            "đ" | "dd" => RevocationGround::Dd,
            "e" => RevocationGround::E,
            _ => return Err(msg::BAD_GROUND.with("ground", s)),
        };
        Ok(g)
    }

    /// The ground as the decision words it.
    pub fn label_vi(self) -> &'static str {
        match self {
            RevocationGround::A => "Hồ sơ đề nghị đánh giá, phân hạng sản phẩm có thông tin gian dối hoặc giả mạo",
            RevocationGround::B => "Sản phẩm không còn đáp ứng tiêu chí theo kết quả kiểm tra, đánh giá lại",
            RevocationGround::C => "Vi phạm quy định của pháp luật về chất lượng, an toàn thực phẩm, môi trường, sở hữu trí tuệ hoặc nhãn hàng hóa",
            RevocationGround::D => "Sử dụng biểu trưng OCOP sai mục đích",
            RevocationGround::Dd => "Chủ thể ngừng sản xuất sản phẩm",
            RevocationGround::E => "Theo kết luận khác của cơ quan có thẩm quyền",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            RevocationGround::A => "False or forged application dossier",
            RevocationGround::B => "No longer meets the criteria after an inspection",
            RevocationGround::C => "Breach of quality, food-safety, environment, intellectual-property or labelling law",
            RevocationGround::D => "Misuse of the OCOP mark",
            RevocationGround::Dd => "Production stopped",
            RevocationGround::E => "Other conclusion of a competent authority",
        }
    }
}

/// Who revokes a certificate of `star` stars (Điều 8.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RevocationAuthority {
    /// The chair of the provincial People's Committee (3★, 4★).
    ProvinceChair,
    /// The Minister of Agriculture and Environment (5★).
    Minister,
}

impl RevocationAuthority {
    pub fn for_star(star: u8) -> RevocationAuthority {
        if star >= 5 {
            RevocationAuthority::Minister
        } else {
            RevocationAuthority::ProvinceChair
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RevocationAuthority::ProvinceChair => "province_chair",
            RevocationAuthority::Minister => "minister",
        }
    }

    pub fn parse(s: &str) -> RevocationAuthority {
        if s == "minister" {
            RevocationAuthority::Minister
        } else {
            RevocationAuthority::ProvinceChair
        }
    }
}

/// A decision made more than [`REVOCATION_DAYS`] after its conclusion.
pub fn revocation_late(concluded_on: NaiveDate, decided_on: NaiveDate) -> bool {
    (decided_on - concluded_on).num_days() > REVOCATION_DAYS
}

/// The level of a locality.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum LocalityLevel {
    Province,
    District,
    Commune,
}

impl LocalityLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            LocalityLevel::Province => "province",
            LocalityLevel::District => "district",
            LocalityLevel::Commune => "commune",
        }
    }
    pub fn parse(s: &str) -> LocalityLevel {
        match s {
            "province" => LocalityLevel::Province,
            "commune" => LocalityLevel::Commune,
            _ => LocalityLevel::District,
        }
    }
}

/// The words that name a locality's kind, lower case with their marks ("tỉnh" is a kind, "Tĩnh"
/// in "Tĩnh Gia" is not), longest first.
const KIND_WORDS: &[&str] = &[
    "thành phố",
    "thị trấn",
    "thị xã",
    "phường",
    "huyện",
    "quận",
    "tỉnh",
    "xã",
    "tp.",
    "tp",
    "tx.",
    "tx",
    "tt.",
    "tt",
    "q.",
];

/// A locality's name folded, without the word that says its kind: "Huyện Nga Sơn" and "nga son"
/// are the same place; "TP Thanh Hóa" and "Thành phố Thanh Hóa" too.
pub fn locality_key(name: &str) -> String {
    let lower = crate::text::nfc(name.trim()).to_lowercase();
    let mut s = lower.as_str();
    for w in KIND_WORDS {
        if let Some(rest) = s.strip_prefix(w) {
            if rest.is_empty() || rest.starts_with(' ') || w.ends_with('.') {
                s = rest.trim_start();
                break;
            }
        }
    }
    fold(s).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The stable code of a locality: its key as a slug, under its parent's code
/// ("thanh-hoa/nga-son").
pub fn locality_code(name: &str, parent_code: Option<&str>) -> String {
    let slug = locality_key(name).replace(' ', "-");
    match parent_code {
        Some(p) if !p.is_empty() => format!("{p}/{slug}"),
        _ => slug,
    }
}

/// A place products are counted in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Locality {
    pub code: String,
    pub name: String,
    pub level: LocalityLevel,
    pub parent_code: Option<String>,
}

/// A target of a plan: new products of `star` stars a locality plans for `year`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanTarget {
    pub year: i32,
    pub locality_code: String,
    pub star: u8,
    pub target: u32,
}

/// A locality's plan and what it achieved in the year, by star (index 0 = 3★, 1 = 4★, 2 = 5★).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanRow {
    /// Empty for the row of products whose locality is not known.
    pub locality_code: String,
    pub locality: String,
    pub target: [u32; 3],
    pub achieved: [u32; 3],
    pub target_total: u32,
    pub achieved_total: u32,
}

/// A count under a label (a chart's bar and its table's row).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CountRow {
    /// A stable key ("htx", "11", "nu", "2027-03").
    pub key: String,
    pub label: String,
    pub count: u32,
}

/// Products recognised in a year, by star.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct YearStars {
    pub year: i32,
    pub star3: u32,
    pub star4: u32,
    pub star5: u32,
    pub total: u32,
}

/// Where the province stands: a boundary type (`format`), the dashboard's charts and tables and
/// the periodic report's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Dashboard {
    pub format: u32,
    pub year: i32,
    /// The day the statuses are computed for (ISO).
    pub today: String,
    /// The period's first and last day (ISO), for the report; the whole year by default.
    pub from: String,
    pub to: String,
    /// Target vs achieved per locality, then the total.
    pub plan: Vec<PlanRow>,
    pub plan_total: PlanRow,
    pub by_year: Vec<YearStars>,
    /// Certificates in force at the end of each year (today for the current year), by star.
    pub in_force_by_year: Vec<YearStars>,
    /// Recognised in the period (not re-recognitions), by owner type and by set.
    pub period_by_owner_kind: Vec<CountRow>,
    pub period_by_set: Vec<CountRow>,
    /// Products in force by category (Ngành), set (Bộ), owner type, representative's sex and
    /// ethnicity.
    pub by_category: Vec<CountRow>,
    pub by_set: Vec<CountRow>,
    pub by_owner_kind: Vec<CountRow>,
    pub by_sex: Vec<CountRow>,
    pub by_ethnicity: Vec<CountRow>,
    /// Certificates in force that expire in each of the next 24 months ("2027-03").
    pub expiring_by_month: Vec<CountRow>,
    /// Entries by status today.
    pub by_status: Vec<CountRow>,
    /// In the period: entries recognised as new, upgraded, re-recognised; revoked; lapsed.
    pub period_new: u32,
    pub period_upgraded: u32,
    pub period_rerecognised: u32,
    pub period_revoked: u32,
    pub period_expired: u32,
    /// Entries in force today.
    pub in_force: u32,
}

/// One registry entry as the dashboard needs it (the store gathers them). The texts borrow from
/// the store's owner and product rows, so 20,000 facts cost no string copies.
#[derive(Debug, Clone, PartialEq)]
pub struct DashboardFact<'a> {
    pub star: u8,
    pub decision_date: NaiveDate,
    pub valid_until: NaiveDate,
    /// "new", "rerecognition", "upgrade", "imported".
    pub kind: &'a str,
    pub revoked_on: Option<NaiveDate>,
    pub superseded: bool,
    /// The decision date of the entry that superseded it.
    pub superseded_on: Option<NaiveDate>,
    /// The owner's district (before the 2025 reform) and commune, as recorded.
    pub district: &'a str,
    pub commune: &'a str,
    pub set_code: &'a str,
    pub set_label: &'a str,
    pub category: &'a str,
    pub owner_kind: crate::model::OwnerKind,
    pub sex: &'a str,
    pub ethnicity: &'a str,
}

/// Finds a fact's locality among the known ones: the district when the record names one that is
/// known, else the commune.
pub struct LocalityIndex<'a> {
    by_key: HashMap<(LocalityLevel, String), &'a Locality>,
}

impl<'a> LocalityIndex<'a> {
    pub fn new(localities: &'a [Locality]) -> LocalityIndex<'a> {
        LocalityIndex {
            by_key: localities
                .iter()
                .map(|l| ((l.level, locality_key(&l.name)), l))
                .collect(),
        }
    }

    pub fn find(&self, district: &str, commune: &str) -> Option<&'a Locality> {
        let d = locality_key(district);
        let c = locality_key(commune);
        (!d.is_empty())
            .then(|| self.by_key.get(&(LocalityLevel::District, d)))
            .flatten()
            .or_else(|| {
                (!c.is_empty())
                    .then(|| self.by_key.get(&(LocalityLevel::Commune, c)))
                    .flatten()
            })
            .copied()
    }
}

fn counted(map: BTreeMap<String, (String, u32)>) -> Vec<CountRow> {
    let mut rows: Vec<CountRow> = map
        .into_iter()
        .map(|(key, (label, count))| CountRow { key, label, count })
        .collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then(a.key.cmp(&b.key)));
    rows
}

/// The dashboard of `year` on `today` (the period `from..=to`, the year by default), from the
/// registry's facts, the localities and the plan's targets.
pub fn dashboard(
    facts: &[DashboardFact<'_>],
    localities: &[Locality],
    targets: &[PlanTarget],
    year: i32,
    period: Option<(NaiveDate, NaiveDate)>,
    today: NaiveDate,
) -> Dashboard {
    let (from, to) = period.unwrap_or_else(|| {
        (
            NaiveDate::from_ymd_opt(year, 1, 1).expect("a valid year"),
            NaiveDate::from_ymd_opt(year, 12, 31).expect("a valid year"),
        )
    });
    let index = LocalityIndex::new(localities);
    let name_of: HashMap<&str, &str> = localities
        .iter()
        .map(|l| (l.code.as_str(), l.name.as_str()))
        .collect();
    // Plan rows: every locality with a target this year, in the order the plan was entered
    // (the order of `targets`), then the localities that achieved without a target.
    let mut rows: Vec<PlanRow> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    let mut row_of = |code: &str, rows: &mut Vec<PlanRow>| -> usize {
        *at.entry(code.to_string()).or_insert_with(|| {
            rows.push(PlanRow {
                locality_code: code.to_string(),
                locality: if code.is_empty() {
                    "(Chưa xác định địa bàn)".into()
                } else {
                    name_of.get(code).copied().unwrap_or(code).to_string()
                },
                ..Default::default()
            });
            rows.len() - 1
        })
    };
    for t in targets.iter().filter(|t| t.year == year) {
        let i = row_of(&t.locality_code, &mut rows);
        rows[i].target[(t.star.clamp(3, 5) - 3) as usize] += t.target;
    }
    let mut d = Dashboard {
        format: 1,
        year,
        today: today.to_string(),
        from: from.to_string(),
        to: to.to_string(),
        plan: Vec::new(),
        plan_total: PlanRow {
            locality: "Tổng cộng".into(),
            ..Default::default()
        },
        by_year: Vec::new(),
        in_force_by_year: Vec::new(),
        period_by_owner_kind: Vec::new(),
        period_by_set: Vec::new(),
        by_category: Vec::new(),
        by_set: Vec::new(),
        by_owner_kind: Vec::new(),
        by_sex: Vec::new(),
        by_ethnicity: Vec::new(),
        expiring_by_month: Vec::new(),
        by_status: Vec::new(),
        period_new: 0,
        period_upgraded: 0,
        period_rerecognised: 0,
        period_revoked: 0,
        period_expired: 0,
        in_force: 0,
    };
    let mut years: BTreeMap<i32, YearStars> = BTreeMap::new();
    let mut category = BTreeMap::new();
    let mut set = BTreeMap::new();
    let mut owner = BTreeMap::new();
    let mut sex = BTreeMap::new();
    let mut ethnicity = BTreeMap::new();
    let mut status_count: BTreeMap<RegistryStatus, u32> = BTreeMap::new();
    let mut period_owner = BTreeMap::new();
    let mut period_set = BTreeMap::new();
    let month0 = today.year() * 12 + today.month0() as i32;
    let mut months = [0u32; 24];
    let bump =
        |m: &mut BTreeMap<String, (String, u32)>, key: &str, label: &str| match m.get_mut(key) {
            Some(v) => v.1 += 1,
            None => {
                m.insert(key.to_string(), (label.to_string(), 1));
            }
        };
    // Many facts share a district and commune, and a category: fold each once.
    let mut place_of: HashMap<(&str, &str), String> = HashMap::new();
    let mut folded: HashMap<&str, String> = HashMap::new();
    for f in facts {
        let star_i = (f.star.clamp(3, 5) - 3) as usize;
        let in_period = f.decision_date >= from && f.decision_date <= to;
        if in_period {
            match f.kind {
                "rerecognition" => d.period_rerecognised += 1,
                "upgrade" => d.period_upgraded += 1,
                _ => d.period_new += 1,
            }
            if f.kind != "rerecognition" {
                let code = place_of
                    .entry((f.district, f.commune))
                    .or_insert_with(|| {
                        index
                            .find(f.district, f.commune)
                            .map(|l| l.code.clone())
                            .unwrap_or_default()
                    })
                    .clone();
                let i = row_of(&code, &mut rows);
                rows[i].achieved[star_i] += 1;
                bump(
                    &mut period_owner,
                    f.owner_kind.as_str(),
                    f.owner_kind.label_vi(),
                );
                bump(&mut period_set, f.set_code, f.set_label);
            }
        }
        if f.revoked_on.is_some_and(|r| r >= from && r <= to) {
            d.period_revoked += 1;
        }
        if f.revoked_on.is_none() && !f.superseded && f.valid_until >= from && f.valid_until < to {
            d.period_expired += 1;
        }
        let y = years.entry(f.decision_date.year()).or_insert(YearStars {
            year: f.decision_date.year(),
            ..Default::default()
        });
        match f.star {
            5 => y.star5 += 1,
            4 => y.star4 += 1,
            _ => y.star3 += 1,
        }
        y.total += 1;
        let s = status(f.valid_until, today, f.revoked_on.is_some(), f.superseded);
        *status_count.entry(s).or_default() += 1;
        if s.in_force() {
            d.in_force += 1;
            let key = folded.entry(f.category).or_insert_with(|| fold(f.category));
            bump(&mut category, key, f.category);
            bump(&mut set, f.set_code, f.set_label);
            bump(&mut owner, f.owner_kind.as_str(), f.owner_kind.label_vi());
            let (sk, sl) = match f.sex {
                "nam" => ("nam", "Nam"),
                "nu" => ("nu", "Nữ"),
                _ => ("", "Chưa ghi"),
            };
            bump(&mut sex, sk, sl);
            let e = f.ethnicity.trim();
            if e.is_empty() {
                bump(&mut ethnicity, "", "Chưa ghi");
            } else {
                let ek = folded.entry(e).or_insert_with(|| fold(e));
                bump(&mut ethnicity, ek, e);
            }
            let m = f.valid_until.year() * 12 + f.valid_until.month0() as i32 - month0;
            if (0..24).contains(&m) {
                months[m as usize] += 1;
            }
        }
    }
    for r in &mut rows {
        r.target_total = r.target.iter().sum();
        r.achieved_total = r.achieved.iter().sum();
        for i in 0..3 {
            d.plan_total.target[i] += r.target[i];
            d.plan_total.achieved[i] += r.achieved[i];
        }
    }
    d.plan_total.target_total = d.plan_total.target.iter().sum();
    d.plan_total.achieved_total = d.plan_total.achieved.iter().sum();
    d.plan = rows;
    // In force at the end of each year from the first recognition to the report's year.
    let first = facts.iter().map(|f| f.decision_date.year()).min();
    if let Some(first) = first {
        for y in first..=year.max(first) {
            let end = NaiveDate::from_ymd_opt(y, 12, 31)
                .expect("a valid year")
                .min(today.max(NaiveDate::from_ymd_opt(y, 1, 1).expect("a valid year")));
            let mut ys = YearStars {
                year: y,
                ..Default::default()
            };
            for f in facts {
                let alive = f.decision_date <= end
                    && f.valid_until >= end
                    && f.revoked_on.is_none_or(|r| r > end)
                    && f.superseded_on.is_none_or(|s| s > end);
                if alive {
                    match f.star {
                        5 => ys.star5 += 1,
                        4 => ys.star4 += 1,
                        _ => ys.star3 += 1,
                    }
                    ys.total += 1;
                }
            }
            d.in_force_by_year.push(ys);
        }
    }
    d.by_year = years.into_values().collect();
    d.period_by_owner_kind = counted(period_owner);
    d.period_by_set = counted(period_set);
    d.by_category = counted(category);
    d.by_set = counted(set);
    d.by_owner_kind = counted(owner);
    d.by_sex = counted(sex);
    d.by_ethnicity = counted(ethnicity);
    d.expiring_by_month = months
        .iter()
        .enumerate()
        .map(|(i, &count)| {
            let m = month0 + i as i32;
            let (y, mo) = (m.div_euclid(12), m.rem_euclid(12) + 1);
            CountRow {
                key: format!("{y}-{mo:02}"),
                label: format!("{mo:02}/{y}"),
                count,
            }
        })
        .collect();
    d.by_status = RegistryStatus::ALL
        .iter()
        .map(|s| CountRow {
            key: s.as_str().into(),
            label: s.label_vi().into(),
            count: status_count.get(s).copied().unwrap_or(0),
        })
        .collect();
    d
}

/// One certificate in the registry, as the list, the CLI (`ocop registry list --json`) and the
/// papers see it. A boundary type: fields are added, never renamed or removed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RegistryEntry {
    pub id: String,
    pub product_id: String,
    /// The product's name.
    pub product: String,
    pub product_code: String,
    pub owner_id: String,
    /// The owner's name.
    pub owner: String,
    pub owner_kind: crate::model::OwnerKind,
    pub commune: String,
    pub district: String,
    pub decision_id: String,
    pub set_code: String,
    pub star: u8,
    /// The certificate number ("" for an imported entry whose list gave none).
    pub certificate_no: String,
    pub decision_no: String,
    /// ISO dates.
    pub decision_date: String,
    /// "district", "province" or "centre".
    pub issuing_level: String,
    pub issuing_body: String,
    pub valid_until: String,
    /// Days from today to the last valid day (negative once expired).
    pub days_left: i64,
    pub status: RegistryStatus,
    /// "new", "rerecognition", "upgrade" or "imported".
    pub kind: String,
    /// Imported from a list kept before the app: it has no score sheets.
    pub imported: bool,
    /// The entry this one replaced, and the one that replaced it.
    pub supersedes: Option<String>,
    pub superseded_by: Option<String>,
    /// This office signed a payload for it: it prints with a verifiable QR.
    pub signed: bool,
    pub revocation: Option<Revocation>,
}

/// What the registry list shows: a page of entries (the first `limit` from `offset`), searched and
/// filtered.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RegistryFilter {
    /// Folded text in the product, owner, certificate or decision number.
    #[serde(default)]
    #[ts(optional)]
    pub query: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub status: Option<RegistryStatus>,
    #[serde(default)]
    #[ts(optional)]
    pub star: Option<u8>,
    /// Recognised in this year.
    #[serde(default)]
    #[ts(optional)]
    pub year: Option<i32>,
    /// The owner's commune or district contains this folded text.
    #[serde(default)]
    #[ts(optional)]
    pub locality: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub offset: Option<u32>,
    /// 100 by default; at most 50,000.
    #[serde(default)]
    #[ts(optional)]
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RegistryPage {
    pub format: u32,
    /// Entries that match the filter, in all.
    pub total: u32,
    pub offset: u32,
    pub entries: Vec<RegistryEntry>,
}

/// A certificate whose re-recognition window opens or closes soon (the list at start).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RegistryDue {
    pub entry: RegistryEntry,
    pub event: DueEvent,
    /// The day it opens or closes (ISO) and how many days away.
    pub on: String,
    pub in_days: i64,
}

/// A revocation decision, this office's or another office's (imported).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Revocation {
    pub id: String,
    pub certificate_no: String,
    pub product: String,
    pub star: u8,
    pub ground: RevocationGround,
    pub ground_label: String,
    pub decision_no: String,
    pub decision_date: String,
    pub concluded_on: Option<String>,
    pub authority: RevocationAuthority,
    pub reason: String,
    /// Decided more than 15 days after the conclusion (Điều 8.2).
    pub late: bool,
    /// Imported from another office's signed list (its name), else this office's own.
    pub from_office: Option<String>,
}

/// What revoking takes (`ocop revoke`, the revoke dialog).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RevocationInput {
    /// The registry entry, or its certificate number.
    #[serde(default)]
    #[ts(optional)]
    pub entry_id: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub certificate_no: Option<String>,
    pub ground: RevocationGround,
    pub decision_no: String,
    /// ISO.
    pub decision_date: String,
    #[serde(default)]
    #[ts(optional)]
    pub concluded_on: Option<String>,
    #[serde(default)]
    pub reason: String,
}

/// What importing another office's revocation list did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RevocationImport {
    pub format: u32,
    /// The office that signed the list, and its key.
    pub office: String,
    pub key: String,
    pub listed: u32,
    /// New here, and already known.
    pub added: u32,
    pub known: u32,
}

/// A re-recognition or upgrade application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RenewalKind {
    Rerecognition,
    Upgrade,
}

impl RenewalKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RenewalKind::Rerecognition => "rerecognition",
            RenewalKind::Upgrade => "upgrade",
        }
    }
    pub fn parse(s: &str) -> RenewalKind {
        if s == "upgrade" {
            RenewalKind::Upgrade
        } else {
            RenewalKind::Rerecognition
        }
    }
}

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RenewalStatus {
    /// Members give written opinions (re-recognition).
    Opinions,
    /// Decided in a round: a meeting after divergent opinions, or an upgrade's evaluation.
    Meeting,
    Decided,
    Refused,
}

impl RenewalStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RenewalStatus::Opinions => "opinions",
            RenewalStatus::Meeting => "meeting",
            RenewalStatus::Decided => "decided",
            RenewalStatus::Refused => "refused",
        }
    }
    pub fn parse(s: &str) -> RenewalStatus {
        match s {
            "meeting" => RenewalStatus::Meeting,
            "decided" => RenewalStatus::Decided,
            "refused" => RenewalStatus::Refused,
            _ => RenewalStatus::Opinions,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RenewalInput {
    pub entry_id: String,
    pub kind: RenewalKind,
    /// ISO dates: filed through the commune; the dossier complete.
    pub filed_on: String,
    #[serde(default)]
    #[ts(optional)]
    pub complete_on: Option<String>,
    /// What changed since the recognition (required for an upgrade).
    #[serde(default)]
    pub changes: String,
}

/// A member's written opinion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Opinion {
    pub person_id: String,
    pub person: String,
    pub agree: bool,
    pub remark: String,
    pub recorded_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Renewal {
    pub id: String,
    pub kind: RenewalKind,
    pub status: RenewalStatus,
    pub entry: RegistryEntry,
    pub filed_on: String,
    pub complete_on: Option<String>,
    /// 45 days after the dossier is complete (Điều 7.6), and how many days are left.
    pub deadline: Option<String>,
    pub deadline_days: Option<i64>,
    pub changes: String,
    pub round_id: Option<String>,
    pub opinions: Vec<Opinion>,
    pub agree: u32,
    pub disagree: u32,
    pub decision_no: Option<String>,
    pub decision_date: Option<String>,
    pub new_entry_id: Option<String>,
}

/// What the written opinions say, for a decision without a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpinionOutcome {
    TooFew { count: usize },
    Agreed,
    Divergent { agree: usize, disagree: usize },
}

/// The outcome of written opinions: all of at least [`MIN_OPINIONS`] agree, or they differ (the
/// council must meet, Điều 7.6).
pub fn opinion_outcome(agrees: &[bool]) -> OpinionOutcome {
    let agree = agrees.iter().filter(|a| **a).count();
    let disagree = agrees.len() - agree;
    if disagree > 0 {
        OpinionOutcome::Divergent { agree, disagree }
    } else if agrees.len() < MIN_OPINIONS {
        OpinionOutcome::TooFew {
            count: agrees.len(),
        }
    } else {
        OpinionOutcome::Agreed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// The boundaries of Điều 7.6, table-driven: days before expiry → status.
    #[test]
    fn status_at_the_boundaries_of_the_window() {
        let until = day("2027-06-30");
        let cases = [
            (181, RegistryStatus::Valid),
            (180, RegistryStatus::WindowOpen),
            (150, RegistryStatus::WindowOpen),
            (120, RegistryStatus::WindowOpen),
            (119, RegistryStatus::WindowMissed),
            (1, RegistryStatus::WindowMissed),
            (0, RegistryStatus::WindowMissed),
            (-1, RegistryStatus::Expired),
            (-400, RegistryStatus::Expired),
        ];
        for (before, want) in cases {
            let today = until - chrono::Duration::days(before);
            assert_eq!(
                status(until, today, false, false),
                want,
                "{before} days before"
            );
            // Revoked and superseded are flags that outrank the dates, and stay apart from
            // expired.
            assert_eq!(status(until, today, true, false), RegistryStatus::Revoked);
            assert_eq!(status(until, today, true, true), RegistryStatus::Revoked);
            assert_eq!(
                status(until, today, false, true),
                RegistryStatus::Superseded
            );
        }
    }

    /// The ranges the store filters on agree with `status` on every day around the window.
    #[test]
    fn the_filter_ranges_agree_with_the_status() {
        let today = day("2026-12-02");
        for offset in -400..800 {
            let until = today + chrono::Duration::days(offset);
            let s = status(until, today, false, false);
            for other in RegistryStatus::ALL {
                let Some((lo, hi)) = valid_until_range(other, today) else {
                    continue;
                };
                let inside = lo.is_none_or(|l| until >= l) && hi.is_none_or(|h| until <= h);
                assert_eq!(inside, other == s, "{offset}: {other:?} vs {s:?}");
            }
        }
    }

    #[test]
    fn report_periods() {
        let (f, t, l) = period(2026, "h1").unwrap();
        assert_eq!(
            (f, t, l.as_str()),
            (day("2026-01-01"), day("2026-06-30"), "6 tháng đầu năm 2026")
        );
        let (f, t, l) = period(2026, "q4").unwrap();
        assert_eq!(
            (f, t, l.as_str()),
            (day("2026-10-01"), day("2026-12-31"), "quý IV năm 2026")
        );
        assert_eq!(period(2026, "").unwrap().2, "năm 2026");
        assert!(period(2026, "2026-05-01:2026-09-30").is_ok());
        assert_eq!(period(2026, "q5").unwrap_err().code(), "report.bad_period");
        assert!(period(2026, "2026-09-30:2026-05-01").is_err());
    }

    #[test]
    fn validity_is_36_months_from_the_decision() {
        assert_eq!(valid_until(day("2026-06-15")), Some(day("2029-06-15")));
        // The last day of a shorter month.
        assert_eq!(valid_until(day("2024-02-29")), Some(day("2027-02-28")));
    }

    #[test]
    fn due_events_within_30_days() {
        let until = day("2027-12-31");
        let (opens, closes) = filing_window(until);
        assert_eq!(opens, day("2027-07-04"));
        assert_eq!(closes, day("2027-09-02"));
        assert_eq!(
            due_event(until, opens - chrono::Duration::days(30)),
            Some((DueEvent::Opens, opens))
        );
        assert_eq!(due_event(until, opens - chrono::Duration::days(31)), None);
        assert_eq!(due_event(until, opens), Some((DueEvent::Opens, opens)));
        assert_eq!(
            due_event(until, closes - chrono::Duration::days(30)),
            Some((DueEvent::Closes, closes))
        );
        assert_eq!(due_event(until, closes), Some((DueEvent::Closes, closes)));
        assert_eq!(due_event(until, closes + chrono::Duration::days(1)), None);
    }

    #[test]
    fn grounds_parse_with_and_without_the_vietnamese_letter() {
        for (s, g) in [
            ("a", RevocationGround::A),
            ("đ", RevocationGround::Dd),
            ("Đ", RevocationGround::Dd),
            ("dd", RevocationGround::Dd),
            ("d", RevocationGround::D),
            ("e", RevocationGround::E),
        ] {
            assert_eq!(RevocationGround::parse(s).unwrap(), g, "{s}");
        }
        assert_eq!(
            RevocationGround::parse("g").unwrap_err().code(),
            "revocation.bad_ground"
        );
        assert_eq!(
            serde_json::to_string(&RevocationGround::Dd).unwrap(),
            "\"đ\""
        );
        assert_eq!(
            RevocationAuthority::for_star(5),
            RevocationAuthority::Minister
        );
        assert_eq!(
            RevocationAuthority::for_star(4),
            RevocationAuthority::ProvinceChair
        );
        assert!(revocation_late(day("2027-01-01"), day("2027-01-17")));
        assert!(!revocation_late(day("2027-01-01"), day("2027-01-16")));
    }

    #[test]
    fn locality_names_match_whatever_their_kind_word() {
        assert_eq!(locality_key("Huyện Nga Sơn"), "nga son");
        assert_eq!(locality_key("TP Thanh Hóa"), "thanh hoa");
        assert_eq!(locality_key("Thành phố Thanh Hóa"), "thanh hoa");
        assert_eq!(locality_key("TX. Nghi Sơn"), "nghi son");
        assert_eq!(locality_key("Xã Xuân Lộc"), "xuan loc");
        // A name that only starts like a kind word keeps it.
        assert_eq!(locality_key("Xuân Lộc"), "xuan loc");
        assert_eq!(locality_key("Tĩnh Gia"), "tinh gia");
        assert_eq!(
            locality_code("Huyện Nga Sơn", Some("thanh-hoa")),
            "thanh-hoa/nga-son"
        );
    }

    fn fact<'a>(star: u8, date: &str, kind: &'a str, district: &'a str) -> DashboardFact<'a> {
        let d = day(date);
        DashboardFact {
            star,
            decision_date: d,
            valid_until: valid_until(d).unwrap(),
            kind,
            revoked_on: None,
            superseded: false,
            superseded_on: None,
            district,
            commune: "",
            set_code: "11",
            set_label: "Chè",
            category: "Thực phẩm",
            owner_kind: crate::model::OwnerKind::Htx,
            sex: "nu",
            ethnicity: "Kinh",
        }
    }

    #[test]
    fn the_dashboard_counts_against_the_plan() {
        let locs = vec![
            Locality {
                code: "thanh-hoa/nga-son".into(),
                name: "Huyện Nga Sơn".into(),
                level: LocalityLevel::District,
                parent_code: Some("thanh-hoa".into()),
            },
            Locality {
                code: "thanh-hoa/sam-son".into(),
                name: "TP Sầm Sơn".into(),
                level: LocalityLevel::District,
                parent_code: Some("thanh-hoa".into()),
            },
        ];
        let t = |code: &str, star, target| PlanTarget {
            year: 2025,
            locality_code: code.into(),
            star,
            target,
        };
        let targets = vec![
            t("thanh-hoa/nga-son", 3, 4),
            t("thanh-hoa/nga-son", 4, 2),
            t("thanh-hoa/nga-son", 5, 2),
            t("thanh-hoa/sam-son", 3, 1),
        ];
        let facts = vec![
            fact(3, "2025-03-01", "new", "Nga Sơn"),
            fact(4, "2025-08-01", "upgrade", "huyện nga sơn"),
            fact(3, "2025-09-01", "rerecognition", "Nga Sơn"),
            fact(3, "2024-09-01", "new", "Nga Sơn"),
            fact(3, "2025-10-01", "imported", "Hà Nội"),
        ];
        let d = dashboard(&facts, &locs, &targets, 2025, None, day("2025-12-31"));
        assert_eq!(d.plan[0].locality, "Huyện Nga Sơn");
        assert_eq!(d.plan[0].target, [4, 2, 2]);
        assert_eq!(d.plan[0].achieved, [1, 1, 0]);
        assert_eq!(d.plan[1].achieved_total, 0);
        assert_eq!(d.plan[2].locality_code, "");
        assert_eq!(d.plan[2].achieved, [1, 0, 0]);
        assert_eq!(d.plan_total.target_total, 9);
        assert_eq!(d.plan_total.achieved_total, 3);
        assert_eq!(
            (d.period_new, d.period_upgraded, d.period_rerecognised),
            (2, 1, 1)
        );
        assert_eq!(
            d.by_year.iter().map(|y| y.year).collect::<Vec<_>>(),
            [2024, 2025]
        );
        assert_eq!(d.by_year[1].star3, 3);
        assert_eq!(d.in_force, 5);
        assert_eq!(d.by_owner_kind[0].count, 5);
        assert_eq!(d.expiring_by_month.len(), 24);
        // In force at the end of 2024: the one 2024 entry; at the end of 2025: all five.
        assert_eq!(d.in_force_by_year[0].total, 1);
        assert_eq!(d.in_force_by_year[1].total, 5);
        assert_eq!(d.period_by_owner_kind[0].count, 3);
    }
}
