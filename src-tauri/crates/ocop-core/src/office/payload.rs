//! The certificate's signed QR payload and its offline check. Pure: no I/O.
//!
//! `OCOP1.<base64url(JSON claim)>.<base64url(Ed25519 signature of "OCOP1.<body>")>` is a public
//! contract: other offices' verifiers read it and printed certificates carry it for 36 months. It is
//! extended (a new claim field is optional and defaulted), never changed.

use std::collections::BTreeMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use chrono::NaiveDate;
use ed25519_dalek::{Signature, Signer as _, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{compact, msg};
use super::{CertificateClaim, TrustedKey, Verification};
use crate::error::{Lang, Msg};

const PAYLOAD_PREFIX: &str = "OCOP1";

/// The claim as it is signed, field for field (version 1). Separate from [`CertificateClaim`], the
/// type the UI sees, so that neither can change the other; a field added later must be
/// `#[serde(default)]` so that payloads already printed still parse.
#[derive(Serialize, Deserialize)]
struct WireClaim {
    v: u32,
    k: String,
    n: String,
    p: String,
    o: String,
    s: u8,
    c: String,
    d: String,
    dd: String,
    i: String,
    u: String,
    b: String,
}

impl From<&CertificateClaim> for WireClaim {
    fn from(c: &CertificateClaim) -> WireClaim {
        WireClaim {
            v: c.v,
            k: c.k.clone(),
            n: c.n.clone(),
            p: c.p.clone(),
            o: c.o.clone(),
            s: c.s,
            c: c.c.clone(),
            d: c.d.clone(),
            dd: c.dd.clone(),
            i: c.i.clone(),
            u: c.u.clone(),
            b: c.b.clone(),
        }
    }
}

impl From<WireClaim> for CertificateClaim {
    fn from(w: WireClaim) -> CertificateClaim {
        CertificateClaim {
            v: w.v,
            k: w.k,
            n: w.n,
            p: w.p,
            o: w.o,
            s: w.s,
            c: w.c,
            d: w.d,
            dd: w.dd,
            i: w.i,
            u: w.u,
            b: w.b,
            ..CertificateClaim::default()
        }
    }
}

/// The claim of a payload's body bytes (base64-decoded), unchecked: for records this office
/// signed itself.
pub(crate) fn claim_from_wire(body: &[u8]) -> Option<CertificateClaim> {
    serde_json::from_slice::<WireClaim>(body)
        .ok()
        .map(CertificateClaim::from)
}

/// The claim of a full signed payload (`OCOP1`) this office keeps, unchecked.
pub(crate) fn claim_of_payload(payload: &str) -> Option<CertificateClaim> {
    claim_from_wire(&record_body(payload)?)
}

/// The claim JSON bytes an `OCOP1` payload signs (its body, base64url-decoded).
fn record_body(payload: &str) -> Option<Vec<u8>> {
    let body = payload.trim().strip_prefix("OCOP1.")?.split('.').next()?;
    B64.decode(body).ok()
}

/// A key's id (fingerprint): the first 16 hex digits of the SHA-256 of the public key.
pub fn key_id(public: &VerifyingKey) -> String {
    hex::encode(Sha256::digest(public.as_bytes()))[..16].to_string()
}

/// A public key from its 64 hex digits.
pub fn parse_public_key(hex_key: &str) -> crate::Result<VerifyingKey> {
    let bytes = hex::decode(hex_key.trim())
        .ok()
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .ok_or_else(|| msg::PUBLIC_KEY_FORMAT.err())?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| msg::PUBLIC_KEY_INVALID.err())
}

/// Signs a claim: `OCOP1.<base64url(JSON)>.<base64url(signature)>`.
pub fn sign_claim(key: &SigningKey, claim: &CertificateClaim) -> String {
    let body = B64.encode(serde_json::to_vec(&WireClaim::from(claim)).expect("claim serialises"));
    let sig = key.sign(format!("{PAYLOAD_PREFIX}.{body}").as_bytes());
    format!("{PAYLOAD_PREFIX}.{body}.{}", B64.encode(sig.to_bytes()))
}

/// The text a certificate's QR code carries: the compact `OCOP2` form of `claim`, bound to its full
/// record (the `OCOP1` body `sign_claim` signs). A claim the compact layout cannot hold (a date
/// outside 2000–2179) is printed in `OCOP1`, as before.
pub fn sign_qr(key: &SigningKey, claim: &CertificateClaim) -> String {
    let full = serde_json::to_vec(&WireClaim::from(claim)).expect("claim serialises");
    compact::sign(key, claim, &full).unwrap_or_else(|| sign_claim(key, claim))
}

