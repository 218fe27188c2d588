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
    let mut child = Command::new(bin())
        .args(args)
        .env_remove("OCOP_DATA_DIR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(s) = stdin {
        child.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn ok_json(args: &[&str], stdin: Option<&str>) -> Value {
    let out = run(args, stdin);
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
        let o = run(
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
