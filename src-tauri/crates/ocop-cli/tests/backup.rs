//! `ocop backup` through the real binary: create, verify, restore into a fresh data directory
//! (same rounds, same attachment bytes), refusal without `--yes` (nothing written) and of a
//! damaged file (exit 2, the data unchanged).

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
