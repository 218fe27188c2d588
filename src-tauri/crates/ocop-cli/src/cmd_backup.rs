//! `ocop backup create --out FILE`, `ocop backup verify FILE`, `ocop backup restore FILE --yes`.
//!
//! `create` and `verify` print the backup's `BackupInfo` (`--json`), `restore` the
//! `RestoreReport`. Without `--yes`, `restore` checks the file and refuses with what it holds
//! (`backup.confirm_needed`, exit 2): nothing is written. A damaged, truncated, altered or newer
//! backup is refused (exit 2) with its code (`backup.member_damaged`, …).

use std::path::Path;

use ocop_core::backup::{self, BackupInfo};
use ocop_core::{CoreError, Lang};

use crate::to_json;

const ACTOR: &str = "ocop (dòng lệnh)";

pub fn create(data_dir: &Path, out: &Path, json: bool, lang: Lang) -> Result<String, CoreError> {
    // Opening migrates a database left by an older build, so the backup is of this schema.
    drop(ocop_core::store::Store::open_data_dir(data_dir)?);
    let info = backup::create(data_dir, out, chrono::Utc::now())?;
    Ok(if json {
        to_json(&info)
    } else {
        describe(&info, lang)
    })
}

pub fn verify(file: &Path, json: bool, lang: Lang) -> Result<String, CoreError> {
    let info = backup::inspect(file)?;
    Ok(if json {
        to_json(&info)
    } else {
        describe(&info, lang)
    })
}

pub fn restore(
    data_dir: &Path,
    file: &Path,
    yes: bool,
    json: bool,
    lang: Lang,
) -> Result<String, CoreError> {
    if !yes {
        // Not even the data directory's database is opened (or created).
        return Err(backup::unconfirmed(file));
    }
    let mut store = ocop_core::store::Store::open_data_dir(data_dir)?;
    let report = backup::restore(&mut store, data_dir, file, yes, ACTOR, chrono::Utc::now())?;
    if json {
        return Ok(to_json(&report));
    }
    let en = lang == Lang::En;
    let mut out = vec![describe(&report.restored, lang)];
    out.push(match (&report.safety_copy, &report.kept_aside, en) {
        (Some(s), _, false) => {
            format!("Đã khôi phục. Dữ liệu trước đó được sao lưu vào {}", s.path)
        }
        (Some(s), _, true) => format!("Restored. The data it replaced was backed up to {}", s.path),
        (None, Some(d), false) => {
            format!("Đã khôi phục. Các tệp dữ liệu trước đó được giữ trong {d}")
        }
        (None, Some(d), true) => {
            format!("Restored. The files of the data it replaced are kept in {d}")
        }
        (None, None, false) => "Đã khôi phục.".into(),
        (None, None, true) => "Restored.".into(),
    });
    Ok(out.join("\n"))
}

fn describe(i: &BackupInfo, lang: Lang) -> String {
    let c = &i.counts;
    let office = i
        .office
        .as_ref()
        .map(|o| format!("{} ({})", o.name, o.fingerprint));
    let mut out = Vec::new();
    if lang == Lang::En {
        out.push(format!("Backup: {} ({} bytes)", i.path, i.size));
        out.push(format!(
            "Made at {} by version {} (format {}, database {})",
            i.created_at, i.app_version, i.backup_format, i.schema_version
        ));
        out.push(format!("Office: {}", office.unwrap_or_else(|| "—".into())));
        out.push(format!(
            "Rounds: {}; products: {}; certificates: {}; registry entries: {}; attachments: {}",
            c.rounds, c.products, c.certificates, c.registry_entries, c.attachments
        ));
        if !i.missing_attachments.is_empty() {
            out.push(format!(
                "Attachments missing when it was made: {}",
                i.missing_attachments.join(", ")
            ));
        }
        if i.verified {
            out.push("Intact: every hash and the database check are right.".into());
        }
    } else {
        out.push(format!("Bản sao lưu: {} ({} byte)", i.path, i.size));
        out.push(format!(
            "Lập lúc {} bởi phiên bản {} (định dạng {}, cơ sở dữ liệu {})",
            i.created_at, i.app_version, i.backup_format, i.schema_version
        ));
        out.push(format!("Cơ quan: {}", office.unwrap_or_else(|| "—".into())));
        out.push(format!(
            "Đợt đánh giá: {}; sản phẩm: {}; giấy chứng nhận: {}; sổ theo dõi: {}; tệp đính kèm: {}",
            c.rounds, c.products, c.certificates, c.registry_entries, c.attachments
        ));
        if !i.missing_attachments.is_empty() {
            out.push(format!(
                "Tệp đính kèm thiếu khi sao lưu: {}",
                i.missing_attachments.join(", ")
            ));
        }
        if i.verified {
            out.push("Nguyên vẹn: mọi mã băm và kiểm tra cơ sở dữ liệu đều đúng.".into());
        }
    }
    out.join("\n")
}
