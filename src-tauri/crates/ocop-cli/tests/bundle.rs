//! `ocop bundle` through the real binary: export from one data directory, inspect and import
//! into another (dry run, trust on first use, idempotent re-import), and refusals with exit 2.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn ocop(dir: &Path, args: &[&str], pass: bool) -> Output {
    let mut cmd = Command::new(PathBuf::from(env!("CARGO_BIN_EXE_ocop")));
    cmd.arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("OCOP_DATA_DIR")
        .env_remove("OCOP_PASSPHRASE");
    if pass {
        cmd.env("OCOP_PASSPHRASE", "1234");
    }
    cmd.output().unwrap()
}

fn ok_json(dir: &Path, args: &[&str], pass: bool) -> Value {
    let out = ocop(dir, args, pass);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn refused(dir: &Path, args: &[&str]) -> Value {
    let out = ocop(dir, args, false);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
    assert!(out.stdout.is_empty());
    serde_json::from_slice(&out.stderr).unwrap()
}

fn count(plan: &Value, entity: &str, action: &str) -> u64 {
    plan["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["entity"] == entity)
        .map_or(0, |e| e[action].as_u64().unwrap())
}

#[test]
fn a_bundle_goes_from_one_data_directory_to_another() {
    let province = tempfile::tempdir().unwrap();
    let centre = tempfile::tempdir().unwrap();
    let p = province.path();
    let c = centre.path();
    ok_json(p, &["demo", "load", "--json"], false);
    let file = p.join("goi.zip");
    let f = file.to_str().unwrap();
    // Without the passphrase the key does not open: refused.
    let e = refused(
        p,
        &[
            "bundle",
            "export",
            "--round",
            "dot 1",
            "--purpose",
            "province_to_centre",
            "--out",
            f,
            "--json",
        ],
    );
    assert_eq!(e["code"], "office.passphrase_required");
    let e = refused(
        p,
        &[
            "bundle",
            "export",
            "--round",
            "dot 1",
            "--purpose",
            "to_the_moon",
            "--out",
            f,
            "--json",
        ],
    );
    assert_eq!(e["code"], "bundle.unknown_purpose");
    let summary = ok_json(
        p,
        &[
            "bundle",
            "export",
            "--round",
            "dot 1",
            "--purpose",
            "province_to_centre",
            "--out",
            f,
            "--json",
        ],
        true,
    );
    assert_eq!(summary["info"]["purpose"], "province_to_centre");
    let products = summary["info"]["counts"]["dossier"].as_u64().unwrap();
    assert!(products > 0);

    let inspected = ok_json(c, &["bundle", "inspect", f, "--json"], false);
    assert_eq!(inspected["trusted"], false);
    assert_eq!(
        inspected["info"]["sender_key_fingerprint"],
        summary["info"]["sender_key_fingerprint"]
    );
    // Untrusted: refused, exit 2.
    let e = refused(c, &["bundle", "import", f, "--json"]);
    assert_eq!(e["code"], "bundle.untrusted");
    // Dry run with trust: the plan, nothing written.
    let plan = ok_json(
        c,
        &["bundle", "import", f, "--dry-run", "--trust", "--json"],
        false,
    );
    assert_eq!(plan["applied"], false);
    assert_eq!(count(&plan, "dossier", "new"), products);
    let e = refused(c, &["bundle", "import", f, "--json"]);
    assert_eq!(e["code"], "bundle.untrusted", "the dry run trusted nobody");
    let done = ok_json(c, &["bundle", "import", f, "--trust", "--json"], false);
    assert_eq!(done["applied"], true);
    assert_eq!(done["trusted_now"], true);
    let again = ok_json(c, &["bundle", "import", f, "--json"], false);
    assert_eq!(again["applied"], false);
    assert!(again["already_imported"].is_string());
    // The centre now holds the round's results.
    let results = ok_json(c, &["round", "results", "dot 1", "--json"], false);
    assert!(!results["products"].as_array().unwrap().is_empty());
    // A damaged bundle: exit 2 with the refusal's code.
    let mut bytes = std::fs::read(&file).unwrap();
    let n = bytes.len();
    bytes[n / 2] ^= 0x40;
    let bad = c.join("hong.zip");
    std::fs::write(&bad, &bytes).unwrap();
    let e = refused(
        c,
        &[
            "bundle",
            "import",
            bad.to_str().unwrap(),
            "--trust",
            "--json",
        ],
    );
    assert!(e["code"].as_str().unwrap().starts_with("bundle."), "{e}");
    // The words, in English.
    let out = ocop(c, &["--lang", "en", "bundle", "inspect", f], false);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("trusted"));
}
