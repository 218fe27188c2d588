//! Exchange bundles between OCOP offices (format v1, `assets/criteria/BUNDLE.md`): a zip laid out
//! as a BagIt bag, records as JSON Lines, attachments by SHA-256, a minisign signature over the
//! tag manifest. Pure: this module writes and reads bundle bytes and checks every hash and the
//! signature; what is selected, trusted and written is `store::exchange`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

pub mod bag;
pub mod member;
pub mod records;
pub mod sign;

pub use bag::{read_bundle, read_bundle_with, write_bundle, Bundle, Limits};

/// The context every bundle signature carries (trusted comment and `bag-info.txt`): a
/// certificate's signed text starts with `OCOP1.`, a bundle's with this.
pub const CONTEXT: &str = "ocop-bundle-v1";
/// The bundle schema this build writes and the newest it reads.
pub const SCHEMA_VERSION: u32 = 1;
/// The format of each record line.
pub const RECORD_FORMAT: u32 = 1;

pub mod msg {
    crate::messages! {
        UNREADABLE = "bundle.unreadable" {
            vi: "Không đọc được gói trao đổi (tệp hỏng hoặc bị cắt cụt): {detail}",
            en: "The exchange bundle cannot be read (damaged or truncated file): {detail}",
        }
        TOO_LARGE = "bundle.too_large" {
            vi: "Gói trao đổi lớn hơn giới hạn {limit} byte khi giải nén; không nhập",
            en: "The exchange bundle is larger than the limit of {limit} bytes uncompressed; not imported",
        }
        TOO_MANY_ENTRIES = "bundle.too_many_entries" {
            vi: "Gói trao đổi có quá nhiều tệp (giới hạn {limit})",
            en: "The exchange bundle holds too many files (limit {limit})",
        }
        RATIO = "bundle.ratio" {
            vi: "Tệp {name} trong gói nén quá mức (nghi là bom nén); không nhập",
            en: "File {name} in the bundle is compressed beyond reason (a zip bomb?); not imported",
        }
        BAD_PATH = "bundle.bad_path" {
            vi: "Gói có đường dẫn không hợp lệ hoặc ra ngoài gói: {name}",
            en: "The bundle holds an invalid path or one outside the bag: {name}",
        }
        DUPLICATE = "bundle.duplicate" {
            vi: "Gói có tệp trùng tên: {name}",
            en: "The bundle holds the same file twice: {name}",
        }
        MISSING_FILE = "bundle.missing_file" {
            vi: "Gói thiếu tệp {name}",
            en: "The bundle lacks the file {name}",
        }
        EXTRA_FILE = "bundle.extra_file" {
            vi: "Gói có tệp không được liệt kê: {name}",
            en: "The bundle holds a file that is not listed: {name}",
        }
        NOT_CANONICAL = "bundle.not_canonical" {
            vi: "Cấu trúc tệp zip của gói đã bị sửa (byte {offset}); không nhập",
            en: "The bundle's zip structure was altered (byte {offset}); not imported",
        }
        FETCH = "bundle.fetch" {
            vi: "Gói có tệp fetch.txt (tải dữ liệu từ nơi khác); không được phép",
            en: "The bundle holds fetch.txt (data fetched from elsewhere); not allowed",
        }
        HASH_MISMATCH = "bundle.hash_mismatch" {
            vi: "Nội dung tệp {name} không khớp mã băm đã ký; gói đã bị sửa hoặc hỏng",
            en: "The content of {name} does not match its signed hash; the bundle was altered or damaged",
        }
        BAD_SIGNATURE = "bundle.bad_signature" {
            vi: "Chữ ký của gói trao đổi không hợp lệ; gói đã bị sửa hoặc không phải của cơ quan ghi trong gói",
            en: "The bundle's signature is not valid; it was altered or is not from the office it names",
        }
        CONTEXT_MISMATCH = "bundle.context" {
            vi: "Chữ ký không phải chữ ký của gói trao đổi OCOP ({detail})",
            en: "The signature is not that of an OCOP exchange bundle ({detail})",
        }
        BAG_INFO = "bundle.bag_info" {
            vi: "Thông tin gói (bag-info.txt) không hợp lệ: {detail}",
            en: "The bundle's bag-info.txt is not valid: {detail}",
        }
        SCHEMA_NEWER = "bundle.schema_newer" {
            vi: "Gói được tạo theo phiên bản {found}, mới hơn phiên bản {supported} mà ứng dụng này đọc được; hãy cập nhật ứng dụng",
            en: "The bundle is of schema version {found}, newer than the version {supported} this app reads; please update the app",
        }
        BAD_RECORD = "bundle.bad_record" {
            vi: "Bản ghi dòng {line} của {name} không hợp lệ: {detail}",
            en: "Record on line {line} of {name} is not valid: {detail}",
        }
        VERSION_MISMATCH = "bundle.version_mismatch" {
            vi: "Mã phiên bản của bản ghi {entity} {id} không khớp nội dung",
            en: "The version hash of record {entity} {id} does not match its content",
        }
        DUPLICATE_RECORD = "bundle.duplicate_record" {
            vi: "Bản ghi {entity} {id} xuất hiện hai lần trong gói",
            en: "Record {entity} {id} appears twice in the bundle",
        }
        COUNT_MISMATCH = "bundle.count_mismatch" {
            vi: "Số bản ghi {entity} trong gói ({found}) khác số đã khai ({declared})",
            en: "The bundle holds {found} records of {entity}, not the {declared} it declares",
        }
        MEMBER_ONLY = "bundle.member_only" {
            vi: "Gói câu trả lời của thành viên chỉ được tạo từ trang chấm của thành viên trong phòng chấm",
            en: "A member's answers file is made only by the member's page in the council room",
        }
        MEMBER_KEY_UNKNOWN = "bundle.member_key_unknown" {
            vi: "Tệp không được ký bằng khóa của thiết bị nào đã ghép trong phòng chấm của cơ quan này",
            en: "The file is not signed with the key of any device paired in this office's council room",
        }
        UNKNOWN_PURPOSE = "bundle.unknown_purpose" {
            vi: "Mục đích trao đổi '{purpose}' không có ({known})",
            en: "Unknown exchange purpose '{purpose}' ({known})",
        }
        UNTRUSTED = "bundle.untrusted" {
            vi: "Gói của {office} (khóa {fingerprint}) chưa được tin cậy. Hãy đối chiếu mã khóa với cơ quan gửi, rồi nhập lại và chọn tin cậy (--trust)",
            en: "The bundle from {office} (key {fingerprint}) is not trusted yet. Check the fingerprint with the sending office, then import again choosing to trust it (--trust)",
        }
        OWN = "bundle.own" {
            vi: "Gói này do chính cơ quan này tạo (khóa {fingerprint}); không nhập",
            en: "This bundle was made by this office (key {fingerprint}); not imported",
        }
        KEY_NAME_CLASH = "bundle.key_mismatch" {
            vi: "Khóa {fingerprint} của gói đã được tin cậy với khóa công khai khác; không nhập",
            en: "Key {fingerprint} of the bundle is trusted with a different public key; not imported",
        }
        NOTHING = "bundle.nothing" {
            vi: "Không có hồ sơ nào phù hợp để đưa vào gói ({purpose})",
            en: "Nothing matches for this bundle ({purpose})",
        }
        NEEDS_SELECTION = "bundle.needs_selection" {
            vi: "Hãy chọn một đợt đánh giá hoặc các sản phẩm cần gửi",
            en: "Choose a round or the products to send",
        }
        NOT_ELIGIBLE = "bundle.not_eligible" {
            vi: "Sản phẩm {product} không thuộc diện gửi theo mục đích {purpose}",
            en: "Product {product} does not qualify for {purpose}",
        }
        MISSING_REFERENCE = "bundle.missing_reference" {
            vi: "Bản ghi {entity} {id} tham chiếu {target} {target_id} không có trong gói cũng như ở đây",
            en: "Record {entity} {id} refers to {target} {target_id}, found neither in the bundle nor here",
        }
        SHEET_HASH = "bundle.sheet_hash" {
            vi: "Phiếu tiêu chí {id} trong gói không khớp mã băm của nó",
            en: "Criteria sheet {id} in the bundle does not match its hash",
        }
        CONFLICT_NOT_FOUND = "bundle.conflict_not_found" {
            vi: "Không tìm thấy xung đột {id}",
            en: "No conflict {id}",
        }
        CONFLICT_SETTLED = "bundle.conflict_settled" {
            vi: "Xung đột này đã được xử lý ngày {date}",
            en: "This conflict was already settled on {date}",
        }
        ALREADY_IMPORTED = "bundle.already_imported" {
            vi: "Gói {bundle} đã được nhập trước đây ({at}); không có gì thay đổi",
            en: "Bundle {bundle} was already imported ({at}); nothing changed",
        }
        CONFLICTS = "bundle.conflicts" {
            vi: "{count} bản ghi đã được sửa ở cả hai nơi; bản ở đây được giữ nguyên và bản trong gói được lưu lại để đối chiếu",
            en: "{count} records were edited at both ends; the copies here were kept and the bundle's were saved for review",
        }
        MEMBER_STALE = "bundle.member_stale" {
            vi: "{count} thay đổi trong tệp không được ghi vì phiếu đã được sửa hoặc ký sau đó; xem danh sách",
            en: "{count} changes of the file were not applied because the sheet was changed or signed since; see the list",
        }
        OUT_WRITE = "bundle.write" {
            vi: "Không ghi được gói trao đổi: {detail}",
            en: "The exchange bundle could not be written: {detail}",
        }
    }
}

