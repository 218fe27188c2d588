//! Backups of an installation: one zip file holding a consistent copy of the database (SQLite's
//! online backup API) and every attachment it refers to, with a manifest that names each member's
//! size and SHA-256.
//!
//! A backup is written to a temporary file in the target folder, read back and checked in full
//! (every hash, `PRAGMA integrity_check` on the database, the manifest's counts against the
//! database) and only then renamed into place. Reading one checks the same things before anything
//! is used. A restore checks the file, extracts it beside the data, saves the current data as a
//! backup first, then swaps the database and the attachments in; if anything fails the current
//! data stays. It never merges. Rotating automatic backups go to `<data dir>/backups/` and to a
//! chosen folder (a USB stick).
//!
//! The SQL (the online backup, the checks, the counts, the settings) is in `store/backup.rs`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use crate::app_backup::{
    AutoBackupPlace, AutoBackupReport, AutoBackupStatus, BackupCounts, BackupEntry, BackupInfo,
    BackupKind, BackupOffice, BackupPlace, BackupSettings, RestoreReport,
};
use crate::error::{CoreError, Lang, Result};
use crate::store::{self, Store, DB_FILE, SCHEMA_VERSION};

/// The backup file format this build writes and the newest it reads.
pub const FORMAT: u32 = 1;
/// The format of the backup types the UI and the CLI see.
pub const IPC_FORMAT: u32 = 1;
/// The manifest's name in the zip.
pub const MANIFEST: &str = "manifest.json";
/// The database's name in the zip.
pub const DB_MEMBER: &str = "database.sqlite";
const ATTACHMENTS: &str = "attachments";
/// The folder of the automatic backups inside the data directory.
pub const LOCAL_DIR: &str = "backups";
/// How many automatic backups are kept unless the user chooses.
pub const DEFAULT_KEEP: u32 = 7;
pub const MAX_KEEP: u32 = 100;
const AUTO_PREFIX: &str = "ocop-auto-";
const BEFORE_RESTORE_PREFIX: &str = "ocop-before-restore-";
const EXTENSION: &str = ".zip";
const STAMP: &str = "%Y%m%d-%H%M%S";
/// A manifest larger than this is not ours.
const MANIFEST_LIMIT: u64 = 16 << 20;

pub mod msg {
    crate::messages! {
        NOT_A_BACKUP = "backup.not_a_backup" {
            vi: "Tệp {file} không phải bản sao lưu của ứng dụng, hoặc đã bị hỏng hay bị cắt cụt ({detail})",
            en: "The file {file} is not a backup of this application, or it is damaged or truncated ({detail})",
        }
        NO_MANIFEST = "backup.no_manifest" {
            vi: "Tệp {file} không có bảng kê (manifest.json) nên không phải bản sao lưu dùng được",
            en: "The file {file} has no manifest (manifest.json), so it is not a usable backup",
        }
        MANIFEST_UNREADABLE = "backup.manifest_unreadable" {
            vi: "Bảng kê của bản sao lưu {file} không đọc được: {detail}",
            en: "The manifest of the backup {file} cannot be read: {detail}",
        }
        NEWER_FORMAT = "backup.newer_format" {
            vi: "Bản sao lưu {file} có định dạng {found}, mới hơn định dạng mà ứng dụng này đọc được ({supported}); hãy cập nhật ứng dụng",
            en: "The backup {file} is in format {found}, newer than this application reads ({supported}); please update the application",
        }
        NEWER_SCHEMA = "backup.newer_schema" {
            vi: "Bản sao lưu {file} do phiên bản mới hơn của ứng dụng tạo ra (cơ sở dữ liệu {found}, ứng dụng này {supported}); hãy cập nhật ứng dụng",
            en: "The backup {file} was made by a newer version of the application (database {found}, this application {supported}); please update the application",
        }
        BAD_MEMBER = "backup.bad_member" {
            vi: "Bản sao lưu {file} có mục không hợp lệ '{name}'; bản sao lưu bị từ chối",
            en: "The backup {file} has an invalid entry '{name}'; the backup is refused",
        }
        MISSING_MEMBER = "backup.missing_member" {
            vi: "Bản sao lưu {file} thiếu '{name}' mà bảng kê liệt kê; bản sao lưu không đầy đủ",
            en: "The backup {file} lacks '{name}', which its manifest lists; the backup is incomplete",
        }
        EXTRA_MEMBER = "backup.extra_member" {
            vi: "Bản sao lưu {file} có '{name}' không có trong bảng kê; bản sao lưu đã bị thay đổi",
            en: "The backup {file} holds '{name}', which its manifest does not list; the backup was altered",
        }
        DUPLICATE_MEMBER = "backup.duplicate_member" {
            vi: "Bản sao lưu {file} có mục '{name}' lặp lại; bản sao lưu đã bị thay đổi",
            en: "The backup {file} holds the entry '{name}' twice; the backup was altered",
        }
        MEMBER_DAMAGED = "backup.member_damaged" {
            vi: "Mục '{name}' trong bản sao lưu {file} bị hỏng hoặc đã bị sửa (kích thước hoặc mã băm SHA-256 không khớp)",
            en: "The entry '{name}' of the backup {file} is damaged or was altered (its size or SHA-256 does not match)",
        }
        DB_DAMAGED = "backup.db_damaged" {
            vi: "Cơ sở dữ liệu trong bản sao lưu {file} bị hỏng: {detail}",
            en: "The database in the backup {file} is damaged: {detail}",
        }
        CONTENTS_MISMATCH = "backup.contents_mismatch" {
            vi: "Nội dung bản sao lưu {file} không khớp với bảng kê ({what}); bản sao lưu đã bị thay đổi",
            en: "The contents of the backup {file} do not match its manifest ({what}); the backup was altered",
        }
        CONFIRM_NEEDED = "backup.confirm_needed" {
            vi: "Chưa khôi phục: bản sao lưu {file} lập lúc {created} có {rounds} đợt đánh giá, {products} sản phẩm, {certificates} giấy chứng nhận. Khôi phục sẽ thay toàn bộ dữ liệu hiện tại (dữ liệu hiện tại được sao lưu trước); hãy xác nhận (dòng lệnh: --yes)",
            en: "Not restored: the backup {file} made at {created} holds {rounds} rounds, {products} products, {certificates} certificates. Restoring replaces all current data (which is backed up first); confirm to go on (command line: --yes)",
        }
        NO_DATABASE = "backup.no_database" {
            vi: "Thư mục dữ liệu {dir} chưa có cơ sở dữ liệu để sao lưu",
            en: "The data directory {dir} has no database to back up",
        }
        SOURCE_DAMAGED = "backup.source_damaged" {
            vi: "Cơ sở dữ liệu hiện tại bị hỏng ({detail}); bản sao lưu không được tạo. Hãy khôi phục từ một bản sao lưu trước đó",
            en: "The current database is damaged ({detail}); no backup was made. Restore an earlier backup",
        }
        NEEDS_DATA_DIR = "backup.needs_data_dir" {
            vi: "Sao lưu và khôi phục cần thư mục dữ liệu (cơ sở dữ liệu trong bộ nhớ không sao lưu được)",
            en: "Backup and restore need a data directory (an in-memory database cannot be backed up)",
        }
        FOLDER_MISSING = "backup.folder_missing" {
            vi: "Không thấy thư mục sao lưu {folder} (ổ USB chưa cắm?); bản sao lưu trong thư mục dữ liệu vẫn được tạo",
            en: "The backup folder {folder} is not there (USB stick unplugged?); the backup in the data directory is still made",
        }
        FOLDER_NOT_FOUND = "backup.folder_not_found" {
            vi: "Thư mục {folder} không có; hãy chọn một thư mục có sẵn (ví dụ trên ổ USB)",
            en: "The folder {folder} does not exist; choose an existing folder (on a USB stick, say)",
        }
        BAD_KEEP = "backup.bad_keep" {
            vi: "Số bản sao lưu giữ lại phải từ 1 đến {max} (đã nhập {keep})",
            en: "The number of backups to keep must be from 1 to {max} (given {keep})",
        }
        RESTORE_FAILED = "backup.restore_failed" {
            vi: "Khôi phục không thành công ({detail}); dữ liệu hiện tại được giữ nguyên",
            en: "The restore failed ({detail}); the current data was kept",
        }
    }
}

