//! Certificates printed by the app read from a scan every time (issue 12): certificates with real
//! signed `OCOP2` codes, rendered as an office scanner would deliver them, are decoded by zbar
//! (`zbarimg`, a second, independent reader) and by the app's own reader (`scan::qr_texts`, rqrr),
//! and every decoded code verifies, while one changed character fails.
//!
//! - 150 dpi (a cheap office scan): every code reads, with both readers.
//! - 100 dpi: at least 95 %.
//! - The 150 dpi scans saved as JPEG at quality 60, turned 3° and slightly blurred (ImageMagick):
//!   at least 95 %.
//!
//! `OCOP_QR_SAMPLE` sets how many certificates (300 by default). The figures are printed.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;
use ed25519_dalek::SigningKey;
use ocop_core::error::Lang;
use ocop_core::office::{key_id, sign_qr, verify_payload, CertificateClaim, TrustedKey};
use ocop_docs::{certificates_pdf, CertificateDoc};

const PRODUCTS: &[&str] = &[
    "Chè xanh",
    "Nước mắm cốt nhĩ truyền thống",
    "Bánh gai",
    "Nem chua",
    "Mật ong hoa nhãn",
    "Gạo nếp cái hoa vàng",
    "Rượu men lá",
    "Miến dong",
    "Tinh dầu sả chanh",
    "Cam Vinh",
    "Hành tím",
    "Cà phê bột rang xay nguyên chất",
];
const PLACES: &[&str] = &[
    "Bình Sơn",
    "Cát Hải",
    "Tứ Trụ",
    "Hạc Thành",
    "Xuân Lâm",
    "Thọ Xuân",
    "Nghĩa Đàn",
    "Vĩnh Châu",
    "Đắk Hà",
];
const OWNERS: &[&str] = &[
    "Hợp tác xã",
    "Cơ sở sản xuất",
    "Công ty TNHH",
    "Công ty Cổ phần Chế biến Nông sản và Dịch vụ Thương mại",
    "Hộ kinh doanh",
    "Tổ hợp tác",
];

fn key() -> SigningKey {
    SigningKey::from_bytes(&[42u8; 32])
}

/// Certificate `i` of the sample, with its code really signed: names of every length (some long
/// enough to be shortened), numbers from 1 to 4 digits, every star.
fn sample(i: usize) -> CertificateDoc {
    let product = format!(
        "{} {}",
        PRODUCTS[i % PRODUCTS.len()],
        PLACES[(i / 3) % PLACES.len()]
    );
    let owner = format!(
        "{} {} {}",
        OWNERS[(i / 2) % OWNERS.len()],
        PRODUCTS[(i + 5) % PRODUCTS.len()],
        PLACES[i % PLACES.len()]
    );
    let star = 3 + (i % 3) as u8;
    let decision = format!("{}/QĐ-UBND", 1 + i * 37 % 2400);
    let number = format!("{decision}-{:02}", 1 + i % 40);
    let day = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap() + chrono::Days::new((i % 180) as u64);
    let until = day.checked_add_months(chrono::Months::new(36)).unwrap();
    let vk = key().verifying_key();
    let claim = CertificateClaim {
        v: 1,
        k: key_id(&vk),
        n: number.clone(),
        p: product.clone(),
        o: owner.clone(),
        s: star,
        c: format!("TH-2026-{:04}", i + 1),
        d: decision.clone(),
        dd: day.to_string(),
        i: day.to_string(),
        u: until.to_string(),
        b: "ỦY BAN NHÂN DÂN TỈNH THANH HÓA".into(),
        ..CertificateClaim::default()
    };
    CertificateDoc {
        certificate_no: Some(number),
        product_name: product,
        owner_name: owner,
        star,
        product_code: claim.c.clone(),
        decision_number: decision,
        decision_date: day,
        issue_date: day,
        valid_until: until,
        qr_payload: sign_qr(&key(), &claim),
        ..common::certificate(i)
    }
}

fn trusted() -> Vec<TrustedKey> {
    let vk = key().verifying_key();
    vec![TrustedKey::other(
        key_id(&vk),
        "UBND tỉnh Thanh Hóa".into(),
        hex::encode(vk.as_bytes()),
        String::new(),
        String::new(),
    )]
}

