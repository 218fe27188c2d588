//! Round trips through the real `ocop` binary: the JSON shapes scripts and other offices rely on,
//! and the refusal of bad input (non-zero exit, a message naming the culprit, nothing on stdout).
//! They live in the binary's own package so that cargo builds the binary they run
//! (`CARGO_BIN_EXE_ocop`), never a stale one.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::{json, Value};

/// The `ocop` binary of this package: cargo builds it before it runs these tests.
fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_ocop"))
}

fn run(args: &[&str], stdin: Option<&str>) -> Output {
    run_env(args, stdin, &[])
}

/// The demo office's passphrase, as scripts give it.
const DEMO_PASS: (&str, &str) = ("OCOP_PASSPHRASE", "1234");

/// Starts `ocop` with `env` set (and the caller's `OCOP_*` variables removed).
fn spawn(args: &[&str], env: &[(&str, &str)]) -> std::process::Child {
    let mut cmd = Command::new(bin());
    cmd.args(args)
        .env_remove("OCOP_DATA_DIR")
        .env_remove("OCOP_PASSPHRASE")
        .env_remove("OCOP_NEW_PASSPHRASE");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn run_env(args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Output {
    let mut child = spawn(args, env);
    if let Some(s) = stdin {
        child.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

/// Runs and expects a refusal with `--json`: exit 2, nothing on stdout; returns the error object.
fn refused_json(args: &[&str], env: &[(&str, &str)]) -> Value {
    let out = run_env(args, None, env);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
    assert!(out.stdout.is_empty(), "{args:?} printed on stdout");
    serde_json::from_slice(&out.stderr).unwrap_or_else(|_| {
        panic!(
            "{args:?}: stderr is not JSON: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn ok_json(args: &[&str], stdin: Option<&str>) -> Value {
    ok_json_env(args, stdin, &[])
}

fn ok_json_env(args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Value {
    let out = run_env(args, stdin, env);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Runs and expects a refusal: exit non-zero, nothing on stdout; returns stderr.
fn refused(args: &[&str], stdin: Option<&str>) -> String {
    let out = run(args, stdin);
    assert!(!out.status.success(), "{args:?} should fail");
    assert!(
        out.stdout.is_empty(),
        "{args:?} printed on stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn criteria_list_has_both_decisions_with_26_sets() {
    let v = ok_json(&["criteria", "list", "--json"], None);
    let ds = v["decisions"].as_array().unwrap();
    let ids: Vec<&str> = ds.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["QD148-2023", "QD26-2026"]);
    for d in ds {
        assert!(d["title"].as_str().unwrap().contains("phân hạng sản phẩm"));
        let sets = d["sets"].as_array().unwrap();
        assert_eq!(sets.len(), 26);
        assert_eq!(sets[10]["code"], "11");
        assert_eq!(sets[10]["name"], "Chè tươi, chè chế biến");
    }
}

/// The input of `ocop score` choosing, for each member, the option at `pick(options)`.
fn score_input(
    decision: &str,
    set: &str,
    members: &[(&str, &str)],
    pick: impl Fn(&[Value]) -> usize,
) -> Value {
    let sheet = ok_json(&["criteria", "show", decision, set, "--json"], None);
    let mut answers = serde_json::Map::new();
    for part in sheet["parts"].as_array().unwrap() {
        for c in part["criteria"].as_array().unwrap() {
            answers.insert(
                c["code"].as_str().unwrap().into(),
                json!(pick(c["options"].as_array().unwrap())),
            );
        }
    }
    json!({
        "decision": decision,
        "set": set,
        "sheets": members.iter().map(|(m, role)| json!({"member": m, "role": role, "answers": answers})).collect::<Vec<_>>()
    })
}

fn best(opts: &[Value]) -> usize {
    (0..opts.len())
        .max_by_key(|&i| opts[i]["points"].as_u64().unwrap())
        .unwrap()
}

#[test]
fn criteria_show_flattens_nested_criteria_to_leaves() {
    let v = ok_json(&["criteria", "show", "QD26-2026", "11", "--json"], None);
    assert_eq!(
        (v["decision"].as_str(), v["set"].as_str()),
        (Some("QD26-2026"), Some("11"))
    );
    let parts = v["parts"].as_array().unwrap();
    let maxima: Vec<u64> = parts.iter().map(|p| p["max"].as_u64().unwrap()).collect();
    assert_eq!(maxima, [40, 25, 35]);
    let codes: Vec<&str> = parts
        .iter()
        .flat_map(|p| p["criteria"].as_array().unwrap())
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"6.1.1") && codes.contains(&"6.2.3") && !codes.contains(&"6.1"));
    let c11 = &parts[0]["criteria"][0];
    assert_eq!(c11["title"], "Nguồn nguyên liệu");
    let opt = &c11["options"][0];
    assert!(
        opt.get("min_star").is_some(),
        "min_star is always present (null when unmarked)"
    );
    assert!(c11["options"]
        .as_array()
        .unwrap()
        .iter()
        .any(|o| o["min_star"] == 3));
    // Part sums of leaf maxima equal the part maxima.
    for p in parts {
        let sum: u64 = p["criteria"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["max"].as_u64().unwrap())
            .sum();
        assert_eq!(sum, p["max"].as_u64().unwrap());
    }
}

#[test]
fn score_round_trip_gives_the_council_result() {
    let members = [
        ("Lê Văn A", "chair"),
        ("Trần Thị B", "member"),
        ("Phạm Văn C", "member"),
    ];
    let input = score_input("QD26-2026", "11", &members, best).to_string();
    let v = ok_json(&["score", "--input", "-", "--json"], Some(&input));
    assert_eq!(v["mean_total"], 100.0);
    assert_eq!(v["part_means"], json!({"A": 40.0, "B": 25.0, "C": 35.0}));
    assert_eq!(v["band_star"], 5);
    assert_eq!(v["star"], 5);
    assert_eq!(v["recognised"], true);
    assert_eq!(v["recognisable_here"], false);
    assert_eq!(v["forward"], "centre");
    assert_eq!(v["spread"], 0.0);
    assert_eq!(v["spread_exceeded"], false);
    assert_eq!(v["unmet_minima"], json!({"3": [], "4": [], "5": []}));
    assert!(v["quorum_met"].is_null(), "no council size given");
    let m = &v["members"][0];
    assert_eq!(
        (
            m["member"].as_str(),
            m["total"].as_u64(),
            m["complete"].as_bool()
        ),
        (Some("Lê Văn A"), Some(100), Some(true))
    );
    assert_eq!(m["missing"], json!([]));

    // Lowest options everywhere: not recognised, every marked criterion unmet; council size → quorum.
    let mut low = score_input("QD26-2026", "11", &members, |_| 0);
    low["procedure"] = json!("26-province");
    low["rules"] = json!({"council_size": 4});
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("phiếu.json");
    std::fs::write(&file, low.to_string()).unwrap();
    let v = ok_json(
        &["score", "--input", file.to_str().unwrap(), "--json"],
        None,
    );
    assert_eq!(v["star"], Value::Null);
    assert_eq!(v["recognised"], false);
    assert_eq!(v["quorum_met"], true);
    assert!(!v["unmet_minima"]["3"].as_array().unwrap().is_empty());
}

#[test]
fn score_refuses_bad_input_with_a_clear_message() {
    let members = [("Nguyễn Thị Hoa", "chair")];
    let good = score_input("QD26-2026", "07", &members, best);
    let cases: Vec<(Value, Vec<&str>)> = vec![
        (
            {
                let mut v = good.clone();
                v["decision"] = json!("QD99");
                v
            },
            vec!["QD99"],
        ),
        (
            {
                let mut v = good.clone();
                v["set"] = json!("42");
                v
            },
            vec!["42"],
        ),
        (
            {
                let mut v = good.clone();
                v["sheets"][0]["answers"]["9.9"] = json!(0);
                v
            },
            vec!["Nguyễn Thị Hoa", "9.9"],
        ),
        (
            {
                let mut v = good.clone();
                v["sheets"][0]["answers"]["1.1"] = json!(7);
                v
            },
            vec!["Nguyễn Thị Hoa", "1.1", "7"],
        ),
        (
            {
                let mut v = good.clone();
                v["sheets"][0]["answers"]
                    .as_object_mut()
                    .unwrap()
                    .remove("2.3");
                v
            },
            vec!["Nguyễn Thị Hoa", "2.3"],
        ),
        (
            {
                let mut v = good.clone();
                v["procedure"] = json!("148-district");
                v
            },
            vec!["148-district"],
        ),
        (
            {
                let mut v = good.clone();
                v["procedure"] = json!("huyện");
                v
            },
            vec!["huyện"],
        ),
    ];
    for (input, expected) in cases {
        let err = refused(&["score", "--input", "-"], Some(&input.to_string()));
        for e in expected {
            assert!(err.contains(e), "message should name '{e}': {err}");
        }
    }
    let err = refused(&["score", "--input", "-"], Some("{ not json"));
    assert!(err.contains("JSON"), "{err}");
    let err = refused(&["score", "--input", "/khong/co/tep.json"], None);
    assert!(err.contains("/khong/co/tep.json"), "{err}");
    // English on request.
    let mut v = good.clone();
    v["sheets"][0]["answers"]["1.1"] = json!(7);
    let err = refused(
        &["--lang", "en", "score", "--input", "-"],
        Some(&v.to_string()),
    );
    assert!(err.contains("option 7 does not exist"), "{err}");
}

#[test]
fn criteria_check_refuses_a_broken_file_naming_file_set_and_criterion() {
    let out = run(&["criteria", "check"], None);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("52 bộ sản phẩm"));

    let assets =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../assets/criteria/QD26-2026");
    let dir = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(&assets).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
    }
    let ok = run(&["criteria", "check", dir.path().to_str().unwrap()], None);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );

    let file = dir.path().join("05.json");
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    v["parts"][0]["groups"][0]["criteria"][1]["options"][0]["points"] = json!(9);
    std::fs::write(&file, v.to_string()).unwrap();
    let err = refused(&["criteria", "check", dir.path().to_str().unwrap()], None);
    assert!(
        err.contains("05.json") && err.contains("bộ 05") && err.contains("1.2"),
        "{err}"
    );

    std::fs::write(&file, "{\"format\": ").unwrap();
    let err = refused(&["criteria", "check", file.to_str().unwrap()], None);
    assert!(err.contains("05.json") && err.contains("JSON"), "{err}");
}

#[test]
fn demo_round_trip_and_audit_verify() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let v = ok_json(&["--data-dir", d, "demo", "load", "--json"], None);
    assert_eq!(v["loaded"], true);
    let rounds = ok_json(&["--data-dir", d, "round", "list", "--json"], None);
    let rounds = rounds["rounds"].as_array().unwrap();
    assert_eq!(rounds.len(), 2);
    let done = rounds.iter().find(|r| r["status"] == "finalised").unwrap();
    let res = ok_json(
        &[
            "--data-dir",
            d,
            "round",
            "results",
            done["id"].as_str().unwrap(),
            "--json",
        ],
        None,
    );
    let products = res["products"].as_array().unwrap();
    assert_eq!(products.len(), 5);
    for p in products {
        for field in [
            "mean_total",
            "part_means",
            "members",
            "spread",
            "spread_exceeded",
            "quorum_met",
            "band_star",
            "unmet_minima",
            "star",
            "recognised",
            "recognisable_here",
            "forward",
            "product_name",
        ] {
            assert!(
                p.get(field).is_some(),
                "results carry the `ocop score` field {field}"
            );
        }
    }
    let chè = products
        .iter()
        .find(|p| p["product_name"] == "Chè xanh Bình Sơn")
        .unwrap();
    assert_eq!(chè["star"], 5);
    assert_eq!(chè["mean_total"], 92.0);
    // By name, diacritic-insensitive.
    let by_name = ok_json(
        &[
            "--data-dir",
            d,
            "round",
            "results",
            "dot 1 nam 2026",
            "--json",
        ],
        None,
    );
    assert_eq!(by_name["round"]["id"], done["id"]);

    let v = ok_json(&["--data-dir", d, "audit", "verify", "--json"], None);
    assert_eq!(v["ok"], true);

    // Tamper with one audit row behind the app's back: verify fails and says where.
    let db = rusqlite::Connection::open(dir.path().join("ocop-council.sqlite")).unwrap();
    db.execute_batch("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'Người lạ' WHERE seq = 100;").unwrap();
    drop(db);
    let err = refused(&["--data-dir", d, "audit", "verify"], None);
    assert!(err.contains("100"), "{err}");
}

fn pdftotext(path: &std::path::Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn every_paper_of_the_demo_round_prints_and_certificates_verify() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    ok_json(&["--data-dir", d, "demo", "load", "--json"], None);
    // (kind, text that must be in it)
    let papers: [(&str, &[&str]); 6] = [
        (
            "sheet",
            &[
                "PHIẾU ĐÁNH GIÁ SẢN PHẨM OCOP",
                "Chè xanh Bình Sơn",
                "Lê Đức Giang",
            ],
        ),
        (
            "blank-sheet",
            &["PHIẾU ĐÁNH GIÁ SẢN PHẨM OCOP", "Nước mắm Ba Làng"],
        ),
        ("summary", &["Nem chua Thanh Hóa", "78,50", "Đề nghị công"]),
        (
            "minutes",
            &["BIÊN BẢN", "Hội trường Sở Nông nghiệp và Môi trường"],
        ),
        (
            "decision",
            &[
                "QUYẾT ĐỊNH",
                "125/QĐ-UBND",
                "Sản phẩm đạt hạng 4 sao (2 sản phẩm)",
                "63,50",
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            ],
        ),
        (
            "certificates",
            &["GIẤY CHỨNG NHẬN", "NƯỚC MẮM BA LÀNG", "10/07/2029"],
        ),
    ];
    for (kind, expected) in papers {
        let out = dir.path().join(format!("{kind}.pdf"));
        // The first decision paper issues the decision: it signs the certificates with the office's
        // key, opened with the passphrase scripts give in OCOP_PASSPHRASE.
        let o = run_env(
            &[
                "--data-dir",
                d,
                "print",
                kind,
                "--round",
                "dot 1",
                "--date",
                "2026-07-10",
                "--out",
                out.to_str().unwrap(),
            ],
            None,
            &[DEMO_PASS],
        );
        assert!(
            o.status.success(),
            "{kind}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let text = pdftotext(&out);
        for e in expected {
            assert!(text.contains(e), "{kind} lacks '{e}'");
        }
    }
    for kind in ["summary-xlsx", "recognised-xlsx"] {
        let out = dir.path().join(format!("{kind}.xlsx"));
        let o = run(
            &[
                "--data-dir",
                d,
                "print",
                kind,
                "--round",
                "dot 1",
                "--out",
                out.to_str().unwrap(),
            ],
            None,
        );
        assert!(
            o.status.success(),
            "{kind}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(std::fs::read(&out).unwrap().starts_with(b"PK"));
    }
    // The open round cannot have a decision yet; an unknown kind is refused.
    let err = refused(
        &[
            "--data-dir",
            d,
            "print",
            "decision",
            "--round",
            "dot 2",
            "--out",
            "/tmp/x.pdf",
        ],
        None,
    );
    assert!(err.contains("đã kết thúc"), "{err}");
    assert!(refused(
        &[
            "--data-dir",
            d,
            "print",
            "bằng khen",
            "--round",
            "dot 1",
            "--out",
            "/tmp/x.pdf"
        ],
        None
    )
    .contains("bằng khen"));

    // Verify every certificate's payload offline; a changed one fails.
    let db = rusqlite::Connection::open(dir.path().join("ocop-council.sqlite")).unwrap();
    let payloads: Vec<String> = db
        .prepare("SELECT payload FROM certificate")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(payloads.len(), 3);
    for p in &payloads {
        let v = ok_json(&["--data-dir", d, "verify", p, "--json"], None);
        assert_eq!(v["valid"], true, "{v}");
        assert_eq!(v["code"], "verify.valid", "{v}");
        let human = run(&["--data-dir", d, "verify", p], None);
        assert!(String::from_utf8_lossy(&human.stdout).contains("Giấy chứng nhận hợp lệ"));
    }
    let mut tampered = payloads[0].clone();
    let mid = tampered.len() / 3;
    let c = if &tampered[mid..mid + 1] == "A" {
        "B"
    } else {
        "A"
    };
    tampered.replace_range(mid..mid + 1, c);
    let v = ok_json(&["--data-dir", d, "verify", &tampered, "--json"], None);
    assert_eq!(v["valid"], false);
    let err = refused(&["--data-dir", d, "verify", &tampered], None);
    assert!(!err.is_empty());
    // The refusal is the verification's own message, not a wrapper around Vietnamese text.
    let en = refused(
        &["--lang", "en", "--data-dir", d, "verify", &tampered],
        None,
    );
    assert!(
        en.starts_with("error: The code is damaged") || en.contains("DOES NOT MATCH"),
        "{en}"
    );
    assert!(!en.contains("không"), "English only: {en}");
    // Another office's database does not trust this office's key.
    let other = tempfile::tempdir().unwrap();
    let v = ok_json(
        &[
            "--data-dir",
            other.path().to_str().unwrap(),
            "verify",
            &payloads[0],
            "--json",
        ],
        None,
    );
    assert_eq!(v["valid"], false);
    assert!(v["message"].as_str().unwrap().contains("chưa được tin cậy"));
    assert_eq!(v["code"], "verify.untrusted_key");
    // Until it trusts the issuing office's public key (audited), from `ocop office show`.
    let o = other.path().to_str().unwrap();
    let shown = ok_json(&["--data-dir", d, "office", "show", "--json"], None);
    let public = shown["key"]["public_key"].as_str().unwrap();
    let trusted = ok_json(
        &[
            "--data-dir",
            o,
            "office",
            "trust",
            "--name",
            "UBND tỉnh Thanh Hóa",
            "--public-key",
            public,
        ],
        None,
    );
    assert_eq!(trusted["fingerprint"], shown["key"]["fingerprint"]);
    let v = ok_json(&["--data-dir", o, "verify", &payloads[0], "--json"], None);
    assert_eq!(v["code"], "verify.valid", "{v}");
    assert_eq!(v["signed_by"], "UBND tỉnh Thanh Hóa");

    // The printed codes are the compact OCOP2 ones (issue 12), bound to the full records.
    let codes: Vec<(String, String)> = db
        .prepare("SELECT qr, number FROM certificate ORDER BY number")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for (code, number) in &codes {
        assert!(code.starts_with("OCOP2:"), "{code}");
        // The issuing office holds the full record: every field shows.
        let v = ok_json(&["--data-dir", d, "verify", code, "--json"], None);
        assert_eq!(v["code"], "verify.valid", "{v}");
        assert_eq!(v["record_matches"], true, "{v}");
        assert_eq!(v["claim"]["v"], 2);
        assert_eq!(v["claim"]["n"], number.as_str());
        assert!(!v["claim"]["c"].as_str().unwrap().is_empty(), "{v}");
        let human =
            String::from_utf8(run(&["--data-dir", d, "verify", code], None).stdout).unwrap();
        assert!(human.contains("Khớp với hồ sơ đầy đủ"), "{human}");
        // Another office trusting the key but holding no record: what the code carries.
        let v = ok_json(&["--data-dir", o, "verify", code, "--json"], None);
        assert_eq!(v["code"], "verify.valid", "{v}");
        assert_eq!(v["record_matches"], serde_json::Value::Null, "{v}");
        assert_eq!(v["claim"]["c"], "", "{v}");
        assert_eq!(v["claim"]["n"], number.as_str());
        // The number printed beside the code, typed in, finds the signed code kept here.
        let v = ok_json(&["--data-dir", d, "verify", number, "--json"], None);
        assert_eq!(v["code"], "verify.valid", "{v}");
        assert_eq!(v["from_records"], true, "{v}");
        assert_eq!(v["claim"]["n"], number.as_str());
    }
    let v = ok_json(&["--data-dir", o, "verify", &codes[0].1, "--json"], None);
    assert_eq!(v["code"], "verify.number_unknown", "{v}");
    assert_eq!(v["valid"], false);
    let err = refused(&["--data-dir", o, "verify", "999/QĐ-UBND-01"], None);
    assert!(err.contains("999/QĐ-UBND-01"), "{err}");
}

fn count(dir: &std::path::Path, sql: &str) -> i64 {
    let db = rusqlite::Connection::open(dir.join("ocop-council.sqlite")).unwrap();
    db.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn payloads(dir: &std::path::Path) -> Vec<String> {
    let db = rusqlite::Connection::open(dir.join("ocop-council.sqlite")).unwrap();
    let mut stmt = db.prepare("SELECT payload FROM certificate").unwrap();
    let rows = stmt.query_map([], |r| r.get(0)).unwrap();
    rows.map(Result::unwrap).collect()
}

/// Issues the demo's recognition decision by printing its certificates; returns the payloads.
fn issue_demo_certificates(dir: &std::path::Path) -> Vec<String> {
    let d = dir.to_str().unwrap();
    let out = dir.join("certificates.pdf");
    let o = run_env(
        &[
            "--data-dir",
            d,
            "print",
            "certificates",
            "--round",
            "dot 1",
            "--date",
            "2026-07-10",
            "--out",
            out.to_str().unwrap(),
            "--json",
        ],
        None,
        &[DEMO_PASS],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["kind"], "certificates");
    assert!(v["bytes"].as_u64().unwrap() > 1000);
    let p = payloads(dir);
    assert_eq!(p.len(), 3);
    p
}

/// Starts `office key init` in `n` processes at once on one data directory; returns their outputs.
fn race_key_init(d: &str, n: usize) -> Vec<Output> {
    let passes: Vec<String> = (0..n).map(|i| format!("cụm mật khẩu số {i}")).collect();
    let children: Vec<_> = passes
        .iter()
        .map(|p| {
            spawn(
                &["--data-dir", d, "office", "key", "init", "--json"],
                &[("OCOP_PASSPHRASE", p.as_str())],
            )
        })
        .collect();
    children
        .into_iter()
        .map(|mut c| {
            drop(c.stdin.take());
            c.wait_with_output().unwrap()
        })
        .collect()
}

#[test]
fn the_office_key_is_created_once_even_by_two_processes_at_once() {
    // Reading never creates a key (the first release made one on every first read).
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    for _ in 0..2 {
        let shown = ok_json(&["--data-dir", d, "office", "show", "--json"], None);
        assert!(shown["key"].is_null(), "{shown}");
        assert!(shown["office"].is_object());
    }
    assert_eq!(count(dir.path(), "SELECT COUNT(*) FROM office_key"), 0);
    let v = ok_json(
        &["--data-dir", d, "verify", "OCOP1.e30.AAAA", "--json"],
        None,
    );
    assert_eq!(v["valid"], false);
    assert_eq!(count(dir.path(), "SELECT COUNT(*) FROM office_key"), 0);

    // Two creators on a fresh data directory at the same moment: one key.
    let fresh = tempfile::tempdir().unwrap();
    let f = fresh.path().to_str().unwrap();
    let outs = race_key_init(f, 2);
    let won: Vec<&Output> = outs.iter().filter(|o| o.status.success()).collect();
    assert_eq!(won.len(), 1, "{outs:?}");
    let lost = outs.iter().find(|o| !o.status.success()).unwrap();
    assert_eq!(lost.status.code(), Some(2));
    let err: Value = serde_json::from_slice(&lost.stderr).unwrap();
    assert_eq!(err["code"], "office.key_exists", "{err}");
    let key: Value = serde_json::from_slice(&won[0].stdout).unwrap();
    assert_eq!(key["protected"], true);
    let shown = ok_json(&["--data-dir", f, "office", "show", "--json"], None);
    assert_eq!(shown["key"]["fingerprint"], key["fingerprint"]);
    assert_eq!(count(fresh.path(), "SELECT COUNT(*) FROM office_key"), 1);

    // An office that has issued certificates: more creators at once replace nothing, and what
    // it issued still verifies.
    let demo = tempfile::tempdir().unwrap();
    let m = demo.path().to_str().unwrap();
    ok_json(&["--data-dir", m, "demo", "load", "--json"], None);
    let issued = issue_demo_certificates(demo.path());
    let before = ok_json(&["--data-dir", m, "office", "show", "--json"], None);
    for o in race_key_init(m, 2) {
        assert_eq!(o.status.code(), Some(2), "{o:?}");
        let err: Value = serde_json::from_slice(&o.stderr).unwrap();
        assert_eq!(err["code"], "office.key_exists");
        assert_eq!(err["params"]["fingerprint"], before["key"]["fingerprint"]);
    }
    let after = ok_json(&["--data-dir", m, "office", "show", "--json"], None);
    assert_eq!(after["key"], before["key"]);
    for p in &issued {
        let v = ok_json(&["--data-dir", m, "verify", p, "--json"], None);
        assert_eq!(v["code"], "verify.valid", "{v}");
    }
}

#[test]
fn office_show_reports_the_key_fingerprint_and_protection() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    ok_json(&["--data-dir", d, "demo", "load", "--json"], None);
    let v = ok_json(&["--data-dir", d, "office", "show", "--json"], None);
    let key = &v["key"];
    // The first release's fields, then the added ones.
    for field in ["id", "name", "public_key", "fingerprint", "protected"] {
        assert!(key.get(field).is_some(), "key.{field}: {v}");
    }
    assert_eq!(key["protected"], true);
    assert_eq!(key["id"], key["fingerprint"]);
    assert_eq!(key["fingerprint"].as_str().unwrap().len(), 16);
    assert_eq!(key["public_key"].as_str().unwrap().len(), 64);
    assert_eq!(v["office"]["decision_symbol"], "QĐ-UBND");
    assert_eq!(v["retired_keys"], json!([]));
    // Without --json it prints the same JSON, as it always did.
    let plain = run(&["--data-dir", d, "office", "show"], None);
    assert_eq!(serde_json::from_slice::<Value>(&plain.stdout).unwrap(), v);
}

/// A copy of the database file, without the office's passphrase, cannot sign certificates:
/// issuing fails with a coded error and writes nothing.
#[test]
fn a_copied_database_cannot_issue_certificates_without_the_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    ok_json(&["--data-dir", d, "demo", "load", "--json"], None);
    let copy = tempfile::tempdir().unwrap();
    std::fs::copy(
        dir.path().join("ocop-council.sqlite"),
        copy.path().join("ocop-council.sqlite"),
    )
    .unwrap();
    let c = copy.path().to_str().unwrap();
    let audit = count(copy.path(), "SELECT COUNT(*) FROM audit_log");
    let out = copy.path().join("x.pdf");
    for kind in ["decision", "certificates", "recognised-xlsx"] {
        let args = [
            "--data-dir",
            c,
            "print",
            kind,
            "--round",
            "dot 1",
            "--out",
            out.to_str().unwrap(),
            "--json",
        ];
        let e = refused_json(&args, &[]);
        assert_eq!(e["code"], "cli.passphrase_missing", "{e}");
        assert_eq!(e["params"]["var"], "OCOP_PASSPHRASE");
        let e = refused_json(&args, &[("OCOP_PASSPHRASE", "0000")]);
        assert_eq!(e["code"], "office.passphrase_wrong", "{e}");
    }
    let en = run_env(
        &[
            "--lang",
            "en",
            "--data-dir",
            c,
            "print",
            "decision",
            "--round",
            "dot 1",
            "--out",
            out.to_str().unwrap(),
        ],
        None,
        &[],
    );
    assert_eq!(en.status.code(), Some(2));
    let msg = String::from_utf8(en.stderr).unwrap();
    assert!(
        msg.contains("set the environment variable OCOP_PASSPHRASE"),
        "{msg}"
    );
    assert!(!out.exists(), "no paper written");
    assert_eq!(count(copy.path(), "SELECT COUNT(*) FROM recognition"), 0);
    assert_eq!(count(copy.path(), "SELECT COUNT(*) FROM certificate"), 0);
    assert_eq!(count(copy.path(), "SELECT COUNT(*) FROM audit_log"), audit);
    // Papers that sign nothing still print without it.
    let summary = copy.path().join("summary.pdf");
    let o = run(
        &[
            "--data-dir",
            c,
            "print",
            "summary",
            "--round",
            "dot 1",
            "--out",
            summary.to_str().unwrap(),
        ],
        None,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn rotating_the_key_keeps_old_certificates_verifying() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    ok_json(&["--data-dir", d, "demo", "load", "--json"], None);
    let issued = issue_demo_certificates(dir.path());
    let old = ok_json(&["--data-dir", d, "office", "show", "--json"], None)["key"].clone();
    let rotate = ["--data-dir", d, "office", "key", "rotate", "--json"];
    assert_eq!(refused_json(&rotate, &[])["code"], "cli.passphrase_missing");
    assert_eq!(
        refused_json(&rotate, &[("OCOP_PASSPHRASE", "0000")])["code"],
        "office.passphrase_wrong"
    );
    let new = ok_json_env(&rotate, None, &[DEMO_PASS]);
    assert_ne!(new["fingerprint"], old["fingerprint"]);
    let shown = ok_json(&["--data-dir", d, "office", "show", "--json"], None);
    assert_eq!(shown["key"]["fingerprint"], new["fingerprint"]);
    let retired = shown["retired_keys"].as_array().unwrap();
    assert_eq!(retired.len(), 1);
    assert_eq!(retired[0]["fingerprint"], old["fingerprint"]);
    assert!(retired[0]["retired_at"].is_string());
    for p in &issued {
        let v = ok_json(&["--data-dir", d, "verify", p, "--json"], None);
        assert_eq!(v["code"], "verify.valid", "{v}");
    }
    // Changing the passphrase needs the current one and re-seals the same key.
    let change = ["--data-dir", d, "office", "key", "passphrase", "--json"];
    assert_eq!(
        refused_json(&change, &[DEMO_PASS, ("OCOP_NEW_PASSPHRASE", "ngắn")])["code"],
        "office.passphrase_too_short"
    );
    let changed = ok_json_env(
        &change,
        None,
        &[DEMO_PASS, ("OCOP_NEW_PASSPHRASE", "mùa chè xanh 2026")],
    );
    assert_eq!(changed["fingerprint"], new["fingerprint"]);
    assert_eq!(
        refused_json(&rotate, &[DEMO_PASS])["code"],
        "office.passphrase_wrong"
    );
    let audit = ok_json(&["--data-dir", d, "audit", "verify", "--json"], None);
    assert_eq!(audit["ok"], true);
}

/// An import file in the app's template: owner, kind, commune, phone, product, set, code.
fn import_file(dir: &std::path::Path, name: &str, rows: &[[&str; 7]]) -> String {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ocop_core::import::TEMPLATE_HEADERS.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    // Template columns: 0 owner, 1 kind, 6 commune, 9 phone, 12 product, 13 set, 15 code.
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in [0, 1, 6, 9, 12, 13, 15].into_iter().zip(row) {
            ws.write_string(r as u32 + 1, c, *v).unwrap();
        }
    }
    let path = dir.join(name);
    wb.save(&path).unwrap();
    path.to_str().unwrap().to_string()
}

fn audit_rows(dir: &std::path::Path) -> i64 {
    rusqlite::Connection::open(dir.join("ocop-council.sqlite"))
        .unwrap()
        .query_row("SELECT COUNT(*) FROM audit_log", [], |r| r.get(0))
        .unwrap()
}

const HTX: &str = "Hợp tác xã Chè Bình Sơn";

#[test]
fn import_prints_the_plan_dry_runs_and_applies_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let file = import_file(
        dir.path(),
        "a.xlsx",
        &[
            [
                HTX,
                "Hợp tác xã",
                "Xã Bình Sơn",
                "0237 3812345",
                "Chè xanh",
                "11",
                "",
            ],
            [HTX, "", "Xã Bình Sơn", "", "Chè", "11", ""],
        ],
    );
    // A dry run prints the plan and writes nothing.
    ok_json(&["--data-dir", d, "round", "list", "--json"], None);
    let audit = audit_rows(dir.path());
    let plan = ok_json(
        &["--data-dir", d, "import", &file, "--dry-run", "--json"],
        None,
    );
    assert_eq!(plan["format"], 1);
    assert_eq!(plan["applied"], false);
    assert_eq!(plan["fingerprint"].as_str().unwrap().len(), 64);
    let rows = plan["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (rows[0]["row"].as_u64(), rows[0]["action"].as_str()),
        (Some(2), Some("new"))
    );
    assert_eq!(rows[0]["owner"]["id"], Value::Null);
    assert_eq!(rows[1]["owner"]["same_as_row"], 2);
    assert_eq!(plan["counts"]["owners_new"], 1);
    assert_eq!(plan["counts"]["products_new"], 2);
    assert_eq!(audit_rows(dir.path()), audit, "a dry run writes nothing");

    // Applied: the same plan, with the new records' ids.
    let done = ok_json(&["--data-dir", d, "import", &file, "--json"], None);
    assert_eq!(done["applied"], true);
    assert_eq!(done["fingerprint"], plan["fingerprint"]);
    assert!(done["rows"][0]["product"]["id"].is_string());
    assert_eq!(
        done["rows"][0]["owner"]["id"],
        done["rows"][1]["owner"]["id"]
    );
    assert_eq!(
        audit_rows(dir.path()),
        audit + 4,
        "owner, two products, summary"
    );

    // Again: nothing to change.
    let again = ok_json(
        &["--data-dir", d, "import", &file, "--dry-run", "--json"],
        None,
    );
    assert_eq!(again["counts"]["unchanged"], 2);

    // A changed phone shows old → new.
    let changed = import_file(
        dir.path(),
        "b.xlsx",
        &[[HTX, "", "Xã Bình Sơn", "0912 000111", "Chè xanh", "11", ""]],
    );
    let plan = ok_json(
        &["--data-dir", d, "import", &changed, "--dry-run", "--json"],
        None,
    );
    assert_eq!(plan["rows"][0]["action"], "update");
    assert_eq!(
        plan["rows"][0]["changes"],
        json!([{ "entity": "owner", "field": "phone", "old": "0237 3812345", "new": "0912 000111" }])
    );
    let text = run(
        &[
            "--data-dir",
            d,
            "--lang",
            "en",
            "import",
            &changed,
            "--dry-run",
        ],
        None,
    );
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("owner.phone: 0237 3812345 → 0912 000111"),
        "{text}"
    );
    assert!(text.contains("Dry run: nothing written."), "{text}");
}

#[test]
fn import_with_a_row_in_error_prints_nothing_writes_nothing_and_names_the_rows() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let file = import_file(
        dir.path(),
        "bad.xlsx",
        &[
            [HTX, "Hợp tác xã", "Xã Bình Sơn", "", "Chè xanh", "11", ""],
            [HTX, "", "Xã Bình Sơn", "", "Trà", "27", ""],
        ],
    );
    ok_json(&["--data-dir", d, "round", "list", "--json"], None);
    let audit = audit_rows(dir.path());
    for extra in [&["--dry-run"][..], &[]] {
        let mut args = vec!["--data-dir", d, "--lang", "en", "import", &file, "--json"];
        args.extend_from_slice(extra);
        let out = run(&args, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?} printed on stdout");
        let e: Value = serde_json::from_slice(&out.stderr).unwrap();
        assert_eq!(e["code"], "import.has_errors");
        assert_eq!(e["params"]["rows"], "3");
        assert_eq!(
            e["message"],
            "Nothing was written: 1 row(s) in error (row 3)"
        );
        assert_eq!(e["rows"][0]["row"], 3);
        assert_eq!(e["rows"][0]["errors"][0]["code"], "import.row.unknown_set");
        assert_eq!(e["rows"][0]["errors"][0]["params"]["set"], "27");
    }
    assert_eq!(audit_rows(dir.path()), audit, "nothing written");
    let err = refused(&["--data-dir", d, "import", &file], None);
    assert!(
        err.contains("Dòng 3: Bộ sản phẩm '27' không có trong QD26-2026"),
        "{err}"
    );
}

#[test]
fn import_into_a_round_plans_its_dossiers() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    ok_json(&["--data-dir", d, "demo", "load", "--json"], None);
    let rounds = ok_json(&["--data-dir", d, "round", "list", "--json"], None);
    let open = rounds["rounds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["status"] != "finalised")
        .unwrap()
        .clone();
    let file = import_file(
        dir.path(),
        "round.xlsx",
        &[[
            "Hợp tác xã Mật ong Hải Ninh",
            "Hợp tác xã",
            "Xã Hải Ninh",
            "",
            "Mật ong hoa nhãn",
            "05",
            "",
        ]],
    );
    let id = open["id"].as_str().unwrap();
    let plan = ok_json(
        &["--data-dir", d, "import", &file, "--round", id, "--json"],
        None,
    );
    assert_eq!(plan["round_id"], open["id"]);
    assert_eq!(plan["rows"][0]["dossier"]["action"], "new");
    assert!(plan["rows"][0]["dossier"]["id"].is_string());
    let done = rounds["rounds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["status"] == "finalised")
        .unwrap();
    let e = refused(
        &[
            "--data-dir",
            d,
            "import",
            &file,
            "--round",
            done["id"].as_str().unwrap(),
            "--json",
        ],
        None,
    );
    let e: Value = serde_json::from_str(&e).unwrap();
    assert_eq!(e["code"], "round.finalised");
}

#[test]
fn audit_list_filters_by_round_and_kind_and_results_give_blocker_codes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    ok_json(&["--data-dir", d, "demo", "load", "--json"], None);
    let rounds = ok_json(&["--data-dir", d, "round", "list", "--json"], None);
    let open = rounds["rounds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["status"] == "scoring")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();

    let log = ok_json(
        &[
            "--data-dir",
            d,
            "audit",
            "list",
            "--round",
            "dot 2",
            "--limit",
            "5000",
            "--json",
        ],
        None,
    );
    let entries = log["entries"].as_array().unwrap();
    assert!(entries.len() > 100, "{}", entries.len());
    assert!(entries.iter().all(|e| e["round_id"] == open.as_str()));
    assert!(entries
        .windows(2)
        .all(|w| w[0]["seq"].as_i64() > w[1]["seq"].as_i64()));
    // Values are JSON, not text.
    let answer = entries
        .iter()
        .find(|e| e["action"] == "sheet.answer")
        .unwrap();
    assert!(answer["after"]["criterion"].is_string(), "{answer}");
    let kinds = ok_json(
        &[
            "--data-dir",
            d,
            "audit",
            "list",
            "--round",
            &open,
            "--entity",
            "round",
            "--json",
        ],
        None,
    );
    let kinds = kinds["entries"].as_array().unwrap();
    assert!(!kinds.is_empty() && kinds.iter().all(|e| e["entity"] == "round"));
    let err = refused(
        &[
            "--data-dir",
            d,
            "audit",
            "list",
            "--round",
            "không có",
            "--json",
        ],
        None,
    );
    let err: Value = serde_json::from_str(&err).unwrap();
    assert_eq!(err["code"], "not_found");

    // The gate's reasons as codes, worded in the language asked for.
    let res = ok_json(
        &[
            "--data-dir",
            d,
            "--lang",
            "en",
            "round",
            "results",
            &open,
            "--json",
        ],
        None,
    );
    let codes = res["blocker_codes"].as_array().unwrap();
    assert!(!codes.is_empty());
    assert_eq!(codes.len(), res["blockers"].as_array().unwrap().len());
    for (c, b) in codes.iter().zip(res["blockers"].as_array().unwrap()) {
        assert!(c["code"].as_str().unwrap().starts_with("blocker."), "{c}");
        assert_eq!(&c["message"], b);
        assert!(!b.as_str().unwrap().contains("chưa"), "{b}");
    }
    let done = ok_json(
        &["--data-dir", d, "round", "results", "dot 1", "--json"],
        None,
    );
    assert_eq!(done["blocker_codes"][0]["code"], "blocker.finalised");
}

/// A reader that stops early (`ocop audit list --json | head`) is no failure: the output ends
/// there, with no panic on standard error (`println!` panicked on the closed pipe).
#[test]
fn a_reader_that_stops_early_is_no_failure() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    ok_json(&["--data-dir", d, "demo", "load", "--json"], None);
    // The demo's audit log is far larger than a pipe's buffer, so the write meets the closed end.
    let mut child = spawn(&["--data-dir", d, "audit", "list", "--json"], &[]);
    let mut first = [0u8; 16];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut first).unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(out.status.success(), "{out:?}");
}