/// A backup's `manifest.json` (file format 1): what the file holds and how to check it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub app_version: String,
    /// `PRAGMA user_version` of the database inside.
    pub schema_version: i64,
    /// When the backup was made, UTC, RFC 3339.
    pub created_at: String,
    pub office: Option<ManifestOffice>,
    pub counts: ManifestCounts,
    /// Attachments the database lists whose file was missing or damaged when the backup was made.
    #[serde(default)]
    pub missing_attachments: Vec<String>,
    /// Every member but the manifest.
    pub members: Vec<ManifestMember>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManifestOffice {
    pub name: String,
    pub fingerprint: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ManifestCounts {
    pub rounds: u64,
    pub products: u64,
    pub certificates: u64,
    pub registry_entries: u64,
    pub attachments: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManifestMember {
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> CoreError + '_ {
    move |e| CoreError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

fn zip_write_err(path: &Path) -> impl Fn(zip::result::ZipError) -> CoreError + '_ {
    move |e| CoreError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

/// `<data dir>/backups`.
pub fn local_dir(data_dir: &Path) -> PathBuf {
    data_dir.join(LOCAL_DIR)
}

/// The file name of an automatic or a pre-restore backup made at `at`.
pub fn file_name(kind: BackupKind, at: DateTime<Utc>) -> String {
    let prefix = match kind {
        BackupKind::BeforeRestore => BEFORE_RESTORE_PREFIX,
        _ => AUTO_PREFIX,
    };
    format!("{prefix}{}{EXTENSION}", at.format(STAMP))
}

/// The kind and time a backup's file name gives (`None`: not one this app names).
fn parse_name(name: &str) -> Option<(BackupKind, NaiveDateTime)> {
    let stem = name.strip_suffix(EXTENSION)?;
    let (kind, stamp) = if let Some(s) = stem.strip_prefix(AUTO_PREFIX) {
        (BackupKind::Auto, s)
    } else if let Some(s) = stem.strip_prefix(BEFORE_RESTORE_PREFIX) {
        (BackupKind::BeforeRestore, s)
    } else {
        return None;
    };
    // A second backup of the same second gets `-2`, `-3`… after the time.
    let (stamp, suffix) = stamp.split_at(stamp.len().min(15));
    if !(suffix.is_empty()
        || suffix
            .strip_prefix('-')
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())))
    {
        return None;
    }
    NaiveDateTime::parse_from_str(stamp, STAMP)
        .ok()
        .map(|t| (kind, t))
}

/// `dir/name`, or `dir/<name>-2.zip`, `-3`… when that file exists already.
fn unused(dir: &Path, name: &str) -> PathBuf {
    let stem = name.strip_suffix(EXTENSION).unwrap_or(name);
    let mut path = dir.join(name);
    let mut n = 2;
    while path.exists() {
        path = dir.join(format!("{stem}-{n}{EXTENSION}"));
        n += 1;
    }
    path
}

/// A member's name: the database, or an attachment `attachments/ab/abcd…` (64 lowercase hex
/// digits, the first two naming its folder). Returns the attachment's hash; `Err` for any other.
fn member_kind(path: &str) -> std::result::Result<Option<&str>, ()> {
    if path == DB_MEMBER {
        return Ok(None);
    }
    let mut parts = path.split('/');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(ATTACHMENTS), Some(dir), Some(hash), None)
            if is_sha256(hash) && hash.starts_with(dir) && dir.len() == 2 =>
        {
            Ok(Some(hash))
        }
        _ => Err(()),
    }
}

