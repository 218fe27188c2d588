//! Certificate rendering benchmark (plain `Instant`, no harness).
//!
//! `cargo bench -p ocop-docs --bench certificates` prints, for 1 and for 500
//! certificates in one PDF, the seconds taken and the bytes per certificate.
//! Set `OCOP_BENCH_OUT=dir` to keep the PDFs. `bench/libreoffice-baseline.sh`
//! at the repository root runs this and the LibreOffice baseline together.

use std::time::Instant;

use chrono::NaiveDate;
use ocop_docs::{certificates_pdf, CertificateDoc, Office, Signer};

const PRODUCTS: [(&str, &str, &str, &str, u8); 5] = [
    (
        "Chè xanh Bình Sơn",
        "Hợp tác xã Nông nghiệp Xuân Lâm",
        "Thôn Bình Sơn, xã Xuân Lâm, tỉnh Thanh Hóa",
        "Chè tươi, chè chế biến",
        4,
    ),
    (
        "Bánh gai Tứ Trụ",
        "Cơ sở sản xuất bánh gai Đức Thành",
        "Làng Tứ Trụ, xã Thọ Diên, tỉnh Thanh Hóa",
        "Chế biến từ gạo, ngũ cốc",
        3,
    ),
    (
        "Nem chua Thanh Hóa Bà Nguyệt",
        "Công ty Cổ phần Thực phẩm Bà Nguyệt",
        "Phường Hạc Thành, tỉnh Thanh Hóa",
        "Chế biến từ thịt, thủy sản",
        4,
    ),
    (
        "Nước mắm Ba Làng",
        "Công ty TNHH Hải sản Ánh Dương",
        "Phường Quảng Tiến, tỉnh Thanh Hóa",
        "Tương, nước mắm, gia vị dạng lỏng khác",
        5,
    ),
    (
        "Mật ong bạc hà Cẩm Thủy",
        "Hộ kinh doanh Nguyễn Văn Ước",
        "Xã Cẩm Thủy, tỉnh Thanh Hóa",
        "Mật ong, mật khác",
        3,
    ),
];

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

fn certificate(i: usize) -> CertificateDoc {
    let (name, owner, addr, set, star) = PRODUCTS[i % PRODUCTS.len()];
    let code = format!("TH-2026-{:04}", 100 + i);
    CertificateDoc {
        office: Office {
            province: "Thanh Hóa".into(),
            issuing_body_parent: String::new(),
            issuing_body: "ỦY BAN NHÂN DÂN\nTỈNH THANH HÓA".into(),
            place: "Thanh Hóa".into(),
        },
        certificate_no: Some(format!("{:03}/GCN-UBND", i + 1)),
        product_name: name.into(),
        owner_name: owner.into(),
        owner_address: addr.into(),
        star,
        qr_payload: format!(
            "OCOP1.{code}.{star}.20291130.MEUCIQDx7Hq3b2VwZkYtcm91bmQtMjAyNi0yLWNlcnQt{i:04}"
        ),
        product_code: code,
        set_name: set.into(),
        decision_number: "125/QĐ-UBND".into(),
        decision_date: date(2026, 11, 30),
        issue_date: date(2026, 11, 30),
        valid_until: date(2029, 11, 30),
        signer: Signer {
            sign_for: Some("KT. CHỦ TỊCH".into()),
            title: "PHÓ CHỦ TỊCH".into(),
            name: "Lê Đức Giang".into(),
        },
    }
}

fn run(n: usize) -> (f64, usize) {
    let certs: Vec<CertificateDoc> = (0..n).map(certificate).collect();
    let t = Instant::now();
    let pdf = certificates_pdf(&certs).expect("certificates render");
    let secs = t.elapsed().as_secs_f64();
    if let Ok(dir) = std::env::var("OCOP_BENCH_OUT") {
        std::fs::create_dir_all(&dir).expect("out dir");
        std::fs::write(format!("{dir}/ocop-certificates-{n}.pdf"), &pdf).expect("write");
    }
    (secs, pdf.len())
}

fn main() {
    // The first call also parses the four embedded faces.
    let (cold, cold_bytes) = run(1);
    println!("cold 1 certificate: {cold:.4} s, {cold_bytes} bytes (includes font parsing)");
    for n in [1usize, 500] {
        // Best of 5 runs (the machine is shared).
        let mut best = f64::MAX;
        let mut bytes = 0;
        for _ in 0..5 {
            let (s, b) = run(n);
            best = best.min(s);
            bytes = b;
        }
        println!(
            "ocop-docs {n} certificate(s): {best:.4} s, {bytes} bytes, {:.0} bytes/certificate, {:.2} ms/certificate",
            bytes as f64 / n as f64,
            best * 1000.0 / n as f64
        );
    }
}
