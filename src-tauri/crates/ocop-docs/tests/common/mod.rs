//! Realistic samples and poppler helpers shared by the integration tests.
//!
//! The poppler tools (pdftotext, pdffonts, pdfinfo, pdftoppm) are REQUIRED:
//! a missing tool fails the test (CI installs poppler-utils).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;
use ocop_docs::*;

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

// ---------------------------------------------------------------------------
// Samples
// ---------------------------------------------------------------------------

pub fn council_office() -> Office {
    Office {
        province: "Thanh Hóa".into(),
        issuing_body_parent: "UBND TỈNH THANH HÓA".into(),
        issuing_body: "HỘI ĐỒNG ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP TỈNH".into(),
        place: "Thanh Hóa".into(),
    }
}

pub fn ubnd_office() -> Office {
    Office {
        province: "Thanh Hóa".into(),
        issuing_body_parent: String::new(),
        issuing_body: "ỦY BAN NHÂN DÂN\nTỈNH THANH HÓA".into(),
        place: "Thanh Hóa".into(),
    }
}

pub fn vice_chair() -> Signer {
    Signer {
        sign_for: Some("KT. CHỦ TỊCH".into()),
        title: "PHÓ CHỦ TỊCH".into(),
        name: "Lê Đức Giang".into(),
    }
}

pub const MEMBERS: [&str; 7] = [
    "Lê Văn Khải",
    "Nguyễn Thị Hường",
    "Trần Văn Nam",
    "Phạm Thị Ánh Tuyết",
    "Hoàng Đức Thắng",
    "Vũ Thị Bích Ngọc",
    "Đỗ Quang Hưng",
];

/// Parts of a real sheet (QĐ 26/2026, set 11 or 26), as a JSON fixture
/// transcribed from the project's criteria reference.
#[derive(serde::Deserialize)]
pub struct SheetFixture {
    pub set_no: u32,
    pub set_name: String,
    pub disqualification: String,
    pub footer_note: String,
    pub parts: Vec<SheetPart>,
}

pub fn fixture(name: &str) -> SheetFixture {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let text = std::fs::read_to_string(&path).expect("fixture");
    serde_json::from_str(&text).expect("fixture parses")
}

/// Tick one option per criterion: the best one, except every third
/// criterion gets the second best; only the first case where there are
/// cases. Returns (subtotals per part, total).
pub fn tick(parts: &mut [SheetPart]) -> f64 {
    let mut total = 0.0;
    let mut crit_no = 0usize;
    for part in parts.iter_mut() {
        let mut sub = 0.0;
        // Indices of options per criterion block.
        let mut blocks: Vec<Vec<usize>> = Vec::new();
        for (i, r) in part.rows.iter().enumerate() {
            match r {
                SheetRow::Option { case_label, .. } => {
                    let first_case = case_label
                        .as_deref()
                        .map(|c| c.contains("Trường hợp 1"))
                        .unwrap_or(true);
                    if first_case {
                        if blocks.is_empty() {
                            blocks.push(Vec::new());
                        }
                        blocks.last_mut().unwrap().push(i);
                    }
                }
                _ => blocks.push(Vec::new()),
            }
        }
        for b in blocks.into_iter().filter(|b| !b.is_empty()) {
            crit_no += 1;
            let mut sorted = b.clone();
            sorted.sort_by(|&a, &c| {
                let pa = points(&part.rows[a]);
                let pc = points(&part.rows[c]);
                pc.partial_cmp(&pa).unwrap()
            });
            let pick = if crit_no.is_multiple_of(3) && sorted.len() > 1 {
                sorted[1]
            } else {
                sorted[0]
            };
            if let SheetRow::Option { ticked, points, .. } = &mut part.rows[pick] {
                *ticked = true;
                sub += *points;
            }
        }
        part.subtotal = Some(sub);
        total += sub;
    }
    total
}