/// Why a bundle travels; it decides what is selected (`store::exchange`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Purpose {
    /// Dossiers with their attachments and the commune's pre-assessment (QĐ 26/2026 Điều 7.2).
    CommuneToProvince,
    /// Under QĐ 148: products of 70 points or more, with their dossiers, sheets and results.
    DistrictToProvince,
    /// Products with a mean of 90 or more, with their dossiers, sheets and results.
    ProvinceToCentre,
    /// The centre's results.
    CentreToProvince,
    /// Recognition decisions and certificates.
    DecisionsToCommune,
    /// This office's signed revocation list.
    Revocations,
    /// A council member's unsent changes from the council room's page, signed with the key their
    /// pairing received (the fallback when the Wi-Fi is gone; made by the member page only).
    MemberAnswers,
}

impl Purpose {
    pub const ALL: [Purpose; 7] = [
        Purpose::CommuneToProvince,
        Purpose::DistrictToProvince,
        Purpose::ProvinceToCentre,
        Purpose::CentreToProvince,
        Purpose::DecisionsToCommune,
        Purpose::Revocations,
        Purpose::MemberAnswers,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::CommuneToProvince => "commune_to_province",
            Purpose::DistrictToProvince => "district_to_province",
            Purpose::ProvinceToCentre => "province_to_centre",
            Purpose::CentreToProvince => "centre_to_province",
            Purpose::DecisionsToCommune => "decisions_to_commune",
            Purpose::Revocations => "revocations",
            Purpose::MemberAnswers => "member_answers",
        }
    }

    pub fn parse(s: &str) -> crate::Result<Purpose> {
        Purpose::ALL
            .into_iter()
            .find(|p| p.as_str() == s.trim())
            .ok_or_else(|| {
                msg::UNKNOWN_PURPOSE
                    .with("purpose", s)
                    .with("known", Purpose::ALL.map(|p| p.as_str()).join(", "))
            })
    }
}

