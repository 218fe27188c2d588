//! The provincial registry's papers: the OCOP report (PDF and Excel), the
//! registry list (Excel), the revocation decision and the re-recognition by
//! written opinions (PDF). Text comes back through poppler, workbooks
//! through calamine.
//!
//! Set `OCOP_DOCS_OUT=/some/dir` to keep the files for a look.

mod common;

use std::io::Cursor;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx};
use common::*;
use ocop_docs::*;

fn save(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    if let Ok(out) = std::env::var("OCOP_DOCS_OUT") {
        std::fs::create_dir_all(&out).expect("out dir");
        std::fs::write(Path::new(&out).join(name), bytes).expect("copy");
    }
    write(dir, name, bytes)
}

// ---------------------------------------------------------------------------
// Samples
// ---------------------------------------------------------------------------

const LOCALITIES: [&str; 30] = [
    "Thành phố Thanh Hóa",
    "Thành phố Sầm Sơn",
    "Thị xã Bỉm Sơn",
    "Thị xã Nghi Sơn",
    "Huyện Quảng Xương",
    "Huyện Nga Sơn",
    "Huyện Yên Định",
    "Huyện Nông Cống",
    "Huyện Thọ Xuân",
    "Huyện Hoằng Hóa",
    "Huyện Hậu Lộc",
    "Huyện Hà Trung",
    "Huyện Vĩnh Lộc",
    "Huyện Thiệu Hóa",
    "Huyện Đông Sơn",
    "Huyện Triệu Sơn",
    "Huyện Thạch Thành",
    "Huyện Cẩm Thủy",
    "Huyện Ngọc Lặc",
    "Huyện Lang Chánh",
    "Huyện Bá Thước",
    "Huyện Quan Hóa",
    "Huyện Quan Sơn",
    "Huyện Mường Lát",
    "Huyện Thường Xuân",
    "Huyện Như Xuân",
    "Huyện Như Thanh",
    "Phường Hạc Thành",
    "Xã Xuân Lâm",
    "Xã Thọ Diên",
];

fn locality_rows(n: usize) -> Vec<ReportLocalityRow> {
    (0..n)
        .map(|i| {
            let t3 = 3 + (i % 5) as u32;
            let t4 = (i % 3) as u32;
            let t5 = u32::from(i % 7 == 3);
            let a3 = t3 + (i % 4) as u32 - 1;
            let a4 = t4.saturating_sub((i % 2) as u32);
            let a5 = u32::from(i == 3);
            ReportLocalityRow {
                locality: LOCALITIES[i].into(),
                target_total: t3 + t4 + t5,
                target_3: t3,
                target_4: t4,
                target_5: t5,
                achieved_3: a3,
                achieved_4: a4,
                achieved_5: a5,
                achieved_total: a3 + a4 + a5,
            }
        })
        .collect()
}

fn report(localities: usize) -> ReportDoc {
    ReportDoc {
        office: ubnd_office(),
        number: "245/BC-UBND".into(),
        date: date(2026, 12, 15),
        period_label: "năm 2026".into(),
        year: 2026,
        locality_heading: "Huyện, thị xã, thành phố".into(),
        plan_label: "Kế hoạch số 36/KH-UBND ngày 24/02/2026 của UBND tỉnh".into(),
        by_locality: locality_rows(localities),
        by_owner_type: vec![
            ReportCountRow {
                label: "Hợp tác xã".into(),
                count: 61,
            },
            ReportCountRow {
                label: "Doanh nghiệp".into(),
                count: 34,
            },
            ReportCountRow {
                label: "Hộ kinh doanh".into(),
                count: 27,
            },
            ReportCountRow {
                label: "Tổ hợp tác".into(),
                count: 5,
            },
        ],
        by_set: vec![
            ReportCountRow {
                label: "Bộ 06 - Chế biến từ gạo, ngũ cốc".into(),
                count: 41,
            },
            ReportCountRow {
                label: "Bộ 09 - Tương, nước mắm".into(),
                count: 18,
            },
            ReportCountRow {
                label: "Bộ 11 - Chè tươi, chè chế biến".into(),
                count: 23,
            },
            ReportCountRow {
                label: "Bộ 04 - Mật ong, mật khác".into(),
                count: 12,
            },
            ReportCountRow {
                label: "Bộ 26 - Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch"
                    .into(),
                count: 33,
            },
        ],
        cumulative_by_star: vec![
            ReportYearRow {
                year: 2023,
                star3: 402,
                star4: 61,
                star5: 2,
                total: 465,
            },
            ReportYearRow {
                year: 2024,
                star3: 498,
                star4: 80,
                star5: 3,
                total: 581,
            },
            ReportYearRow {
                year: 2025,
                star3: 560,
                star4: 97,
                star5: 5,
                total: 662,
            },
            ReportYearRow {
                year: 2026,
                star3: 604,
                star4: 112,
                star5: 6,
                total: 722,
            },
        ],
        revoked: 4,
        expired: 19,
        rerecognised: 86,
        upgraded: 9,
        signer: vice_chair(),
        recipients: vec![
            "Bộ Nông nghiệp và Môi trường (để b/c);".into(),
            "Thường trực Tỉnh ủy, HĐND tỉnh (để b/c);".into(),
            "Chủ tịch, các PCT UBND tỉnh;".into(),
            "Văn phòng Điều phối nông thôn mới tỉnh;".into(),
            "Lưu: VT, NN.".into(),
        ],
    }
}

