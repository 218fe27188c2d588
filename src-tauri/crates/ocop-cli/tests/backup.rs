//! `ocop backup` through the real binary: create, verify, restore into a fresh data directory
//! (same rounds, same attachment bytes), refusal without `--yes` (nothing written) and of a
//! damaged file (exit 2, the data unchanged); the daily automatic backup (`auto`: made once, then
//! not due; the chosen folder, and that folder missing) and the list of backups (`list`, with a
//! damaged file listed by its problem).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_ocop"))
}

fn run(args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .env_remove("OCOP_DATA_DIR")
        .env_remove("OCOP_PASSPHRASE")
        .output()
        .unwrap()
}

fn ok(args: &[&str]) -> Value {
    let out = run(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{args:?}: {}", String::from_utf8_lossy(&out.stdout)))
}

fn refused(args: &[&str]) -> Value {
    let out = run(args);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
    assert!(out.stdout.is_empty(), "{args:?}");
    serde_json::from_slice(&out.stderr).unwrap()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

const PDF: &[u8] = b"%PDF-1.4\n% a scanned application form\n%%EOF\n";

#[test]
fn backup_create_verify_restore_into_a_fresh_data_dir_and_refusals() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    ok(&["demo", "load", "--data-dir", s(a.path()), "--json"]);
    // An attachment on a dossier of the round being scored.
    let sha = {
        let app = ocop_core::app::App::open(a.path()).unwrap();
        let round = app
            .rounds()
            .unwrap()
            .into_iter()
            .find(|r| r.status != ocop_core::model::RoundStatus::Finalised)
            .unwrap();
        let dossier = app.dossiers(&round.id).unwrap().remove(0);
        app.attach(&dossier.id, "don.pdf", PDF).unwrap().sha256
    };
    let rounds_a = ok(&["round", "list", "--json", "--data-dir", s(a.path())]);

    let file = out.path().join("sao-luu.zip");
    let created = ok(&[
        "backup",
        "create",
        "--out",
        s(&file),
        "--json",
        "--data-dir",
        s(a.path()),
    ]);
    assert_eq!(created["format"], 1);
    assert_eq!(created["verified"], true);
    assert_eq!(created["counts"]["attachments"], 1);
    assert_eq!(
        created["counts"]["rounds"].as_u64().unwrap() as usize,
        rounds_a["rounds"].as_array().unwrap().len()
    );
    let verified = ok(&["backup", "verify", s(&file), "--json"]);
    assert_eq!(verified["counts"], created["counts"]);
    assert_eq!(verified["created_at"], created["created_at"]);
    let text = run(&["backup", "verify", s(&file)]);
    assert!(text.status.success());
    assert!(String::from_utf8_lossy(&text.stdout).contains("Nguyên vẹn"));

    // Without --yes: what it holds, a refusal, and nothing written (not even a database).
    let fresh = b.path().join("moi");
    let e = refused(&[
        "backup",
        "restore",
        s(&file),
        "--json",
        "--data-dir",
        s(&fresh),
    ]);
    assert_eq!(e["code"], "backup.confirm_needed");
    assert_eq!(
        e["params"]["rounds"],
        created["counts"]["rounds"].to_string()
    );
    assert!(!fresh.exists());
    let plain = run(&[
        "backup",
        "restore",
        s(&file),
        "--data-dir",
        s(&fresh),
        "--lang",
        "en",
    ]);
    assert_eq!(plain.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&plain.stderr).contains("--yes"));

    let report = ok(&[
        "backup",
        "restore",
        s(&file),
        "--yes",
        "--json",
        "--data-dir",
        s(&fresh),
    ]);
    assert_eq!(report["restored"]["counts"], created["counts"]);
    assert!(report["safety_copy"]["path"]
        .as_str()
        .unwrap()
        .contains("ocop-before-restore-"));
    assert_eq!(
        ok(&["round", "list", "--json", "--data-dir", s(&fresh)]),
        rounds_a
    );
    let restored = std::fs::read(fresh.join("attachments").join(&sha[..2]).join(&sha)).unwrap();
    assert_eq!(restored, PDF);
    let audit = ok(&["audit", "verify", "--json", "--data-dir", s(&fresh)]);
    assert_eq!(audit["ok"], true, "{audit}");

    // A damaged copy: refused by verify and by restore, the data unchanged.
    let mut bytes = std::fs::read(&file).unwrap();
    let at = bytes
        .windows(15)
        .position(|w| w == b"database.sqlite")
        .unwrap()
        + 15
        + 4000;
    bytes[at] ^= 0xFF;
    let bad = out.path().join("hong.zip");
    std::fs::write(&bad, &bytes).unwrap();
    let e = refused(&["backup", "verify", s(&bad), "--json"]);
    let code = e["code"].as_str().unwrap();
    assert!(
        ["backup.member_damaged", "backup.not_a_backup"].contains(&code),
        "{e}"
    );
    let e = refused(&[
        "backup",
        "restore",
        s(&bad),
        "--yes",
        "--json",
        "--data-dir",
        s(&fresh),
    ]);
    assert_eq!(e["code"].as_str().unwrap(), code);
    assert_eq!(
        ok(&["round", "list", "--json", "--data-dir", s(&fresh)]),
        rounds_a
    );
    // A truncated one, in words.
    std::fs::write(&bad, &bytes[..bytes.len() / 3]).unwrap();
    let out = run(&["backup", "verify", s(&bad), "--lang", "en"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("damaged or truncated"));
}

#[test]
fn backup_auto_once_a_day_and_the_list_with_a_damaged_file_and_the_chosen_folder() {
    let a = tempfile::tempdir().unwrap();
    let dir = s(a.path());
    ok(&["demo", "load", "--data-dir", dir, "--json"]);

    let first = ok(&["backup", "auto", "--json", "--data-dir", dir]);
    assert_eq!(first["format"], 1);
    assert!(first["local"]["problem"].is_null(), "{first}");
    assert!(first["folder"].is_null(), "no folder chosen: {first}");
    assert_eq!(first["local"]["made"]["verified"], true, "{first}");
    let made = first["local"]["made"]["path"].as_str().unwrap().to_string();
    assert!(made.contains("ocop-auto-"), "{made}");
    let local = a.path().join("backups");
    assert!(Path::new(&made).starts_with(&local), "{made}");

    // A second run the same day: not due, nothing made or removed.
    let second = ok(&["backup", "auto", "--json", "--data-dir", dir]);
    assert!(second["local"]["made"].is_null(), "{second}");
    assert_eq!(second["local"]["pruned"], serde_json::json!([]));
    assert_eq!(std::fs::read_dir(&local).unwrap().count(), 1);
    let text = run(&["backup", "auto", "--data-dir", dir]);
    assert!(text.status.success());
    assert!(
        String::from_utf8_lossy(&text.stdout).contains("chưa đến hạn"),
        "{text:?}"
    );

    let list = ok(&["backup", "list", "--json", "--data-dir", dir]);
    let entries = list.as_array().unwrap();
    assert_eq!(entries.len(), 1, "{list}");
    let e = &entries[0];
    assert_eq!(e["kind"], "auto");
    assert_eq!(e["place"], "local");
    assert_eq!(e["path"], made.as_str());
    assert!(e["problem"].is_null(), "{e}");
    let verified = ok(&["backup", "verify", &made, "--json"]);
    assert_eq!(e["info"]["counts"], verified["counts"]);
    assert_eq!(e["info"]["created_at"], verified["created_at"]);
    assert_eq!(e["size"], verified["size"]);
    assert!(verified["counts"]["rounds"].as_u64().unwrap() >= 1);

    // A truncated copy and a file that is no zip at all, under names the app gives its backups.
    let bytes = std::fs::read(&made).unwrap();
    let cut = local.join("ocop-auto-20200101-000000.zip");
    std::fs::write(&cut, &bytes[..bytes.len() / 3]).unwrap();
    let junk = local.join("ocop-auto-20200102-000000.zip");
    std::fs::write(&junk, b"not a backup").unwrap();
    let list = ok(&["backup", "list", "--json", "--data-dir", dir]);
    let entries = list.as_array().unwrap();
    assert_eq!(entries.len(), 3, "{list}");
    assert_eq!(entries[0]["path"], made.as_str(), "the readable one first");
    for bad in [&cut, &junk] {
        let e = entries
            .iter()
            .find(|e| e["path"] == s(bad))
            .unwrap_or_else(|| panic!("{bad:?} not listed: {list}"));
        assert_eq!(e["kind"], "auto");
        assert!(e["info"].is_null(), "{e}");
        assert!(
            e["problem"]["code"]
                .as_str()
                .is_some_and(|c| c.starts_with("backup.")),
            "{e}"
        );
    }
    let text = run(&["backup", "list", "--data-dir", dir]);
    assert!(text.status.success(), "{text:?}");
    let text = String::from_utf8_lossy(&text.stdout).to_string();
    assert_eq!(text.lines().count(), 3, "{text}");
    assert_eq!(text.matches("lỗi: ").count(), 2, "{text}");
    assert!(text.lines().next().unwrap().contains("tự động"), "{text}");
    assert!(text.contains("thư mục dữ liệu"), "{text}");
    std::fs::remove_file(&cut).unwrap();
    std::fs::remove_file(&junk).unwrap();

    // A chosen folder: it gets its own daily backup although the local one is not due.
    let usb = tempfile::tempdir().unwrap();
    let folder = usb.path().join("ocop");
    std::fs::create_dir(&folder).unwrap();
    ocop_core::store::Store::open_data_dir(a.path())
        .unwrap()
        .save_backup_settings(
            "kiểm thử",
            &ocop_core::backup::BackupSettings {
                format: 1,
                keep: 7,
                folder: Some(s(&folder).into()),
            },
        )
        .unwrap();
    let r = ok(&["backup", "auto", "--json", "--data-dir", dir]);
    assert!(r["local"]["made"].is_null(), "{r}");
    assert!(r["folder"]["problem"].is_null(), "{r}");
    let in_folder = r["folder"]["made"]["path"].as_str().unwrap();
    assert!(Path::new(in_folder).starts_with(&folder), "{r}");
    let list = ok(&["backup", "list", "--json", "--data-dir", dir]);
    let places: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["place"].as_str().unwrap())
        .collect();
    assert_eq!(places.len(), 2, "{list}");
    assert!(
        places.contains(&"local") && places.contains(&"folder"),
        "{list}"
    );

    // The folder unplugged: still exit 0, the problem in the report and in words.
    std::fs::remove_dir_all(&folder).unwrap();
    let r = ok(&["backup", "auto", "--json", "--data-dir", dir]);
    assert!(r["local"]["problem"].is_null(), "{r}");
    assert_eq!(
        r["folder"]["problem"]["code"], "backup.folder_missing",
        "{r}"
    );
    assert!(r["folder"]["made"].is_null(), "{r}");
    let text = run(&["backup", "auto", "--data-dir", dir, "--lang", "en"]);
    assert!(text.status.success(), "{text:?}");
    assert!(
        String::from_utf8_lossy(&text.stdout).contains("is not there"),
        "{text:?}"
    );
    let list = ok(&["backup", "list", "--json", "--data-dir", dir]);
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
}