/// `bag-info.txt`: who sent the bundle, when, why, and what it holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BagInfo {
    pub bundle_uuid: String,
    pub sender_office: String,
    /// The office key's fingerprint (16 hex digits, as `office show` prints it).
    pub sender_key_fingerprint: String,
    /// The office key (64 hex digits).
    pub sender_public_key: String,
    /// RFC 3339, UTC.
    pub created: String,
    pub schema_version: u32,
    pub purpose: Purpose,
    /// Records per entity.
    pub counts: BTreeMap<String, u32>,
    pub attachments: u32,
}

/// One line of `data/records/<entity>.jsonl`: a record's identity, its version (the SHA-256 of
/// the canonical JSON of `data`) and the version it supersedes (ODK's `instanceID` /
/// `deprecatedID`), `null` when the sender never exchanged an earlier one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub format: u32,
    pub id: String,
    pub version: String,
    pub supersedes: Option<String>,
    pub data: serde_json::Value,
}

/// The canonical JSON of a value: object keys sorted, no spaces (serde_json's map is ordered by
/// key), and its SHA-256 in hex: a record's version.
pub fn version_of(data: &serde_json::Value) -> String {
    hex::encode(Sha256::digest(data.to_string().as_bytes()))
}

impl Record {
    pub fn new(id: String, data: serde_json::Value, supersedes: Option<String>) -> Record {
        Record {
            format: RECORD_FORMAT,
            id,
            version: version_of(&data),
            supersedes,
            data,
        }
    }
}