fn revocation() -> RevocationDecisionDoc {
    RevocationDecisionDoc {
        office: ubnd_office(),
        number: "310/QĐ-UBND".into(),
        date: date(2027, 3, 9),
        authority: "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH THANH HÓA".into(),
        bases: vec![
            "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;".into(),
            "Căn cứ Quyết định số 26/2026/QĐ-TTg của Thủ tướng Chính phủ ban hành Bộ tiêu chí và quy trình đánh giá, phân hạng sản phẩm Chương trình mỗi xã một sản phẩm;".into(),
            "Theo đề nghị của Giám đốc Sở Nông nghiệp và Môi trường tại Tờ trình số 41/TTr-SNNMT ngày 02/3/2027.".into(),
        ],
        certificate_no: "201/GCN-UBND".into(),
        product: "Chè xanh Bình Sơn".into(),
        owner: "Hợp tác xã Nông nghiệp Xuân Lâm".into(),
        star: 4,
        recognition_decision_no: "125/QĐ-UBND".into(),
        recognition_decision_date: date(2026, 11, 30),
        ground_label: "điểm b khoản 1 Điều 8 Quyết định số 26/2026/QĐ-TTg: sản phẩm không duy trì được chất lượng như khi được đánh giá, phân hạng".into(),
        reason: "Kết quả kiểm tra ngày 14/02/2027 của Chi cục Chất lượng, Chế biến và Phát triển thị trường: mẫu sản phẩm không đạt chỉ tiêu dư lượng thuốc bảo vệ thực vật theo tiêu chuẩn đã công bố".into(),
        executors: "Chánh Văn phòng UBND tỉnh, Giám đốc Sở Nông nghiệp và Môi trường, Chủ tịch UBND xã Xuân Lâm, Thủ trưởng các cơ quan, đơn vị có liên quan".into(),
        signer: vice_chair(),
        recipients: vec![
            "Như Điều 3 QĐ;".into(),
            "Bộ Nông nghiệp và Môi trường (để b/c);".into(),
            "Chủ tịch, các PCT UBND tỉnh;".into(),
            "Lưu: VT, NN.".into(),
        ],
    }
}

const ROLES: [&str; 7] = [
    "Chủ tịch Hội đồng",
    "Phó Chủ tịch Hội đồng",
    "Thành viên",
    "Thành viên",
    "Thành viên",
    "Thư ký",
    "Thành viên",
];

fn opinion_form(i: usize) -> OpinionFormDoc {
    OpinionFormDoc {
        office: council_office(),
        council_name: "Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Thanh Hóa".into(),
        member_name: MEMBERS[i].into(),
        member_role: ROLES[i].into(),
        product: "Nem chua Thanh Hóa Bà Nguyệt".into(),
        owner: "Công ty Cổ phần Thực phẩm Bà Nguyệt".into(),
        star: 4,
        certificate_no: "088/GCN-UBND".into(),
        valid_until: date(2027, 1, 20),
        changes: "Thay đổi mẫu nhãn (bổ sung mã truy xuất nguồn gốc); mở rộng xưởng sản xuất \
                  thêm 120 m²; sản lượng năm 2026 tăng 18% so với năm được công nhận. Không thay \
                  đổi công thức, quy trình chế biến và tiêu chuẩn công bố."
            .into(),
        deadline: "trước ngày 15/01/2027".into(),
        place: "Thanh Hóa".into(),
        date: None,
        agree: None,
        remark: None,
    }
}

