//! The provincial record through the real `ocop` binary: the sample registry list and seed 001's
//! plan import from `assets/samples/`, `registry list` reports statuses, a revocation exported by
//! one office makes `ocop verify` fail in another that imported it, and forged, tampered and
//! replayed lists are refused or add nothing.
//!
//! `OCOP_WRITE_SAMPLES=1 cargo test -p ocop-cli --test registry write_samples` regenerates the
//! sample files from the demo registry and seed 001's table.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_ocop"))
}

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../assets/samples")
}

const REGISTRY_SAMPLE: &str = "danh-sach-san-pham-ocop-mau.xlsx";
const PLAN_SAMPLE: &str = "ke-hoach-ocop-2025-thanh-hoa.xlsx";
const PASS: (&str, &str) = ("OCOP_PASSPHRASE", "1234");

fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(bin());
    cmd.args(args)
        .env_remove("OCOP_DATA_DIR")
        .env_remove("OCOP_PASSPHRASE");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn ok(args: &[&str], env: &[(&str, &str)]) -> Value {
    let out = run(args, env);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{args:?}: {}", String::from_utf8_lossy(&out.stdout)))
}

fn refused(args: &[&str]) -> Value {
    let out = run(args, &[]);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
    assert!(out.stdout.is_empty());
    serde_json::from_slice(&out.stderr).unwrap()
}

/// Regenerates the sample files (only with OCOP_WRITE_SAMPLES=1).
#[test]
fn write_samples() {
    if std::env::var("OCOP_WRITE_SAMPLES").as_deref() != Ok("1") {
        return;
    }
    use rust_xlsxwriter::{Format, Workbook};
    let dir = samples();
    std::fs::create_dir_all(&dir).unwrap();
    // The registry list, in the columns provinces keep (dates counted from 1/12/2026).
    let base = ocop_core::registry::Date::from_ymd_opt(2026, 12, 1).unwrap();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let bold = Format::new().set_bold();
    for (c, h) in ocop_core::import::REGISTRY_HEADERS.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold).unwrap();
    }
    let catalog = ocop_core::criteria::Catalog::builtin();
    for (i, e) in ocop_core::demo_registry::entries().iter().enumerate() {
        let r = i as u32 + 1;
        let date = base - ocop_core::registry::Days::new(e.days_ago as u64);
        let decision = if date >= ocop_core::registry::Date::from_ymd_opt(2026, 5, 22).unwrap() {
            "QD26-2026"
        } else {
            "QD148-2023"
        };
        let set = catalog
            .set(decision, e.set)
            .map(|s| s.name.clone())
            .unwrap_or_default();
        let cells = [
            r.to_string(),
            e.product.clone(),
            e.owner.clone(),
            e.kind.label_vi().to_string(),
            format!("{}, {}", e.commune, e.district),
            e.commune.to_string(),
            e.district.to_string(),
            set,
            e.star.to_string(),
            e.decision_no.clone(),
            date.format("%d/%m/%Y").to_string(),
            format!("{}-01", e.decision_no),
        ];
        for (c, v) in cells.iter().enumerate() {
            ws.write_string(r, c as u16, v).unwrap();
        }
    }
    wb.save(dir.join(REGISTRY_SAMPLE)).unwrap();
    // Seed 001's plan, laid out as the plan prints it (a two-line header, the total first).
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let head = [
        "TT",
        "Các huyện, thị xã, thành phố",
        "Kế hoạch phát triển sản phẩm OCOP năm 2025",
        "Trong đó:",
        "",
        "",
    ];
    for (c, h) in head.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold).unwrap();
    }
    for (c, h) in [
        "Sản phẩm OCOP 5 sao (Do Trung ương công nhận)",
        "Sản phẩm OCOP 4 sao (Do cấp tỉnh công nhận)",
        "Sản phẩm OCOP 3 sao (Do cấp huyện công nhận)",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string_with_format(1, 3 + c as u16, *h, &bold)
            .unwrap();
    }
    let plan = ocop_core::demo_registry::SEED_001_PLAN;
    let sum = |k: usize| plan.iter().map(|(_, t)| t[k]).sum::<u32>();
    let total = sum(0) + sum(1) + sum(2);
    ws.write_string_with_format(2, 1, "Tổng", &bold).unwrap();
    for (c, v) in [total, sum(2), sum(1), sum(0)].iter().enumerate() {
        ws.write_number(2, 2 + c as u16, *v as f64).unwrap();
    }
    let dash = |n: u32| {
        if n == 0 {
            String::new()
        } else {
            n.to_string()
        }
    };
    for (i, (name, t)) in plan.iter().enumerate() {
        let r = 3 + i as u32;
        ws.write_number(r, 0, (i + 1) as f64).unwrap();
        ws.write_string(r, 1, *name).unwrap();
        ws.write_number(r, 2, (t[0] + t[1] + t[2]) as f64).unwrap();
        for (c, k) in [2usize, 1, 0].iter().enumerate() {
            ws.write_string(r, 3 + c as u16, dash(t[*k])).unwrap();
        }
    }
    wb.save(dir.join(PLAN_SAMPLE)).unwrap();
}

