//! A certificate verified from a photo or a scan (PNG or JPEG): what `ocop verify --image` and the
//! Verify screen check when no text was copied from the code. The codes are read by `ocop-scan`.

use std::path::Path;

use ocop_core::error::{cli_msg, CoreError, Lang};
use ocop_core::office::Verification;
use ocop_core::store::Store;
pub use ocop_scan::{qr_texts, ScanError};

/// The certificate code in the photo or scan at `path`: the first QR code that carries an OCOP
/// payload. A file that is not an image, a picture without a readable code and a code that is not
/// a certificate's are each refused with their own message.
pub fn certificate_code(path: &Path) -> Result<String, CoreError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| CoreError::Io {
        path: shown.clone(),
        reason: e.to_string(),
    })?;
    let texts = qr_texts(&bytes).map_err(|ScanError::Image(reason)| {
        cli_msg::BAD_IMAGE
            .with("path", &shown)
            .with("reason", reason)
    })?;
    if texts.is_empty() {
        return Err(cli_msg::NO_QR.with("path", &shown));
    }
    texts
        .into_iter()
        .find(|t| t.trim_start().starts_with("OCOP"))
        .ok_or_else(|| cli_msg::NOT_CERTIFICATE_QR.with("path", &shown))
}

/// Verifies the certificate whose code is in the photo or scan at `path` (the Verify screen's
/// "choose a picture"), worded in `lang`.
pub fn verify_image(store: &Store, path: &Path, lang: Lang) -> Result<Verification, CoreError> {
    store.verify_certificate(&certificate_code(path)?, lang)
}