/// The compact code of a certificate issued before the compact code existed, signed now with `key`
/// (the office's current key, which may differ from the one that signed `payload`) and bound to the
/// stored full record `payload` (`OCOP1`) as it is. `None` when the record does not read or its
/// dates do not fit the compact layout.
pub(crate) fn sign_qr_for_record(key: &SigningKey, payload: &str) -> Option<String> {
    let bytes = record_body(payload)?;
    let claim = CertificateClaim {
        k: key_id(&key.verifying_key()),
        ..claim_from_wire(&bytes)?
    };
    compact::sign(key, &claim, &bytes)
}

/// The record hash (32 hex digits) an `OCOP2` code carries for the certificate whose full signed
/// payload is `payload` (`OCOP1`); `None` when it does not read.
pub(crate) fn record_hash_of(payload: &str) -> Option<String> {
    Some(hex::encode(compact::record_hash(&record_body(payload)?)))
}

/// What a check found, before it is worded.
struct Verdict {
    msg: Msg,
    params: Vec<(&'static str, String)>,
    valid: bool,
    claim: Option<CertificateClaim>,
    expired: bool,
    signed_by: Option<String>,
}

impl Verdict {
    fn bad(msg: Msg) -> Verdict {
        Verdict {
            msg,
            params: Vec::new(),
            valid: false,
            claim: None,
            expired: false,
            signed_by: None,
        }
    }

