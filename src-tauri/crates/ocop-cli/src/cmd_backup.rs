//! `ocop backup create --out FILE`, `ocop backup verify FILE`, `ocop backup restore FILE --yes`,
//! `ocop backup list`, `ocop backup auto`.
//!
//! `create` and `verify` print the backup's `BackupInfo` (`--json`), `restore` the
//! `RestoreReport`, `list` the `BackupEntry` list the app shows (newest first; a file that does
//! not read is listed with its `problem`), `auto` the `AutoBackupReport` of the daily backup the
//! app makes every hour (a chosen folder that is missing is a `problem` in the report, not a
//! failure: the backup in the data directory is what decides the exit code). Without `--yes`, `restore` checks the file and refuses with what it holds
//! (`backup.confirm_needed`, exit 2): nothing is written. A damaged, truncated, altered or newer
//! backup is refused (exit 2) with its code (`backup.member_damaged`, …).

use std::path::Path;

use ocop_core::backup::{
    self, AutoBackupPlace, BackupCounts, BackupEntry, BackupInfo, BackupKind, BackupPlace,
};
use ocop_core::store::Store;
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

/// The backups in `<data dir>/backups/` and in the chosen folder of the stored settings.
pub fn list(data_dir: &Path, json: bool, lang: Lang) -> Result<String, CoreError> {
    let settings = Store::open_data_dir(data_dir)?.backup_settings()?;
    let folder = settings.folder.as_deref().map(Path::new);
    let entries = backup::list(data_dir, folder, lang);
    if json {
        return Ok(to_json(&entries));
    }
    let en = lang == Lang::En;
    let mut out: Vec<String> = entries.iter().map(|e| entry_line(e, lang)).collect();
    if out.is_empty() {
        out.push(if en {
            "No backups yet.".into()
        } else {
            "Chưa có bản sao lưu nào.".into()
        });
    }
    if let Some(f) = folder.filter(|f| !f.is_dir()) {
        out.push(if en {
            format!(
                "The chosen folder {} is not there (USB stick unplugged?)",
                f.display()
            )
        } else {
            format!(
                "Không thấy thư mục đã chọn {} (ổ USB chưa cắm?)",
                f.display()
            )
        });
    }
    Ok(out.join("\n"))
}

/// Makes the daily backup where it is due, as the app does every hour.
pub fn auto(data_dir: &Path, json: bool, lang: Lang) -> Result<String, CoreError> {
    // Opening recovers an interrupted restore and migrates, so the backup is of this schema.
    let settings = Store::open_data_dir(data_dir)?.backup_settings()?;
    let report = backup::auto_backup_if_due(data_dir, &settings, chrono::Utc::now(), lang)?;
    if json {
        return Ok(to_json(&report));
    }
    let mut out = place_lines(&report.local, BackupPlace::Local, lang);
    if let Some(f) = &report.folder {
        out.extend(place_lines(f, BackupPlace::Folder, lang));
    }
    Ok(out.join("\n"))
}

fn place_lines(p: &AutoBackupPlace, place: BackupPlace, lang: Lang) -> Vec<String> {
    let en = lang == Lang::En;
    let what = match (&p.problem, &p.made, en) {
        (Some(e), _, _) => e.message.clone(),
        (None, Some(i), false) => format!(
            "đã sao lưu vào {} ({} byte; {})",
            i.path,
            i.size,
            counts_text(&i.counts, lang)
        ),
        (None, Some(i), true) => format!(
            "backed up to {} ({} bytes; {})",
            i.path,
            i.size,
            counts_text(&i.counts, lang)
        ),
        (None, None, false) => "chưa đến hạn (bản mới nhất chưa quá một ngày)".into(),
        (None, None, true) => "not due (the newest backup is less than a day old)".into(),
    };
    let mut out = vec![format!(
        "{} ({}): {what}",
        capitalised(place_text(place, lang)),
        p.dir
    )];
    for path in &p.pruned {
        out.push(if en {
            format!("  removed the old backup {path}")
        } else {
            format!("  đã xóa bản cũ {path}")
        });
    }
    out
}