fn opinion_summary() -> OpinionSummaryDoc {
    let answers = [
        Some(true),
        Some(true),
        Some(false),
        Some(true),
        None,
        Some(true),
        Some(true),
    ];
    OpinionSummaryDoc {
        office: council_office(),
        number: Some("03/BTH-HĐ".into()),
        date: date(2027, 1, 16),
        council_name: "Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Thanh Hóa".into(),
        product: "Nem chua Thanh Hóa Bà Nguyệt".into(),
        owner: "Công ty Cổ phần Thực phẩm Bà Nguyệt".into(),
        star: 4,
        certificate_no: "088/GCN-UBND".into(),
        valid_until: date(2027, 1, 20),
        rows: MEMBERS
            .iter()
            .zip(ROLES)
            .zip(answers)
            .map(|((m, r), a)| OpinionRow {
                member: m.to_string(),
                role: r.to_string(),
                agree: a,
                remark: if a == Some(false) {
                    "Đề nghị kiểm tra thực tế xưởng mở rộng trước khi công nhận lại".into()
                } else {
                    String::new()
                },
            })
            .collect(),
        conclusion: "Đa số thành viên Hội đồng đồng ý (5/7); Hội đồng đề nghị Chủ tịch UBND \
                     tỉnh công nhận lại sản phẩm Nem chua Thanh Hóa Bà Nguyệt đạt hạng 4 sao."
            .into(),
        secretary: Signer {
            sign_for: None,
            title: "THƯ KÝ HỘI ĐỒNG".into(),
            name: "Vũ Thị Bích Ngọc".into(),
        },
        chair: Signer {
            sign_for: Some("TM. HỘI ĐỒNG".into()),
            title: "CHỦ TỊCH".into(),
            name: "Lê Văn Khải".into(),
        },
    }
}

fn registry(n: usize) -> RegistryListDoc {
    let owners = ["Hợp tác xã", "Doanh nghiệp", "Hộ kinh doanh", "Tổ hợp tác"];
    let statuses = ["Còn hiệu lực", "Hết hiệu lực", "Đã thu hồi"];
    RegistryListDoc {
        office: ubnd_office(),
        title: "Danh sách sản phẩm OCOP tỉnh Thanh Hóa".into(),
        generated_on: date(2026, 12, 15),
        rows: (0..n)
            .map(|i| RegistryListRow {
                stt: (i + 1) as u32,
                product: format!("Sản phẩm thử nghiệm số {}", i + 1),
                owner: format!("Chủ thể Đặng Văn Ước {}", i % 997),
                owner_type: owners[i % 4].into(),
                commune: format!("Xã Thọ Diên {}", i % 166),
                district: LOCALITIES[i % 27].into(),
                set_label: "Bộ 11 - Chè tươi, chè chế biến".into(),
                star: 3 + (i % 3) as u8,
                decision_no: format!("{}/QĐ-UBND", 100 + i % 40),
                decision_date: (i % 50 != 0).then(|| {
                    date(
                        2020 + (i % 7) as i32,
                        1 + (i % 12) as u32,
                        1 + (i % 28) as u32,
                    )
                }),
                valid_until: Some(date(
                    2023 + (i % 7) as i32,
                    1 + (i % 12) as u32,
                    1 + (i % 28) as u32,
                )),
                status_label: statuses[i % 3].into(),
                certificate_no: format!("{:05}/GCN-UBND", i + 1),
                imported: i % 5 == 0,
            })
            .collect(),
    }
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

fn workbook(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
    calamine::open_workbook_from_rs(Cursor::new(bytes)).expect("xlsx opens")
}

fn cell(r: &calamine::Range<Data>, row: u32, col: u32) -> Data {
    r.get_value((row, col)).cloned().unwrap_or(Data::Empty)
}

fn num(d: &Data) -> f64 {
    match d {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("not a number: {other:?}"),
    }
}

fn s(d: &Data) -> String {
    d.to_string()
}

/// Text with the page layout kept (table rows stay on one line).
fn layout_text(pdf: &Path) -> String {
    run("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"])
}

/// The words after "Tổng cộng" on the locality table's total row.
fn total_row(layout: &str, tot: &ReportLocalityRow) -> Vec<String> {
    let line = layout
        .lines()
        .find(|l| {
            l.trim_start().starts_with("Tổng cộng")
                && l.split_whitespace().nth(2) == Some(&tot.target_total.to_string())
        })
        .unwrap_or_else(|| panic!("no total row in:\n{layout}"));
    line.split_whitespace().skip(2).map(String::from).collect()
}