#[test]
fn the_sample_registry_and_seed_001_plan_import_and_list() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let reg = samples().join(REGISTRY_SAMPLE);
    let reg = reg.to_str().unwrap();
    // A dry run writes nothing.
    let plan = ok(
        &[
            "--data-dir",
            d,
            "registry",
            "import",
            reg,
            "--dry-run",
            "--json",
        ],
        &[],
    );
    assert_eq!(plan["registry"], true);
    assert_eq!(plan["applied"], false);
    assert_eq!(plan["counts"]["entries_new"], 60);
    let empty = ok(&["--data-dir", d, "registry", "list", "--json"], &[]);
    assert_eq!(empty["total"], 0);
    let applied = ok(&["--data-dir", d, "registry", "import", reg, "--json"], &[]);
    assert_eq!(applied["applied"], true);
    assert_eq!(applied["counts"]["entries_new"], 60);
    // Again: nothing new, every row unchanged.
    let again = ok(&["--data-dir", d, "registry", "import", reg, "--json"], &[]);
    assert_eq!(again["counts"]["entries_new"], 0);
    assert_eq!(again["counts"]["unchanged"], 60);
    let list = ok(&["--data-dir", d, "registry", "list", "--json"], &[]);
    assert_eq!(list["total"], 60);
    let e = &list["entries"][0];
    for field in [
        "product",
        "owner",
        "star",
        "decision_no",
        "decision_date",
        "valid_until",
        "status",
        "imported",
    ] {
        assert!(!e[field].is_null(), "{field} missing in {e}");
    }
    assert_eq!(e["imported"], true);
    // The oldest rows of the sample have lapsed: expired, never "revoked".
    let expired = ok(
        &[
            "--data-dir",
            d,
            "registry",
            "list",
            "--status",
            "expired",
            "--json",
        ],
        &[],
    );
    assert!(expired["total"].as_u64().unwrap() >= 1);
    assert!(expired["entries"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["status"] == "expired"));
    let revoked = ok(
        &[
            "--data-dir",
            d,
            "registry",
            "list",
            "--status",
            "revoked",
            "--json",
        ],
        &[],
    );
    assert_eq!(revoked["total"], 0);
    // Seed 001's plan: 160 products (3 five-star, 20 four-star, 137 three-star) over 26 rows.
    let p = samples().join(PLAN_SAMPLE);
    let plan = ok(
        &[
            "--data-dir",
            d,
            "plan",
            "import",
            p.to_str().unwrap(),
            "--year",
            "2025",
            "--json",
        ],
        &[],
    );
    assert_eq!(plan["total"], 160);
    assert_eq!(plan["target"], serde_json::json!([137, 20, 3]));
    assert_eq!(plan["rows"].as_array().unwrap().len(), 26);
    let nga_son = plan["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["locality"] == "Huyện Nga Sơn")
        .unwrap();
    assert_eq!(nga_son["target"], serde_json::json!([4, 2, 2]));
    let dash = ok(
        &["--data-dir", d, "dashboard", "--year", "2025", "--json"],
        &[],
    );
    assert_eq!(dash["plan_total"]["target_total"], 160);
    // A report of the year prints, as PDF and as Excel.
    for ext in ["pdf", "xlsx"] {
        let out = dir.path().join(format!("bao-cao.{ext}"));
        let v = ok(
            &[
                "--data-dir",
                d,
                "report",
                "--year",
                "2025",
                "--out",
                out.to_str().unwrap(),
                "--json",
            ],
            &[],
        );
        assert!(v["bytes"].as_u64().unwrap() > 1000, "{v}");
    }
}

