//! The office's private key at rest, sealed under the passphrase the office chose: argon2id
//! derives a 256-bit key from the passphrase and a random salt, and XChaCha20-Poly1305 encrypts the
//! Ed25519 seed with a random nonce, bound to the key's fingerprint. Without the passphrase a copy
//! of the database cannot sign. Pure: no I/O.

use argon2::{Algorithm, Argon2, Params, Version};
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};

use super::msg;
use crate::error::{CoreError, Result};

/// The storage format this build writes.
pub const FORMAT: u32 = 1;

/// A sealed private key as stored (`office_key.sealed`, JSON). A storage type: it changes only by
/// a new `format`; fields added later are defaulted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SealedKey {
    pub format: u32,
    /// "argon2id" (version 0x13).
    pub kdf: String,
    /// Memory in KiB, iterations, lanes.
    pub m_cost: u32,
    pub t_cost: u32,
    pub p_cost: u32,
    /// base64url, 16 bytes.
    pub salt: String,
    /// "xchacha20poly1305".
    pub aead: String,
    /// base64url, 24 bytes.
    pub nonce: String,
    /// base64url: the 32-byte seed encrypted, then the 16-byte tag.
    pub ciphertext: String,
}

const KDF: &str = "argon2id";
const AEAD: &str = "xchacha20poly1305";

/// The shortest passphrase an office may choose.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

/// Refuses a passphrase too short to protect anything (the demo's `1234` is set without this
/// check).
pub fn check_new_passphrase(passphrase: &str) -> Result<()> {
    if passphrase.trim().chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(msg::PASSPHRASE_TOO_SHORT.with("min", MIN_PASSPHRASE_CHARS));
    }
    Ok(())
}

/// What the sealing binds the ciphertext to, so a sealed seed cannot be moved onto another key's
/// row.
fn aad(fingerprint: &str) -> Vec<u8> {
    format!("ocop-office-key/{FORMAT}/{fingerprint}").into_bytes()
}

fn random<const N: usize>() -> Result<[u8; N]> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(CoreError::internal)?;
    Ok(b)
}

fn derive(passphrase: &str, salt: &[u8], m: u32, t: u32, p: u32) -> Result<[u8; 32]> {
    let params = Params::new(m, t, p, Some(32)).map_err(|_| msg::KEY_CORRUPT.err())?;
    let mut out = [0u8; 32];
    // The same passphrase typed on another keyboard (composed or decomposed accents) gives the
    // same key.
    let passphrase = crate::text::nfc(passphrase);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase.as_bytes(), salt, &mut out)
        .map_err(CoreError::internal)?;
    Ok(out)
}

/// Seals `seed` under `passphrase` with argon2id's default cost (19 MiB, 2 passes, 1 lane).
pub fn seal(seed: &[u8; 32], passphrase: &str, fingerprint: &str) -> Result<SealedKey> {
    let salt: [u8; 16] = random()?;
    let nonce: [u8; 24] = random()?;
    let (m, t, p) = (
        Params::DEFAULT_M_COST,
        Params::DEFAULT_T_COST,
        Params::DEFAULT_P_COST,
    );
    let key = derive(passphrase, &salt, m, t, p)?;
    let cipher = XChaCha20Poly1305::new_from_slice(&key).map_err(CoreError::internal)?;
    let ciphertext = cipher
        .encrypt(
            &XNonce::from(nonce),
            Payload {
                msg: seed,
                aad: &aad(fingerprint),
            },
        )
        .map_err(CoreError::internal)?;
    Ok(SealedKey {
        format: FORMAT,
        kdf: KDF.into(),
        m_cost: m,
        t_cost: t,
        p_cost: p,
        salt: B64.encode(salt),
        aead: AEAD.into(),
        nonce: B64.encode(nonce),
        ciphertext: B64.encode(ciphertext),
    })
}

/// Opens a sealed seed. A wrong passphrase is `office.passphrase_wrong`; a sealing this build
/// cannot read is `office.key_corrupt`.
pub fn open(sealed: &SealedKey, passphrase: &str, fingerprint: &str) -> Result<[u8; 32]> {
    if sealed.format != FORMAT || sealed.kdf != KDF || sealed.aead != AEAD {
        return Err(msg::KEY_CORRUPT.err());
    }
    let bytes = |s: &str| B64.decode(s).map_err(|_| msg::KEY_CORRUPT.err());
    let salt = bytes(&sealed.salt)?;
    let nonce: [u8; 24] = bytes(&sealed.nonce)?
        .try_into()
        .map_err(|_| msg::KEY_CORRUPT.err())?;
    let ciphertext = bytes(&sealed.ciphertext)?;
    let key = derive(
        passphrase,
        &salt,
        sealed.m_cost,
        sealed.t_cost,
        sealed.p_cost,
    )?;
    let cipher = XChaCha20Poly1305::new_from_slice(&key).map_err(CoreError::internal)?;
    let seed = cipher
        .decrypt(
            &XNonce::from(nonce),
            Payload {
                msg: &ciphertext,
                aad: &aad(fingerprint),
            },
        )
        .map_err(|_| msg::PASSPHRASE_WRONG.err())?;
    seed.try_into().map_err(|_| msg::KEY_CORRUPT.err())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_seed_opens_only_with_its_passphrase_and_fingerprint() {
        let seed = [5u8; 32];
        let s = seal(&seed, "mật khẩu cơ quan", "abcd").unwrap();
        assert_eq!(s.format, 1);
        assert!(!s.ciphertext.contains(&hex::encode(seed)));
        assert_eq!(open(&s, "mật khẩu cơ quan", "abcd").unwrap(), seed);
        // Decomposed accents (another keyboard) are the same passphrase.
        let nfd: String =
            unicode_normalization::UnicodeNormalization::nfd("mật khẩu cơ quan").collect();
        assert_eq!(open(&s, &nfd, "abcd").unwrap(), seed);
        assert_eq!(
            open(&s, "mat khau co quan", "abcd").unwrap_err().code(),
            "office.passphrase_wrong"
        );
        assert_eq!(
            open(&s, "mật khẩu cơ quan", "ffff").unwrap_err().code(),
            "office.passphrase_wrong",
            "bound to the key it seals"
        );
        // Two sealings of one seed share nothing (fresh salt and nonce).
        let t = seal(&seed, "mật khẩu cơ quan", "abcd").unwrap();
        assert_ne!(s.salt, t.salt);
        assert_ne!(s.ciphertext, t.ciphertext);
        let mut odd = s.clone();
        odd.format = 2;
        assert_eq!(
            open(&odd, "mật khẩu cơ quan", "abcd").unwrap_err().code(),
            "office.key_corrupt"
        );
    }

    #[test]
    fn a_short_passphrase_is_refused() {
        assert_eq!(
            check_new_passphrase("1234").unwrap_err().code(),
            "office.passphrase_too_short"
        );
        assert!(check_new_passphrase("tám ký tự").is_ok());
    }
}