/// The column sums in order, then the rate, summed here from the rows.
fn expected_total(rows: &[ReportLocalityRow]) -> Vec<String> {
    let mut sums = [0u32; 8];
    for r in rows {
        let v = [
            r.target_total,
            r.target_3,
            r.target_4,
            r.target_5,
            r.achieved_total,
            r.achieved_3,
            r.achieved_4,
            r.achieved_5,
        ];
        for (s, x) in sums.iter_mut().zip(v) {
            *s += x;
        }
    }
    sums.iter()
        .map(|v| v.to_string())
        .chain([vn_pct(sums[4], sums[0])])
        .collect()
}

fn vn_pct(a: u32, t: u32) -> String {
    vn_number(f64::from(a) * 100.0 / f64::from(t), 1, true)
}

// ---------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------

#[test]
fn report_pdf_has_title_intro_tables_and_totals() {
    let dir = tempfile::tempdir().unwrap();
    let doc = report(12);
    let bytes = report_pdf(&doc).unwrap();
    let pdf = save(dir.path(), "bao-cao.pdf", &bytes);
    let all = text(&pdf, None);
    assert_contains(
        &all,
        &[
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "ỦY BAN NHÂN DÂN",
            "Số: 245/BC-UBND",
            "Thanh Hóa, ngày 15 tháng 12 năm 2026",
            "BÁO CÁO",
            "Kết quả thực hiện Chương trình Mỗi xã một sản phẩm (OCOP) năm 2026",
            "Huyện, thị xã, thành phố",
            "Kế hoạch (sản phẩm)",
            "Thực hiện (sản phẩm)",
            "Tổng cộng",
            "Loại hình chủ thể",
            "Hợp tác xã",
            "Bộ 26 - Dịch vụ du lịch cộng đồng",
            "Sản phẩm bị thu hồi Giấy chứng nhận",
            "Sản phẩm OCOP còn hiệu lực qua các năm",
            "Nơi nhận:",
            "KT. CHỦ TỊCH",
            "PHÓ CHỦ TỊCH",
            "Lê Đức Giang",
        ],
    );
    // The introduction is built from the figures.
    let mut a = [0u32; 4];
    let mut t = 0u32;
    for r in &doc.by_locality {
        a[0] += r.achieved_total;
        a[3] += r.achieved_3;
        a[1] += r.achieved_5;
        a[2] += r.achieved_4;
        t += r.target_total;
    }
    let intro = format!(
        "Năm 2026, toàn tỉnh Thanh Hóa có {} sản phẩm được công nhận đạt chuẩn OCOP, gồm {} sản phẩm 5 sao, {} sản phẩm 4 sao và {} sản phẩm 3 sao; đạt {}% kế hoạch tại Kế hoạch số 36/KH-UBND",
        a[0], a[1], a[2], a[3], vn_pct(a[0], t)
    );
    assert_contains(
        &all,
        &[
            &intro,
            "86 sản phẩm được công nhận lại",
            "722 sản phẩm OCOP còn hiệu lực",
        ],
    );

    // The total row, as laid out: the column sums in order and the rate.
    let tot = doc.locality_total();
    let layout = layout_text(&pdf);
    assert_eq!(total_row(&layout, &tot), expected_total(&doc.by_locality));
    // Owner-type total and its share.
    assert!(
        layout.lines().any(|l| {
            let w: Vec<&str> = l.split_whitespace().collect();
            w == ["Tổng", "cộng", "127", "100,0"]
        }),
        "owner-type total row"
    );
    assert_fonts_embedded_subset(&pdf);
    let (pages, w, h) = info(&pdf);
    assert!(
        (w - 595.3).abs() < 1.0 && (h - 841.9).abs() < 1.0,
        "A4 portrait"
    );
    assert_eq!(assert_pages_not_blank(&pdf, dir.path(), "report"), pages);
}

#[test]
fn report_with_thirty_localities_spans_pages_without_losing_rows() {
    let dir = tempfile::tempdir().unwrap();
    let doc = report(30);
    let pdf = save(dir.path(), "bao-cao-30.pdf", &report_pdf(&doc).unwrap());
    let (pages, _, _) = info(&pdf);
    assert!(
        pages >= 3,
        "30 localities and four more tables need pages: {pages}"
    );
    let mut seen = vec![0usize; 30];
    let mut head_pages = 0;
    for p in 1..=pages {
        let t = text(&pdf, Some(p));
        if t.contains("Kế hoạch (sản phẩm)") {
            head_pages += 1;
        }
        for (i, name) in LOCALITIES.iter().enumerate() {
            // "Huyện Như Xuân" vs "Huyện Thọ Xuân": match whole names.
            if t.contains(&format!("{} {name} ", i + 1)) {
                seen[i] += 1;
            }
        }
    }
    assert_eq!(seen, vec![1; 30], "each locality exactly once");
    assert!(
        head_pages >= 2,
        "the header is repeated after the page break"
    );
    let tot = doc.locality_total();
    assert_eq!(
        total_row(&layout_text(&pdf), &tot),
        expected_total(&doc.by_locality)
    );
    assert_eq!(assert_pages_not_blank(&pdf, dir.path(), "r30"), pages);
}

