//! The office: who issues the papers (settings), its Ed25519 signing keys, the certificates it
//! issues and their signed QR payloads, verified offline. This module holds the types the UI and
//! the CLI see; `payload` signs and verifies (pure), `sealing` keeps the private key under the
//! office's passphrase (pure), and `store::office` keeps all of it in the database.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;

pub mod compact;
pub mod payload;
pub mod sealing;

pub use payload::{key_id, sign_claim, sign_qr, verify_payload};

pub mod msg {
    crate::messages! {
        OFFICE_INCOMPLETE = "office.incomplete" {
            vi: "Chưa khai báo thông tin cơ quan (Cài đặt): {missing}",
            en: "The office details are incomplete (Settings): {missing}",
        }
        KEY_CORRUPT = "office.key_corrupt" {
            vi: "Khóa ký của cơ quan bị hỏng",
            en: "The office signing key is damaged",
        }
        NO_KEY = "office.no_key" {
            vi: "Cơ quan chưa có khóa ký giấy chứng nhận: hãy tạo khóa và đặt cụm mật khẩu trong Cài đặt",
            en: "The office has no key to sign certificates yet: create it and choose its passphrase in Settings",
        }
        KEY_EXISTS = "office.key_exists" {
            vi: "Cơ quan đã có khóa ký (mã {fingerprint}); khóa không bị thay. Muốn dùng khóa mới, hãy chọn \"Tạo khóa mới\"",
            en: "The office already has a signing key ({fingerprint}); it was not replaced. For a new key, use \"New key\"",
        }
        KEY_UNPROTECTED = "office.key_unprotected" {
            vi: "Khóa ký của cơ quan chưa được bảo vệ bằng cụm mật khẩu: hãy đặt cụm mật khẩu trong Cài đặt trước khi ký giấy chứng nhận",
            en: "The office signing key is not protected by a passphrase yet: choose one in Settings before signing certificates",
        }
        KEY_CHANGED = "office.key_changed" {
            vi: "Khóa ký của cơ quan vừa được thay đổi ở nơi khác; hãy thử lại",
            en: "The office signing key was just changed elsewhere; please try again",
        }
        PASSPHRASE_REQUIRED = "office.passphrase_required" {
            vi: "Cần cụm mật khẩu của cơ quan để ký giấy chứng nhận",
            en: "The office passphrase is needed to sign certificates",
        }
        PASSPHRASE_WRONG = "office.passphrase_wrong" {
            vi: "Cụm mật khẩu của cơ quan không đúng",
            en: "The office passphrase is wrong",
        }
        PASSPHRASE_TOO_SHORT = "office.passphrase_too_short" {
            vi: "Cụm mật khẩu cần ít nhất {min} ký tự",
            en: "The passphrase needs at least {min} characters",
        }
        PUBLIC_KEY_FORMAT = "key.format" {
            vi: "Khóa công khai phải là 64 chữ số thập lục phân",
            en: "A public key is 64 hexadecimal digits",
        }
        PUBLIC_KEY_INVALID = "key.invalid" {
            vi: "Khóa công khai không hợp lệ",
            en: "The public key is not valid",
        }
        KEY_NAME_MISSING = "key.name_missing" {
            vi: "Chưa nhập tên cơ quan của khóa",
            en: "The name of the key's office is missing",
        }
        KEY_ALREADY_TRUSTED = "key.already_trusted" {
            vi: "Khóa {fingerprint} đã có trong danh sách tin cậy ({name})",
            en: "Key {fingerprint} is already trusted ({name})",
        }
        KEY_IS_OWN = "key.own" {
            vi: "Khóa {fingerprint} là khóa của chính cơ quan này",
            en: "Key {fingerprint} is this office's own key",
        }
        TRUSTED_MALFORMED = "key.trusted_malformed" {
            vi: "Danh sách khóa tin cậy đã lưu có mục số {entry} không đọc được ({detail}); không mục nào bị bỏ. Hãy liên hệ bộ phận hỗ trợ",
            en: "Entry {entry} of the stored trusted keys cannot be read ({detail}); none was dropped. Please contact support",
        }
        RECOGNITION_NOT_FINALISED = "recognition.not_finalised" {
            vi: "Chỉ ra quyết định công nhận cho đợt đã kết thúc",
            en: "A recognition decision is issued only for a finalised round",
        }
        CERTIFICATE_INVALID = "certificate.invalid" {
            vi: "Giấy chứng nhận không hợp lệ: {reason}",
            en: "The certificate is not valid: {reason}",
        }
        DATE_OUT_OF_RANGE = "input.date_out_of_range" {
            vi: "Ngày ngoài phạm vi",
            en: "The date is out of range",
        }
        VERIFY_VALID = "verify.valid" {
            vi: "Giấy chứng nhận hợp lệ, do {issuer} cấp.",
            en: "The certificate is valid, issued by {issuer}.",
        }
        VERIFY_EXPIRED = "verify.expired" {
            vi: "Chữ ký hợp lệ ({issuer}), nhưng giấy chứng nhận đã hết hiệu lực từ {until}.",
            en: "The signature is valid ({issuer}), but the certificate expired on {until}.",
        }
        VERIFY_REVOKED = "verify.revoked" {
            vi: "Giấy chứng nhận đã bị thu hồi ngày {on} (Quyết định {decision}). Lý do: {reason}.",
            en: "The certificate was revoked on {on} (decision {decision}). Reason: {reason}.",
        }
        VERIFY_FORMAT = "verify.format" {
            vi: "Không phải mã xác thực giấy chứng nhận OCOP (sai định dạng).",
            en: "This is not an OCOP certificate code (wrong format).",
        }
        VERIFY_BODY_UNREADABLE = "verify.body_unreadable" {
            vi: "Mã xác thực bị hỏng (phần nội dung không đọc được).",
            en: "The code is damaged (its content cannot be read).",
        }
        VERIFY_BODY_INVALID = "verify.body_invalid" {
            vi: "Mã xác thực bị hỏng (nội dung không đúng cấu trúc).",
            en: "The code is damaged (its content has the wrong structure).",
        }
        VERIFY_SIGNATURE_UNREADABLE = "verify.signature_unreadable" {
            vi: "Mã xác thực bị hỏng (chữ ký không đọc được).",
            en: "The code is damaged (its signature cannot be read).",
        }
        VERIFY_UNTRUSTED = "verify.untrusted_key" {
            vi: "Chữ ký của một cơ quan chưa được tin cậy (khóa {key}). Hãy nhập khóa công khai của cơ quan cấp.",
            en: "Signed by an office that is not trusted here (key {key}). Add the issuing office's public key.",
        }
        VERIFY_NUMBER_UNKNOWN = "verify.number_unknown" {
            vi: "Không tìm thấy giấy chứng nhận số {number} có mã ký số trong dữ liệu của cơ quan. Hãy quét hoặc dán mã QR in trên giấy chứng nhận.",
            en: "No certificate numbered {number} with a signed code is in this office's records. Scan or paste the QR code printed on the certificate.",
        }
        VERIFY_MISMATCH = "verify.signature_mismatch" {
            vi: "CHỮ KÝ KHÔNG KHỚP: nội dung đã bị sửa đổi hoặc không do cơ quan này cấp.",
            en: "THE SIGNATURE DOES NOT MATCH: the content was changed or not issued by this office.",
        }
    }
}

