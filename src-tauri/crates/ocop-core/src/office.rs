//! The office: who issues the papers (settings), its Ed25519 signing key, the certificates it
//! issues and their signed QR payloads, verified offline.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use chrono::{Months, NaiveDate};
use ed25519_dalek::{Signature, Signer as _, SigningKey, Verifier, VerifyingKey};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::error::{CoreError, Result};
use crate::model::RoundStatus;
use crate::store::{new_id, now, Store};

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
        PUBLIC_KEY_FORMAT = "key.format" {
            vi: "Khóa công khai phải là 64 chữ số thập lục phân",
            en: "A public key is 64 hexadecimal digits",
        }
        PUBLIC_KEY_INVALID = "key.invalid" {
            vi: "Khóa công khai không hợp lệ",
            en: "The public key is not valid",
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

/// What a certificate's QR carries (compact field names keep the QR small).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
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
}

/// The result of checking a payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Verification {
    /// The signature matches a trusted key and the payload is unchanged.
    pub valid: bool,
    pub message: String,
    pub claim: Option<CertificateClaim>,
    /// The certificate's validity has ended (as of today).
    pub expired: bool,
    /// Revoked in this office's records.
    pub revoked: bool,
    /// Name of the office whose key signed it, when known.
    pub signed_by: Option<String>,
}

/// A key this office trusts (its own, or another office's, imported).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TrustedKey {
    pub id: String,
    pub name: String,
    /// Hex of the 32-byte Ed25519 public key.
    pub public_key: String,
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
    pub payload: String,
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

const PAYLOAD_PREFIX: &str = "OCOP1";
/// Months a certificate stays valid.
pub const VALIDITY_MONTHS: u32 = 36;

pub fn key_id(public: &VerifyingKey) -> String {
    hex::encode(Sha256::digest(public.as_bytes()))[..16].to_string()
}

/// Signs a claim: `OCOP1.<base64url(JSON)>.<base64url(signature)>`.
pub fn sign_claim(key: &SigningKey, claim: &CertificateClaim) -> String {
    let body = B64.encode(serde_json::to_vec(claim).expect("claim serialises"));
    let sig = key.sign(format!("{PAYLOAD_PREFIX}.{body}").as_bytes());
    format!("{PAYLOAD_PREFIX}.{body}.{}", B64.encode(sig.to_bytes()))
}

/// Checks a payload against the trusted keys. Never fails: a bad payload is an invalid verdict.
pub fn verify_payload(payload: &str, trusted: &[TrustedKey], today: NaiveDate) -> Verification {
    let bad = |m: &str| Verification {
        valid: false,
        message: m.into(),
        claim: None,
        expired: false,
        revoked: false,
        signed_by: None,
    };
    let payload = payload.trim();
    let parts: Vec<&str> = payload.split('.').collect();
    if parts.len() != 3 || parts[0] != PAYLOAD_PREFIX {
        return bad("Không phải mã xác thực giấy chứng nhận OCOP (sai định dạng).");
    }
    let Ok(body) = B64.decode(parts[1]) else {
        return bad("Mã xác thực bị hỏng (phần nội dung không đọc được).");
    };
    let Ok(claim) = serde_json::from_slice::<CertificateClaim>(&body) else {
        return bad("Mã xác thực bị hỏng (nội dung không đúng cấu trúc).");
    };
    let Some(sig) = B64
        .decode(parts[2])
        .ok()
        .and_then(|b| Signature::from_slice(&b).ok())
    else {
        return bad("Mã xác thực bị hỏng (chữ ký không đọc được).");
    };
    let Some(key) = trusted.iter().find(|k| k.id == claim.k) else {
        return Verification {
            valid: false,
            message: format!("Chữ ký của một cơ quan chưa được tin cậy (khóa {}). Hãy nhập khóa công khai của cơ quan cấp.", claim.k),
            claim: Some(claim),
            expired: false,
            revoked: false,
            signed_by: None,
        };
    };
    let vk = hex::decode(&key.public_key)
        .ok()
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .and_then(|b| VerifyingKey::from_bytes(&b).ok());
    let signed = format!("{PAYLOAD_PREFIX}.{}", parts[1]);
    let ok = vk.is_some_and(|vk| vk.verify(signed.as_bytes(), &sig).is_ok());
    if !ok {
        return Verification {
            valid: false,
            message: "CHỮ KÝ KHÔNG KHỚP: nội dung đã bị sửa đổi hoặc không do cơ quan này cấp."
                .into(),
            claim: Some(claim),
            expired: false,
            revoked: false,
            signed_by: Some(key.name.clone()),
        };
    }
    let expired = NaiveDate::parse_from_str(&claim.u, "%Y-%m-%d").is_ok_and(|u| u < today);
    Verification {
        valid: true,
        message: if expired {
            format!(
                "Chữ ký hợp lệ, nhưng giấy chứng nhận đã hết hiệu lực từ {}.",
                crate::text::dmy(&claim.u)
            )
        } else {
            format!("Giấy chứng nhận hợp lệ, do {} cấp.", key.name)
        },
        claim: Some(claim),
        expired,
        revoked: false,
        signed_by: Some(key.name.clone()),
    }
}