#[test]
fn report_xlsx_has_a_sheet_per_table_with_headers_and_totals() {
    let doc = report(30);
    let bytes = report_xlsx(&doc).unwrap();
    if let Ok(out) = std::env::var("OCOP_DOCS_OUT") {
        std::fs::write(Path::new(&out).join("bao-cao.xlsx"), &bytes).unwrap();
    }
    let mut wb = workbook(bytes);
    assert_eq!(wb.sheet_names(), REPORT_SHEETS.map(String::from).to_vec());
    let h = XLSX_HEADER_ROW;

    let r = wb.worksheet_range(REPORT_SHEETS[0]).unwrap();
    assert_eq!(
        s(&cell(&r, 0, 0)),
        "BÁO CÁO KẾT QUẢ THỰC HIỆN CHƯƠNG TRÌNH MỖI XÃ MỘT SẢN PHẨM (OCOP) NĂM 2026"
    );
    assert_eq!(s(&cell(&r, h - 1, 0)), "TT");
    assert_eq!(s(&cell(&r, h - 1, 1)), "Huyện, thị xã, thành phố");
    assert_eq!(s(&cell(&r, h - 1, 2)), "Kế hoạch (sản phẩm)");
    assert_eq!(s(&cell(&r, h - 1, 6)), "Thực hiện (sản phẩm)");
    assert_eq!(s(&cell(&r, h, 3)), "3 sao");
    assert_eq!(s(&cell(&r, h, 9)), "5 sao");
    for (i, row) in doc.by_locality.iter().enumerate() {
        let y = h + 1 + i as u32;
        assert_eq!(num(&cell(&r, y, 0)), (i + 1) as f64);
        assert_eq!(s(&cell(&r, y, 1)), row.locality);
        assert_eq!(num(&cell(&r, y, 2)), f64::from(row.target_total));
        assert_eq!(num(&cell(&r, y, 7)), f64::from(row.achieved_3));
        let p = num(&cell(&r, y, 10));
        assert!(
            (p - f64::from(row.achieved_total) * 100.0 / f64::from(row.target_total)).abs() < 1e-9
        );
    }
    let ty = h + 1 + 30;
    assert_eq!(s(&cell(&r, ty, 1)), "Tổng cộng");
    let cols: [fn(&ReportLocalityRow) -> u32; 8] = [
        |r| r.target_total,
        |r| r.target_3,
        |r| r.target_4,
        |r| r.target_5,
        |r| r.achieved_total,
        |r| r.achieved_3,
        |r| r.achieved_4,
        |r| r.achieved_5,
    ];
    for (k, f) in cols.iter().enumerate() {
        let want: u32 = doc.by_locality.iter().map(f).sum();
        assert_eq!(
            num(&cell(&r, ty, 2 + k as u32)),
            f64::from(want),
            "total column {k}"
        );
    }
    let formulas = wb.worksheet_formula(REPORT_SHEETS[0]).unwrap();
    let f = formulas.get_value((ty, 2)).cloned().unwrap_or_default();
    assert_eq!(f, format!("SUM(C{}:C{})", h + 2, h + 31));
    assert_eq!(r.height() as u32, ty + 1, "nothing after the total row");

    let r = wb.worksheet_range(REPORT_SHEETS[1]).unwrap();
    assert_eq!(s(&cell(&r, h, 1)), "Loại hình chủ thể");
    assert_eq!(s(&cell(&r, h, 2)), "Số sản phẩm");
    assert_eq!(s(&cell(&r, h + 5, 1)), "Tổng cộng");
    assert_eq!(num(&cell(&r, h + 5, 2)), 127.0);
    assert!((num(&cell(&r, h + 1, 3)) - 61.0 * 100.0 / 127.0).abs() < 1e-9);

    let r = wb.worksheet_range(REPORT_SHEETS[2]).unwrap();
    assert_eq!(s(&cell(&r, h, 1)), "Bộ sản phẩm");
    assert_eq!(num(&cell(&r, h + 6, 2)), 127.0);

    let r = wb.worksheet_range(REPORT_SHEETS[3]).unwrap();
    assert_eq!(s(&cell(&r, h, 1)), "Nội dung");
    let got: Vec<f64> = (1..=4).map(|i| num(&cell(&r, h + i, 2))).collect();
    assert_eq!(got, vec![86.0, 9.0, 4.0, 19.0]);

    let r = wb.worksheet_range(REPORT_SHEETS[4]).unwrap();
    assert_eq!(s(&cell(&r, h, 0)), "Năm");
    assert_eq!(num(&cell(&r, h + 4, 0)), 2026.0);
    assert_eq!(num(&cell(&r, h + 4, 4)), 722.0);
    assert_eq!(num(&cell(&r, h + 4, 5)), 60.0);
    assert_eq!(
        cell(&r, h + 1, 5),
        Data::Empty,
        "no change for the first year"
    );
}

