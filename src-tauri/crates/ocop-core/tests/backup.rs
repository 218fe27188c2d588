//! Backup and restore against real data directories: the demo province with attachments is
//! backed up, the data directory wiped and the backup restored (same rows in every table, same
//! attachment bytes); damaged, truncated, altered and newer backups are refused and change
//! nothing; restore without confirmation writes nothing; a restore backs up the current data
//! first; the automatic backups rotate; the app goes on working on the restored data.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use chrono::{TimeZone, Utc};
use ocop_core::app::App;
use ocop_core::app_backup::BackupSettings;
use ocop_core::model::{PersonInput, RoundStatus};
use ocop_core::ErrorDto;
use sha2::{Digest, Sha256};

const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
const PNG: &[u8] = &[
    0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, b'I', b'H', b'D', b'R', 1, 2, 3,
];

/// The demo province with two attachments on a dossier of the round being scored.
fn populated(dir: &Path) -> App {
    let app = App::open(dir).unwrap();
    app.with_store(|s, _| ocop_core::demo::load(s)).unwrap();
    let round = app
        .rounds()
        .unwrap()
        .into_iter()
        .find(|r| r.status != RoundStatus::Finalised)
        .expect("the demo has a round being scored");
    let finalised = app
        .rounds()
        .unwrap()
        .into_iter()
        .find(|r| r.status == RoundStatus::Finalised)
        .expect("the demo has a finalised round");
    // Its recognition decision signs certificates (the demo office's passphrase is 1234).
    app.issue_recognition(&finalised.id, "2026-11-30", "1234")
        .unwrap();
    let dossier = app.dossiers(&round.id).unwrap().remove(0);
    app.attach(&dossier.id, "don-dang-ky.pdf", PDF).unwrap();
    app.attach(&dossier.id, "anh-san-pham.png", PNG).unwrap();
    app
}

/// Every table's row count and a hash of its rows (sorted, so row order does not matter). The
/// audit log's `backup.restore` entries are counted apart: a restore appends one.
fn table_hashes(app: &App) -> BTreeMap<String, (usize, String)> {
    app.with_store(|s, _| {
        let conn = s.conn();
        let tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        let mut out = BTreeMap::new();
        for t in tables {
            let sql = if t == "audit_log" {
                "SELECT * FROM audit_log WHERE action != 'backup.restore'".to_string()
            } else {
                format!("SELECT * FROM \"{t}\"")
            };
            let mut stmt = conn.prepare(&sql).unwrap();
            let n = stmt.column_count();
            let mut rows: Vec<String> = stmt
                .query_map([], |r| {
                    Ok((0..n)
                        .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                        .collect::<Vec<_>>()
                        .join("\u{1f}"))
                })
                .unwrap()
                .map(|r| r.unwrap())
                .collect();
            rows.sort();
            let hash = hex::encode(Sha256::digest(rows.join("\u{1e}").as_bytes()));
            out.insert(t, (rows.len(), hash));
        }
        Ok(out)
    })
    .unwrap()
}

fn restore_entries(app: &App) -> i64 {
    app.with_store(|s, _| {
        Ok(s.conn()
            .query_row(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'backup.restore'",
                [],
                |r| r.get(0),
            )
            .unwrap())
    })
    .unwrap()
}

/// Every file under `dir/attachments` with its bytes.
fn attachments(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let root = dir.join("attachments");
    let mut stack = vec![root.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(
                    p.strip_prefix(&root).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    out
}

/// Every file of the data directory (outside the attachments) with its size, to see that
/// nothing was written.
fn files(dir: &Path) -> BTreeMap<PathBuf, u64> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            // SQLite's own files change size as it checkpoints; the database is compared by content.
            if name.starts_with("ocop-council.sqlite") {
                continue;
            }
            if p.is_dir() {
                out.insert(p.clone(), 0);
                stack.push(p);
            } else {
                out.insert(p.clone(), e.metadata().unwrap().len());
            }
        }
    }
    out
}

