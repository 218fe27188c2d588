//! `OCOP2`: the certificate's compact QR payload, small enough for a code that a 150 dpi office
//! scan or a phone photo reads every time. Pure: no I/O.
//!
//! After the EU Digital COVID Certificate: a binary claim in a fixed layout and its Ed25519
//! signature, encoded in Base45 so that the QR code uses alphanumeric mode (5.5 bits a character
//! instead of 8). The full record is the certificate's `OCOP1` payload, kept by the issuing office
//! and carried by exchange bundles; the compact claim binds it by hash. The layout is a public
//! contract (`assets/criteria/CERTIFICATE-QR.md`): extended by appending fields after the owner,
//! never changed.
//!
//! ```text
//! OCOP2:<base45(claim || signature)>
//! claim     = key id (8 bytes) · star (1) · issued on (2) · valid until (2) · flags (1)
//!             · record hash (16) · number (1 + n) · product (1 + n) · owner (1 + n) · [later fields]
//! signature = Ed25519 over the ASCII "OCOP2:" followed by the claim bytes (64)
//! ```
//! Dates are days since 2000-01-01 (big-endian u16); the flags say which names were shortened;
//! the record hash is the first 16 bytes of the SHA-256 of the `OCOP1` claim's JSON bytes.

use chrono::NaiveDate;
use ed25519_dalek::{Signature, Signer as _, SigningKey};
use sha2::{Digest, Sha256};

use super::CertificateClaim;

pub(crate) const PREFIX: &str = "OCOP2:";
const KEY_ID_LEN: usize = 8;
const HASH_LEN: usize = 16;
const SIG_LEN: usize = 64;
/// Key id, star, two dates, flags, hash and the three length bytes.
const FIXED_LEN: usize = KEY_ID_LEN + 1 + 2 + 2 + 1 + HASH_LEN + 3;
/// Claim and signature together: 170 bytes are 255 Base45 characters, which with the prefix fit a
/// version 9 code at error correction M (262 alphanumeric characters, 53 modules).
pub const MAX_BYTES: usize = 170;
/// The bytes left for the number and the two names.
const TEXT_BUDGET: usize = MAX_BYTES - SIG_LEN - FIXED_LEN;
/// Names keep at least this much together even when a number is very long: a number of more than
/// `TEXT_BUDGET - MIN_NAMES` (49) bytes makes the code larger than version 9 (real numbers, such as
/// "125/QĐ-UBND-01", take 15).
const MIN_NAMES: usize = 24;

const FLAG_PRODUCT_SHORTENED: u8 = 1;
const FLAG_OWNER_SHORTENED: u8 = 2;

fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 1).expect("valid date")
}

fn days(iso: &str) -> Option<u16> {
    let d = NaiveDate::parse_from_str(iso, "%Y-%m-%d").ok()?;
    u16::try_from(d.signed_duration_since(epoch()).num_days()).ok()
}

fn date(days: u16) -> String {
    (epoch() + chrono::Days::new(u64::from(days)))
        .format("%Y-%m-%d")
        .to_string()
}

/// The record hash of a full claim's JSON bytes (the body an `OCOP1` payload signs).
pub fn record_hash(full_claim_json: &[u8]) -> [u8; HASH_LEN] {
    let d = Sha256::digest(full_claim_json);
    d[..HASH_LEN].try_into().expect("16 bytes")
}

/// The longest prefix of `s` of at most `max` bytes, cut between characters.
fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].trim_end()
}

/// How many bytes each name may keep within `budget`: a short one keeps all it has and leaves the
/// rest to the other.
fn split(p: usize, o: usize, budget: usize) -> (usize, usize) {
    if p + o <= budget {
        return (p, o);
    }
    let half = budget / 2;
    if p <= half {
        (p, budget - p)
    } else if o <= half {
        (budget - o, o)
    } else {
        (half, budget - half)
    }
}

fn push_text(out: &mut Vec<u8>, s: &str) {
    let s = cut(s, 255);
    out.push(s.len() as u8);
    out.extend_from_slice(s.as_bytes());
}