impl Store {
    fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM setting WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    fn put_setting(&self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO setting (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = ?2",
            params![key, value],
        )?;
        Ok(())
    }

    pub fn office(&self) -> Result<OfficeSettings> {
        Ok(self
            .setting("office")?
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_else(|| OfficeSettings {
                decision_symbol: "QĐ-UBND".into(),
                next_decision_no: 1,
                ..Default::default()
            }))
    }

    pub fn save_office(&mut self, actor: &str, o: &OfficeSettings) -> Result<OfficeSettings> {
        let body = serde_json::to_string(o).expect("office serialises");
        self.write(actor, |tx| {
            tx.execute(
                "INSERT INTO setting (key, value) VALUES ('office', ?1) ON CONFLICT(key) DO UPDATE SET value = ?1",
                [&body],
            )?;
            tx.audit("office.update", "setting", "office", None, Some(serde_json::to_value(o).expect("office serialises")))
        })?;
        self.office()
    }

    /// The office's signing key, generated on first use.
    pub fn signing_key(&self) -> Result<SigningKey> {
        if let Some(hex_seed) = self.setting("signing_key")? {
            let seed = hex::decode(hex_seed)
                .ok()
                .and_then(|b| <[u8; 32]>::try_from(b).ok())
                .ok_or_else(|| msg::KEY_CORRUPT.err())?;
            return Ok(SigningKey::from_bytes(&seed));
        }
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(CoreError::internal)?;
        self.put_setting("signing_key", &hex::encode(seed))?;
        Ok(SigningKey::from_bytes(&seed))
    }

    /// This office's public key, as other offices import it.
    pub fn own_key(&self) -> Result<TrustedKey> {
        let vk = self.signing_key()?.verifying_key();
        let office = self.office()?;
        let name = if office.people_committee.is_empty() {
            "Cơ quan này".to_string()
        } else {
            office.people_committee
        };
        Ok(TrustedKey {
            id: key_id(&vk),
            name,
            public_key: hex::encode(vk.as_bytes()),
        })
    }

    /// Keys trusted for verification: this office's own and imported ones.
    pub fn trusted_keys(&self) -> Result<Vec<TrustedKey>> {
        let mut keys = vec![self.own_key()?];
        if let Some(s) = self.setting("trusted_keys")? {
            keys.extend(serde_json::from_str::<Vec<TrustedKey>>(&s).unwrap_or_default());
        }
        Ok(keys)
    }

    pub fn trust_key(
        &mut self,
        actor: &str,
        name: &str,
        public_key_hex: &str,
    ) -> Result<TrustedKey> {
        let bytes = hex::decode(public_key_hex.trim())
            .ok()
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .ok_or_else(|| msg::PUBLIC_KEY_FORMAT.err())?;
        let vk = VerifyingKey::from_bytes(&bytes).map_err(|_| msg::PUBLIC_KEY_INVALID.err())?;
        let key = TrustedKey {
            id: key_id(&vk),
            name: crate::text::nfc(name.trim()),
            public_key: hex::encode(bytes),
        };
        let mut list: Vec<TrustedKey> = self
            .setting("trusted_keys")?
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default();
        list.retain(|k| k.id != key.id);
        list.push(key.clone());
        self.write(actor, |tx| {
            tx.execute(
                "INSERT INTO setting (key, value) VALUES ('trusted_keys', ?1) ON CONFLICT(key) DO UPDATE SET value = ?1",
                [serde_json::to_string(&list).expect("keys serialise")],
            )?;
            tx.audit("key.trust", "setting", &key.id, None, Some(serde_json::to_value(&key).expect("key serialises")))
        })?;
        Ok(key)
    }

