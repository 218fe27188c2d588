//! Upgrades keep data: every committed data directory under `tests/fixtures/upgrade/` (one per
//! schema version, made by that version's code) opens with the current code, which migrates it,
//! and then shows the same rounds, results and stars, the same certificates (their signed payloads
//! byte for byte) which all verify, an intact audit chain, and papers that still say everything they
//! said (every word, as often) and reprint byte for byte. A downgrade (this build on a newer
//! database) is refused with a clear message, and nothing is written.
//!
//! A schema change adds its fixture: `OCOP_UPDATE_FIXTURES=1 cargo test -p ocop-cli --test upgrade`
//! writes `schema-<N>/` for the current schema when it is missing (and never rewrites older ones).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use ocop_core::app::App;
use ocop_core::store::SCHEMA_VERSION;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const DB: &str = "ocop-council.sqlite";
/// The papers whose bytes the design promises to reproduce once issued.
const PAPERS: &[&str] = &["decision", "certificates", "summary", "minutes"];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/upgrade")
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ocop"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("OCOP_DATA_DIR")
        .env_remove("OCOP_PASSPHRASE")
        .output()
        .unwrap()
}

fn ok(dir: &Path, args: &[&str]) -> Value {
    let out = run(dir, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{args:?}: {}", String::from_utf8_lossy(&out.stdout)))
}

fn sha(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

/// Every file of a directory with its hash, to show nothing was written.
fn snapshot(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for e in walk(dir) {
        let rel = e.strip_prefix(dir).unwrap().display().to_string();
        out.push((rel, sha(&std::fs::read(&e).unwrap())));
    }
    out.sort();
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// What a data directory shows: each round's results, the issued papers' hashes, the audit chain.
fn observe(dir: &Path, out: &Path) -> Value {
    let rounds = ok(dir, &["round", "list", "--json"]);
    let mut seen = serde_json::Map::new();
    for r in rounds["rounds"].as_array().unwrap() {
        let id = r["id"].as_str().unwrap();
        let results = ok(dir, &["round", "results", id, "--json"]);
        let mut papers = serde_json::Map::new();
        if r["status"] == "finalised" {
            for kind in PAPERS {
                let file = out.join(format!("{id}-{kind}.pdf"));
                let printed = run(
                    dir,
                    &[
                        "print",
                        kind,
                        "--round",
                        id,
                        "--out",
                        file.to_str().unwrap(),
                    ],
                );
                assert!(printed.status.success(), "{kind}: {printed:?}");
                papers.insert(
                    kind.to_string(),
                    json!({"sha256": sha(&std::fs::read(&file).unwrap()), "words": words(&file)}),
                );
            }
        }
        // The certificates as issued: their signed payloads are stored, never made again.
        let certificates: Vec<Value> = App::open(dir)
            .unwrap()
            .recognition(id)
            .unwrap()
            .map(|rec| {
                rec.certificates
                    .iter()
                    .map(|c| json!({"number": c.number, "star": c.star, "valid_until": c.valid_until, "payload": c.payload, "qr": c.qr}))
                    .collect()
            })
            .unwrap_or_default();
        seen.insert(
            id.to_string(),
            json!({"round": r, "results": results, "papers": papers, "certificates": certificates}),
        );
    }
    json!({"rounds": seen, "audit": ok(dir, &["audit", "verify", "--json"])})
}

/// The words of a PDF (`pdftotext`) with how often each appears: what the paper says, whatever its
/// layout.
fn words(pdf: &Path) -> Value {
    let out = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils, installed by scripts/setup.sh)");
    assert!(out.status.success(), "{out:?}");
    let mut counts = std::collections::BTreeMap::<String, u64>::new();
    for w in String::from_utf8_lossy(&out.stdout).split_whitespace() {
        *counts.entry(w.to_string()).or_default() += 1;
    }
    json!(counts)
}

/// Every word of the older paper is still on the reprint, as often (a later layout may add text, a
/// QR code's size may change; no name, number, star or date may go).
fn words_kept(expected: &Value, actual: &Value, at: &str) {
    for (w, n) in expected.as_object().unwrap() {
        let got = actual.get(w).and_then(Value::as_u64).unwrap_or(0);
        assert!(
            got >= n.as_u64().unwrap(),
            "{at}: “{w}” {n} times before, {got} after"
        );
    }
}

/// `expected` is contained in `actual`: every field present and equal, arrays element by element
/// (later versions may add fields, never rename or drop one), messages' wording aside.
fn contains(expected: &Value, actual: &Value, at: &str) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, v) in e {
                // Wording may improve between versions; the data may not change. Papers are
                // compared by what they say (`words_kept`).
                if k == "message" || k == "blockers" || k == "papers" {
                    continue;
                }
                let Some(got) = a.get(k) else {
                    panic!("{at}.{k}: missing after the upgrade")
                };
                contains(v, got, &format!("{at}.{k}"));
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            assert_eq!(e.len(), a.len(), "{at}: length");
            for (i, (v, got)) in e.iter().zip(a).enumerate() {
                contains(v, got, &format!("{at}[{i}]"));
            }
        }
        _ => assert_eq!(expected, actual, "{at}"),
    }
}