/// The compact claim's bytes for a full claim whose signed JSON is `full_json`. `None` when a date
/// is outside 2000–2179 or the key id is not 16 hex digits (the claim is then printed in `OCOP1`).
fn claim_bytes(claim: &CertificateClaim, full_json: &[u8]) -> Option<Vec<u8>> {
    let key = hex::decode(&claim.k)
        .ok()
        .filter(|k| k.len() == KEY_ID_LEN)?;
    let (issued, until) = (days(&claim.i)?, days(&claim.u)?);
    let number = cut(&claim.n, 255);
    let budget = TEXT_BUDGET.saturating_sub(number.len()).max(MIN_NAMES);
    let (pb, ob) = split(claim.p.len(), claim.o.len(), budget);
    let (p, o) = (cut(&claim.p, pb), cut(&claim.o, ob));
    let mut flags = 0;
    if p.len() < claim.p.len() {
        flags |= FLAG_PRODUCT_SHORTENED;
    }
    if o.len() < claim.o.len() {
        flags |= FLAG_OWNER_SHORTENED;
    }
    let mut out = Vec::with_capacity(MAX_BYTES);
    out.extend_from_slice(&key);
    out.push(claim.s);
    out.extend_from_slice(&issued.to_be_bytes());
    out.extend_from_slice(&until.to_be_bytes());
    out.push(flags);
    out.extend_from_slice(&record_hash(full_json));
    push_text(&mut out, number);
    push_text(&mut out, p);
    push_text(&mut out, o);
    Some(out)
}

fn signed_message(claim: &[u8]) -> Vec<u8> {
    [PREFIX.as_bytes(), claim].concat()
}

/// Signs the compact form of `claim`, bound to the full record `full_json` (the `OCOP1` body).
pub fn sign(key: &SigningKey, claim: &CertificateClaim, full_json: &[u8]) -> Option<String> {
    let mut bytes = claim_bytes(claim, full_json)?;
    let sig = key.sign(&signed_message(&bytes));
    bytes.extend_from_slice(&sig.to_bytes());
    Some(format!("{PREFIX}{}", base45::encode(&bytes)))
}

/// Why a compact payload does not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unreadable {
    /// Not Base45.
    Encoding,
    /// Too short, or a field runs past the end, or a name is not UTF-8.
    Layout,
}

/// A compact payload taken apart: the claim (with `v` = 2 and what the layout does not carry left
/// empty), the bytes the signature covers, and the signature.
pub(crate) struct Parsed {
    pub claim: CertificateClaim,
    pub message: Vec<u8>,
    pub signature: Signature,
}

/// The Base45 text after the prefix: spaces are Base45 digits, so only line ends and tabs (which a
/// scanner or a paste may add) are taken off the end.
pub(crate) fn body(payload: &str) -> Option<&str> {
    payload
        .trim_start()
        .strip_prefix(PREFIX)
        .map(|b| b.trim_end_matches(['\r', '\n', '\t', '\u{feff}']))
}