#[test]
fn backup_wipe_restore_gives_the_same_rows_and_attachment_bytes() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let app = populated(data.path());
    let before = table_hashes(&app);
    let files_before = attachments(data.path());
    assert_eq!(files_before.len(), 2);
    let rounds_before = app.rounds().unwrap();

    let file = out.path().join("sao-luu.zip");
    let info = app.backup_create(file.to_str().unwrap()).unwrap();
    assert!(info.verified);
    assert_eq!(info.counts.attachments, 2);
    assert_eq!(info.counts.rounds as usize, rounds_before.len());
    assert_eq!(info.counts.products as usize, before["product"].0);
    assert_eq!(info.counts.certificates as usize, before["certificate"].0);
    assert_eq!(
        info.counts.registry_entries as usize,
        before["registry_entry"].0
    );
    assert!(info.counts.certificates > 0 && info.counts.registry_entries > 0);
    let office = info.office.clone().expect("the demo office has a key");
    assert_eq!(office.fingerprint.len(), 16);
    // Nothing is left beside the backup but the backup.
    let left: Vec<_> = std::fs::read_dir(out.path()).unwrap().flatten().collect();
    assert_eq!(left.len(), 1, "{left:?}");
    drop(app);

    // Wipe the data directory, as a stolen laptop would.
    std::fs::remove_dir_all(data.path()).unwrap();
    std::fs::create_dir(data.path()).unwrap();
    let app = App::open(data.path()).unwrap();
    assert!(app.rounds().unwrap().is_empty());
    let inspected = app.backup_inspect(file.to_str().unwrap()).unwrap();
    assert_eq!(inspected.counts, info.counts);
    assert_eq!(inspected.created_at, info.created_at);

    let report = app.backup_restore(file.to_str().unwrap(), true).unwrap();
    assert_eq!(report.restored.counts, info.counts);
    // The app works on the restored data without being reopened.
    assert_eq!(app.rounds().unwrap(), rounds_before);
    assert_eq!(table_hashes(&app), before);
    assert_eq!(restore_entries(&app), 1);
    assert_eq!(attachments(data.path()), files_before);
    assert!(app.audit_verify().unwrap().ok);
    // ... and it can write to it.
    app.add_person(PersonInput {
        full_name: "Người sau khôi phục".into(),
        ..Default::default()
    })
    .unwrap();
    let (_, bytes) = app.attachment(&hex::encode(Sha256::digest(PDF))).unwrap();
    assert_eq!(bytes, PDF);
    // Nothing is left of the swap in the data directory.
    let names: Vec<String> = std::fs::read_dir(data.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    assert!(
        names.iter().all(|n| !n.starts_with('.')),
        "left over: {names:?}"
    );
    // A fresh database is reopened on the restored files, too.
    drop(app);
    let again = App::open(data.path()).unwrap();
    assert_eq!(again.rounds().unwrap(), rounds_before);
}

#[test]
fn restore_backs_up_the_current_data_first_and_never_merges() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let app = populated(data.path());
    let file = out.path().join("truoc.zip");
    app.backup_create(file.to_str().unwrap()).unwrap();
    let at_backup = table_hashes(&app);
    // Work done after the backup.
    let later = app
        .add_person(PersonInput {
            full_name: "Thành viên thêm sau".into(),
            ..Default::default()
        })
        .unwrap();
    let persons_now = app.persons(None).unwrap().len();

    let report = app.backup_restore(file.to_str().unwrap(), true).unwrap();
    let safety = report
        .safety_copy
        .expect("the current data is backed up first");
    assert!(safety.verified);
    assert!(Path::new(&safety.path).starts_with(data.path().join("backups")));
    assert!(report.kept_aside.is_none());
    // The restored data is the backup's, without the later person: nothing merged.
    assert_eq!(table_hashes(&app), at_backup);
    assert!(app.persons(None).unwrap().iter().all(|p| p.id != later.id));
    // The safety copy holds the later work and restores it.
    app.backup_restore(&safety.path, true).unwrap();
    assert_eq!(app.persons(None).unwrap().len(), persons_now);
    assert!(app.persons(None).unwrap().iter().any(|p| p.id == later.id));
    let listed = app.backups().unwrap();
    assert_eq!(
        listed
            .iter()
            .filter(|e| e.kind == ocop_core::app_backup::BackupKind::BeforeRestore)
            .count(),
        2,
        "{listed:?}"
    );
}

#[test]
fn restore_without_confirmation_writes_nothing() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let app = populated(data.path());
    let file = out.path().join("b.zip");
    app.backup_create(file.to_str().unwrap()).unwrap();
    app.add_person(PersonInput {
        full_name: "Sau sao lưu".into(),
        ..Default::default()
    })
    .unwrap();
    let before = table_hashes(&app);
    let files_before = files(data.path());
    let e = app
        .backup_restore(file.to_str().unwrap(), false)
        .unwrap_err();
    assert_eq!(e.code, "backup.confirm_needed");
    assert_eq!(e.params["rounds"], app.rounds().unwrap().len().to_string());
    assert!(e.message.contains("--yes"), "{e}");
    assert_eq!(table_hashes(&app), before);
    assert_eq!(files(data.path()), files_before);
    assert!(!data.path().join("backups").exists());
}