fn certificates_verify(dir: &Path) -> usize {
    let app = App::open(dir).unwrap();
    let mut n = 0;
    for r in app.rounds().unwrap() {
        let Some(rec) = app.recognition(&r.id).unwrap() else {
            continue;
        };
        for c in rec.certificates {
            let v = app.verify_certificate(&c.payload).unwrap();
            assert!(
                v.valid,
                "certificate {}: {} ({})",
                c.number, v.code, v.message
            );
            // The printed code: the compact one from schema 11, bound to the record kept here;
            // the full payload before.
            let v = app.verify_certificate(&c.qr).unwrap();
            assert!(v.valid, "code of {}: {} ({})", c.number, v.code, v.message);
            if c.qr.starts_with("OCOP2:") {
                assert_eq!(v.record_matches, Some(true), "code of {}", c.number);
            } else {
                assert_eq!(c.qr, c.payload, "certificate {} before schema 11", c.number);
            }
            n += 1;
        }
    }
    n
}

/// Makes the current schema's fixture: the demo province with its finalised round's decision and
/// certificates issued, then what it shows.
fn make_fixture(at: &Path) {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    ok(&data, &["demo", "load", "--json"]);
    {
        let app = App::open(&data).unwrap();
        for r in app.rounds().unwrap() {
            if r.status == ocop_core::model::RoundStatus::Finalised
                && app.recognition(&r.id).unwrap().is_none()
            {
                app.issue_recognition(&r.id, "2026-12-03", ocop_core::demo::DEMO_PASSPHRASE)
                    .unwrap();
            }
        }
    }
    let papers = tempfile::tempdir().unwrap();
    let seen = observe(&data, papers.path());
    assert!(
        certificates_verify(&data) > 0,
        "the demo issues certificates"
    );
    // Reprinting is reproducible today, or the fixture would promise what the code does not keep.
    let again = tempfile::tempdir().unwrap();
    assert_eq!(observe(&data, again.path()), seen);
    std::fs::create_dir_all(at.join("data")).unwrap();
    // One file, no WAL beside it: SQLite's own copy of the database.
    let conn = rusqlite::Connection::open(data.join(DB)).unwrap();
    conn.execute(
        "VACUUM INTO ?1",
        [at.join("data").join(DB).to_str().unwrap()],
    )
    .unwrap();
    let expected = json!({"schema": SCHEMA_VERSION, "observed": seen});
    std::fs::write(
        at.join("expected.json"),
        serde_json::to_string_pretty(&expected).unwrap() + "\n",
    )
    .unwrap();
}