fn is_sha256(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn attachment_member(sha256: &str) -> String {
    format!("{ATTACHMENTS}/{}/{sha256}", &sha256[..2])
}

/// Copies `from` into `to` while hashing: (bytes, SHA-256). A read error is `Err(Ok(e))`, a write
/// error `Err(Err(e))`, so that a damaged member and a full disk are told apart.
fn copy_hashed(
    from: &mut impl Read,
    to: &mut impl Write,
) -> std::result::Result<(u64, String), std::result::Result<std::io::Error, std::io::Error>> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut n = 0u64;
    loop {
        let k = match from.read(&mut buf) {
            Ok(0) => break,
            Ok(k) => k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Ok(e)),
        };
        hasher.update(&buf[..k]);
        to.write_all(&buf[..k]).map_err(Err)?;
        n += k as u64;
    }
    to.flush().map_err(Err)?;
    Ok((n, hex::encode(hasher.finalize())))
}

fn hash_file(path: &Path) -> std::io::Result<(u64, String)> {
    let mut f = File::open(path)?;
    copy_hashed(&mut f, &mut std::io::sink()).map_err(|e| match e {
        Ok(e) | Err(e) => e,
    })
}

/// Makes a backup of the data directory's database and attachments into `out`, checked in full
/// before it is renamed into place. The database is copied with the online backup API, so the
/// app may go on working meanwhile.
pub fn create(data_dir: &Path, out: &Path, now: DateTime<Utc>) -> Result<BackupInfo> {
    let db = data_dir.join(DB_FILE);
    if !db.is_file() {
        return Err(msg::NO_DATABASE.with("dir", data_dir.display()));
    }
    let folder = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&folder).map_err(io_err(&folder))?;
    let work = tempfile::Builder::new()
        .prefix(".ocop-backup-")
        .tempdir_in(&folder)
        .map_err(io_err(&folder))?;
    let snap = work.path().join(DB_MEMBER);
    store::backup::snapshot(&db, &snap)?;
    let facts = store::backup::facts(&snap)?;
    if facts.integrity != "ok" {
        return Err(msg::SOURCE_DAMAGED.with("detail", &facts.integrity));
    }
    let part = work.path().join("backup.zip.part");
    let mut members = Vec::new();
    let mut missing = Vec::new();
    {
        let file = File::create(&part).map_err(io_err(&part))?;
        let mut zip = zip::ZipWriter::new(BufWriter::new(file));
        let deflate = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        let mut add = |zip: &mut zip::ZipWriter<BufWriter<File>>,
                       name: String,
                       src: &Path,
                       options: zip::write::SimpleFileOptions|
         -> Result<(u64, String)> {
            let size = std::fs::metadata(src).map_err(io_err(src))?.len();
            zip.start_file(&name, options.large_file(size >= u32::MAX as u64))
                .map_err(zip_write_err(&part))?;
            let mut f = File::open(src).map_err(io_err(src))?;
            let (n, sha) = copy_hashed(&mut f, zip).map_err(|e| match e {
                Ok(e) => io_err(src)(e),
                Err(e) => io_err(&part)(e),
            })?;
            members.push(ManifestMember {
                path: name,
                size: n,
                sha256: sha.clone(),
            });
            Ok((n, sha))
        };
        add(&mut zip, DB_MEMBER.into(), &snap, deflate)?;
        for sha in &facts.attachments {
            if !is_sha256(sha) {
                missing.push(sha.clone());
                continue;
            }
            let path = store::rounds::attachment_path(data_dir, sha);
            // Only a file that still is what its address says goes in (checked again below).
            match hash_file(&path) {
                Ok((_, h)) if h == *sha => {
                    let (_, written) = add(&mut zip, attachment_member(sha), &path, stored)?;
                    if written != *sha {
                        return Err(CoreError::Io {
                            path: path.display().to_string(),
                            reason: "the file changed while it was copied".into(),
                        });
                    }
                }
                _ => missing.push(sha.clone()),
            }
        }
        let manifest = Manifest {
            format: FORMAT,
            app_version: env!("CARGO_PKG_VERSION").into(),
            schema_version: facts.schema_version,
            created_at: now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            office: facts
                .office
                .clone()
                .map(|(name, fingerprint)| ManifestOffice { name, fingerprint }),
            counts: ManifestCounts {
                rounds: facts.rounds,
                products: facts.products,
                certificates: facts.certificates,
                registry_entries: facts.registry_entries,
                attachments: members.len() as u64 - 1,
            },
            missing_attachments: missing,
            members,
        };
        zip.start_file(MANIFEST, deflate)
            .map_err(zip_write_err(&part))?;
        let text = serde_json::to_vec_pretty(&manifest).expect("manifest serialises");
        zip.write_all(&text).map_err(io_err(&part))?;
        let writer = zip.finish().map_err(zip_write_err(&part))?;
        let file = writer
            .into_inner()
            .map_err(|e| io_err(&part)(e.into_error()))?;
        file.sync_all().map_err(io_err(&part))?;
    }
    // Read back what was written, exactly as a restore would.
    let mut info = read(&part, None)?;
    std::fs::rename(&part, out).map_err(io_err(out))?;
    info.path = out.display().to_string();
    Ok(info)
}

/// Reads a backup and checks it in full without writing anything beside it (the database is
/// checked in a temporary folder): every member against the manifest, `PRAGMA integrity_check`,
/// the manifest's counts against the database. A damaged, truncated, altered or newer backup is
/// refused with a coded error.
pub fn inspect(file: &Path) -> Result<BackupInfo> {
    read(file, None)
}

/// What the manifest says, without checking the members (the list of backups).
pub fn peek(file: &Path) -> Result<BackupInfo> {
    let f = File::open(file).map_err(io_err(file))?;
    let size = f.metadata().map_err(io_err(file))?.len();
    let mut zip = open_zip(file, f)?;
    let manifest = read_manifest(&mut zip, file)?;
    Ok(info_of(&manifest, file, size, false))
}

