//! The records of a council's work, as the UI, the CLI and the exchange files see them.
//! Every entity has a stable UUID (`id`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::rules::{Blocker, Level, MemberScore, Procedure, ProductResult, Role, RoundRules};

/// A person in the reusable member directory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Person {
    pub id: String,
    pub full_name: String,
    /// Chức vụ, e.g. "Phó Giám đốc Sở Nông nghiệp và Môi trường".
    pub title: String,
    /// Đơn vị công tác.
    pub unit: String,
    pub has_pin: bool,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PersonInput {
    pub full_name: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub unit: String,
}

/// Loại hình chủ thể.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum OwnerKind {
    /// Hợp tác xã
    #[default]
    Htx,
    /// Tổ hợp tác
    Tht,
    /// Doanh nghiệp
    Dn,
    /// Hộ kinh doanh / hộ sản xuất
    Hkd,
    /// Trang trại
    TrangTrai,
    /// Hội, hiệp hội, trung tâm (du lịch) and others
    Khac,
}

impl OwnerKind {
    pub const ALL: [OwnerKind; 6] = [
        OwnerKind::Htx,
        OwnerKind::Tht,
        OwnerKind::Dn,
        OwnerKind::Hkd,
        OwnerKind::TrangTrai,
        OwnerKind::Khac,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OwnerKind::Htx => "htx",
            OwnerKind::Tht => "tht",
            OwnerKind::Dn => "dn",
            OwnerKind::Hkd => "hkd",
            OwnerKind::TrangTrai => "trang_trai",
            OwnerKind::Khac => "khac",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            OwnerKind::Htx => "Hợp tác xã",
            OwnerKind::Tht => "Tổ hợp tác",
            OwnerKind::Dn => "Doanh nghiệp",
            OwnerKind::Hkd => "Hộ kinh doanh/hộ sản xuất",
            OwnerKind::TrangTrai => "Trang trại",
            OwnerKind::Khac => "Khác",
        }
    }

    /// Parses the code or the Vietnamese label (as typed in an import sheet).
    pub fn parse(s: &str) -> Option<OwnerKind> {
        // The stored codes first: no folding (the registry reads thousands).
        let code = s.trim();
        if let Some(k) = OwnerKind::ALL.into_iter().find(|k| k.as_str() == code) {
            return Some(k);
        }
        let f = crate::text::fold(s);
        OwnerKind::ALL.into_iter().find(|k| {
            k.as_str() == s.trim()
                || crate::text::fold(k.label_vi()) == f
                || (f.starts_with("ho ") && *k == OwnerKind::Hkd)
                || (f.starts_with("cong ty") && *k == OwnerKind::Dn)
        })
    }
}