#[test]
fn an_unknown_header_is_mapped_once_and_remembered() {
    use rust_xlsxwriter::Workbook;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let file = dir.path().join("list.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let rows = [
        [
            "Tên SP OCOP",
            "Tên chủ thể",
            "Bộ sản phẩm",
            "Hạng sao",
            "Số quyết định",
            "Ngày quyết định",
        ],
        [
            "Chè Bình Sơn",
            "HTX Chè Bình Sơn",
            "11",
            "4",
            "12/QĐ-UBND",
            "15/03/2025",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    wb.save(&file).unwrap();
    let f = file.to_str().unwrap();
    let e = refused(&[
        "--data-dir",
        d,
        "registry",
        "import",
        f,
        "--dry-run",
        "--json",
    ]);
    assert_eq!(e["code"], "import.missing_column");
    assert_eq!(e["params"]["unmapped"], "Tên SP OCOP");
    let v = ok(
        &[
            "--data-dir",
            d,
            "registry",
            "import",
            f,
            "--map",
            "Tên SP OCOP=product",
            "--json",
        ],
        &[],
    );
    assert_eq!(v["counts"]["entries_new"], 1);
    // Remembered: the next file with that header needs no mapping.
    let again = ok(
        &[
            "--data-dir",
            d,
            "registry",
            "import",
            f,
            "--dry-run",
            "--json",
        ],
        &[],
    );
    assert_eq!(again["counts"]["unchanged"], 1);
    // A bad star is a row error in the user's language, and nothing is written.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, v) in rows[0].iter().enumerate() {
        ws.write_string(0, c as u16, *v).unwrap();
    }
    for (c, v) in ["Mật ong", "HTX Ong", "04", "2", "13/QĐ-UBND", "32/13/2025"]
        .iter()
        .enumerate()
    {
        ws.write_string(1, c as u16, *v).unwrap();
    }
    wb.save(&file).unwrap();
    let e = refused(&["--data-dir", d, "registry", "import", f, "--json"]);
    assert_eq!(e["code"], "import.has_errors");
    let codes: Vec<&str> = e["rows"][0]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"import.row.bad_star"), "{codes:?}");
    assert!(codes.contains(&"import.row.bad_decision_date"), "{codes:?}");
    let list = ok(&["--data-dir", d, "registry", "list", "--json"], &[]);
    assert_eq!(list["total"], 1);
}

/// Issues the demo round's certificates in `d`; returns their payloads and numbers.
fn demo_certificates(d: &str) -> Vec<(String, String)> {
    ok(&["--data-dir", d, "demo", "load", "--json"], &[]);
    let out = Path::new(d).join("gcn.pdf");
    ok(
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
        &[PASS],
    );
    let db = rusqlite::Connection::open(Path::new(d).join("ocop-council.sqlite")).unwrap();
    let mut stmt = db
        .prepare("SELECT payload, number FROM certificate ORDER BY number")
        .unwrap();
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    rows.map(Result::unwrap).collect()
}