/// A signature block as printed.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SignerSettings {
    /// "KT. CHỦ TỊCH", "TM. HỘI ĐỒNG" or empty.
    #[serde(default)]
    pub sign_for: String,
    /// "PHÓ CHỦ TỊCH", "CHỦ TỊCH HỘI ĐỒNG".
    pub title: String,
    pub name: String,
}

/// Who issues the papers. Set once per office (Cài đặt).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct OfficeSettings {
    /// "Thanh Hóa"
    pub province: String,
    /// Place on date lines: "Thanh Hóa".
    pub place: String,
    /// The People's Committee that recognises: "ỦY BAN NHÂN DÂN TỈNH THANH HÓA".
    pub people_committee: String,
    /// Its authority line in decisions: "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH THANH HÓA".
    pub authority: String,
    /// "UBND TỈNH THANH HÓA", printed above the council's name.
    pub council_parent: String,
    /// "HỘI ĐỒNG ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP TỈNH THANH HÓA".
    pub council_name: String,
    /// The standing body that hands over certificates: "Sở Nông nghiệp và Môi trường".
    pub standing_body: String,
    /// Symbol of decision numbers: "QĐ-UBND".
    pub decision_symbol: String,
    /// The next decision number to allocate.
    pub next_decision_no: u32,
    /// Who signs recognition decisions and certificates.
    pub decision_signer: SignerSettings,
}

impl OfficeSettings {
    /// The fields a paper cannot be printed without, by their Vietnamese labels.
    pub fn missing(&self) -> Vec<&'static str> {
        let mut m = Vec::new();
        for (v, label) in [
            (&self.province, "tỉnh/thành phố"),
            (&self.place, "địa danh ghi ngày"),
            (&self.people_committee, "tên UBND"),
            (&self.council_name, "tên Hội đồng"),
            (&self.decision_symbol, "ký hiệu quyết định"),
            (&self.decision_signer.name, "người ký quyết định"),
        ] {
            if v.trim().is_empty() {
                m.push(label);
            }
        }
        m
    }

    pub fn require_complete(&self) -> Result<()> {
        let m = self.missing();
        if m.is_empty() {
            Ok(())
        } else {
            Err(msg::OFFICE_INCOMPLETE.with("missing", m.join(", ")))
        }
    }
}