fn open_zip(file: &Path, f: File) -> Result<zip::ZipArchive<BufReader<File>>> {
    let zip = zip::ZipArchive::new(BufReader::new(f)).map_err(|e| {
        msg::NOT_A_BACKUP
            .with("file", file.display())
            .with("detail", e)
    })?;
    Ok(zip)
}

fn read_manifest(zip: &mut zip::ZipArchive<BufReader<File>>, file: &Path) -> Result<Manifest> {
    let fname = file.display().to_string();
    let unreadable = |detail: String| {
        msg::MANIFEST_UNREADABLE
            .with("file", &fname)
            .with("detail", detail)
    };
    let index = zip
        .file_names_raw()
        .position(|n| n == MANIFEST.as_bytes())
        .ok_or_else(|| msg::NO_MANIFEST.with("file", &fname))?;
    let mut text = Vec::new();
    {
        let entry = zip
            .by_index(index)
            .map_err(|e| msg::NOT_A_BACKUP.with("file", &fname).with("detail", e))?;
        entry
            .take(MANIFEST_LIMIT + 1)
            .read_to_end(&mut text)
            .map_err(|_| {
                msg::MEMBER_DAMAGED
                    .with("file", &fname)
                    .with("name", MANIFEST)
            })?;
    }
    if text.len() as u64 > MANIFEST_LIMIT {
        return Err(unreadable("too large".into()));
    }
    let value: serde_json::Value =
        serde_json::from_slice(&text).map_err(|e| unreadable(e.to_string()))?;
    let format = value
        .get("format")
        .and_then(|f| f.as_u64())
        .ok_or_else(|| unreadable("no format".into()))?;
    if format > FORMAT as u64 {
        return Err(msg::NEWER_FORMAT
            .with("file", &fname)
            .with("found", format)
            .with("supported", FORMAT));
    }
    let manifest: Manifest =
        serde_json::from_value(value).map_err(|e| unreadable(e.to_string()))?;
    if manifest.schema_version > SCHEMA_VERSION {
        return Err(msg::NEWER_SCHEMA
            .with("file", &fname)
            .with("found", manifest.schema_version)
            .with("supported", SCHEMA_VERSION));
    }
    Ok(manifest)
}

fn info_of(m: &Manifest, file: &Path, size: u64, verified: bool) -> BackupInfo {
    let n = |v: u64| v.min(u32::MAX as u64) as u32;
    BackupInfo {
        format: IPC_FORMAT,
        path: file.display().to_string(),
        size,
        created_at: m.created_at.clone(),
        app_version: m.app_version.clone(),
        backup_format: m.format,
        schema_version: m.schema_version.max(0) as u32,
        office: m.office.as_ref().map(|o| BackupOffice {
            name: o.name.clone(),
            fingerprint: o.fingerprint.clone(),
        }),
        counts: BackupCounts {
            rounds: n(m.counts.rounds),
            products: n(m.counts.products),
            certificates: n(m.counts.certificates),
            registry_entries: n(m.counts.registry_entries),
            attachments: n(m.counts.attachments),
        },
        missing_attachments: m.missing_attachments.clone(),
        verified,
    }
}

/// Reads and checks a backup. With `into`, the database (as `ocop-council.sqlite`) and the
/// attachments (`attachments/ab/…`) are extracted there as they are checked; without, only the
/// database is, into a temporary folder that is removed.
fn read(file: &Path, into: Option<&Path>) -> Result<BackupInfo> {
    let fname = file.display().to_string();
    let f = File::open(file).map_err(io_err(file))?;
    let size = f.metadata().map_err(io_err(file))?.len();
    let mut zip = open_zip(file, f)?;
    let manifest = read_manifest(&mut zip, file)?;
    let damaged = |name: &str| msg::MEMBER_DAMAGED.with("file", &fname).with("name", name);

    // The members the manifest lists: each named as the format says, once, the database among them.
    let mut listed: BTreeMap<&str, &ManifestMember> = BTreeMap::new();
    for m in &manifest.members {
        if member_kind(&m.path).is_err() {
            return Err(msg::BAD_MEMBER.with("file", &fname).with("name", &m.path));
        }
        if listed.insert(&m.path, m).is_some() {
            return Err(msg::DUPLICATE_MEMBER
                .with("file", &fname)
                .with("name", &m.path));
        }
    }
    if !listed.contains_key(DB_MEMBER) {
        return Err(msg::MISSING_MEMBER
            .with("file", &fname)
            .with("name", DB_MEMBER));
    }
    // The zip holds exactly those and the manifest, each once.
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    for (i, raw) in zip.file_names_raw().enumerate() {
        let name = String::from_utf8_lossy(raw).into_owned();
        if name != MANIFEST && !listed.contains_key(name.as_str()) {
            return Err(msg::EXTRA_MEMBER.with("file", &fname).with("name", name));
        }
        if index.insert(name.clone(), i).is_some() {
            return Err(msg::DUPLICATE_MEMBER
                .with("file", &fname)
                .with("name", name));
        }
    }
    if zip.has_duplicate_names() {
        return Err(msg::DUPLICATE_MEMBER.with("file", &fname).with("name", "?"));
    }

    let scratch;
    let db_dir = match into {
        Some(dir) => dir.to_path_buf(),
        None => {
            scratch = tempfile::tempdir().map_err(io_err(&std::env::temp_dir()))?;
            scratch.path().to_path_buf()
        }
    };
    let db_path = db_dir.join(DB_FILE);
    let mut attachments = BTreeSet::new();
    for (path, m) in &listed {
        let i = *index
            .get(*path)
            .ok_or_else(|| msg::MISSING_MEMBER.with("file", &fname).with("name", *path))?;
        let mut entry = zip.by_index(i).map_err(|_| damaged(path))?;
        if entry.size() != m.size {
            return Err(damaged(path));
        }
        let hash = member_kind(path).expect("checked above");
        let dest = match (hash, into) {
            (None, _) => Some(db_path.clone()),
            (Some(_), Some(dir)) => Some(dir.join(path)),
            (Some(_), None) => None,
        };
        let mut limited = (&mut entry).take(m.size + 1);
        let copied = match &dest {
            Some(dest) => {
                if let Some(parent) = dest.parent() {
                    std::fs::create_dir_all(parent).map_err(io_err(parent))?;
                }
                let mut out = BufWriter::new(File::create(dest).map_err(io_err(dest))?);
                copy_hashed(&mut limited, &mut out)
            }
            None => copy_hashed(&mut limited, &mut std::io::sink()),
        };
        let (n, sha) = match copied {
            Ok(v) => v,
            Err(Ok(_)) => return Err(damaged(path)),
            Err(Err(e)) => return Err(io_err(dest.as_deref().unwrap_or(file))(e)),
        };
        if n != m.size || sha != m.sha256 || hash.is_some_and(|h| h != sha) {
            return Err(damaged(path));
        }
        if let Some(h) = hash {
            attachments.insert(h.to_string());
        }
    }

    let facts = store::backup::facts(&db_path).map_err(|e| {
        msg::DB_DAMAGED
            .with("file", &fname)
            .with("detail", e.message(Lang::En))
    })?;
    if facts.integrity != "ok" {
        return Err(msg::DB_DAMAGED
            .with("file", &fname)
            .with("detail", facts.integrity));
    }
    let mismatch = |what: &str| {
        msg::CONTENTS_MISMATCH
            .with("file", &fname)
            .with("what", what)
    };
    if facts.schema_version != manifest.schema_version {
        return Err(mismatch("schema_version"));
    }
    let c = &manifest.counts;
    if (
        facts.rounds,
        facts.products,
        facts.certificates,
        facts.registry_entries,
    ) != (c.rounds, c.products, c.certificates, c.registry_entries)
    {
        return Err(mismatch("counts"));
    }
    let mut expected: BTreeSet<String> = attachments.clone();
    expected.extend(manifest.missing_attachments.iter().cloned());
    if c.attachments != attachments.len() as u64
        || expected != facts.attachments.iter().cloned().collect::<BTreeSet<_>>()
    {
        return Err(mismatch("attachments"));
    }
    Ok(info_of(&manifest, file, size, true))
}