    /// Verifies a scanned or pasted certificate payload, offline.
    pub fn verify_certificate(&self, payload: &str) -> Result<Verification> {
        let mut v = verify_payload(
            payload,
            &self.trusted_keys()?,
            chrono::Local::now().date_naive(),
        );
        if v.valid {
            let revoked: Option<Option<String>> = self
                .conn
                .query_row(
                    "SELECT revoked_on FROM certificate WHERE payload = ?1",
                    [payload.trim()],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(Some(on)) = revoked {
                v.revoked = true;
                v.valid = false;
                v.message = format!(
                    "Giấy chứng nhận đã bị thu hồi ngày {}.",
                    crate::text::dmy(&on)
                );
            }
        }
        Ok(v)
    }

    /// The recognition decision of a finalised round, with its certificates; `None` before it is issued.
    pub fn recognition(&self, round_id: &str) -> Result<Option<Recognition>> {
        let row: Option<(String, String, String, String)> = self
            .conn
            .query_row(
                "SELECT id, number, date, signer FROM recognition WHERE round_id = ?1",
                [round_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let Some((id, number, date, signer)) = row else {
            return Ok(None);
        };
        let mut stmt = self.conn.prepare(
            "SELECT c.id, c.number, c.product_id, p.name, o.name, c.star, c.score, c.issued_on, c.valid_until, c.payload, c.revoked_on
             FROM certificate c JOIN product p ON p.id = c.product_id JOIN owner o ON o.id = p.owner_id
             WHERE c.recognition_id = ?1 ORDER BY c.number",
        )?;
        let certificates = stmt
            .query_map([&id], |r| {
                Ok(Certificate {
                    id: r.get(0)?,
                    number: r.get(1)?,
                    product_id: r.get(2)?,
                    product_name: r.get(3)?,
                    owner_name: r.get(4)?,
                    star: r.get(5)?,
                    score: r.get(6)?,
                    issued_on: r.get(7)?,
                    valid_until: r.get(8)?,
                    payload: r.get(9)?,
                    revoked_on: r.get(10)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Some(Recognition {
            id,
            round_id: round_id.into(),
            number,
            date,
            signer: serde_json::from_str(&signer).unwrap_or_default(),
            certificates,
        }))
    }

    /// Issues the recognition decision of a finalised round: allocates the decision number from
    /// the office's sequence and a certificate (valid 36 months, signed QR payload) for each product
    /// this level may recognise. Issuing again returns the existing decision.
    pub fn issue_recognition(
        &mut self,
        actor: &str,
        round_id: &str,
        date: &str,
    ) -> Result<Recognition> {
        if let Some(r) = self.recognition(round_id)? {
            return Ok(r);
        }
        let round = self.round(round_id)?;
        if round.status != RoundStatus::Finalised {
            return Err(msg::RECOGNITION_NOT_FINALISED.err());
        }
        let office = self.office()?;
        office.require_complete()?;
        let day = NaiveDate::parse_from_str(date, "%Y-%m-%d")
            .map_err(|_| crate::error::msg::BAD_DATE.with("date", date))?;
        let until = day
            .checked_add_months(Months::new(VALIDITY_MONTHS))
            .ok_or_else(|| msg::DATE_OUT_OF_RANGE.err())?;
        let results = self.round_results(round_id)?;
        let key = self.signing_key()?;
        let kid = key_id(&key.verifying_key());
        let number = format!("{}/{}", office.next_decision_no, office.decision_symbol);
        let id = new_id();
        let t = now();
        let signer = serde_json::to_string(&office.decision_signer).expect("signer serialises");
        let recognised: Vec<_> = results
            .products
            .iter()
            .filter(|p| p.result.recognisable_here)
            .collect();
        self.write(actor, |tx| {
        tx.execute(
            "INSERT INTO recognition (id, round_id, number, date, signer, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, round_id, number, date, signer, t],
        )?;
        for (i, line) in recognised.iter().enumerate() {
            let star = line.result.star.expect("recognisable products have a star");
            let cert_no = format!("{}-{:02}", number, i + 1);
            let claim = CertificateClaim {
                v: 1,
                k: kid.clone(),
                n: cert_no.clone(),
                p: line.product_name.clone(),
                o: line.owner_name.clone(),
                s: star,
                c: line.product_code.clone(),
                d: number.clone(),
                dd: date.into(),
                i: date.into(),
                u: until.format("%Y-%m-%d").to_string(),
                b: office.people_committee.clone(),
            };
            tx.execute(
                "INSERT INTO certificate (id, recognition_id, product_id, number, star, score, issued_on, valid_until, payload, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    new_id(),
                    id,
                    line.product_id,
                    cert_no,
                    star,
                    line.result.mean_total.unwrap_or(0.0),
                    date,
                    claim.u,
                    sign_claim(&key, &claim),
                    t
                ],
            )?;
        }
        let next = OfficeSettings {
            next_decision_no: office.next_decision_no + 1,
            ..office
        };
        tx.execute(
            "INSERT INTO setting (key, value) VALUES ('office', ?1) ON CONFLICT(key) DO UPDATE SET value = ?1",
            [serde_json::to_string(&next).expect("office serialises")],
        )?;
        tx.audit(
            "recognition.issue",
            "round",
            round_id,
            None,
            Some(serde_json::json!({ "recognition_id": id, "number": number, "date": date, "certificates": recognised.len() })),
        )
        })?;
        Ok(self.recognition(round_id)?.expect("just issued"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(k: &str) -> CertificateClaim {
        CertificateClaim {
            v: 1,
            k: k.into(),
            n: "125/QĐ-UBND-01".into(),
            p: "Chè xanh Bình Sơn".into(),
            o: "Hợp tác xã Chè Bình Sơn".into(),
            s: 4,
            c: "38-16213-001-2026".into(),
            d: "125/QĐ-UBND".into(),
            dd: "2026-12-01".into(),
            i: "2026-12-01".into(),
            u: "2029-12-01".into(),
            b: "ỦY BAN NHÂN DÂN TỈNH THANH HÓA".into(),
        }
    }

    #[test]
    fn a_signed_payload_verifies_and_any_change_fails() {
        let key = SigningKey::from_bytes(&[7u8; 32]);
        let vk = key.verifying_key();
        let trusted = [TrustedKey {
            id: key_id(&vk),
            name: "UBND tỉnh Thanh Hóa".into(),
            public_key: hex::encode(vk.as_bytes()),
        }];
        let payload = sign_claim(&key, &claim(&key_id(&vk)));
        let today = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
        let v = verify_payload(&payload, &trusted, today);
        assert!(v.valid, "{}", v.message);
        assert_eq!(v.claim.unwrap().p, "Chè xanh Bình Sơn");

        // Change the star inside the signed body.
        let parts: Vec<&str> = payload.split('.').collect();
        let mut c: CertificateClaim =
            serde_json::from_slice(&B64.decode(parts[1]).unwrap()).unwrap();
        c.s = 5;
        let forged = format!(
            "{}.{}.{}",
            parts[0],
            B64.encode(serde_json::to_vec(&c).unwrap()),
            parts[2]
        );
        let v = verify_payload(&forged, &trusted, today);
        assert!(!v.valid);
        assert!(v.message.contains("KHÔNG KHỚP"), "{}", v.message);

        // Signed by a key nobody trusts.
        let other = SigningKey::from_bytes(&[9u8; 32]);
        let v = verify_payload(
            &sign_claim(&other, &claim(&key_id(&other.verifying_key()))),
            &trusted,
            today,
        );
        assert!(!v.valid && v.message.contains("chưa được tin cậy"));

        for junk in ["", "hello", "OCOP1.@@@.x", "OCOP1.e30.AAAA"] {
            assert!(!verify_payload(junk, &trusted, today).valid, "{junk}");
        }
        let late = NaiveDate::from_ymd_opt(2030, 1, 1).unwrap();
        let v = verify_payload(&payload, &trusted, late);
        assert!(v.valid && v.expired);
    }

    #[test]
    fn recognition_issues_numbered_certificates_valid_36_months() {
        let mut s = Store::open_in_memory().unwrap();
        crate::demo::load(&mut s).unwrap();
        let done = s
            .rounds()
            .unwrap()
            .into_iter()
            .find(|r| r.status == RoundStatus::Finalised)
            .unwrap();
        let open = s
            .rounds()
            .unwrap()
            .into_iter()
            .find(|r| r.status == RoundStatus::Scoring)
            .unwrap();
        assert!(
            s.issue_recognition("t", &open.id, "2026-12-01").is_err(),
            "only finalised rounds"
        );
        let before = s.office().unwrap().next_decision_no;
        let r = s.issue_recognition("t", &done.id, "2026-07-10").unwrap();
        assert_eq!(r.number, format!("{before}/QĐ-UBND"));
        // The demo's round: 4★, 4★, 3★ recognised here; the 5★ candidate goes to the centre; one fails.
        let stars: Vec<u8> = r.certificates.iter().map(|c| c.star).collect();
        assert_eq!(stars.len(), 3, "{stars:?}");
        assert!(stars.iter().all(|s| (3..=4).contains(s)));
        assert!(r.certificates.iter().all(|c| c.valid_until == "2029-07-10"));
        assert_eq!(s.office().unwrap().next_decision_no, before + 1);
        let again = s.issue_recognition("t", &done.id, "2026-08-01").unwrap();
        assert_eq!(
            again.number, r.number,
            "issuing twice returns the same decision"
        );
        let v = s.verify_certificate(&r.certificates[0].payload).unwrap();
        assert!(v.valid, "{}", v.message);
    }
}