// ---------------------------------------------------------------------------
// Registry list
// ---------------------------------------------------------------------------

#[test]
fn registry_xlsx_round_trip() {
    let doc = registry(40);
    let bytes = registry_xlsx(&doc).unwrap();
    if let Ok(out) = std::env::var("OCOP_DOCS_OUT") {
        std::fs::write(Path::new(&out).join("danh-sach.xlsx"), &bytes).unwrap();
    }
    let mut wb = workbook(bytes);
    assert_eq!(wb.sheet_names(), vec![REGISTRY_SHEET.to_string()]);
    let r = wb.worksheet_range(REGISTRY_SHEET).unwrap();
    let h = XLSX_HEADER_ROW;
    assert_eq!(s(&cell(&r, 0, 0)), "DANH SÁCH SẢN PHẨM OCOP TỈNH THANH HÓA");
    assert!(s(&cell(&r, 1, 0)).contains("15/12/2026"));
    let heads: Vec<String> = (0..14).map(|c| s(&cell(&r, h, c))).collect();
    assert_eq!(heads[0], "STT");
    assert_eq!(heads[1], "Tên sản phẩm");
    assert_eq!(heads[7], "Hạng sao");
    assert_eq!(heads[10], "Hiệu lực đến");
    assert_eq!(heads[13], "Nhập từ danh sách cũ");
    for (i, row) in doc.rows.iter().enumerate() {
        let y = h + 1 + i as u32;
        assert_eq!(num(&cell(&r, y, 0)), f64::from(row.stt));
        assert_eq!(s(&cell(&r, y, 1)), row.product);
        assert_eq!(s(&cell(&r, y, 5)), row.district);
        assert_eq!(num(&cell(&r, y, 7)), f64::from(row.star));
        match row.decision_date {
            Some(d) => match cell(&r, y, 9) {
                Data::DateTime(dt) => assert_eq!(dt.as_datetime().unwrap().date(), d),
                other => panic!("not a date: {other:?}"),
            },
            None => assert_eq!(cell(&r, y, 9), Data::Empty),
        }
        assert_eq!(
            s(&cell(&r, y, 13)),
            if row.imported { "Có" } else { "Không" }
        );
    }
    assert_eq!(r.height() as u32, h + 1 + 40);
}

#[test]
fn registry_xlsx_writes_twenty_thousand_rows() {
    let doc = registry(20_000);
    let t = std::time::Instant::now();
    let bytes = registry_xlsx(&doc).unwrap();
    eprintln!(
        "20 000 rows: {} KB in {:?} (this build's profile)",
        bytes.len() / 1024,
        t.elapsed()
    );
    let mut wb = workbook(bytes);
    let r = wb.worksheet_range(REGISTRY_SHEET).unwrap();
    let last = XLSX_HEADER_ROW + 20_000;
    assert_eq!(r.height() as u32, last + 1);
    assert_eq!(num(&cell(&r, last, 0)), 20_000.0);
    assert_eq!(s(&cell(&r, last, 12)), "20000/GCN-UBND");
}

// ---------------------------------------------------------------------------
// Revocation decision
// ---------------------------------------------------------------------------