/// What a certificate's QR carries (compact field names keep the QR small). An `OCOP1` payload
/// carries every field; an `OCOP2` one (`v` = 2) carries the key, number, product, owner, star and
/// dates, names perhaps shortened, and the hash binding the full record: the other fields are
/// empty unless this office holds the record the hash names.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CertificateClaim {
    /// Format version.
    pub v: u32,
    /// Id of the signing key (first 16 hex digits of the SHA-256 of the public key).
    pub k: String,
    /// Certificate number.
    pub n: String,
    /// Product name.
    pub p: String,
    /// Owner.
    pub o: String,
    /// Star.
    pub s: u8,
    /// Product code.
    pub c: String,
    /// Recognition decision number and date (ISO).
    pub d: String,
    pub dd: String,
    /// Issued on and valid until (ISO).
    pub i: String,
    pub u: String,
    /// Issuing body.
    pub b: String,
    /// `OCOP2`: the hash binding the full record (32 hex digits); empty for `OCOP1`.
    #[serde(default)]
    pub h: String,
    /// `OCOP2`: the product's name was shortened to fit the code (and no full record is here).
    #[serde(default)]
    pub product_shortened: bool,
    /// `OCOP2`: the owner's name was shortened to fit the code (and no full record is here).
    #[serde(default)]
    pub owner_shortened: bool,
}

/// The result of checking a payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Verification {
    /// The signature matches a trusted key and the payload is unchanged.
    pub valid: bool,
    /// What the check found, as a code of the catalogue (`verify.valid`, `verify.expired`,
    /// `verify.revoked`, `verify.untrusted_key`, `verify.signature_mismatch`, `verify.format`…).
    pub code: String,
    /// The code's parameters (`issuer`, `until`, `on`, `key`).
    pub params: BTreeMap<String, String>,
    /// The code worded in the language the caller asked for.
    pub message: String,
    pub claim: Option<CertificateClaim>,
    /// The certificate's validity has ended (as of today).
    pub expired: bool,
    /// Revoked in this office's records.
    pub revoked: bool,
    /// Name of the office whose key signed it, when known.
    pub signed_by: Option<String>,
    /// For an `OCOP2` code: `Some(true)` when this office holds the full record its hash names
    /// (issued here or received in a bundle), whose fields the claim then shows; `Some(false)` when
    /// a record with that number is here but is not the one the code names; `None` when no record
    /// with that number is here (the code alone was checked).
    #[serde(default)]
    pub record_matches: Option<bool>,
    /// The text checked was a certificate number typed in, and the verdict is that of the signed
    /// record this office keeps under it.
    #[serde(default)]
    pub from_records: bool,
}

/// A key this office trusts: its own (current or retired), or another office's, imported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TrustedKey {
    /// The fingerprint (kept under this name for the first release's readers).
    pub id: String,
    pub name: String,
    /// Hex of the 32-byte Ed25519 public key.
    pub public_key: String,
    /// First 16 hex digits of the SHA-256 of the public key; certificates name their key by it.
    pub fingerprint: String,
    /// One of this office's own keys.
    pub own: bool,
    /// When and by whom it was added (created, for an own key).
    pub added_at: String,
    pub added_by: String,
    /// An own key replaced by a newer one: it no longer signs, its certificates still verify.
    pub retired_at: Option<String>,
}

impl TrustedKey {
    /// Another office's key.
    pub fn other(
        fingerprint: String,
        name: String,
        public_key: String,
        added_at: String,
        added_by: String,
    ) -> TrustedKey {
        TrustedKey {
            id: fingerprint.clone(),
            name,
            public_key,
            fingerprint,
            own: false,
            added_at,
            added_by,
            retired_at: None,
        }
    }
}

/// One of this office's signing keys, as the Settings screen and `ocop office show` report it.
/// The private key never leaves the store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OfficeKey {
    /// The fingerprint (named `id` as in the first release's `ocop office show`).
    pub id: String,
    /// The issuing body's name, as verifiers show it.
    pub name: String,
    /// Hex of the 32-byte Ed25519 public key, to give to other offices.
    pub public_key: String,
    pub fingerprint: String,
    /// Sealed under the office's passphrase. A key from before passphrases is not, and cannot sign
    /// until the office chooses one.
    pub protected: bool,
    pub created_at: String,
    pub created_by: String,
    /// Replaced by a newer key: it signs no more, its certificates still verify.
    pub retired_at: Option<String>,
    pub retired_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Certificate {
    pub id: String,
    pub number: String,
    pub product_id: String,
    pub product_name: String,
    pub owner_name: String,
    pub star: u8,
    pub score: f64,
    pub issued_on: String,
    pub valid_until: String,
    /// The full signed record (`OCOP1.…`).
    pub payload: String,
    /// The text its printed QR code carries: the compact `OCOP2:…` code, or `payload` for a
    /// certificate issued before the compact code existed.
    pub qr: String,
    pub revoked_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Recognition {
    pub id: String,
    pub round_id: String,
    pub number: String,
    pub date: String,
    pub signer: SignerSettings,
    pub certificates: Vec<Certificate>,
}

/// Months a certificate stays valid.
pub const VALIDITY_MONTHS: u32 = 36;
