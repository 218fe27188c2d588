//! The bundle's detached signature, in minisign's format, so that `minisign -V` checks a bundle
//! outside the app. Pure: no I/O.
//!
//! ```text
//! untrusted comment: <free text>
//! base64("ED" || key id (8) || Ed25519(BLAKE2b-512(file)))
//! trusted comment: <text>
//! base64(Ed25519(signature (64) || trusted comment))
//! ```
//!
//! "ED" is minisign's prehashed algorithm. The key id is the office key's fingerprint (the first
//! 8 bytes of the SHA-256 of its public key) stored little-endian, so that minisign prints the
//! same 16 hex digits the app shows. The trusted comment starts with [`super::CONTEXT`]: a
//! bundle's signature covers a BLAKE2b digest and that comment, never a certificate's `OCOP1.`
//! text, so neither can be passed off as the other.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use blake2::{Blake2b512, Digest};
use ed25519_dalek::{Signature, Signer as _, SigningKey, Verifier, VerifyingKey};

use super::msg;
use crate::error::Result;

const UNTRUSTED: &str = "untrusted comment: ";
const TRUSTED: &str = "trusted comment: ";

/// minisign's key id for a public key: its fingerprint's 8 bytes, little-endian.
pub fn key_number(public: &VerifyingKey) -> [u8; 8] {
    let digest = sha2::Sha256::digest(public.as_bytes());
    let mut n = [0u8; 8];
    n.copy_from_slice(&digest[..8]);
    n.reverse();
    n
}

/// The public key as minisign reads it (`minisign -V -P <this>`): base64("Ed" || key id || key).
pub fn minisign_public_key(public: &VerifyingKey) -> String {
    let mut bin = Vec::with_capacity(42);
    bin.extend_from_slice(b"Ed");
    bin.extend_from_slice(&key_number(public));
    bin.extend_from_slice(public.as_bytes());
    B64.encode(bin)
}

/// Signs `file` (the tag manifest) with `trusted_comment` (one line, no newline).
pub fn sign(
    key: &SigningKey,
    file: &[u8],
    untrusted_comment: &str,
    trusted_comment: &str,
) -> String {
    let digest = Blake2b512::digest(file);
    let signature = key.sign(&digest).to_bytes();
    let mut bin = Vec::with_capacity(74);
    bin.extend_from_slice(b"ED");
    bin.extend_from_slice(&key_number(&key.verifying_key()));
    bin.extend_from_slice(&signature);
    let mut global = Vec::with_capacity(64 + trusted_comment.len());
    global.extend_from_slice(&signature);
    global.extend_from_slice(trusted_comment.as_bytes());
    let global = key.sign(&global).to_bytes();
    format!(
        "{UNTRUSTED}{untrusted_comment}\n{}\n{TRUSTED}{trusted_comment}\n{}\n",
        B64.encode(bin),
        B64.encode(global)
    )
}

/// Checks a signature file over `file` with `public`; returns its trusted comment.
pub fn verify(public: &VerifyingKey, file: &[u8], signature_file: &[u8]) -> Result<String> {
    let bad = || msg::BAD_SIGNATURE.err();
    let text = std::str::from_utf8(signature_file).map_err(|_| bad())?;
    let lines: Vec<&str> = text.split('\n').collect();
    // Exactly four lines, each ended by a newline.
    if lines.len() != 5 || !lines[4].is_empty() {
        return Err(bad());
    }
    if !lines[0].starts_with(UNTRUSTED) {
        return Err(bad());
    }
    let bin = B64.decode(lines[1]).map_err(|_| bad())?;
    let trusted = lines[2].strip_prefix(TRUSTED).ok_or_else(bad)?;
    let global = B64.decode(lines[3]).map_err(|_| bad())?;
    if bin.len() != 74
        || &bin[..2] != b"ED"
        || bin[2..10] != key_number(public)
        || global.len() != 64
    {
        return Err(bad());
    }
    let signature = Signature::from_slice(&bin[10..]).map_err(|_| bad())?;
    public
        .verify(&Blake2b512::digest(file), &signature)
        .map_err(|_| bad())?;
    let mut signed = bin[10..].to_vec();
    signed.extend_from_slice(trusted.as_bytes());
    let global = Signature::from_slice(&global).map_err(|_| bad())?;
    public.verify(&signed, &global).map_err(|_| bad())?;
    Ok(trusted.to_string())
}