#[test]
fn a_revocation_travels_to_another_office_and_fails_verification_there() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let (da, db) = (a.path().to_str().unwrap(), b.path().to_str().unwrap());
    let certs = demo_certificates(da);
    let (payload, number) = &certs[0];
    // The certificate is in the registry as issued here, in force.
    let listed = ok(
        &[
            "--data-dir",
            da,
            "registry",
            "list",
            "--query",
            number,
            "--json",
        ],
        &[],
    );
    assert_eq!(listed["total"], 1, "{listed}");
    assert_eq!(listed["entries"][0]["imported"], false);
    // Office B trusts A's key: valid there.
    let shown = ok(&["--data-dir", da, "office", "show", "--json"], &[]);
    let public = shown["key"]["public_key"].as_str().unwrap();
    ok(
        &[
            "--data-dir",
            db,
            "office",
            "trust",
            "--name",
            "UBND tỉnh Thanh Hóa",
            "--public-key",
            public,
        ],
        &[],
    );
    let v = ok(&["--data-dir", db, "verify", payload, "--json"], &[]);
    assert_eq!(v["code"], "verify.valid");
    // A bad ground is refused with the list of grounds.
    let e = refused(&[
        "--data-dir",
        da,
        "revoke",
        number,
        "--ground",
        "g",
        "--decision",
        "99/QĐ-UBND",
        "--date",
        "2026-11-20",
        "--json",
    ]);
    assert_eq!(e["code"], "revocation.bad_ground");
    // A revokes it (ground đ) …
    let r = ok(
        &[
            "--data-dir",
            da,
            "revoke",
            number,
            "--ground",
            "đ",
            "--decision",
            "99/QĐ-UBND",
            "--date",
            "2026-11-20",
            "--concluded",
            "2026-11-10",
            "--reason",
            "Chủ thể ngừng sản xuất",
            "--json",
        ],
        &[],
    );
    assert_eq!(r["status"], "revoked");
    assert_eq!(r["revocation"]["ground"], "đ");
    let v = ok(&["--data-dir", da, "verify", payload, "--json"], &[]);
    assert_eq!(v["code"], "verify.revoked");
    assert!(
        v["message"].as_str().unwrap().contains("ngừng sản xuất"),
        "{v}"
    );
    // … twice is refused.
    let e = refused(&[
        "--data-dir",
        da,
        "revoke",
        number,
        "--ground",
        "a",
        "--decision",
        "100/QĐ-UBND",
        "--date",
        "2026-11-21",
        "--json",
    ]);
    assert_eq!(e["code"], "revocation.already");
    // A exports its signed list (needs the passphrase) …
    let list = a.path().join("thu-hoi.json");
    let l = list.to_str().unwrap();
    let e = run(
        &[
            "--data-dir",
            da,
            "revocations",
            "export",
            "--out",
            l,
            "--json",
        ],
        &[],
    );
    assert_eq!(e.status.code(), Some(2));
    ok(
        &[
            "--data-dir",
            da,
            "revocations",
            "export",
            "--out",
            l,
            "--json",
        ],
        &[PASS],
    );
    // … a tampered copy is refused in B and imports nothing …
    let text = std::fs::read_to_string(&list).unwrap();
    let forged = text.replace("ngừng sản xuất", "ngừng sản xuất!");
    assert_ne!(forged, text);
    let fpath = b.path().join("forged.json");
    std::fs::write(&fpath, forged).unwrap();
    let e = refused(&[
        "--data-dir",
        db,
        "revocations",
        "import",
        fpath.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(e["code"], "revocations.signature");
    let v = ok(&["--data-dir", db, "verify", payload, "--json"], &[]);
    assert_eq!(v["code"], "verify.valid");
    // … an office that does not trust A refuses the list …
    let c = tempfile::tempdir().unwrap();
    let e = refused(&[
        "--data-dir",
        c.path().to_str().unwrap(),
        "revocations",
        "import",
        l,
        "--json",
    ]);
    assert_eq!(e["code"], "revocations.untrusted");
    // … the genuine list imports in B, and the certificate fails there with reason and date.
    let imp = ok(
        &["--data-dir", db, "revocations", "import", l, "--json"],
        &[],
    );
    assert_eq!(imp["added"], 1);
    let v = ok(&["--data-dir", db, "verify", payload, "--json"], &[]);
    assert_eq!(v["valid"], false);
    assert_eq!(v["code"], "verify.revoked");
    assert_eq!(v["params"]["on"], "20/11/2026");
    assert!(
        v["message"].as_str().unwrap().contains("ngừng sản xuất"),
        "{v}"
    );
    // Replaying the list adds nothing.
    let again = ok(
        &["--data-dir", db, "revocations", "import", l, "--json"],
        &[],
    );
    assert_eq!(
        (again["added"].as_u64(), again["known"].as_u64()),
        (Some(0), Some(1))
    );
    // The other certificates still verify in B.
    let v = ok(&["--data-dir", db, "verify", &certs[1].0, "--json"], &[]);
    assert_eq!(v["code"], "verify.valid");
}
