//! The office's TLS identity: a self-signed certificate made once with rcgen and kept in the store,
//! so its fingerprint stays the same from one council day to the next; and, for clients (tests,
//! the load benchmark), a verifier that accepts exactly the certificate with a given fingerprint.

use std::sync::Arc;

use ocop_core::error::{CoreError, Result};
use ocop_core::room::msg;
use ocop_core::store::room::StoredRoomTls;
use ocop_core::store::Store;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use sha2::{Digest, Sha256};

/// The names the certificate carries. Browsers warn about a self-signed certificate whatever its
/// names; the member checks the fingerprint instead.
const NAMES: &[&str] = &["ocop-council.local", "localhost"];

/// The office's identity, made on first use.
pub fn identity(store: &mut Store, actor: &str) -> Result<StoredRoomTls> {
    if let Some(t) = store.room_tls()? {
        return Ok(t);
    }
    let tls = generate()?;
    store.save_room_tls(actor, &tls)?;
    Ok(tls)
}

/// A new self-signed certificate (ECDSA P-256) for the names above and the loopback address.
pub fn generate() -> Result<StoredRoomTls> {
    let fail = |e: rcgen::Error| msg::TLS_FAILED.with("reason", e);
    let mut params =
        rcgen::CertificateParams::new(NAMES.iter().map(|s| s.to_string()).collect::<Vec<_>>())
            .map_err(fail)?;
    params.subject_alt_names.push(rcgen::SanType::IpAddress(
        std::net::Ipv4Addr::LOCALHOST.into(),
    ));
    let mut dn = rcgen::DistinguishedName::new();
    dn.push(rcgen::DnType::CommonName, "OCOP Council – phòng chấm");
    params.distinguished_name = dn;
    let key = rcgen::KeyPair::generate().map_err(fail)?;
    let cert = params.self_signed(&key).map_err(fail)?;
    Ok(StoredRoomTls::new(cert.der(), &key.serialize_der()))
}

/// The SHA-256 of a certificate (DER), lowercase hex: what the hub and the member page show.
pub fn fingerprint(cert_der: &[u8]) -> String {
    hex::encode(Sha256::digest(cert_der))
}

/// The fingerprint in groups of four, as screens show it.
pub fn fingerprint_groups(fp: &str) -> String {
    fp.as_bytes()
        .chunks(4)
        .map(|c| std::str::from_utf8(c).unwrap_or(""))
        .collect::<Vec<_>>()
        .join(" ")
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The server side.
pub fn server_config(tls: &StoredRoomTls) -> Result<rustls::ServerConfig> {
    let (cert, key) = tls
        .der()
        .ok_or_else(|| msg::TLS_FAILED.with("reason", "stored identity unreadable"))?;
    let tls_err = |e: rustls::Error| -> CoreError { msg::TLS_FAILED.with("reason", e) };
    let mut cfg = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(tls_err)?
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from(cert)],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key)),
        )
        .map_err(tls_err)?;
    cfg.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(cfg)
}

/// Accepts exactly the server certificate whose SHA-256 is `fingerprint` (and checks the
/// handshake's signatures with it): certificate pinning, for clients that know the fingerprint.
#[derive(Debug)]
pub struct PinnedVerifier {
    fingerprint: String,
    provider: Arc<rustls::crypto::CryptoProvider>,
}

impl PinnedVerifier {
    pub fn new(fingerprint: &str) -> PinnedVerifier {
        PinnedVerifier {
            fingerprint: fingerprint.to_ascii_lowercase(),
            provider: provider(),
        }
    }
}

impl ServerCertVerifier for PinnedVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        if fingerprint(end_entity) == self.fingerprint {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General(
                "certificate fingerprint mismatch".into(),
            ))
        }
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// A client configuration pinned to `fingerprint` (for tests, benchmarks and scripts).
pub fn pinned_client_config(fingerprint: &str) -> rustls::ClientConfig {
    rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .expect("ring supports the default versions")
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(PinnedVerifier::new(fingerprint)))
        .with_no_client_auth()
}