pub(crate) fn parse(body: &str) -> Result<Parsed, Unreadable> {
    let bytes = base45::decode(body).map_err(|_| Unreadable::Encoding)?;
    if bytes.len() < FIXED_LEN + SIG_LEN {
        return Err(Unreadable::Layout);
    }
    let (claim, sig) = bytes.split_at(bytes.len() - SIG_LEN);
    let signature = Signature::from_slice(sig).map_err(|_| Unreadable::Layout)?;
    let mut at = 0;
    let mut take = |n: usize| -> Result<&[u8], Unreadable> {
        let s = claim.get(at..at + n).ok_or(Unreadable::Layout)?;
        at += n;
        Ok(s)
    };
    let k = hex::encode(take(KEY_ID_LEN)?);
    let s = take(1)?[0];
    let i = date(u16::from_be_bytes(take(2)?.try_into().expect("2 bytes")));
    let u = date(u16::from_be_bytes(take(2)?.try_into().expect("2 bytes")));
    let flags = take(1)?[0];
    let h = hex::encode(take(HASH_LEN)?);
    let mut text = || -> Result<String, Unreadable> {
        let n = usize::from(take(1)?[0]);
        String::from_utf8(take(n)?.to_vec()).map_err(|_| Unreadable::Layout)
    };
    let (n, p, o) = (text()?, text()?, text()?);
    Ok(Parsed {
        claim: CertificateClaim {
            v: 2,
            k,
            n,
            p,
            o,
            s,
            c: String::new(),
            d: String::new(),
            dd: String::new(),
            i,
            u,
            b: String::new(),
            h,
            product_shortened: flags & FLAG_PRODUCT_SHORTENED != 0,
            owner_shortened: flags & FLAG_OWNER_SHORTENED != 0,
        },
        message: signed_message(claim),
        signature,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(p: &str, o: &str) -> CertificateClaim {
        CertificateClaim {
            p: p.into(),
            o: o.into(),
            ..crate::office::payload::tests::claim("0123456789abcdef")
        }
    }

    #[test]
    fn round_trips_and_stays_within_the_budget() {
        let key = SigningKey::from_bytes(&[7u8; 32]);
        for (p, o, short_p, short_o) in [
            ("Chè xanh Bình Sơn", "Hợp tác xã Chè Bình Sơn", false, false),
            (
                "Nước mắm cốt nhĩ truyền thống Cát Hải đóng chai thủy tinh 500 ml",
                "Công ty Cổ phần Chế biến Thủy sản và Dịch vụ Thương mại Cát Hải",
                true,
                true,
            ),
            (
                "Mật ong",
                "Công ty Cổ phần Chế biến Thủy sản và Dịch vụ Thương mại Cát Hải Hải Phòng",
                false,
                true,
            ),
        ] {
            let c = claim(p, o);
            let text = sign(&key, &c, b"{}").unwrap();
            let body = body(&text).unwrap();
            assert!(base45::decode(body).unwrap().len() <= MAX_BYTES, "{text}");
            assert!(text.len() <= 262, "{} characters", text.len());
            let parsed = parse(body).unwrap();
            let got = parsed.claim;
            assert_eq!(
                (got.n.as_str(), got.s, got.i.as_str(), got.u.as_str()),
                (c.n.as_str(), 4, "2026-12-01", "2029-12-01")
            );
            assert_eq!(got.k, c.k);
            assert_eq!(got.h, hex::encode(record_hash(b"{}")));
            assert_eq!(
                (got.product_shortened, got.owner_shortened),
                (short_p, short_o)
            );
            assert!(p.starts_with(&got.p) && o.starts_with(&got.o));
            // Cut between characters, never inside one.
            assert!(!got.p.is_empty() && !got.o.is_empty());
            // Only QR alphanumeric characters: the code is encoded in alphanumeric mode.
            assert!(text.chars().all(|ch| ch.is_ascii_uppercase()
                || ch.is_ascii_digit()
                || " $%*+-./:".contains(ch)));
        }
    }

    /// Found by fuzzing: a number of 50 bytes or more gives the names their minimum and the code
    /// grows past the budget instead of losing part of the number.
    #[test]
    fn a_very_long_number_is_kept_whole() {
        assert_eq!(TEXT_BUDGET - MIN_NAMES, 49);
        let key = SigningKey::from_bytes(&[7u8; 32]);
        for len in [49usize, 50, 120] {
            let c = CertificateClaim {
                n: "9".repeat(len),
                ..claim(&"Chè ".repeat(20), &"Hợp tác xã ".repeat(10))
            };
            let text = sign(&key, &c, b"{}").unwrap();
            let got = parse(body(&text).unwrap()).unwrap().claim;
            assert_eq!(got.n, c.n);
            assert!(got.p.len() + got.o.len() <= TEXT_BUDGET.saturating_sub(len).max(MIN_NAMES));
            let bytes = base45::decode(body(&text).unwrap()).unwrap().len();
            assert_eq!(bytes <= MAX_BYTES, len <= 49, "{len}: {bytes} bytes");
        }
    }

    #[test]
    fn refuses_what_does_not_read() {
        assert_eq!(parse("%%%").err(), Some(Unreadable::Encoding));
        assert_eq!(
            parse(&base45::encode([0u8; 40])).err(),
            Some(Unreadable::Layout)
        );
        let key = SigningKey::from_bytes(&[7u8; 32]);
        let text = sign(&key, &claim("a", "b"), b"{}").unwrap();
        let mut bytes = base45::decode(body(&text).unwrap()).unwrap();
        // A name length running past the end.
        bytes[FIXED_LEN - 3] = 250;
        assert!(parse(&base45::encode(&bytes)).is_err());
        assert_eq!(body("  OCOP2:AB C\r\n"), Some("AB C"));
        assert_eq!(body("OCOP1.x"), None);
    }

    #[test]
    fn names_are_split_fairly() {
        assert_eq!(split(10, 10, 40), (10, 10));
        assert_eq!(split(10, 50, 40), (10, 30));
        assert_eq!(split(50, 10, 40), (30, 10));
        assert_eq!(split(50, 50, 40), (20, 20));
        assert_eq!(cut("Bình Sơn", 3), "Bì");
        assert_eq!(cut("Bình Sơn", 2), "B");
        assert_eq!(cut("Bình Sơn", 6), "Bình");
    }
}