fn points(r: &SheetRow) -> f64 {
    match r {
        SheetRow::Option { points, .. } => *points,
        _ => 0.0,
    }
}

pub fn sheet(fixture_name: &str, member: &str, filled: bool) -> ScoreSheetDoc {
    let f = fixture(fixture_name);
    let mut parts = f.parts;
    let total = if filled { Some(tick(&mut parts)) } else { None };
    ScoreSheetDoc {
        round_name: "Đánh giá, phân hạng sản phẩm OCOP cấp tỉnh năm 2026 (đợt 2)".into(),
        decision_label: "QĐ 26/2026/QĐ-TTg".into(),
        set_no: f.set_no,
        set_name: f.set_name,
        product_name: "Chè xanh Bình Sơn".into(),
        product_code: "TH-2026-0117".into(),
        owner_name: "Hợp tác xã Nông nghiệp Xuân Lâm".into(),
        owner_address: "Thôn Bình Sơn, xã Xuân Lâm, tỉnh Thanh Hóa".into(),
        owner_phone: "0237 3856 412".into(),
        member_name: member.into(),
        member_role: "Thành viên Hội đồng".into(),
        disqualification: format!("Hồ sơ bị loại khi: {}.", f.disqualification),
        parts,
        total,
        elimination_note: None,
        comment: filled.then(|| {
            "Sản phẩm có chất lượng ổn định, bao bì đẹp; đề nghị bổ sung câu chuyện sản phẩm \
             trên trang thông tin điện tử và mở rộng kênh phân phối ngoài tỉnh."
                .to_string()
        }),
        footer_note: f.footer_note,
        place: "Thanh Hóa".into(),
        date: filled.then(|| date(2026, 11, 23)),
        qr_payload: (!filled).then(|| {
            format!("OCOP|v1|round=TH-2026-2|member={member}|product=TH-2026-0117|qd=26/2026")
        }),
        blank: !filled,
    }
}

pub fn result_rows(members: usize) -> Vec<ResultRow> {
    let base: [(&str, &str, &str, f64, u8, &str); 4] = [
        (
            "Chè xanh Bình Sơn",
            "Hợp tác xã Nông nghiệp Xuân Lâm",
            "Bộ 11 - Chè tươi, chè chế biến",
            81.17,
            4,
            "Đề nghị công nhận 4 sao",
        ),
        (
            "Nước mắm Ba Làng",
            "Công ty TNHH Hải sản Ánh Dương",
            "Bộ 09 - Tương, nước mắm",
            91.5,
            5,
            "Đề nghị Trung ương đánh giá 5 sao",
        ),
        (
            "Bánh gai Tứ Trụ",
            "Cơ sở sản xuất bánh gai Đức Thành",
            "Bộ 06 - Chế biến từ gạo, ngũ cốc",
            67.83,
            3,
            "Đề nghị công nhận 3 sao",
        ),
        (
            "Mật ong bạc hà Cẩm Thủy",
            "Hộ kinh doanh Nguyễn Văn Ước",
            "Bộ 04 - Mật ong, mật khác",
            48.25,
            2,
            "Không đạt (dưới 50 điểm)",
        ),
    ];
    base.iter()
        .enumerate()
        .map(|(k, &(p, o, s, mean, star, outcome))| {
            let scores: Vec<Option<f64>> = (0..members)
                .map(|i| {
                    if k == 0 && i == 2 {
                        None // recused
                    } else {
                        Some(mean + ((i as f64 * 1.5 + k as f64) % 7.0) - 3.0)
                    }
                })
                .collect();
            ResultRow {
                product_name: p.into(),
                owner_name: o.into(),
                set_name: s.into(),
                scores,
                mean: Some(mean),
                spread: Some(if k == 2 { 12.5 } else { 6.0 }),
                spread_flag: k == 2,
                band_star: Some(star),
                final_star: (star >= 3).then_some(star),
                outcome: outcome.into(),
            }
        })
        .collect()
}