/// Chủ thể OCOP.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Owner {
    #[serde(default)]
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub kind: OwnerKind,
    /// Người đại diện theo pháp luật.
    #[serde(default)]
    pub representative: String,
    /// "nam", "nu" or "" (the sheets score a female representative).
    #[serde(default)]
    pub rep_sex: String,
    /// Dân tộc (the sheets score an ethnic-minority representative).
    #[serde(default)]
    pub rep_ethnicity: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub commune: String,
    /// Kept for records made before the 2025 two-tier reform.
    #[serde(default)]
    pub district: String,
    #[serde(default)]
    pub province: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub registration_no: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProductInput {
    #[serde(default)]
    pub id: String,
    pub owner_id: String,
    pub name: String,
    pub decision_id: String,
    pub set_code: String,
    /// Mã số sản phẩm: T-X-STT-năm (26/2026) or T-H-X-STT-năm (older form).
    #[serde(default)]
    pub code: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Product {
    pub id: String,
    pub owner_id: String,
    pub owner_name: String,
    pub commune: String,
    pub name: String,
    pub decision_id: String,
    pub set_code: String,
    pub set_name: String,
    pub code: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum RoundStatus {
    Draft,
    Scoring,
    Finalised,
}

impl RoundStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RoundStatus::Draft => "draft",
            RoundStatus::Scoring => "scoring",
            RoundStatus::Finalised => "finalised",
        }
    }
    pub fn parse(s: &str) -> RoundStatus {
        match s {
            "scoring" => RoundStatus::Scoring,
            "finalised" => RoundStatus::Finalised,
            _ => RoundStatus::Draft,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RoundInput {
    pub name: String,
    pub level: Level,
    pub decision_id: String,
    pub procedure: Procedure,
    /// ISO date of the meeting.
    pub date: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub rules: RoundRules,
}

/// Đợt đánh giá.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Round {
    pub id: String,
    pub name: String,
    pub level: Level,
    pub decision_id: String,
    pub procedure: Procedure,
    pub date: String,
    pub place: String,
    pub status: RoundStatus,
    pub rules: RoundRules,
    pub demo: bool,
    pub finalised_at: Option<String>,
    pub member_count: u32,
    pub product_count: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RoundMember {
    pub person: Person,
    pub role: Role,
    pub present: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum ApplicationType {
    /// Lần đầu
    #[default]
    First,
    /// Nâng hạng
    Upgrade,
    /// Đánh giá lại
    Reevaluation,
}

impl ApplicationType {
    pub fn as_str(self) -> &'static str {
        match self {
            ApplicationType::First => "first",
            ApplicationType::Upgrade => "upgrade",
            ApplicationType::Reevaluation => "reevaluation",
        }
    }
    pub fn parse(s: &str) -> Option<ApplicationType> {
        match crate::text::fold(s).as_str() {
            "first" | "lan dau" => Some(ApplicationType::First),
            "upgrade" | "nang hang" => Some(ApplicationType::Upgrade),
            "reevaluation" | "danh gia lai" => Some(ApplicationType::Reevaluation),
            _ => None,
        }
    }
}

/// A permit held in the dossier (food-safety certificate, business registration …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Permit {
    pub kind: String,
    #[serde(default)]
    pub number: String,
    /// ISO date; empty when the permit has no expiry.
    #[serde(default)]
    pub valid_until: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ChecklistItem {
    pub key: String,
    pub label: String,
    pub required: bool,
    pub received: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AttachmentRef {
    pub sha256: String,
    pub name: String,
    pub mime: String,
    #[ts(type = "number")]
    pub size: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DossierInput {
    pub product_id: String,
    #[serde(default)]
    pub application_type: ApplicationType,
    #[serde(default)]
    pub received_on: String,
    /// Checklist item key → received.
    #[serde(default)]
    #[ts(type = "Record<string, boolean>")]
    pub checklist: BTreeMap<String, bool>,
    #[serde(default)]
    pub permits: Vec<Permit>,
}

/// Hồ sơ of a product in a round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Dossier {
    pub id: String,
    pub round_id: String,
    pub product: Product,
    pub application_type: ApplicationType,
    pub received_on: String,
    pub checklist: Vec<ChecklistItem>,
    pub permits: Vec<Permit>,
    /// Warnings: permits expired by the round's date (Vietnamese wording).
    pub warnings: Vec<String>,
    /// The same warnings, coded (`dossier.permit_expired`), for the interface language.
    pub notices: Vec<crate::error::Notice>,
    pub attachments: Vec<AttachmentRef>,
    pub complete: bool,
    /// The commune's pre-assessment (QĐ 26/2026 Mẫu 03), once entered.
    #[serde(default)]
    pub commune_report: Option<CommuneReport>,
}

/// The commune's pre-assessment of a dossier before it goes to the province (QĐ 26/2026
/// Điều 7.2, Mẫu 03 "Báo cáo đánh giá một số nội dung"): the four contents the commune vouches
/// for, who assessed them and when, and whether the commune proposes the product.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CommuneReport {
    /// Nguyên liệu địa phương: where the raw materials come from and how much is local.
    #[serde(default)]
    pub raw_materials: String,
    /// Sử dụng lao động địa phương.
    #[serde(default)]
    pub local_labour: String,
    /// Nguồn gốc ý tưởng sản phẩm.
    #[serde(default)]
    pub idea_origin: String,
    /// Tính đặc trưng, bản sắc địa phương.
    #[serde(default)]
    pub local_identity: String,
    /// ISO date of the report; empty while drafting.
    #[serde(default)]
    pub assessed_on: String,
    /// The commune people's committee that signs it ("UBND xã Nga Liên").
    #[serde(default)]
    pub assessed_by: String,
    /// The commune proposes the product for the provincial evaluation.
    #[serde(default)]
    pub proposed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Recusal {
    pub person_id: String,
    pub product_id: String,
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum SheetStatus {
    Open,
    Signed,
    Superseded,
}

impl SheetStatus {
    pub fn parse(s: &str) -> SheetStatus {
        match s {
            "signed" => SheetStatus::Signed,
            "superseded" => SheetStatus::Superseded,
            _ => SheetStatus::Open,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            SheetStatus::Open => "open",
            SheetStatus::Signed => "signed",
            SheetStatus::Superseded => "superseded",
        }
    }
}

/// How a sheet is entered: by the member at the keyboard, or keyed from paper by a secretary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Entry {
    Member,
    Keyed,
}

/// One member's score sheet for one product.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ScoreSheet {
    pub id: String,
    pub round_id: String,
    pub product_id: String,
    pub person_id: String,
    pub member_name: String,
    pub role: Role,
    /// SHA-256 of the criteria sheet this was scored on.
    pub sheet_sha256: String,
    pub decision_id: String,
    pub set_code: String,
    pub version: u32,
    /// 1, or 2 for the second keying of a paper sheet.
    pub pass: u8,
    pub entry: Entry,
    pub keyed_by: Option<String>,
    pub status: SheetStatus,
    pub elimination: Option<String>,
    pub comment: String,
    pub signed_at: Option<String>,
    pub reopen_reason: Option<String>,
    #[ts(type = "Record<string, number>")]
    pub answers: BTreeMap<String, u32>,
    pub score: MemberScore,
}

/// A difference between the two keyings of a paper sheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Mismatch {
    pub criterion: String,
    pub first: Option<u32>,
    pub second: Option<u32>,
}

/// A product's line in a round's results: the `ocop score` fields plus the product.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProductLine {
    pub product_id: String,
    pub product_name: String,
    pub product_code: String,
    pub owner_name: String,
    pub commune: String,
    pub decision: String,
    pub set: String,
    pub set_name: String,
    /// Members who must still sign a sheet for this product.
    pub unsigned: Vec<String>,
    /// A spread flag was discussed and the product re-scored.
    pub spread_reviewed: bool,
    #[serde(flatten)]
    pub result: ProductResult,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RoundResults {
    pub round: Round,
    pub products: Vec<ProductLine>,
    /// Why the round cannot be finalised yet (empty when it can), worded in the caller's language.
    pub blockers: Vec<String>,
    /// The same reasons, in the same order, as codes with parameters: the screen branches on these.
    #[serde(default)]
    pub blocker_codes: Vec<FinaliseBlocker>,
}

/// One reason a round cannot be finalised: a stable code (`blocker.*`, see `rules::Blocker`), its
/// parameters (`product_id` and `product` for a product's reasons) and the message in the caller's
/// language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FinaliseBlocker {
    pub code: String,
    pub params: BTreeMap<String, String>,
    pub message: String,
}