/// Replaces the data of `data_dir` (whose open store is `store`) with the backup `file`.
///
/// Without `confirm` it only checks the file and refuses with what it holds
/// (`backup.confirm_needed`): nothing is written. With it: the file is extracted beside the data
/// and checked, opened once (migrated to this build's schema), the current data is saved as a
/// backup in `<data dir>/backups/`, and the database and the attachments are swapped in; `store`
/// is then the restored database. If anything fails the current data stays and `store` is open
/// on it again. Nothing is merged: what the backup does not hold is gone from the data directory
/// (and kept in the pre-restore backup).
pub fn restore(
    store: &mut Store,
    data_dir: &Path,
    file: &Path,
    confirm: bool,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<RestoreReport> {
    if !confirm {
        return Err(unconfirmed(file));
    }
    std::fs::create_dir_all(data_dir).map_err(io_err(data_dir))?;
    let staging = tempfile::Builder::new()
        .prefix(".restore-")
        .tempdir_in(data_dir)
        .map_err(io_err(data_dir))?;
    let mut restored = read(file, Some(staging.path()))?;
    restored.path = file.display().to_string();
    // The restored database must open with this build (an older one is migrated here, in the
    // staging folder, where a failure touches nothing).
    drop(
        Store::open(&staging.path().join(DB_FILE))
            .map_err(|e| msg::RESTORE_FAILED.with("detail", e.message(Lang::En)))?,
    );
    // The current data first: a checked backup, or when the current database cannot be backed
    // up (it is damaged), its files themselves, kept aside below.
    let safety_path = unused(
        &local_dir(data_dir),
        &file_name(BackupKind::BeforeRestore, now),
    );
    let safety = create(data_dir, &safety_path, now).ok();
    let replaced = swap(store, data_dir, staging.path())?;
    let kept_aside = match safety {
        Some(_) => {
            let _ = std::fs::remove_dir_all(&replaced);
            None
        }
        None => {
            let aside = local_dir(data_dir).join(
                safety_path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .and_then(|n| n.strip_suffix(EXTENSION))
                    .unwrap_or("ocop-before-restore"),
            );
            let kept = std::fs::create_dir_all(local_dir(data_dir))
                .and_then(|_| std::fs::rename(&replaced, &aside));
            Some(if kept.is_ok() { aside } else { replaced })
        }
    };
    let safety_text = match (&safety, &kept_aside) {
        (Some(s), _) => s.path.clone(),
        (None, Some(dir)) => dir.display().to_string(),
        (None, None) => String::new(),
    };
    store.record_restore(actor, &restored.created_at, &restored.path, &safety_text)?;
    Ok(RestoreReport {
        format: IPC_FORMAT,
        restored,
        safety_copy: safety,
        kept_aside: kept_aside.map(|p| p.display().to_string()),
    })
}

/// Why a restore that was not confirmed does nothing: the file's own refusal when it does not
/// check, else `backup.confirm_needed` with its date and counts. Writes nothing.
pub fn unconfirmed(file: &Path) -> CoreError {
    match inspect(file) {
        Err(e) => e,
        Ok(info) => msg::CONFIRM_NEEDED
            .with("file", file.display())
            .with("created", &info.created_at)
            .with("rounds", info.counts.rounds)
            .with("products", info.counts.products)
            .with("certificates", info.counts.certificates),
    }
}

/// The files of a data directory that a restore replaces.
const DATA_FILES: [&str; 4] = [
    DB_FILE,
    "ocop-council.sqlite-wal",
    "ocop-council.sqlite-shm",
    ATTACHMENTS,
];

#[cfg(test)]
thread_local! {
    /// Makes the next swap fail after it has moved the files (to test that it puts them back).
    static FAIL_SWAP: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Makes the next swap stop after it has moved the files, undoing nothing (a crash).
    static CRASH_SWAP: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Moves the current database and attachments into a folder aside, the staged ones in, and opens
/// the store on them. On failure every move is undone and the store reopened on the current data.
/// Returns the folder holding the replaced files.
fn swap(store: &mut Store, data_dir: &Path, staging: &Path) -> Result<PathBuf> {
    let aside = data_dir.join(format!(".replaced-{}", store::new_id()));
    std::fs::create_dir(&aside).map_err(io_err(&aside))?;
    // The journal names the folder the current files go to: if the machine stops before the swap
    // is through, the next open puts them back (`recover_interrupted_restore`).
    let journal = data_dir.join(JOURNAL);
    let entry = Journal {
        format: 1,
        aside: aside
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default(),
        present: DATA_FILES
            .iter()
            .filter(|n| data_dir.join(n).symlink_metadata().is_ok())
            .map(|n| n.to_string())
            .collect(),
    };
    write_synced(
        &journal,
        serde_json::to_string(&entry)
            .expect("a journal serialises")
            .as_bytes(),
    )?;
    // Close the database before its files move (Windows cannot move an open file, and no
    // connection may write to a file that is no longer the data).
    drop(std::mem::replace(store, Store::closed()?));
    let mut moves: Vec<(PathBuf, PathBuf)> = Vec::new();
    let mut step = || -> Result<Store> {
        for name in DATA_FILES {
            let from = data_dir.join(name);
            if from.symlink_metadata().is_ok() {
                let to = aside.join(name);
                std::fs::rename(&from, &to).map_err(io_err(&from))?;
                moves.push((from, to));
            }
        }
        for name in DATA_FILES {
            let from = staging.join(name);
            if from.symlink_metadata().is_ok() {
                let to = data_dir.join(name);
                std::fs::rename(&from, &to).map_err(io_err(&from))?;
                moves.push((from, to));
            }
        }
        #[cfg(test)]
        if FAIL_SWAP.with(|f| f.replace(false)) {
            return Err(CoreError::internal("injected failure"));
        }
        #[cfg(test)]
        if CRASH_SWAP.with(|f| f.replace(false)) {
            // As if the machine stopped here: no undo, the journal stays.
            return Err(CoreError::internal("injected crash"));
        }
        Store::open_dir(data_dir)
    };
    match step() {
        Ok(s) => {
            *store = s;
            std::fs::remove_file(&journal).map_err(io_err(&journal))?;
            Ok(aside)
        }
        #[cfg(test)]
        Err(e) if e.message(Lang::En).contains("injected crash") => Err(e),
        Err(e) => {
            for (from, to) in moves.iter().rev() {
                let _ = std::fs::rename(to, from);
            }
            let _ = std::fs::remove_dir(&aside);
            let _ = std::fs::remove_file(&journal);
            *store = Store::open_dir(data_dir)?;
            Err(msg::RESTORE_FAILED.with("detail", e.message(Lang::En)))
        }
    }
}

/// The journal of a restore's swap, in the data directory while the swap runs.
const JOURNAL: &str = ".restore-journal.json";

#[derive(Serialize, Deserialize)]
struct Journal {
    format: u32,
    /// The folder (in the data directory) the current files were moved to.
    aside: String,
    /// The files the data directory had before the swap.
    present: Vec<String>,
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut f = File::create(path).map_err(io_err(path))?;
    f.write_all(bytes).map_err(io_err(path))?;
    f.sync_all().map_err(io_err(path))
}

/// Puts back the data a restore was replacing when the machine stopped in the middle of its
/// swap (a journal is left in the data directory): the restored files that made it are removed,
/// the current ones moved back from the folder aside. Called before the database is opened
/// when a process starts (`Store::open_data_dir`); returns the folder it recovered from, if it did. The backup file itself
/// is untouched, so the restore can simply be run again.
pub fn recover_interrupted_restore(data_dir: &Path) -> Result<Option<PathBuf>> {
    let journal = data_dir.join(JOURNAL);
    let Ok(text) = std::fs::read_to_string(&journal) else {
        return Ok(None);
    };
    let entry: Journal = serde_json::from_str(&text)
        .map_err(|e| msg::RESTORE_FAILED.with("detail", format!("{}: {e}", journal.display())))?;
    // Only a folder of this data directory, named as `swap` names them.
    if !entry.aside.starts_with(".replaced-") || entry.aside.contains(['/', '\\']) {
        return Err(
            msg::RESTORE_FAILED.with("detail", format!("{}: {}", journal.display(), entry.aside))
        );
    }
    let aside = data_dir.join(&entry.aside);
    // The current files go aside before any restored one comes in. Per file: one that was here
    // and is aside comes back (what stands in its place is restored data); one that was here and
    // is not aside never moved; one that was not here is restored data.
    let leftover = data_dir.join(format!(".interrupted-{}", store::new_id()));
    std::fs::create_dir(&leftover).map_err(io_err(&leftover))?;
    for name in DATA_FILES {
        let here = data_dir.join(name);
        let kept = aside.join(name);
        let was_here = entry.present.iter().any(|p| p == name);
        let moved_aside = kept.symlink_metadata().is_ok();
        if (!was_here || moved_aside) && here.symlink_metadata().is_ok() {
            std::fs::rename(&here, leftover.join(name)).map_err(io_err(&here))?;
        }
        if moved_aside {
            std::fs::rename(&kept, &here).map_err(io_err(&kept))?;
        }
    }
    let _ = std::fs::remove_dir_all(&leftover);
    let _ = std::fs::remove_dir(&aside);
    std::fs::remove_file(&journal).map_err(io_err(&journal))?;
    Ok(Some(aside))
}

/// Checks settings the user gives: 1 to [`MAX_KEEP`] backups; a folder that exists (blank: none).
pub fn check_settings(s: &BackupSettings) -> Result<BackupSettings> {
    if s.keep == 0 || s.keep > MAX_KEEP {
        return Err(msg::BAD_KEEP.with("keep", s.keep).with("max", MAX_KEEP));
    }
    let folder = s
        .folder
        .as_deref()
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .map(str::to_string);
    if let Some(f) = &folder {
        if !Path::new(f).is_dir() {
            return Err(msg::FOLDER_NOT_FOUND.with("folder", f));
        }
    }
    Ok(BackupSettings {
        format: IPC_FORMAT,
        keep: s.keep,
        folder,
    })
}

/// The automatic backups in `dir`, newest first, with the time their name gives.
fn autos_in(dir: &Path) -> Vec<(NaiveDateTime, PathBuf)> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_string();
            match parse_name(&name)? {
                (BackupKind::Auto, t) if e.path().is_file() => Some((t, e.path())),
                _ => None,
            }
        })
        .collect();
    out.sort_by(|a, b| b.cmp(a));
    out
}