pub fn summary(members: usize) -> SummaryDoc {
    SummaryDoc {
        office: council_office(),
        number: Some("12/BTH-HĐ".into()),
        round_name: "Đánh giá, phân hạng sản phẩm OCOP cấp tỉnh năm 2026 (đợt 2)".into(),
        round_date: date(2026, 11, 23),
        round_place: "Hội trường Sở Nông nghiệp và Môi trường tỉnh Thanh Hóa".into(),
        members: MEMBERS
            .iter()
            .take(members)
            .map(|s| s.to_string())
            .collect(),
        rows: result_rows(members),
        note: None,
        signers: vec![
            Signer {
                sign_for: None,
                title: "THƯ KÝ HỘI ĐỒNG".into(),
                name: "Vũ Thị Bích Ngọc".into(),
            },
            Signer {
                sign_for: Some("TM. HỘI ĐỒNG".into()),
                title: "CHỦ TỊCH".into(),
                name: "Lê Văn Khải".into(),
            },
        ],
    }
}

pub fn minutes() -> MinutesDoc {
    let roles = [
        (
            "Phó Giám đốc Sở Nông nghiệp và Môi trường",
            "Chủ tịch Hội đồng",
        ),
        (
            "Chánh Văn phòng Điều phối nông thôn mới tỉnh",
            "Phó Chủ tịch Hội đồng",
        ),
        ("Trưởng phòng Quản lý chất lượng", "Thành viên"),
        (
            "Phó Chi cục trưởng Chi cục Phát triển nông thôn",
            "Thành viên",
        ),
        ("Chuyên viên Sở Công Thương", "Thành viên"),
        (
            "Chuyên viên Văn phòng Điều phối nông thôn mới tỉnh",
            "Thư ký",
        ),
        ("Giảng viên Trường Đại học Hồng Đức", "Thành viên"),
    ];
    MinutesDoc {
        office: council_office(),
        number: Some("05/BB-HĐ".into()),
        date: date(2026, 11, 23),
        round_name: "Kỳ đánh giá, phân hạng sản phẩm OCOP cấp tỉnh năm 2026 (đợt 2)".into(),
        time: "08 giờ 00 phút, ngày 23/11/2026".into(),
        place: "Hội trường Sở Nông nghiệp và Môi trường tỉnh Thanh Hóa".into(),
        attendance: MEMBERS
            .iter()
            .zip(roles.iter())
            .enumerate()
            .map(|(i, (n, (t, r)))| Attendee {
                name: n.to_string(),
                title: t.to_string(),
                role: r.to_string(),
                present: i != 6,
            })
            .collect(),
        quorum: "Có mặt 6/7 thành viên Hội đồng (đạt trên 3/4), có Chủ tịch Hội đồng chủ trì; \
                 cuộc họp đủ điều kiện tiến hành đánh giá, phân hạng sản phẩm theo quy định."
            .into(),
        recusals: vec![Recusal {
            member: "Trần Văn Nam".into(),
            product: "Chè xanh Bình Sơn".into(),
            reason: "Có quan hệ với chủ thể (đã tư vấn hồ sơ sản phẩm)".into(),
        }],
        rescores: vec![Rescore {
            product: "Bánh gai Tứ Trụ".into(),
            before: "Chênh lệch 14,5 điểm (Hoàng Đức Thắng chấm 55 điểm)".into(),
            after: "Sau thảo luận, chấm lại 64 điểm; chênh lệch còn 12,5 điểm, Hội đồng thống nhất kết quả".into(),
        }],
        results: result_rows(6),
        proposals: vec![
            "Đề nghị Chủ tịch UBND tỉnh công nhận 2 sản phẩm đạt hạng 3 sao và 4 sao.".into(),
            "Đề nghị hoàn thiện hồ sơ sản phẩm Nước mắm Ba Làng để gửi Bộ Nông nghiệp và Môi trường đánh giá, phân hạng 5 sao.".into(),
        ],
        closing: Some(
            "Cuộc họp kết thúc vào hồi 11 giờ 30 phút cùng ngày. Biên bản đã được thông qua \
             trước Hội đồng và các thành viên dự họp thống nhất."
                .into(),
        ),
        chair: Signer {
            sign_for: None,
            title: "CHỦ TỊCH HỘI ĐỒNG".into(),
            name: "Lê Văn Khải".into(),
        },
        secretary: Signer {
            sign_for: None,
            title: "THƯ KÝ".into(),
            name: "Vũ Thị Bích Ngọc".into(),
        },
    }
}