/// The members of a zip, in order.
fn members(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut b = Vec::new();
            f.read_to_end(&mut b).unwrap();
            (f.name().unwrap().to_string(), b)
        })
        .collect()
}

fn rezip(members: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in members {
        zip.start_file(
            name,
            zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated),
        )
        .unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn edit_manifest(
    m: &mut [(String, Vec<u8>)],
    f: impl FnOnce(&mut serde_json::Value),
) -> &mut [(String, Vec<u8>)] {
    let i = m.iter().position(|(n, _)| n == "manifest.json").unwrap();
    let mut v: serde_json::Value = serde_json::from_slice(&m[i].1).unwrap();
    f(&mut v);
    m[i].1 = serde_json::to_vec(&v).unwrap();
    m
}

/// Replaces the database member (keeping the manifest's hash of it right).
fn with_db(m: &mut [(String, Vec<u8>)], db: Vec<u8>) {
    let sha = hex::encode(Sha256::digest(&db));
    let size = db.len();
    m.iter_mut()
        .find(|(n, _)| n == "database.sqlite")
        .unwrap()
        .1 = db;
    edit_manifest(m, |v| {
        for mem in v["members"].as_array_mut().unwrap() {
            if mem["path"] == "database.sqlite" {
                mem["sha256"] = sha.clone().into();
                mem["size"] = size.into();
            }
        }
    });
}

#[test]
fn damaged_truncated_or_altered_backups_are_refused_and_change_nothing() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let app = populated(data.path());
    let good = out.path().join("good.zip");
    app.backup_create(good.to_str().unwrap()).unwrap();
    let bytes = std::fs::read(&good).unwrap();
    let parts = members(&bytes);
    assert_eq!(
        parts
            .iter()
            .map(|(n, _)| n.as_str())
            .filter(|n| n.starts_with("attachments/"))
            .count(),
        2
    );
    let db_bytes = parts
        .iter()
        .find(|(n, _)| n == "database.sqlite")
        .unwrap()
        .1
        .clone();

    let mut cases: Vec<(&str, Vec<u8>, &[&str])> = Vec::new();
    // A byte flipped inside the database's compressed data (its local header is followed by it).
    let at = find(&bytes, b"database.sqlite").expect("local header") + 15 + 2000;
    for (k, pos) in [at, at + 7919, at + 31337].into_iter().enumerate() {
        let mut flipped = bytes.clone();
        flipped[pos] ^= 0x5A;
        let name = ["flip 1", "flip 2", "flip 3"][k];
        cases.push((
            name,
            flipped,
            &["backup.member_damaged", "backup.not_a_backup"],
        ));
    }
    for cut in [bytes.len() / 2, bytes.len() - 10, 100] {
        cases.push(("truncated", bytes[..cut].to_vec(), &["backup.not_a_backup"]));
    }
    let mut removed = parts.clone();
    let i = removed
        .iter()
        .position(|(n, _)| n.starts_with("attachments/"))
        .unwrap();
    removed.remove(i);
    cases.push((
        "removed member",
        rezip(&removed),
        &["backup.missing_member"],
    ));
    let mut extra = parts.clone();
    extra.push(("notes.txt".into(), b"hello".to_vec()));
    cases.push(("extra member", rezip(&extra), &["backup.extra_member"]));
    let mut slip = parts.clone();
    slip.push(("../../evil".into(), b"x".to_vec()));
    cases.push(("path outside", rezip(&slip), &["backup.extra_member"]));
    let mut no_manifest = parts.clone();
    no_manifest.retain(|(n, _)| n != "manifest.json");
    cases.push(("no manifest", rezip(&no_manifest), &["backup.no_manifest"]));
    let mut counts = parts.clone();
    edit_manifest(&mut counts, |v| {
        v["counts"]["rounds"] = (v["counts"]["rounds"].as_u64().unwrap() + 1).into()
    });
    cases.push(("counts", rezip(&counts), &["backup.contents_mismatch"]));
    let mut newer = parts.clone();
    edit_manifest(&mut newer, |v| v["format"] = 2.into());
    cases.push(("newer format", rezip(&newer), &["backup.newer_format"]));
    let mut newer_schema = parts.clone();
    edit_manifest(&mut newer_schema, |v| {
        v["schema_version"] = (ocop_core::store::SCHEMA_VERSION + 1).into()
    });
    cases.push((
        "newer schema",
        rezip(&newer_schema),
        &["backup.newer_schema"],
    ));
    // The database replaced by a damaged one whose hash the manifest was made to agree with.
    // Every b-tree page from the second on loses its header.
    let mut broken = db_bytes.clone();
    for page in 1..(broken.len() / 4096).min(40) {
        for b in &mut broken[page * 4096..page * 4096 + 8] {
            *b = 0xA5;
        }
    }
    let mut bad_db = parts.clone();
    with_db(&mut bad_db, broken);
    cases.push(("damaged database", rezip(&bad_db), &["backup.db_damaged"]));
    // A sound database whose criteria table's root page is damaged: the counts still read, only
    // `integrity_check` sees it.
    let mut bad_db = parts.clone();
    with_db(&mut bad_db, damage_criteria_root(&db_bytes));
    cases.push(("damaged table", rezip(&bad_db), &["backup.db_damaged"]));
    // A database altered in a way that keeps it sound (its application id), rezipped with a
    // right CRC: only the manifest's SHA-256 sees it.
    let mut altered = db_bytes.clone();
    altered[68] ^= 0x01;
    let mut alt = parts.clone();
    alt.iter_mut()
        .find(|(n, _)| n == "database.sqlite")
        .unwrap()
        .1 = altered;
    cases.push(("altered database", rezip(&alt), &["backup.member_damaged"]));
    let mut not_db = parts.clone();
    with_db(&mut not_db, b"not a database at all".repeat(300));
    cases.push(("not a database", rezip(&not_db), &["backup.db_damaged"]));
    cases.push((
        "not a zip",
        b"PK\x03\x04 nothing".to_vec(),
        &["backup.not_a_backup"],
    ));

    let before = table_hashes(&app);
    let files_before = files(data.path());
    let attachments_before = attachments(data.path());
    for (name, bytes, codes) in cases {
        let file = out.path().join(format!("{}.zip", name.replace(' ', "-")));
        std::fs::write(&file, &bytes).unwrap();
        let check = |e: ErrorDto| {
            assert!(
                codes.contains(&e.code.as_str()),
                "{name}: {} {}",
                e.code,
                e.message
            );
            assert!(!e.message.is_empty());
        };
        check(app.backup_inspect(file.to_str().unwrap()).unwrap_err());
        check(
            app.backup_restore(file.to_str().unwrap(), true)
                .unwrap_err(),
        );
        assert_eq!(table_hashes(&app), before, "{name}");
        assert_eq!(files(data.path()), files_before, "{name}");
        assert_eq!(attachments(data.path()), attachments_before, "{name}");
    }
    // Single bytes flipped anywhere: never a panic, and a flip is either refused with a backup
    // code or sits in zip bookkeeping that the content does not depend on (times, versions,
    // attributes): then the file still checks, the members' hashes being right.
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let (mut refused, mut harmless) = (0, 0);
    let probe = out.path().join("probe.zip");
    for _ in 0..200 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let pos = (seed >> 33) as usize % bytes.len();
        let mut b = bytes.clone();
        b[pos] ^= 1 << ((seed >> 29) & 7);
        std::fs::write(&probe, &b).unwrap();
        match app.backup_inspect(probe.to_str().unwrap()) {
            Err(e) => {
                assert!(e.code.starts_with("backup."), "{pos}: {e}");
                refused += 1;
            }
            Ok(info) => {
                assert!(info.verified);
                harmless += 1;
            }
        }
    }
    assert_eq!(refused + harmless, 200);
    // Nearly all bytes are member data.
    assert!(refused > 150, "{refused} refused, {harmless} harmless");
    eprintln!("200 flips: {refused} refused, {harmless} in bookkeeping");

    // English too.
    app.set_lang(ocop_core::Lang::En).unwrap();
    let file = out.path().join("truncated.zip");
    let e = app.backup_inspect(file.to_str().unwrap()).unwrap_err();
    assert!(e.message.contains("damaged or truncated"), "{e}");
    // The good one still restores.
    app.backup_restore(good.to_str().unwrap(), true).unwrap();
}