#[test]
fn revocation_decision_pdf_has_the_decree_layout_and_articles() {
    let dir = tempfile::tempdir().unwrap();
    let doc = revocation();
    let pdf = save(
        dir.path(),
        "qd-thu-hoi.pdf",
        &revocation_decision_pdf(&doc).unwrap(),
    );
    let all = text(&pdf, None);
    assert_contains(
        &all,
        &[
            "ỦY BAN NHÂN DÂN",
            "Số: 310/QĐ-UBND",
            "Thanh Hóa, ngày 09 tháng 3 năm 2027",
            "QUYẾT ĐỊNH",
            "Về việc thu hồi Giấy chứng nhận sản phẩm OCOP",
            "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH THANH HÓA",
            "Căn cứ Quyết định số 26/2026/QĐ-TTg",
            "QUYẾT ĐỊNH:",
            "Điều 1. Thu hồi Giấy chứng nhận sản phẩm OCOP số 201/GCN-UBND của sản phẩm “Chè xanh Bình Sơn” đạt hạng 4 sao, chủ thể Hợp tác xã Nông nghiệp Xuân Lâm, đã được công nhận tại Quyết định số 125/QĐ-UBND ngày 30/11/2026.",
            "Căn cứ thu hồi: điểm b khoản 1 Điều 8",
            "Lý do thu hồi: Kết quả kiểm tra ngày 14/02/2027",
            "Điều 2. Kể từ ngày 09/03/2027, Hợp tác xã Nông nghiệp Xuân Lâm không được sử dụng biểu trưng OCOP",
            "Điều 3. Quyết định này có hiệu lực kể từ ngày ký.",
            "Chủ tịch UBND xã Xuân Lâm",
            "chịu trách nhiệm thi hành Quyết định này./.",
            "Nơi nhận:",
            "Lê Đức Giang",
        ],
    );
    assert_fonts_embedded_subset(&pdf);
    let (pages, _, _) = info(&pdf);
    assert_eq!(assert_pages_not_blank(&pdf, dir.path(), "rev"), pages);

    let mut bad = doc;
    bad.star = 2;
    assert!(matches!(
        revocation_decision_pdf(&bad),
        Err(DocError::InvalidStar { star: 2, .. })
    ));
}

// ---------------------------------------------------------------------------
// Written opinions
// ---------------------------------------------------------------------------

#[test]
fn opinion_forms_one_page_per_member() {
    let dir = tempfile::tempdir().unwrap();
    let mut forms: Vec<OpinionFormDoc> = (0..7).map(opinion_form).collect();
    // A returned form prints its answer and remark.
    forms[2].agree = Some(false);
    forms[2].remark = Some("Đề nghị kiểm tra thực tế xưởng mở rộng.".into());
    forms[2].date = Some(date(2027, 1, 12));
    let pdf = save(
        dir.path(),
        "phieu-y-kien.pdf",
        &opinion_forms_pdf(&forms).unwrap(),
    );
    let (pages, _, _) = info(&pdf);
    assert_eq!(pages, 7, "one page per member");
    for (i, f) in forms.iter().enumerate() {
        let t = text(&pdf, Some(i + 1));
        assert_contains(
            &t,
            &[
                "PHIẾU LẤY Ý KIẾN BẰNG VĂN BẢN",
                "Về việc công nhận lại sản phẩm OCOP",
                "Hội đồng: Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Thanh Hóa",
                &format!("Họ và tên: {}", f.member_name),
                &format!("Nhiệm vụ trong Hội đồng: {}", f.member_role),
                "Tên sản phẩm: Nem chua Thanh Hóa Bà Nguyệt",
                "Chủ thể: Công ty Cổ phần Thực phẩm Bà Nguyệt",
                "Hạng sao hiện tại: 4 sao",
                "Giấy chứng nhận: số 088/GCN-UBND, có giá trị đến ngày 20/01/2027",
                "Những thay đổi so với thời điểm được công nhận: Thay đổi mẫu nhãn",
                "trước ngày 15/01/2027",
                "Đồng ý công nhận lại hạng 4 sao",
                "Không đồng ý",
                "Ý kiến khác (nếu có)",
                "THÀNH VIÊN HỘI ĐỒNG",
                "(Ký và ghi rõ họ tên)",
            ],
        );
    }
    assert!(text(&pdf, Some(1)).contains("Thanh Hóa, ngày …… tháng …… năm ……"));
    let third = text(&pdf, Some(3));
    assert_contains(
        &third,
        &[
            "Thanh Hóa, ngày 12 tháng 01 năm 2027",
            "Đề nghị kiểm tra thực tế xưởng mở rộng.",
        ],
    );
    assert_fonts_embedded_subset(&pdf);
    assert_eq!(assert_pages_not_blank(&pdf, dir.path(), "op"), 7);
    assert!(matches!(opinion_forms_pdf(&[]), Err(DocError::Empty(_))));
}