pub fn recognised_rows() -> Vec<RecognisedRow> {
    vec![
        RecognisedRow {
            product_name: "Chè xanh Bình Sơn".into(),
            owner_name: "Hợp tác xã Nông nghiệp Xuân Lâm".into(),
            owner_address: "Thôn Bình Sơn, xã Xuân Lâm, tỉnh Thanh Hóa".into(),
            set_name: "Chè tươi, chè chế biến".into(),
            product_code: "TH-2026-0117".into(),
            score: 81.17,
            star: 4,
        },
        RecognisedRow {
            product_name: "Bánh gai Tứ Trụ".into(),
            owner_name: "Cơ sở sản xuất bánh gai Đức Thành".into(),
            owner_address: "Làng Tứ Trụ, xã Thọ Diên, tỉnh Thanh Hóa".into(),
            set_name: "Chế biến từ gạo, ngũ cốc".into(),
            product_code: "TH-2026-0121".into(),
            score: 67.83,
            star: 3,
        },
        RecognisedRow {
            product_name: "Nem chua Thanh Hóa Bà Nguyệt".into(),
            owner_name: "Công ty Cổ phần Thực phẩm Bà Nguyệt".into(),
            owner_address: "Phường Hạc Thành, tỉnh Thanh Hóa".into(),
            set_name: "Chế biến từ thịt, thủy sản".into(),
            product_code: "TH-2026-0124".into(),
            score: 78.5,
            star: 4,
        },
    ]
}

pub fn decision() -> DecisionDoc {
    DecisionDoc {
        office: ubnd_office(),
        number: "125/QĐ-UBND".into(),
        date: date(2026, 11, 30),
        title: "Về việc công nhận sản phẩm đạt chuẩn OCOP tỉnh Thanh Hóa năm 2026 (đợt 2)".into(),
        authority: "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH THANH HÓA".into(),
        bases: vec![
            "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;".into(),
            "Căn cứ Quyết định số 26/2026/QĐ-TTg của Thủ tướng Chính phủ ban hành Bộ tiêu chí và quy trình đánh giá, phân hạng sản phẩm Chương trình mỗi xã một sản phẩm;".into(),
            "Căn cứ Kế hoạch số 36/KH-UBND ngày 24/02/2025 của UBND tỉnh về thực hiện Chương trình mỗi xã một sản phẩm (OCOP) năm 2025, tỉnh Thanh Hóa;".into(),
            "Theo đề nghị của Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh tại Tờ trình số 18/TTr-HĐ ngày 25/11/2026.".into(),
        ],
        articles: vec![
            "Điều 1. Công nhận 03 sản phẩm đạt chuẩn OCOP tỉnh Thanh Hóa năm 2026 (đợt 2), gồm 02 sản phẩm đạt hạng 4 sao và 01 sản phẩm đạt hạng 3 sao (có danh sách kèm theo). Các sản phẩm được sử dụng biểu trưng OCOP và thứ hạng sao trên bao bì, nhãn sản phẩm; Giấy chứng nhận có giá trị 36 tháng kể từ ngày ký.".into(),
            "Điều 2. Giao Sở Nông nghiệp và Môi trường (cơ quan thường trực Chương trình OCOP tỉnh) tổ chức công bố kết quả và trao Giấy chứng nhận cho các chủ thể có sản phẩm được công nhận; hướng dẫn các chủ thể duy trì, nâng cao chất lượng sản phẩm.".into(),
            "Điều 3. Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng UBND tỉnh, Giám đốc Sở Nông nghiệp và Môi trường, Thủ trưởng các ngành, đơn vị có liên quan và các chủ thể có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.".into(),
        ],
        recipients: vec![
            "Như Điều 3 QĐ;".into(),
            "Bộ Nông nghiệp và Môi trường (để b/c);".into(),
            "Chủ tịch, các PCT UBND tỉnh;".into(),
            "Văn phòng Điều phối nông thôn mới tỉnh;".into(),
            "Lưu: VT, NN.".into(),
        ],
        signer: vice_chair(),
        list_title: "Danh sách sản phẩm đạt chuẩn OCOP tỉnh Thanh Hóa năm 2026 (đợt 2)".into(),
        list_issuer: "Chủ tịch UBND tỉnh Thanh Hóa".into(),
        list: recognised_rows(),
    }
}