/// One backup on one line: date, place, kind, size, what it holds or why it does not read, file.
fn entry_line(e: &BackupEntry, lang: Lang) -> String {
    let en = lang == Lang::En;
    let date = e.info.as_ref().map_or("—", |i| i.created_at.as_str());
    let kind = match (e.kind, en) {
        (BackupKind::Auto, false) => "tự động",
        (BackupKind::Auto, true) => "automatic",
        (BackupKind::BeforeRestore, false) => "trước khi khôi phục",
        (BackupKind::BeforeRestore, true) => "before a restore",
        (BackupKind::Other, false) => "khác",
        (BackupKind::Other, true) => "other",
    };
    let size = if en {
        format!("{} bytes", e.size)
    } else {
        format!("{} byte", e.size)
    };
    let what = match (&e.info, &e.problem) {
        (Some(i), _) => counts_text(&i.counts, lang),
        (None, Some(p)) if en => format!("problem: {}", p.message),
        (None, Some(p)) => format!("lỗi: {}", p.message),
        (None, None) => "—".into(),
    };
    format!(
        "{date} · {} · {kind} · {size} · {what} · {}",
        place_text(e.place, lang),
        e.path
    )
}

fn place_text(place: BackupPlace, lang: Lang) -> &'static str {
    match (place, lang == Lang::En) {
        (BackupPlace::Local, false) => "thư mục dữ liệu",
        (BackupPlace::Local, true) => "data directory",
        (BackupPlace::Folder, false) => "thư mục đã chọn",
        (BackupPlace::Folder, true) => "chosen folder",
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn counts_text(c: &BackupCounts, lang: Lang) -> String {
    if lang == Lang::En {
        format!(
            "rounds {}, products {}, certificates {}, registry entries {}, attachments {}",
            c.rounds, c.products, c.certificates, c.registry_entries, c.attachments
        )
    } else {
        format!(
            "đợt {}, sản phẩm {}, giấy chứng nhận {}, sổ theo dõi {}, tệp đính kèm {}",
            c.rounds, c.products, c.certificates, c.registry_entries, c.attachments
        )
    }
}

fn describe(i: &BackupInfo, lang: Lang) -> String {
    let c = &i.counts;
    let office = i
        .office
        .as_ref()
        .map(|o| format!("{} ({})", o.name, o.fingerprint));
    let t = |vi: &'static str, en: &'static str| if lang == Lang::En { en } else { vi };
    let mut out = vec![
        format!(
            "{}: {} ({} byte{})",
            t("Bản sao lưu", "Backup"),
            i.path,
            i.size,
            t("", "s")
        ),
        format!(
            "{} {} {} {} ({} {}, {} {})",
            t("Lập lúc", "Made at"),
            i.created_at,
            t("bởi phiên bản", "by version"),
            i.app_version,
            t("định dạng", "format"),
            i.backup_format,
            t("cơ sở dữ liệu", "database"),
            i.schema_version
        ),
        format!(
            "{}: {}",
            t("Cơ quan", "Office"),
            office.unwrap_or_else(|| "—".into())
        ),
        format!(
            "{}: {}; {}: {}; {}: {}; {}: {}; {}: {}",
            t("Đợt đánh giá", "Rounds"),
            c.rounds,
            t("sản phẩm", "products"),
            c.products,
            t("giấy chứng nhận", "certificates"),
            c.certificates,
            t("sổ theo dõi", "registry entries"),
            c.registry_entries,
            t("tệp đính kèm", "attachments"),
            c.attachments
        ),
    ];
    if !i.missing_attachments.is_empty() {
        out.push(format!(
            "{}: {}",
            t(
                "Tệp đính kèm thiếu khi sao lưu",
                "Attachments missing when it was made"
            ),
            i.missing_attachments.join(", ")
        ));
    }
    if i.verified {
        out.push(
            t(
                "Nguyên vẹn: mọi mã băm và kiểm tra cơ sở dữ liệu đều đúng.",
                "Intact: every hash and the database check are right.",
            )
            .into(),
        );
    }
    out.join("\n")
}
