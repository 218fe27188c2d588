//! `ocop verify --image`: a certificate printed by the app, rendered as a scan would be (pdftoppm),
//! verifies from the picture alone; an image without a code, a QR code that is not a certificate's
//! and a file that is not an image are each refused with their own message.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

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

/// The upgrade test's data directory of `schema` (decision and certificates issued), copied.
fn data_dir(tmp: &Path, schema: &str) -> PathBuf {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!(
        "tests/fixtures/upgrade/{schema}/data/ocop-council.sqlite"
    ));
    let data = tmp.join(schema);
    std::fs::create_dir_all(&data).unwrap();
    std::fs::copy(from, data.join("ocop-council.sqlite")).unwrap();
    data
}

fn refused(dir: &Path, image: &Path) -> Value {
    let out = run(
        dir,
        &["verify", "--image", image.to_str().unwrap(), "--json"],
    );
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    serde_json::from_slice(&out.stderr).unwrap()
}

/// The first certificate of `data`'s finalised round, printed, as a scan at `dpi`.
fn scanned(data: &Path, tmp: &Path, dpi: u32) -> (PathBuf, PathBuf) {
    let rounds: Value =
        serde_json::from_slice(&run(data, &["round", "list", "--json"]).stdout).unwrap();
    let round = rounds["rounds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["status"] == "finalised")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let pdf = tmp.join(format!("certificates-{dpi}.pdf"));
    let printed = run(
        data,
        &[
            "print",
            "certificates",
            "--round",
            &round,
            "--out",
            pdf.to_str().unwrap(),
        ],
    );
    assert!(printed.status.success(), "{printed:?}");
    let scan = tmp.join(format!("scan-{dpi}"));
    let ok = Command::new("pdftoppm")
        .args([
            "-r",
            &dpi.to_string(),
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
        ])
        .arg(&pdf)
        .arg(&scan)
        .status()
        .expect("pdftoppm (poppler-utils, installed by scripts/setup.sh)");
    assert!(ok.success());
    (pdf, scan.with_extension("png"))
}

#[test]
fn a_scanned_certificate_verifies_from_its_picture_and_bad_pictures_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    // A certificate printed before the compact code (its OCOP1 code, now printed larger) as a 300
    // dpi scan, and one printed with it (OCOP2) as a 150 dpi scan, the cheap office scanner's.
    for (schema, dpi) in [("schema-10", 300), ("schema-11", 150)] {
        let data = data_dir(tmp.path(), schema);
        let (_, png) = scanned(&data, tmp.path(), dpi);
        let out = run(
            &data,
            &["verify", "--image", png.to_str().unwrap(), "--json"],
        );
        assert!(out.status.success(), "{out:?}");
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["valid"], true, "{v}");
        assert!(
            v["claim"]["n"].as_str().is_some_and(|n| !n.is_empty()),
            "{v}"
        );
        if schema == "schema-11" {
            assert_eq!(v["claim"]["v"], 2, "{v}");
            assert_eq!(v["record_matches"], true, "{v}");
        }
    }
    // The refusals, on a fresh copy.
    let fresh = tempfile::tempdir().unwrap();
    let data = data_dir(fresh.path(), "schema-11");
    let pdf = tmp.path().join("certificates-150.pdf");

    // A white page: no code.
    let blank = tmp.path().join("blank.png");
    image_png(&blank, 300, 300, |_, _| 255);
    assert_eq!(refused(&data, &blank)["code"], "cli.no_qr");
    // A QR code that is not a certificate's.
    let other = tmp.path().join("other.png");
    let code = qrcode::QrCode::new("https://example.org/not-a-certificate").unwrap();
    let n = code.width() as u32;
    let colors = code.to_colors();
    image_png(&other, (n + 8) * 6, (n + 8) * 6, |x, y| {
        let (mx, my) = (x / 6, y / 6);
        let inside = (4..n + 4).contains(&mx) && (4..n + 4).contains(&my);
        if inside && colors[((my - 4) * n + (mx - 4)) as usize] == qrcode::Color::Dark {
            0
        } else {
            255
        }
    });
    assert_eq!(refused(&data, &other)["code"], "cli.not_certificate_qr");
    // Not an image at all, in English.
    let out = run(
        &data,
        &[
            "--lang",
            "en",
            "verify",
            "--image",
            pdf.to_str().unwrap(),
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["code"], "cli.bad_image");
    assert!(
        err["message"].as_str().unwrap().contains("PNG or JPEG"),
        "{err}"
    );
}

/// A greyscale PNG, written with the `png` crate.
fn image_png(path: &Path, w: u32, h: u32, px: impl Fn(u32, u32) -> u8) {
    let mut data = Vec::with_capacity((w * h) as usize);
    for y in 0..h {
        for x in 0..w {
            data.push(px(x, y));
        }
    }
    let file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut enc = png::Encoder::new(file, w, h);
    enc.set_color(png::ColorType::Grayscale);
    enc.set_depth(png::BitDepth::Eight);
    enc.write_header().unwrap().write_image_data(&data).unwrap();
}

/// A certificate printed before the compact code: at 150 dpi the app's reader finds no code in its
/// OCOP1 code; once the office gives it its compact code (`ocop office compact-codes`, audited) the
/// reprint reads from the same scan and its record is the one kept.
#[test]
fn an_older_certificate_given_its_compact_code_reads_from_a_150_dpi_scan() {
    let tmp = tempfile::tempdir().unwrap();
    let data = data_dir(tmp.path(), "schema-10");
    let (_, before) = scanned(&data, tmp.path(), 150);
    let v = refused(&data, &before);
    assert_eq!(v["code"], "cli.no_qr", "{v}");
    let out = Command::new(env!("CARGO_BIN_EXE_ocop"))
        .arg("--data-dir")
        .arg(&data)
        .args(["office", "compact-codes", "--json"])
        .env_remove("OCOP_DATA_DIR")
        .env("OCOP_PASSPHRASE", "1234")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let added: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(added["added"].as_u64().unwrap() > 0, "{added}");
    let again = tmp.path().join("again");
    std::fs::create_dir_all(&again).unwrap();
    let (_, after) = scanned(&data, &again, 150);
    let out = run(
        &data,
        &["verify", "--image", after.to_str().unwrap(), "--json"],
    );
    assert!(out.status.success(), "{out:?}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["valid"], true, "{v}");
    assert_eq!(v["claim"]["v"], 2, "{v}");
    assert_eq!(v["record_matches"], true, "{v}");
    // Nothing left to do: no passphrase asked.
    let out = run(&data, &["office", "compact-codes", "--json"]);
    assert!(out.status.success(), "{out:?}");
    let none: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(none["added"], 0);
}