pub fn certificate(i: usize) -> CertificateDoc {
    let rows = recognised_rows();
    let r = &rows[i % rows.len()];
    CertificateDoc {
        office: ubnd_office(),
        certificate_no: Some(format!("{:03}/GCN-UBND", 201 + i)),
        product_name: r.product_name.clone(),
        owner_name: r.owner_name.clone(),
        owner_address: r.owner_address.clone(),
        star: r.star,
        product_code: r.product_code.clone(),
        set_name: r.set_name.clone(),
        decision_number: "125/QĐ-UBND".into(),
        decision_date: date(2026, 11, 30),
        issue_date: date(2026, 11, 30),
        valid_until: date(2029, 11, 30),
        signer: vice_chair(),
        qr_payload: format!(
            "OCOP1.{}.4.20291130.MEUCIQDx7Hq3b2VwZkYtcm91bmQtMjAyNi0yLWNlcnQt{:04}",
            r.product_code, i
        ),
    }
}

// ---------------------------------------------------------------------------
// Poppler helpers
// ---------------------------------------------------------------------------

/// Run a poppler tool; panics (fails the test) if it is not installed.
pub fn run(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("{tool} is required for this test (apt-get install poppler-utils): {e}")
    });
    assert!(
        out.status.success(),
        "{tool} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write file");
    p
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Text of the whole PDF (or of one page) with whitespace runs collapsed.
pub fn text(pdf: &Path, page: Option<usize>) -> String {
    let mut args: Vec<String> = Vec::new();
    if let Some(p) = page {
        args.extend(["-f".into(), p.to_string(), "-l".into(), p.to_string()]);
    }
    args.extend([s(pdf).to_string(), "-".to_string()]);
    let argv: Vec<&str> = args.iter().map(|a| a.as_str()).collect();
    let t = run("pdftotext", &argv);
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn assert_contains(haystack: &str, needles: &[&str]) {
    for n in needles {
        assert!(
            haystack.contains(n),
            "missing {n:?} in extracted text:\n{haystack}"
        );
    }
}

/// (pages, width pt, height pt of page 1)
pub fn info(pdf: &Path) -> (usize, f32, f32) {
    let out = run("pdfinfo", &[s(pdf)]);
    let mut pages = 0;
    let (mut w, mut h) = (0.0, 0.0);
    for line in out.lines() {
        if let Some(v) = line.strip_prefix("Pages:") {
            pages = v.trim().parse().expect("pages");
        }
        if let Some(v) = line.strip_prefix("Page size:") {
            let parts: Vec<&str> = v.split_whitespace().collect();
            w = parts[0].parse().expect("w");
            h = parts[2].parse().expect("h");
        }
    }
    (pages, w, h)
}

/// Every font embedded (`emb yes`) and subset (`ABCDEF+Name`, `sub yes`).
pub fn assert_fonts_embedded_subset(pdf: &Path) {
    let out = run("pdffonts", &[s(pdf)]);
    let rows: Vec<&str> = out
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert!(!rows.is_empty(), "no fonts listed:\n{out}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let name = cols[0];
        let (tag, _) = name
            .split_once('+')
            .unwrap_or_else(|| panic!("not subset: {row}"));
        assert!(
            tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()),
            "bad subset tag: {row}"
        );
        // Columns from the right: object ID (2 cols), uni, sub, emb.
        let n = cols.len();
        assert_eq!(cols[n - 5], "yes", "not embedded: {row}");
        assert_eq!(cols[n - 4], "yes", "not flagged subset: {row}");
        assert_eq!(cols[n - 3], "yes", "no ToUnicode: {row}");
        assert!(name.contains("LiberationSerif"), "unexpected font: {row}");
    }
}