#[test]
fn every_older_data_directory_opens_with_the_same_rounds_certificates_audit_and_papers() {
    let current = fixtures().join(format!("schema-{SCHEMA_VERSION}"));
    if std::env::var_os("OCOP_UPDATE_FIXTURES").is_some() && !current.exists() {
        make_fixture(&current);
    }
    let mut checked = Vec::new();
    for e in std::fs::read_dir(fixtures()).unwrap().flatten() {
        let fixture = e.path();
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(fixture.join("expected.json")).unwrap())
                .unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("data");
        copy_dir(&fixture.join("data"), &data);
        let before = rusqlite::Connection::open(data.join(DB))
            .unwrap()
            .query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))
            .unwrap();
        assert_eq!(before, expected["schema"].as_i64().unwrap());

        let papers = tempfile::tempdir().unwrap();
        let seen = observe(&data, papers.path());
        let name = fixture.file_name().unwrap().to_string_lossy().to_string();
        for (round, r) in expected["observed"]["rounds"].as_object().unwrap() {
            for (kind, paper) in r["papers"].as_object().unwrap() {
                words_kept(
                    &paper["words"],
                    &seen["rounds"][round]["papers"][kind]["words"],
                    &format!("{name}: {kind} of {round}"),
                );
            }
        }
        // Reprints after the upgrade are byte for byte the same, as every reprint is.
        let again = tempfile::tempdir().unwrap();
        let reprint = observe(&data, again.path());
        for (round, r) in seen["rounds"].as_object().unwrap() {
            for (kind, paper) in r["papers"].as_object().unwrap() {
                assert_eq!(
                    paper["sha256"], reprint["rounds"][round]["papers"][kind]["sha256"],
                    "{name}: {kind} of {round} reprinted differently"
                );
            }
        }
        contains(
            &expected["observed"]["rounds"],
            &seen["rounds"],
            &format!("{name}.rounds"),
        );
        // The chain verifies, and holds at least what it held (a migration may add entries).
        assert_eq!(seen["audit"]["ok"], true, "{name}: {}", seen["audit"]);
        assert!(
            seen["audit"]["entries"].as_u64() >= expected["observed"]["audit"]["entries"].as_u64(),
            "{name}: audit entries lost"
        );
        assert!(certificates_verify(&data) > 0, "{name}: certificates");
        let after = App::open(&data).unwrap().app_info().unwrap().schema_version;
        assert_eq!(after as i64, SCHEMA_VERSION, "{name}: migrated");
        checked.push(before);
    }
    assert!(
        checked.contains(&SCHEMA_VERSION),
        "no fixture for schema {SCHEMA_VERSION}: run OCOP_UPDATE_FIXTURES=1 cargo test -p ocop-cli --test upgrade"
    );
}

#[test]
fn an_older_build_on_a_newer_database_is_refused_and_writes_nothing() {
    // Both journals a database arrives with: WAL (the app's own) and a rollback journal (a copy
    // made by `VACUUM INTO` or another tool), which opening would switch to WAL.
    for journal in ["DELETE", "WAL"] {
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("data");
        copy_dir(
            &fixtures()
                .join(format!("schema-{SCHEMA_VERSION}"))
                .join("data"),
            &data,
        );
        // The database as the next version will leave it.
        let conn = rusqlite::Connection::open(data.join(DB)).unwrap();
        let _: String = conn
            .query_row(&format!("PRAGMA journal_mode = {journal}"), [], |r| {
                r.get(0)
            })
            .unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        drop(conn);
        let before = snapshot(&data);
        for (args, lang) in [
            (&["round", "list", "--json"][..], "vi"),
            (&["demo", "load", "--json"][..], "en"),
            (&["audit", "verify", "--json"][..], "vi"),
        ] {
            let out = run(&data, &[&["--lang", lang][..], args].concat());
            assert_eq!(out.status.code(), Some(2), "{journal} {args:?}: {out:?}");
            assert!(out.stdout.is_empty());
            let err: Value = serde_json::from_slice(&out.stderr).unwrap();
            assert_eq!(err["code"], "db.schema_too_new", "{err}");
            let msg = err["message"].as_str().unwrap();
            assert!(msg.contains(&(SCHEMA_VERSION + 1).to_string()), "{msg}");
            if lang == "vi" {
                assert!(msg.contains("hãy cập nhật ứng dụng"), "{msg}");
            } else {
                assert!(msg.contains("please update the application"), "{msg}");
            }
        }
        assert!(App::open(&data).is_err());
        assert_eq!(snapshot(&data), before, "{journal}: nothing written");
    }
}