impl FinaliseBlocker {
    pub fn new(b: &Blocker, lang: crate::Lang) -> FinaliseBlocker {
        FinaliseBlocker {
            code: b.code().into(),
            params: b
                .params()
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
            message: b.message(lang),
        }
    }

    /// The message worded again in `lang` from the code and parameters.
    fn reworded(mut self, lang: crate::Lang) -> FinaliseBlocker {
        if let Some(m) = crate::rules::msg::ALL.iter().find(|m| m.code == self.code) {
            let mut text = m.text(lang).to_string();
            for (k, v) in &self.params {
                text = text.replace(&format!("{{{k}}}"), v);
            }
            self.message = text;
        }
        self
    }
}

impl RoundResults {
    /// Results with the gate's reasons worded in `lang`.
    pub fn new(
        round: Round,
        products: Vec<ProductLine>,
        blockers: &[Blocker],
        lang: crate::Lang,
    ) -> RoundResults {
        let blocker_codes: Vec<FinaliseBlocker> = blockers
            .iter()
            .map(|b| FinaliseBlocker::new(b, lang))
            .collect();
        RoundResults {
            round,
            products,
            blockers: blocker_codes.iter().map(|b| b.message.clone()).collect(),
            blocker_codes,
        }
    }

    /// The same results with the reasons worded in `lang`.
    pub fn in_lang(self, lang: crate::Lang) -> RoundResults {
        let blocker_codes: Vec<FinaliseBlocker> = self
            .blocker_codes
            .into_iter()
            .map(|b| b.reworded(lang))
            .collect();
        RoundResults {
            blockers: blocker_codes.iter().map(|b| b.message.clone()).collect(),
            blocker_codes,
            ..self
        }
    }
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditEntry {
    #[ts(type = "number")]
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    /// The changed fields before and after, as JSON (usually an object: field → value); entries
    /// from the first releases hold a short text, which reads as a JSON string.
    #[ts(type = "unknown")]
    pub before: Option<serde_json::Value>,
    #[ts(type = "unknown")]
    pub after: Option<serde_json::Value>,
    /// The round the change belongs to, if any.
    #[serde(default)]
    pub round_id: Option<String>,
    pub hash: String,
}

/// Which audit entries to list (all conditions together); newest first.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditFilter {
    /// Entries that belong to this round: its own, and those of its roster, dossiers, recusals,
    /// sheets and results.
    #[serde(default)]
    #[ts(optional)]
    pub round_id: Option<String>,
    /// Entries about this kind of record: `round`, `score_sheet`, `dossier`, `product`, `person`,
    /// `owner`, `setting`, `import`.
    #[serde(default)]
    #[ts(optional)]
    pub entity: Option<String>,
    /// Entries about this record.
    #[serde(default)]
    #[ts(optional)]
    pub entity_id: Option<String>,
    /// Only entries older than this one (the next page).
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub before_seq: Option<i64>,
    /// At most this many (500 when absent).
    #[serde(default)]
    #[ts(optional)]
    pub limit: Option<u32>,
}