/// What a bundle is made of, before it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct BundleDraft {
    pub info: BagInfo,
    /// Records per entity, in the order they are applied.
    pub records: BTreeMap<String, Vec<Record>>,
    /// Attachments by SHA-256 (hex).
    pub attachments: BTreeMap<String, Vec<u8>>,
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// What an import does with one incoming record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PlanAction {
    /// Not here yet: added.
    New,
    /// Here in the version the incoming one supersedes (or as received before and not edited
    /// here since): replaced.
    Updated,
    /// Here in this version already (or this version was seen before): left alone.
    Unchanged,
    /// Edited here since the last exchange and at the sender too: the copy here is kept, the
    /// incoming one is saved apart (`exchange_conflict`) and shown.
    Conflict,
}

/// One incoming record in a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanRecord {
    pub entity: String,
    pub id: String,
    /// A name to show (the owner's, the product's, the round's, the certificate's number…).
    pub label: String,
    pub action: PlanAction,
    pub version: String,
    pub supersedes: Option<String>,
    /// The version here, when the record is here.
    pub local_version: Option<String>,
}

/// A plan's counts for one entity.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EntityCounts {
    pub entity: String,
    pub new: u32,
    pub updated: u32,
    pub unchanged: u32,
    pub conflict: u32,
}

/// What a bundle holds and what importing it would do (`inspect`, `import --dry-run`), or did
/// (`import`, `applied: true`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BundlePlan {
    pub format: u32,
    pub file: String,
    pub info: BagInfo,
    /// The sender's key is in this office's trusted list.
    pub trusted: bool,
    /// The public key for `minisign -V -P …`.
    pub minisign_public_key: String,
    /// When this bundle was imported here before, if it was: importing again changes nothing.
    pub already_imported: Option<String>,
    pub applied: bool,
    /// The sender's key was trusted by this import (trust on first use).
    pub trusted_now: bool,
    pub entities: Vec<EntityCounts>,
    pub records: Vec<PlanRecord>,
    pub conflicts: u32,
    /// A sentence for the user (already imported, conflicts kept apart), in their language.
    pub notice: Option<String>,
}

/// How a conflict is settled: keep the copy here, or take the incoming one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ConflictResolution {
    KeptLocal,
    TookIncoming,
}

impl ConflictResolution {
    pub fn as_str(self) -> &'static str {
        match self {
            ConflictResolution::KeptLocal => "kept_local",
            ConflictResolution::TookIncoming => "took_incoming",
        }
    }

    pub fn parse(s: &str) -> Option<ConflictResolution> {
        [
            ConflictResolution::KeptLocal,
            ConflictResolution::TookIncoming,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }
}

/// A record edited here and at a sender since their last exchange, kept apart at import: the
/// copy here stayed, the incoming one waits for the user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExchangeConflict {
    pub format: u32,
    pub id: String,
    pub bundle_id: String,
    /// The office that sent it.
    pub office: String,
    pub entity: String,
    pub record_id: String,
    pub label: String,
    pub local_version: String,
    pub incoming_version: String,
    /// When it came (RFC 3339).
    pub at: String,
    pub resolved_at: Option<String>,
    pub resolution: Option<ConflictResolution>,
}

/// What to export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportRequest {
    pub round: Option<String>,
    #[serde(default)]
    pub products: Vec<String>,
    pub purpose: Purpose,
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportSummary {
    pub format: u32,
    pub file: String,
    pub info: BagInfo,
    #[ts(type = "number")]
    pub bytes: u64,
    pub minisign_public_key: String,
}