fn zbar(png: &Path) -> Vec<String> {
    let out = Command::new("zbarimg")
        .args(["-q", "--raw", "-Sdisable", "-Sqrcode.enable"])
        .arg(png)
        .output()
        .expect("zbarimg (zbar-tools, installed by scripts/setup.sh)");
    // Exit 4: no code found. Each code is one line; a code's own text has no line break.
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

fn rqrr(png: &Path) -> Vec<String> {
    ocop_docs::scan::qr_texts(&std::fs::read(png).unwrap()).unwrap()
}

/// The 150 dpi scan as a poor copy: its lower left quarter (the code, the lines beside it and part
/// of the text above, as a phone photo of that corner would hold), turned 3°, slightly blurred and
/// saved as JPEG at quality 60. The quarter keeps the test's time in check; turning and blurring
/// act on the code the same way on the whole page.
fn degrade(png: &Path) -> PathBuf {
    let jpg = png.with_extension("jpg");
    let ok = Command::new("convert")
        .arg(png)
        .args([
            "-gravity",
            "SouthWest",
            "-crop",
            "50%x50%+0+0",
            "+repage",
            "-background",
            "white",
            "-rotate",
            "3",
            "-blur",
            "0x0.8",
            "-quality",
            "60",
        ])
        .arg(&jpg)
        .env("MAGICK_THREAD_LIMIT", "1")
        .status()
        .expect("convert (imagemagick, installed by scripts/setup.sh)");
    assert!(ok.success());
    jpg
}

/// Every page of `pdf` as a grey PNG at `dpi`, pdftoppm running on every core (a range of pages
/// each); in page order.
fn render(pdf: &Path, dir: &Path, prefix: &str, dpi: u32, pages: usize) -> Vec<PathBuf> {
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let ranges: Vec<(usize, usize)> = (0..workers)
        .map(|w| (w * pages / workers + 1, (w + 1) * pages / workers))
        .filter(|(a, b)| a <= b)
        .collect();
    let root = dir.join(prefix);
    par_map(&ranges, |(first, last)| {
        let ok = Command::new("pdftoppm")
            .args(["-r", &dpi.to_string(), "-gray", "-png"])
            .args(["-f", &first.to_string(), "-l", &last.to_string()])
            .arg(pdf)
            .arg(&root)
            .status()
            .expect("pdftoppm (poppler-utils)");
        assert!(ok.success());
    });
    let mut pngs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&format!("{prefix}-")) && n.ends_with(".png"))
        })
        .collect();
    // pdftoppm pads page numbers to the width of the last page's, so names sort by page.
    pngs.sort();
    assert_eq!(pngs.len(), pages);
    pngs
}

/// Runs `f` over `items` on every core, keeping the order.
fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let chunk = items.len().div_ceil(workers).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| s.spawn(|| part.iter().map(&f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    })
}

struct Rate {
    zbar: usize,
    rqrr: usize,
    total: usize,
}

impl Rate {
    fn pct(n: usize, total: usize) -> f64 {
        100.0 * n as f64 / total as f64
    }
}

/// Decodes every image with both readers; a code that reads must be the one printed on that page.
fn rate(images: &[PathBuf], certs: &[CertificateDoc]) -> Rate {
    assert_eq!(images.len(), certs.len());
    let pairs: Vec<(&PathBuf, &CertificateDoc)> = images.iter().zip(certs).collect();
    let found = par_map(&pairs, |(img, c)| {
        let (z, r) = (zbar(img), rqrr(img));
        for got in z.iter().chain(&r) {
            assert_eq!(
                got,
                &c.qr_payload,
                "{}: a code other than the printed one",
                img.display()
            );
        }
        (!z.is_empty(), !r.is_empty())
    });
    Rate {
        zbar: found.iter().filter(|f| f.0).count(),
        rqrr: found.iter().filter(|f| f.1).count(),
        total: images.len(),
    }
}