#[test]
fn opinion_summary_counts_and_conclusion() {
    let dir = tempfile::tempdir().unwrap();
    let doc = opinion_summary();
    assert_eq!(doc.counts(), (5, 1, 1));
    let pdf = save(
        dir.path(),
        "tong-hop-y-kien.pdf",
        &opinion_summary_pdf(&doc).unwrap(),
    );
    let all = text(&pdf, None);
    assert_contains(
        &all,
        &[
            "HỘI ĐỒNG ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP TỈNH",
            "Số: 03/BTH-HĐ",
            "Thanh Hóa, ngày 16 tháng 01 năm 2027",
            "BẢNG TỔNG HỢP Ý KIẾN BẰNG VĂN BẢN",
            "Về việc công nhận lại sản phẩm OCOP",
            "Tên sản phẩm: Nem chua Thanh Hóa Bà Nguyệt",
            "STT",
            "Thành viên Hội đồng",
            "Đồng ý",
            "Không đồng ý",
            "Ý kiến khác",
            "Phạm Thị Ánh Tuyết",
            "Không gửi lại phiếu",
            "Đề nghị kiểm tra thực tế",
            "Tổng số phiếu lấy ý kiến: 7; số phiếu đồng ý: 5; số phiếu không đồng ý: 1; số phiếu không gửi lại: 1.",
            "Kết luận: Đa số thành viên Hội đồng đồng ý (5/7)",
            "THƯ KÝ HỘI ĐỒNG",
            "TM. HỘI ĐỒNG",
            "Vũ Thị Bích Ngọc",
            "Lê Văn Khải",
        ],
    );
    // The agree marks: one "X" per answered row.
    let layout = layout_text(&pdf);
    let marks = layout
        .lines()
        .filter(|l| MEMBERS.iter().any(|m| l.contains(m)))
        .filter(|l| l.split_whitespace().any(|w| w == "X"))
        .count();
    assert_eq!(marks, 6, "six answered rows carry a mark:\n{layout}");
    assert_fonts_embedded_subset(&pdf);
    let (pages, _, _) = info(&pdf);
    assert_eq!(assert_pages_not_blank(&pdf, dir.path(), "ops"), pages);
}

#[test]
fn empty_report_still_renders_with_zero_totals() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc = report(0);
    doc.by_owner_type.clear();
    doc.by_set.clear();
    doc.cumulative_by_star.clear();
    doc.plan_label.clear();
    doc.locality_heading.clear();
    let pdf = save(dir.path(), "bao-cao-trong.pdf", &report_pdf(&doc).unwrap());
    let all = text(&pdf, None);
    assert_contains(
        &all,
        &[
            "Năm 2026, toàn tỉnh Thanh Hóa có 0 sản phẩm được công nhận đạt chuẩn OCOP",
            "Không có số liệu.",
            "Sản phẩm được nâng hạng sao",
        ],
    );
    assert!(!all.contains("kế hoạch tại"), "no plan, no plan clause");
    let mut wb = workbook(report_xlsx(&doc).unwrap());
    let r = wb.worksheet_range(REPORT_SHEETS[0]).unwrap();
    let h = XLSX_HEADER_ROW;
    assert_eq!(s(&cell(&r, h - 1, 1)), "Địa phương");
    assert_eq!(s(&cell(&r, h + 1, 1)), "Tổng cộng");
    assert_eq!(num(&cell(&r, h + 1, 2)), 0.0);
    assert_eq!(cell(&r, h + 1, 10), Data::Empty, "no plan, no rate");
}

#[test]
fn nfd_input_comes_out_nfc() {
    use unicode_normalization::UnicodeNormalization;
    let dir = tempfile::tempdir().unwrap();
    let mut doc = revocation();
    doc.product = "Chè xanh Bình Sơn".nfd().collect();
    doc.owner = "Hợp tác xã Nông nghiệp Xuân Lâm".nfd().collect();
    let pdf = save(
        dir.path(),
        "qd-thu-hoi-nfd.pdf",
        &revocation_decision_pdf(&doc).unwrap(),
    );
    assert!(text(&pdf, None).contains(
        "sản phẩm “Chè xanh Bình Sơn” đạt hạng 4 sao, chủ thể Hợp tác xã Nông nghiệp Xuân Lâm"
    ));

    let mut list = registry(2);
    list.rows[1].owner = "Hợp tác xã Nông nghiệp Xuân Lâm".nfd().collect();
    let mut wb = workbook(registry_xlsx(&list).unwrap());
    let r = wb.worksheet_range(REGISTRY_SHEET).unwrap();
    assert_eq!(
        s(&cell(&r, XLSX_HEADER_ROW + 2, 2)),
        "Hợp tác xã Nông nghiệp Xuân Lâm"
    );
}