/// The database with the header of the `criteria_sheet` table's root page overwritten.
fn damage_criteria_root(db: &[u8]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.sqlite");
    std::fs::write(&path, db).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    let root: i64 = conn
        .query_row(
            "SELECT rootpage FROM sqlite_master WHERE name = 'criteria_sheet'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let page: i64 = conn
        .query_row("PRAGMA page_size", [], |r| r.get(0))
        .unwrap();
    drop(conn);
    let mut out = db.to_vec();
    let at = ((root - 1) * page) as usize;
    for b in &mut out[at..at + 8] {
        *b = 0xA5;
    }
    out
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[test]
fn automatic_backups_rotate_in_both_places_and_a_missing_folder_does_not_stop_them() {
    let data = tempfile::tempdir().unwrap();
    let usb = tempfile::tempdir().unwrap();
    let app = App::open(data.path()).unwrap();
    app.add_person(PersonInput {
        full_name: "Một người".into(),
        ..Default::default()
    })
    .unwrap();
    // Bad settings are refused.
    let e = app
        .set_backup_settings(BackupSettings {
            format: 1,
            keep: 0,
            folder: None,
        })
        .unwrap_err();
    assert_eq!(e.code, "backup.bad_keep");
    let e = app
        .set_backup_settings(BackupSettings {
            format: 1,
            keep: 3,
            folder: Some(usb.path().join("khong-co").display().to_string()),
        })
        .unwrap_err();
    assert_eq!(e.code, "backup.folder_not_found");
    assert_eq!(app.backup_settings().unwrap().keep, 7);
    let settings = app
        .set_backup_settings(BackupSettings {
            format: 1,
            keep: 3,
            folder: Some(usb.path().display().to_string()),
        })
        .unwrap();
    assert_eq!(settings.keep, 3);

    let day0 = Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap();
    let r = app.auto_backup_if_due_at(day0).unwrap();
    assert!(r.local.made.is_some());
    assert!(r.folder.as_ref().unwrap().made.is_some());
    // Within the day nothing more.
    let r = app
        .auto_backup_if_due_at(day0 + chrono::Duration::hours(20))
        .unwrap();
    assert!(r.local.made.is_none() && r.folder.as_ref().unwrap().made.is_none());
    for d in 1..=5 {
        let r = app
            .auto_backup_if_due_at(day0 + chrono::Duration::days(d))
            .unwrap();
        assert!(r.local.made.is_some(), "day {d}");
        if d >= 3 {
            assert_eq!(r.local.pruned.len(), 1, "day {d}");
            assert_eq!(r.folder.as_ref().unwrap().pruned.len(), 1, "day {d}");
        }
    }
    let names = |dir: &Path| {
        let mut n: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .collect();
        n.sort();
        n
    };
    let expected = vec![
        "ocop-auto-20261204-080000.zip".to_string(),
        "ocop-auto-20261205-080000.zip".to_string(),
        "ocop-auto-20261206-080000.zip".to_string(),
    ];
    assert_eq!(names(&data.path().join("backups")), expected);
    assert_eq!(names(usb.path()), expected);
    let listed = app.backups().unwrap();
    assert_eq!(listed.len(), 6);
    assert!(listed[0].file_name.ends_with("20261206-080000.zip"));
    assert_eq!(listed[0].info.as_ref().unwrap().counts.rounds, 0);
    let status = app.auto_backup_status().unwrap();
    assert_eq!(status.folder_reachable, Some(true));
    assert_eq!(status.newest_local.as_deref(), Some("2026-12-06T08:00:00Z"));

    // The USB stick is unplugged: the local backup is still made, the folder's problem reported.
    let gone = usb.path().display().to_string();
    drop(usb);
    let r = app
        .auto_backup_if_due_at(day0 + chrono::Duration::days(6))
        .unwrap();
    assert!(r.local.made.is_some());
    let folder = r.folder.unwrap();
    assert_eq!(folder.problem.unwrap().code, "backup.folder_missing");
    assert_eq!(folder.dir, gone);
    assert_eq!(
        app.auto_backup_status().unwrap().folder_reachable,
        Some(false)
    );
    // A pre-restore backup is never pruned.
    let names_local = names(&data.path().join("backups"));
    assert_eq!(names_local.len(), 3);
    let backup = data.path().join("backups").join(&names_local[0]);
    app.backup_restore(backup.to_str().unwrap(), true).unwrap();
    for d in 7..=9 {
        app.auto_backup_if_due_at(day0 + chrono::Duration::days(d))
            .unwrap();
    }
    let names_local = names(&data.path().join("backups"));
    assert_eq!(names_local.len(), 4, "{names_local:?}");
    assert!(names_local[3].starts_with("ocop-before-restore-"));
}

#[test]
fn an_in_memory_app_has_no_backups() {
    let app = App::in_memory().unwrap();
    let out = tempfile::tempdir().unwrap();
    let e = app
        .backup_create(out.path().join("x.zip").to_str().unwrap())
        .unwrap_err();
    assert_eq!(e.code, "backup.needs_data_dir");
}