impl AuditFilter {
    /// The newest `limit` entries.
    pub fn latest(limit: u32) -> AuditFilter {
        AuditFilter {
            limit: Some(limit),
            ..Default::default()
        }
    }

    /// The newest `limit` entries about one record.
    pub fn of(entity_id: &str, limit: u32) -> AuditFilter {
        AuditFilter {
            entity_id: Some(entity_id.to_string()),
            limit: Some(limit),
            ..Default::default()
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditVerdict {
    pub ok: bool,
    #[ts(type = "number")]
    pub entries: i64,
    /// The first entry whose hash does not match, if any.
    #[ts(type = "number | null")]
    pub first_bad_seq: Option<i64>,
    /// `audit.intact` or `audit.broken`.
    #[serde(default)]
    pub code: String,
    pub message: String,
}

impl AuditVerdict {
    pub fn new(entries: i64, first_bad_seq: Option<i64>, lang: crate::Lang) -> AuditVerdict {
        let e = match first_bad_seq {
            None => crate::store::audit::msg::INTACT.with("entries", entries),
            Some(seq) => crate::store::audit::msg::BROKEN.with("seq", seq),
        };
        AuditVerdict {
            ok: first_bad_seq.is_none(),
            entries,
            first_bad_seq,
            code: e.code().into(),
            message: e.message(lang),
        }
    }

    /// The same verdict worded in `lang`.
    pub fn in_lang(self, lang: crate::Lang) -> AuditVerdict {
        AuditVerdict::new(self.entries, self.first_bad_seq, lang)
    }

    /// The verdict as an error when the chain is broken.
    pub fn into_result(self) -> crate::Result<AuditVerdict> {
        match self.first_bad_seq {
            Some(seq) => Err(crate::store::audit::msg::BROKEN.with("seq", seq)),
            None => Ok(self),
        }
    }
}

/// Filters for list screens; text search is diacritic-insensitive.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ListFilter {
    #[serde(default)]
    #[ts(optional)]
    pub query: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub set_code: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub commune: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub status: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub star: Option<u8>,
    #[serde(default)]
    #[ts(optional)]
    pub limit: Option<u32>,
}