pub struct Gray {
    pub w: usize,
    pub h: usize,
    pub px: Vec<u8>,
}

pub fn decode_png(path: &Path) -> Gray {
    let file = std::io::BufReader::new(std::fs::File::open(path).expect("png"));
    let mut dec = png::Decoder::new(file);
    dec.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = dec.read_info().expect("png header");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("png frame");
    let (w, h) = (info.width as usize, info.height as usize);
    let ch = match info.color_type {
        png::ColorType::Grayscale => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        other => panic!("unexpected colour type {other:?}"),
    };
    let mut px = Vec::with_capacity(w * h);
    for y in 0..h {
        let row = &buf[y * info.line_size..];
        for x in 0..w {
            let p = &row[x * ch..x * ch + ch];
            let v = if ch >= 3 {
                ((u32::from(p[0]) * 30 + u32::from(p[1]) * 59 + u32::from(p[2]) * 11) / 100) as u8
            } else {
                p[0]
            };
            px.push(v);
        }
    }
    Gray { w, h, px }
}

/// Render every page at `dpi`; returns the PNG paths in page order.
pub fn render_pages(
    pdf: &Path,
    dir: &Path,
    prefix: &str,
    dpi: u32,
    extra: &[&str],
) -> Vec<PathBuf> {
    let root = dir.join(prefix);
    let dpi = dpi.to_string();
    let mut args = vec!["-r", dpi.as_str(), "-png"];
    args.extend_from_slice(extra);
    args.push(s(pdf));
    args.push(s(&root));
    run("pdftoppm", &args);
    let mut pngs: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .map(|n| n.starts_with(&format!("{prefix}-")) && n.ends_with(".png"))
                .unwrap_or(false)
        })
        .collect();
    // pdftoppm pads page numbers to the same width, so names sort by page.
    pngs.sort();
    pngs
}

/// pdftoppm -r 40: every page renders and has ink on it.
pub fn assert_pages_not_blank(pdf: &Path, dir: &Path, prefix: &str) -> usize {
    let (pages, _, _) = info(pdf);
    let pngs = render_pages(pdf, dir, prefix, 40, &[]);
    assert_eq!(
        pngs.len(),
        pages,
        "pdftoppm rendered {} of {pages} pages",
        pngs.len()
    );
    for p in &pngs {
        let g = decode_png(p);
        let dark = g.px.iter().filter(|&&v| v < 160).count();
        let ratio = dark as f64 / (g.w * g.h) as f64;
        assert!(
            ratio > 0.004,
            "{} looks blank ({dark} dark pixels)",
            p.display()
        );
    }
    pages
}

/// Decode every QR code in a greyscale image.
pub fn decode_qr(g: &Gray) -> Vec<String> {
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(g.w, g.h, |x, y| g.px[y * g.w + x]);
    img.detect_grids()
        .into_iter()
        .filter_map(|grid| grid.decode().ok().map(|(_, s)| s))
        .collect()
}