/// Due when there is none, the newest is a day old or more, or it is from the future (a clock
/// that was wrong).
fn is_due(newest: Option<NaiveDateTime>, now: DateTime<Utc>) -> bool {
    match newest {
        None => true,
        Some(t) => {
            let now = now.naive_utc();
            now - t >= chrono::Duration::days(1) || t > now + chrono::Duration::minutes(5)
        }
    }
}

/// One place's automatic backup: makes one if due, then keeps the newest `keep`.
fn auto_in(data_dir: &Path, dir: &Path, keep: u32, now: DateTime<Utc>) -> Result<AutoBackupPlace> {
    std::fs::create_dir_all(dir).map_err(io_err(dir))?;
    let made = if is_due(autos_in(dir).first().map(|a| a.0), now) {
        Some(create(
            data_dir,
            &dir.join(file_name(BackupKind::Auto, now)),
            now,
        )?)
    } else {
        None
    };
    let mut pruned = Vec::new();
    for (_, path) in autos_in(dir).into_iter().skip(keep.max(1) as usize) {
        if std::fs::remove_file(&path).is_ok() {
            pruned.push(path.display().to_string());
        }
    }
    Ok(AutoBackupPlace {
        dir: dir.display().to_string(),
        made,
        pruned,
        problem: None,
    })
}