#[test]
fn certificate_codes_read_from_scans_and_verify() {
    let n: usize = std::env::var("OCOP_QR_SAMPLE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let certs: Vec<CertificateDoc> = (0..n).map(sample).collect();
    let keys = trusted();
    let today = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
    let mut lengths = (usize::MAX, 0);
    for c in &certs {
        assert!(c.qr_payload.starts_with("OCOP2:"), "{}", c.qr_payload);
        // At most the 262 alphanumeric characters of a version 9 code at level M (the printed
        // code's version is read back in `the_printed_code_is_large_enough_with_its_quiet_zone`).
        let len = c.qr_payload.len();
        assert!(len <= 262, "{len} characters: {}", c.qr_payload);
        lengths = (lengths.0.min(len), lengths.1.max(len));
    }
    // `OCOP_QR_KEEP=DIR` keeps the PDF and the scans there, to look at or to try a reader on.
    let tmp = tempfile::tempdir().unwrap();
    let dir =
        std::env::var_os("OCOP_QR_KEEP").map_or_else(|| tmp.path().to_path_buf(), PathBuf::from);
    std::fs::create_dir_all(&dir).unwrap();
    let pdf = common::write(&dir, "certificates.pdf", &certificates_pdf(&certs).unwrap());

    let at150 = render(&pdf, &dir, "s150", 150, n);
    let at100 = render(&pdf, &dir, "s100", 100, n);
    let poor = par_map(&at150, |p| degrade(p));
    let r150 = rate(&at150, &certs);
    let r100 = rate(&at100, &certs);
    let rpoor = rate(&poor, &certs);
    eprintln!("{n} codes of {} to {} characters", lengths.0, lengths.1);
    for (name, r) in [
        ("150 dpi", &r150),
        ("100 dpi", &r100),
        ("150 dpi corner, turned 3°, blur 0.8, JPEG q60", &rpoor),
    ] {
        eprintln!(
            "{name}: zbar {}/{} ({:.1} %), rqrr {}/{} ({:.1} %)",
            r.zbar,
            r.total,
            Rate::pct(r.zbar, r.total),
            r.rqrr,
            r.total,
            Rate::pct(r.rqrr, r.total)
        );
    }
    assert_eq!((r150.zbar, r150.rqrr), (n, n), "150 dpi: every code reads");
    for (name, r) in [("100 dpi", &r100), ("JPEG, turned, blurred", &rpoor)] {
        for (reader, got) in [("zbar", r.zbar), ("rqrr", r.rqrr)] {
            assert!(
                Rate::pct(got, r.total) >= 95.0,
                "{name}, {reader}: {got}/{}",
                r.total
            );
        }
    }

    // Every code read verifies; one changed character (anywhere in it) fails.
    for (i, c) in certs.iter().enumerate() {
        let v = verify_payload(&c.qr_payload, &keys, today, Lang::Vi);
        assert!(v.valid, "{}: {}", c.qr_payload, v.message);
        let claim = v.claim.unwrap();
        assert_eq!(claim.n, c.certificate_no.clone().unwrap());
        assert_eq!(claim.s, c.star);
        assert!(c.product_name.starts_with(&claim.p) && c.owner_name.starts_with(&claim.o));
        let at = "OCOP2:".len() + (i * 7919) % (c.qr_payload.len() - "OCOP2:".len());
        let old = c.qr_payload.as_bytes()[at] as char;
        let new = if old == 'A' { 'B' } else { 'A' };
        let forged = format!("{}{new}{}", &c.qr_payload[..at], &c.qr_payload[at + 1..]);
        assert!(
            !verify_payload(&forged, &keys, today, Lang::Vi).valid,
            "changed at {at}: {forged}"
        );
    }
}

/// The code as printed: at least 25 mm wide, error correction M or higher, and 4 modules of light
/// quiet zone on every side (nothing of the frame or the text beside it comes closer).
#[test]
fn the_printed_code_is_large_enough_with_its_quiet_zone() {
    let dir = tempfile::tempdir().unwrap();
    // Long names (the largest code, shortened to fit) and short ones.
    for i in [1usize, 3] {
        let c = sample(i);
        let pdf = common::write(
            dir.path(),
            &format!("c{i}.pdf"),
            &certificates_pdf(std::slice::from_ref(&c)).unwrap(),
        );
        let png = common::render_pages(&pdf, dir.path(), &format!("c{i}"), 300, &["-gray"]);
        let g = common::decode_png(&png[0]);
        let mut img =
            rqrr::PreparedImage::prepare_from_greyscale(g.w, g.h, |x, y| g.px[y * g.w + x]);
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1);
        let (meta, text) = grids[0].decode().unwrap();
        assert_eq!(text, c.qr_payload);
        // Format bits: 00 is M, 01 L, 10 H, 11 Q.
        assert_ne!(meta.ecc_level, 1, "error correction L");
        assert!(meta.version.0 <= 9, "version {}", meta.version.0);
        let b = grids[0].bounds;
        let (x0, x1) = (
            b.iter().map(|p| p.x).min().unwrap(),
            b.iter().map(|p| p.x).max().unwrap(),
        );
        let (y0, y1) = (
            b.iter().map(|p| p.y).min().unwrap(),
            b.iter().map(|p| p.y).max().unwrap(),
        );
        let width_mm = (x1 - x0) as f64 / 300.0 * 25.4;
        assert!(width_mm >= 25.0, "{width_mm:.1} mm wide");
        let modules = 17 + 4 * meta.version.0 as i32;
        let module = (x1 - x0) as f64 / f64::from(modules);
        let quiet = (4.0 * module).ceil() as i32;
        let mut dark = 0;
        for y in y0 - quiet..=y1 + quiet {
            for x in x0 - quiet..=x1 + quiet {
                // Outside the code (one pixel of anti-aliasing aside), inside its quiet zone.
                let inside = x >= x0 - 1 && x <= x1 + 1 && y >= y0 - 1 && y <= y1 + 1;
                if !inside && g.px[y as usize * g.w + x as usize] < 160 {
                    dark += 1;
                }
            }
        }
        assert_eq!(
            dark, 0,
            "{dark} dark pixels in the quiet zone of certificate {i}"
        );
        eprintln!(
            "certificate {i}: version {}, {width_mm:.1} mm, module {:.2} mm",
            meta.version.0,
            module / 300.0 * 25.4
        );
    }
}