    fn into_verification(self, lang: Lang) -> Verification {
        Verification::new(
            self.msg,
            self.params,
            lang,
            self.valid,
            self.claim,
            self.expired,
            self.signed_by,
        )
    }
}

/// Checks a payload against the trusted keys, as of `today`, worded in `lang`. Never fails: a bad
/// payload is an invalid verdict with its code.
pub fn verify_payload(
    payload: &str,
    trusted: &[TrustedKey],
    today: NaiveDate,
    lang: Lang,
) -> Verification {
    verdict(payload, trusted, today).into_verification(lang)
}

/// A payload taken apart: its claim, the bytes its signature covers and the signature, or the
/// message saying why it does not read.
fn parse(payload: &str) -> Result<(CertificateClaim, Vec<u8>, Signature), Msg> {
    if let Some(body) = compact::body(payload) {
        return compact::parse(body)
            .map(|p| (p.claim, p.message, p.signature))
            .map_err(|e| match e {
                compact::Unreadable::Encoding => msg::VERIFY_BODY_UNREADABLE,
                compact::Unreadable::Layout => msg::VERIFY_BODY_INVALID,
            });
    }
    let payload = payload.trim();
    let parts: Vec<&str> = payload.split('.').collect();
    if parts.len() != 3 || parts[0] != PAYLOAD_PREFIX {
        return Err(msg::VERIFY_FORMAT);
    }
    let body = B64
        .decode(parts[1])
        .map_err(|_| msg::VERIFY_BODY_UNREADABLE)?;
    let claim = serde_json::from_slice::<WireClaim>(&body).map_err(|_| msg::VERIFY_BODY_INVALID)?;
    let sig = B64
        .decode(parts[2])
        .ok()
        .and_then(|b| Signature::from_slice(&b).ok())
        .ok_or(msg::VERIFY_SIGNATURE_UNREADABLE)?;
    let signed = format!("{PAYLOAD_PREFIX}.{}", parts[1]).into_bytes();
    Ok((CertificateClaim::from(claim), signed, sig))
}

fn verdict(payload: &str, trusted: &[TrustedKey], today: NaiveDate) -> Verdict {
    let (claim, signed, sig) = match parse(payload) {
        Ok(p) => p,
        Err(m) => return Verdict::bad(m),
    };
    let Some(key) = trusted.iter().find(|k| k.id == claim.k) else {
        return Verdict {
            params: vec![("key", claim.k.clone())],
            claim: Some(claim),
            ..Verdict::bad(msg::VERIFY_UNTRUSTED)
        };
    };
    let ok = parse_public_key(&key.public_key).is_ok_and(|vk| vk.verify(&signed, &sig).is_ok());
    if !ok {
        return Verdict {
            claim: Some(claim),
            signed_by: Some(key.name.clone()),
            ..Verdict::bad(msg::VERIFY_MISMATCH)
        };
    }
    let expired = NaiveDate::parse_from_str(&claim.u, "%Y-%m-%d").is_ok_and(|u| u < today);
    let (m, params) = if expired {
        (
            msg::VERIFY_EXPIRED,
            vec![
                ("until", crate::text::dmy(&claim.u)),
                ("issuer", key.name.clone()),
            ],
        )
    } else {
        (msg::VERIFY_VALID, vec![("issuer", key.name.clone())])
    };
    Verdict {
        msg: m,
        params,
        valid: true,
        claim: Some(claim),
        expired,
        signed_by: Some(key.name.clone()),
    }
}

impl Verification {
    pub(crate) fn new(
        m: Msg,
        params: Vec<(&'static str, String)>,
        lang: Lang,
        valid: bool,
        claim: Option<CertificateClaim>,
        expired: bool,
        signed_by: Option<String>,
    ) -> Verification {
        Verification {
            valid,
            code: m.code.to_string(),
            message: crate::error::render(m.text(lang), &params),
            params: params
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect::<BTreeMap<_, _>>(),
            claim,
            expired,
            revoked: false,
            signed_by,
            record_matches: None,
            from_records: false,
        }
    }

    /// The verdict as an error with its own code (for a caller that refuses an invalid
    /// certificate), or `None` when it is valid.
    pub fn to_error(&self) -> Option<crate::CoreError> {
        if self.valid {
            return None;
        }
        let m = msg::ALL
            .iter()
            .find(|m| m.code == self.code)
            .copied()
            .unwrap_or(msg::VERIFY_FORMAT);
        let mut e = m.err();
        for (k, v) in &self.params {
            // The parameter's name as the catalogue entry spells it (a `&'static str`).
            let pat = format!("{{{k}}}");
            if let Some(at) = m.vi.find(&pat) {
                e = e.with(&m.vi[at + 1..at + 1 + k.len()], v);
            }
        }
        Some(e)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A full claim as the office signs it, with key id `k` (also the compact code's tests').
    pub(crate) fn claim(k: &str) -> CertificateClaim {
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
            ..CertificateClaim::default()
        }
    }

    fn trusted(key: &SigningKey, name: &str) -> TrustedKey {
        let vk = key.verifying_key();
        TrustedKey::other(
            key_id(&vk),
            name.into(),
            hex::encode(vk.as_bytes()),
            String::new(),
            String::new(),
        )
    }

    #[test]
    fn a_signed_payload_verifies_and_any_change_fails_with_its_code() {
        let key = SigningKey::from_bytes(&[7u8; 32]);
        let trusted = [trusted(&key, "UBND tỉnh Thanh Hóa")];
        let payload = sign_claim(&key, &claim(&key_id(&key.verifying_key())));
        let today = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
        let v = verify_payload(&payload, &trusted, today, Lang::Vi);
        assert!(v.valid, "{}", v.message);
        assert_eq!(v.code, "verify.valid");
        assert_eq!(v.params["issuer"], "UBND tỉnh Thanh Hóa");
        assert_eq!(
            v.message,
            "Giấy chứng nhận hợp lệ, do UBND tỉnh Thanh Hóa cấp."
        );
        assert_eq!(v.claim.unwrap().p, "Chè xanh Bình Sơn");
        let en = verify_payload(&payload, &trusted, today, Lang::En);
        assert_eq!(
            en.message,
            "The certificate is valid, issued by UBND tỉnh Thanh Hóa."
        );

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
        let v = verify_payload(&forged, &trusted, today, Lang::En);
        assert!(!v.valid);
        assert_eq!(v.code, "verify.signature_mismatch");
        assert!(v.message.contains("DOES NOT MATCH"), "{}", v.message);
        assert_eq!(v.to_error().unwrap().code(), "verify.signature_mismatch");

        // Signed by a key nobody trusts: the code names the key.
        let other = SigningKey::from_bytes(&[9u8; 32]);
        let other_id = key_id(&other.verifying_key());
        let v = verify_payload(
            &sign_claim(&other, &claim(&other_id)),
            &trusted,
            today,
            Lang::Vi,
        );
        assert!(!v.valid);
        assert_eq!(v.code, "verify.untrusted_key");
        assert_eq!(v.params["key"], other_id);
        assert!(v.message.contains("chưa được tin cậy"), "{}", v.message);
        let e = v.to_error().unwrap();
        assert_eq!(e.to_dto(Lang::En).params["key"], other_id);

        for (junk, code) in [
            ("", "verify.format"),
            ("hello", "verify.format"),
            ("OCOP1.@@@.x", "verify.body_unreadable"),
            ("OCOP1.e30.AAAA", "verify.body_invalid"),
        ] {
            let v = verify_payload(junk, &trusted, today, Lang::En);
            assert!(!v.valid, "{junk}");
            assert_eq!(v.code, code, "{junk}");
        }
        let late = NaiveDate::from_ymd_opt(2030, 1, 1).unwrap();
        let v = verify_payload(&payload, &trusted, late, Lang::En);
        assert!(v.valid && v.expired);
        assert_eq!(v.code, "verify.expired");
        assert_eq!(v.params["until"], "01/12/2029");
        assert!(v.to_error().is_none(), "a valid signature is not an error");
    }

    #[test]
    fn a_compact_code_verifies_binds_its_record_and_any_changed_character_fails() {
        let key = SigningKey::from_bytes(&[7u8; 32]);
        let trusted = [trusted(&key, "UBND tỉnh Thanh Hóa")];
        let full = claim(&key_id(&key.verifying_key()));
        let code = sign_qr(&key, &full);
        assert!(code.starts_with("OCOP2:"), "{code}");
        let today = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
        let v = verify_payload(&code, &trusted, today, Lang::Vi);
        assert!(v.valid, "{}", v.message);
        assert_eq!(v.code, "verify.valid");
        let c = v.claim.unwrap();
        assert_eq!(
            (
                c.v,
                c.n.as_str(),
                c.s,
                c.u.as_str(),
                c.p.as_str(),
                c.o.as_str()
            ),
            (
                2,
                full.n.as_str(),
                4,
                full.u.as_str(),
                full.p.as_str(),
                full.o.as_str()
            )
        );
        // The hash names the full record: the OCOP1 payload of the same claim.
        assert_eq!(Some(c.h), record_hash_of(&sign_claim(&key, &full)));

        // Every single changed character is refused (never read as valid).
        let alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
        let body_at = "OCOP2:".len();
        for (i, ch) in code.char_indices().skip(body_at) {
            let other = alphabet.chars().find(|&a| a != ch).unwrap();
            let forged = format!("{}{other}{}", &code[..i], &code[i + 1..]);
            let v = verify_payload(&forged, &trusted, today, Lang::En);
            assert!(!v.valid, "position {i}: {forged}");
        }
        // The OCOP1 signature of the same claim by the same key cannot stand in for the compact
        // one: each signs its own prefix.
        let mut bytes = base45::decode(compact::body(&code).unwrap()).unwrap();
        let full_sig = B64
            .decode(sign_claim(&key, &full).rsplit('.').next().unwrap())
            .unwrap();
        let at = bytes.len() - 64;
        bytes[at..].copy_from_slice(&full_sig);
        let swapped = format!("OCOP2:{}", base45::encode(&bytes));
        let v = verify_payload(&swapped, &trusted, today, Lang::En);
        assert_eq!(v.code, "verify.signature_mismatch");
        // A forger's key signing a code that names this office's key: refused as a mismatch.
        let forger = SigningKey::from_bytes(&[13u8; 32]);
        let v = verify_payload(&sign_qr(&forger, &full), &trusted, today, Lang::En);
        assert!(!v.valid);
        assert_eq!(v.code, "verify.signature_mismatch");
        // A different key's code names that key.
        let other = SigningKey::from_bytes(&[9u8; 32]);
        let v = verify_payload(
            &sign_qr(&other, &claim(&key_id(&other.verifying_key()))),
            &trusted,
            today,
            Lang::Vi,
        );
        assert_eq!(v.code, "verify.untrusted_key");
        for (junk, code) in [
            ("OCOP2:", "verify.body_invalid"),
            ("OCOP2:abc", "verify.body_unreadable"),
            ("OCOP2:00000000", "verify.body_invalid"),
        ] {
            assert_eq!(
                verify_payload(junk, &trusted, today, Lang::En).code,
                code,
                "{junk}"
            );
        }
        // Dates the layout cannot hold are printed in OCOP1.
        let far = CertificateClaim {
            u: "2199-01-01".into(),
            ..claim(&key_id(&key.verifying_key()))
        };
        assert!(sign_qr(&key, &far).starts_with("OCOP1."));
    }

    /// Payloads printed by the first release (fixture made with its code) still verify, and signing
    /// the same claim with the same key gives the very same bytes: the format has not moved.
    #[test]
    fn payloads_of_the_first_release_verify_and_resign_identically() {
        let fx: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/fixtures/recognition-v1.json")).unwrap();
        let seed: [u8; 32] = hex::decode(fx["signing_seed"].as_str().unwrap())
            .unwrap()
            .try_into()
            .unwrap();
        let key = SigningKey::from_bytes(&seed);
        let public = fx["public_key"].as_str().unwrap();
        assert_eq!(hex::encode(key.verifying_key().as_bytes()), public);
        let trusted = [TrustedKey::other(
            fx["key_id"].as_str().unwrap().into(),
            "ỦY BAN NHÂN DÂN TỈNH THANH HÓA".into(),
            public.into(),
            String::new(),
            String::new(),
        )];
        let today = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
        let certs = fx["certificates"].as_array().unwrap();
        assert_eq!(certs.len(), 3);
        for c in certs {
            let payload = c["payload"].as_str().unwrap();
            let v = verify_payload(payload, &trusted, today, Lang::Vi);
            assert!(v.valid, "{}", v.message);
            let claim = v.claim.unwrap();
            assert_eq!(claim.n, c["number"].as_str().unwrap());
            assert_eq!(i64::from(claim.s), c["star"].as_i64().unwrap());
            assert_eq!(claim.u, c["valid_until"].as_str().unwrap());
            assert_eq!(claim.k, fx["key_id"].as_str().unwrap());
            assert_eq!(sign_claim(&key, &claim), payload);
        }
    }
}
