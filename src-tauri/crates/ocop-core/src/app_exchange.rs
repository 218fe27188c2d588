//! The App facade's exchange bundles: export, inspect, import (`store::exchange`).

use std::io::Read;
use std::path::Path;

use crate::app::{App, Reply};
use crate::error::{CoreError, Result};
use crate::exchange::{
    read_bundle, Bundle, BundlePlan, ConflictResolution, ExchangeConflict, ExportRequest,
    ExportSummary, Limits,
};

/// Reads a bundle file, never more than the reader's limit, and checks it.
pub fn read_bundle_file(path: &str) -> Result<Bundle> {
    let limit = Limits::default().max_total;
    let io = |e: std::io::Error| CoreError::Io {
        path: path.into(),
        reason: e.to_string(),
    };
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(io)?
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    read_bundle(&bytes)
}

fn file_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default()
}

impl App {
    /// Writes a signed bundle of what `req` selects to `out` (the passphrase opens the key).
    pub fn bundle_export(
        &self,
        req: ExportRequest,
        out: &str,
        passphrase: &str,
    ) -> Reply<ExportSummary> {
        let dir = self.data_dir().to_path_buf();
        self.with_store(|s, a| {
            let (bytes, info, minisign_public_key) =
                s.export_bundle(a, &dir, &req, Some(passphrase))?;
            std::fs::write(out, &bytes).map_err(|e| CoreError::Io {
                path: out.into(),
                reason: e.to_string(),
            })?;
            Ok(ExportSummary {
                format: 1,
                file: out.to_string(),
                info,
                bytes: bytes.len() as u64,
                minisign_public_key,
            })
        })
    }

    /// What a bundle holds, who sent it, whether they are trusted, and the plan of importing it.
    pub fn bundle_inspect(&self, path: &str) -> Reply<BundlePlan> {
        let lang = self.lang();
        self.with_store(|s, _| {
            let bundle = read_bundle_file(path)?;
            s.bundle_plan(&bundle, &file_name(path), lang)
        })
    }

    /// Imports a bundle (`trust`: trust an unknown sender on first use; `dry_run`: only the plan).
    pub fn bundle_import(&self, path: &str, trust: bool, dry_run: bool) -> Reply<BundlePlan> {
        let lang = self.lang();
        let dir = self.data_dir().to_path_buf();
        self.with_store(|s, a| {
            let bundle = read_bundle_file(path)?;
            s.bundle_import(
                a,
                &dir,
                &bundle,
                &file_name(path),
                crate::store::exchange::ImportOptions { trust, dry_run },
                lang,
            )
        })
    }

    /// The conflicts kept apart at import, unsettled first.
    pub fn exchange_conflicts(&self) -> Reply<Vec<ExchangeConflict>> {
        self.with_store(|s, _| s.exchange_conflicts())
    }

    /// Settles a conflict: keep the copy here, or take the incoming record.
    pub fn resolve_conflict(&self, id: &str, how: ConflictResolution) -> Reply<ExchangeConflict> {
        self.with_store(|s, a| s.resolve_conflict(a, id, how))
    }
}