/// The automatic backup: in `<data dir>/backups/` and in the chosen folder, each made when the
/// newest there is a day old, then pruned to the newest `keep`. A chosen folder that is missing
/// (a USB stick not plugged in) or fails is reported in its place; the local backup still counts.
pub fn auto_backup_if_due(
    data_dir: &Path,
    settings: &BackupSettings,
    now: DateTime<Utc>,
    lang: Lang,
) -> Result<AutoBackupReport> {
    let local = auto_in(data_dir, &local_dir(data_dir), settings.keep, now)?;
    let folder = settings.folder.as_ref().map(|f| {
        let dir = PathBuf::from(f);
        let failed = |e: CoreError| AutoBackupPlace {
            dir: f.clone(),
            made: None,
            pruned: Vec::new(),
            problem: Some(e.to_dto(lang)),
        };
        if !dir.is_dir() {
            return failed(msg::FOLDER_MISSING.with("folder", f));
        }
        auto_in(data_dir, &dir, settings.keep, now).unwrap_or_else(failed)
    });
    Ok(AutoBackupReport {
        format: IPC_FORMAT,
        local,
        folder,
    })
}

fn stamp_text(t: NaiveDateTime) -> String {
    t.and_utc()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// When the automatic backups were last made and whether one is due.
pub fn status(data_dir: &Path, settings: &BackupSettings, now: DateTime<Utc>) -> AutoBackupStatus {
    let local = local_dir(data_dir);
    let newest_local = autos_in(&local).first().map(|a| a.0);
    let folder = settings.folder.as_ref().map(PathBuf::from);
    let reachable = folder.as_ref().map(|f| f.is_dir());
    let newest_folder = match (&folder, reachable) {
        (Some(f), Some(true)) => autos_in(f).first().map(|a| a.0),
        _ => None,
    };
    let due = is_due(newest_local, now) || (reachable == Some(true) && is_due(newest_folder, now));
    AutoBackupStatus {
        format: IPC_FORMAT,
        settings: settings.clone(),
        local_dir: local.display().to_string(),
        newest_local: newest_local.map(stamp_text),
        newest_folder: newest_folder.map(stamp_text),
        folder_reachable: reachable,
        due,
    }
}

/// The backups in `<data dir>/backups/` and in the chosen folder, newest first, each with what its
/// manifest says (or why it does not read). Only the manifest is read; [`inspect`] checks a file.
pub fn list(data_dir: &Path, folder: Option<&Path>, lang: Lang) -> Vec<BackupEntry> {
    let mut out = Vec::new();
    let mut scan = |dir: &Path, place: BackupPlace| {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = e.path();
            let Some(name) = e.file_name().to_str().map(str::to_string) else {
                continue;
            };
            if !path.is_file() || !name.starts_with("ocop-") || !name.ends_with(EXTENSION) {
                continue;
            }
            let kind = parse_name(&name)
                .map(|(k, _)| k)
                .unwrap_or(BackupKind::Other);
            let size = e.metadata().map(|m| m.len()).unwrap_or(0);
            let (info, problem) = match peek(&path) {
                Ok(i) => (Some(i), None),
                Err(e) => (None, Some(e.to_dto(lang))),
            };
            out.push(BackupEntry {
                format: IPC_FORMAT,
                path: path.display().to_string(),
                file_name: name,
                place,
                kind,
                size,
                info,
                problem,
            });
        }
    };
    scan(&local_dir(data_dir), BackupPlace::Local);
    if let Some(f) = folder {
        scan(f, BackupPlace::Folder);
    }
    let key = |e: &BackupEntry| {
        e.info
            .as_ref()
            .map(|i| i.created_at.clone())
            .unwrap_or_default()
    };
    out.sort_by(|a, b| key(b).cmp(&key(a)).then(b.file_name.cmp(&a.file_name)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PersonInput;
    use chrono::TimeZone;

    fn person(store: &mut Store, name: &str) {
        store
            .add_person(
                "kiểm thử",
                &PersonInput {
                    full_name: name.into(),
                    ..Default::default()
                },
            )
            .unwrap();
    }

    #[test]
    fn a_swap_that_fails_puts_every_file_back_and_keeps_the_current_data() {
        let data = tempfile::tempdir().unwrap();
        let out = tempfile::tempdir().unwrap();
        let mut store = Store::open_dir(data.path()).unwrap();
        person(&mut store, "Người thứ nhất");
        let file = out.path().join("b.zip");
        create(data.path(), &file, Utc::now()).unwrap();
        person(&mut store, "Người thứ hai");
        FAIL_SWAP.with(|f| f.set(true));
        let e = restore(&mut store, data.path(), &file, true, "kiểm thử", Utc::now()).unwrap_err();
        assert_eq!(e.code(), "backup.restore_failed");
        assert!(!FAIL_SWAP.with(|f| f.get()), "the failure was injected");
        // The store is open again on the current data, which is whole.
        assert_eq!(store.persons(None).unwrap().len(), 2);
        person(&mut store, "Người thứ ba");
        drop(store);
        let store = Store::open_dir(data.path()).unwrap();
        assert_eq!(store.persons(None).unwrap().len(), 3);
        assert_eq!(store.integrity_check().unwrap(), "ok");
        let left: Vec<String> = std::fs::read_dir(data.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .filter(|n| n.starts_with('.'))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }

    /// The machine stops in the middle of a restore's swap: the next open puts the data that was
    /// being replaced back, whole, and the restore can be run again.
    #[test]
    fn a_restore_interrupted_by_a_crash_is_undone_when_the_data_is_next_opened() {
        let data = tempfile::tempdir().unwrap();
        let out = tempfile::tempdir().unwrap();
        let mut store = Store::open_dir(data.path()).unwrap();
        person(&mut store, "Người thứ nhất");
        let file = out.path().join("b.zip");
        create(data.path(), &file, Utc::now()).unwrap();
        person(&mut store, "Người thứ hai");
        CRASH_SWAP.with(|f| f.set(true));
        let e = restore(&mut store, data.path(), &file, true, "kiểm thử", Utc::now()).unwrap_err();
        assert!(e.message(Lang::En).contains("injected crash"));
        drop(store);
        // The crash left the journal and the restored database in place of the current one.
        assert!(data.path().join(JOURNAL).exists());
        let store = Store::open_data_dir(data.path()).unwrap();
        assert_eq!(
            store.persons(None).unwrap().len(),
            2,
            "the current data is back"
        );
        assert_eq!(store.integrity_check().unwrap(), "ok");
        assert!(!data.path().join(JOURNAL).exists());
        drop(store);
        let left: Vec<String> = std::fs::read_dir(data.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .filter(|n| n.starts_with(".replaced") || n.starts_with(".interrupted"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
        // And the restore runs again to the end.
        let mut store = Store::open_dir(data.path()).unwrap();
        restore(&mut store, data.path(), &file, true, "kiểm thử", Utc::now()).unwrap();
        assert_eq!(store.persons(None).unwrap().len(), 1);
    }

    /// A journal that names a folder outside the data directory is refused, and nothing moves.
    #[test]
    fn a_forged_journal_moves_nothing() {
        let data = tempfile::tempdir().unwrap();
        let mut store = Store::open_dir(data.path()).unwrap();
        person(&mut store, "Người thứ nhất");
        drop(store);
        for aside in ["../elsewhere", ".replaced-x/../../etc", "attachments"] {
            std::fs::write(
                data.path().join(JOURNAL),
                format!(r#"{{"format":1,"aside":"{aside}"}}"#),
            )
            .unwrap();
            let e = Store::open_data_dir(data.path()).err().expect("refused");
            assert_eq!(e.code(), "backup.restore_failed", "{aside}");
            assert!(data.path().join(DB_FILE).exists());
        }
        std::fs::remove_file(data.path().join(JOURNAL)).unwrap();
        assert_eq!(
            Store::open_dir(data.path())
                .unwrap()
                .persons(None)
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn backup_names_carry_their_kind_and_time() {
        let t = Utc.with_ymd_and_hms(2026, 12, 3, 5, 6, 7).unwrap();
        assert_eq!(
            file_name(BackupKind::Auto, t),
            "ocop-auto-20261203-050607.zip"
        );
        let (k, at) = parse_name("ocop-before-restore-20261203-050607-2.zip").unwrap();
        assert_eq!(k, BackupKind::BeforeRestore);
        assert_eq!(at, t.naive_utc());
        assert!(parse_name("ocop-auto-20261203-050607x.zip").is_none());
        assert!(parse_name("ocop-auto-2026.zip").is_none());
        assert!(parse_name("ban-sao.zip").is_none());
        assert!(is_due(None, t));
        assert!(!is_due(
            Some(t.naive_utc()),
            t + chrono::Duration::hours(23)
        ));
        assert!(is_due(Some(t.naive_utc()), t + chrono::Duration::hours(24)));
        assert!(is_due(Some((t + chrono::Duration::days(3)).naive_utc()), t));
    }

    #[test]
    fn member_names_are_the_database_or_addressed_attachments() {
        let h = "ab".to_string() + &"0".repeat(62);
        assert_eq!(member_kind(DB_MEMBER), Ok(None));
        assert_eq!(
            member_kind(&format!("attachments/ab/{h}")),
            Ok(Some(h.as_str()))
        );
        for bad in [
            format!("attachments/cd/{h}"),
            format!("attachments/ab/{h}/x"),
            format!("attachments/../{h}"),
            format!("/attachments/ab/{h}"),
            "attachments/ab/ABCD".to_string(),
            "../database.sqlite".to_string(),
            "manifest.json".to_string(),
        ] {
            assert!(member_kind(&bad).is_err(), "{bad}");
        }
    }
}
