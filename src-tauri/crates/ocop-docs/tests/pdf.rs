//! PDF round trips through poppler: text with diacritics, embedded subset
//! fonts, non-blank pages, QR codes.
//!
//! Set `OCOP_DOCS_OUT=/some/dir` to keep the PDFs for a look.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use ocop_docs::*;

/// Temp dir for one test; the PDF is also copied to $OCOP_DOCS_OUT if set.
fn save(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    if let Ok(out) = std::env::var("OCOP_DOCS_OUT") {
        std::fs::create_dir_all(&out).expect("out dir");
        std::fs::write(Path::new(&out).join(name), bytes).expect("copy");
    }
    write(dir, name, bytes)
}

fn check_pdf_basics(bytes: &[u8]) {
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
}

#[test]
fn score_sheets_filled_and_blank_in_one_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let filled = sheet("qd26_set11.json", "Nguyễn Thị Hường", true);
    let blank = sheet("qd26_set11.json", "Trần Văn Nam", false);
    let tourism = sheet("qd26_set26.json", "Phạm Thị Ánh Tuyết", true);
    let total = filled.total.unwrap();
    let bytes = score_sheets_pdf(&[filled.clone(), blank.clone(), tourism]).unwrap();
    check_pdf_basics(&bytes);
    let pdf = save(dir.path(), "phieu-danh-gia.pdf", &bytes);

    let all = text(&pdf, None);
    assert_contains(
        &all,
        &[
            "PHIẾU ĐÁNH GIÁ SẢN PHẨM OCOP",
            "Bộ sản phẩm số 11: Chè tươi, chè chế biến",
            "QĐ 26/2026/QĐ-TTg",
            "Tên sản phẩm: Chè xanh Bình Sơn",
            "Mã số sản phẩm: TH-2026-0117",
            "Tên chủ thể: Hợp tác xã Nông nghiệp Xuân Lâm",
            "Người đánh giá: Nguyễn Thị Hường",
            "Hồ sơ bị loại khi",
            "Phần A: SẢN PHẨM VÀ SỨC MẠNH CỦA CỘNG ĐỒNG",
            "TỔ CHỨC SẢN XUẤT",
            "Nguồn nguyên liệu",
            "TỔNG ĐIỂM",
            "Ý kiến của người đánh giá",
            "Dấu sao là yêu cầu tối thiểu",
            "Thanh Hóa, ngày 23 tháng 11 năm 2026",
            "Thanh Hóa, ngày …… tháng …… năm ……",
            "NGƯỜI ĐÁNH GIÁ",
            "(Ký và ghi rõ họ tên)",
            // Tourism set: case labels.
            "Trường hợp 1",
            "Bộ sản phẩm số 26",
        ],
    );
    assert!(all.contains(&vn_number(total, 2, false)), "total printed");

    // Each sheet starts on a new page: find the first page of each.
    let (pages, w, h) = info(&pdf);
    assert!(
        (w - 595.3).abs() < 1.0 && (h - 841.9).abs() < 1.0,
        "A4 portrait"
    );
    let firsts: Vec<usize> = (1..=pages)
        .filter(|&p| text(&pdf, Some(p)).contains("PHIẾU ĐÁNH GIÁ SẢN PHẨM OCOP"))
        .collect();
    assert_eq!(
        firsts.len(),
        3,
        "three sheets, each with its own first page"
    );
    assert_eq!(firsts[0], 1);
    assert!(text(&pdf, Some(firsts[1])).contains("Người đánh giá: Trần Văn Nam"));
    assert!(
        text(&pdf, Some(firsts[1] - 1)).contains("Nguyễn Thị Hường"),
        "the page before the second sheet belongs to the first"
    );
    // Footer page numbers per sheet.
    assert!(all.contains("Phiếu đánh giá TH-2026-0117 - Nguyễn Thị Hường - Trang 1/"));

    assert_fonts_embedded_subset(&pdf);
    assert_eq!(assert_pages_not_blank(&pdf, dir.path(), "sheet"), pages);

    // The blank sheet's QR decodes to its payload.
    let png = render_pages(
        &pdf,
        dir.path(),
        "blankqr",
        150,
        &[
            "-f",
            &firsts[1].to_string(),
            "-l",
            &firsts[1].to_string(),
            "-gray",
        ],
    );
    let codes = decode_qr(&decode_png(&png[0]));
    assert_eq!(codes, vec![blank.qr_payload.clone().unwrap()]);
}

#[test]
fn score_sheet_nfd_input_comes_out_nfc() {
    use unicode_normalization::UnicodeNormalization;
    let dir = tempfile::tempdir().unwrap();
    let mut s = sheet("qd26_set11.json", "Nguyễn Thị Hường", true);
    s.product_name = "Chè xanh Bình Sơn".nfd().collect();
    s.owner_name = "Hợp tác xã Nông nghiệp Xuân Lâm".nfd().collect();
    let pdf = save(
        dir.path(),
        "phieu-nfd.pdf",
        &score_sheets_pdf(&[s]).unwrap(),
    );
    let t = text(&pdf, Some(1));
    assert_contains(
        &t,
        &["Chè xanh Bình Sơn", "Hợp tác xã Nông nghiệp Xuân Lâm"],
    );
}

#[test]
fn summary_pdf_portrait_and_landscape() {
    let dir = tempfile::tempdir().unwrap();
    let doc = summary(7);
    let bytes = summary_pdf(&doc).unwrap();
    let pdf = save(dir.path(), "bang-tong-hop.pdf", &bytes);
    let t = text(&pdf, None);
    assert_contains(
        &t,
        &[
            "UBND TỈNH THANH HÓA",
            "HỘI ĐỒNG ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP TỈNH",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Số: 12/BTH-HĐ",
            "Thanh Hóa, ngày 23 tháng 11 năm 2026",
            "BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP",
            "Chè xanh Bình Sơn",
            "Hợp tác xã Nông nghiệp Xuân Lâm",
            "Nguyễn Thị Hường",
            "81,17",
            "12,5 (!)",
            "Đề nghị Trung ương đánh giá 5 sao",
            "THƯ KÝ HỘI ĐỒNG",
            "TM. HỘI ĐỒNG",
            "Vũ Thị Bích Ngọc",
        ],
    );
    let (_, w, h) = info(&pdf);
    assert!(w > h, "7 member columns need landscape");
    assert_fonts_embedded_subset(&pdf);
    assert_pages_not_blank(&pdf, dir.path(), "sum");

    // One member fits on portrait.
    let small = summary(1);
    let pdf1 = save(
        dir.path(),
        "bang-tong-hop-1.pdf",
        &summary_pdf(&small).unwrap(),
    );
    let (_, w, h) = info(&pdf1);
    assert!(h > w, "one member column fits portrait");
    assert_contains(&text(&pdf1, None), &["Lê Văn Khải", "81,17"]);

    // Twelve members still fit (narrower columns, smaller type), with
    // page breaks repeating the header when there are many rows.
    let mut big = summary(7);
    big.members = (1..=12).map(|i| format!("Thành viên số {i}")).collect();
    let mut rows = Vec::new();
    for k in 0..12 {
        for r in result_rows(12) {
            let mut r = r.clone();
            r.product_name = format!("{} ({})", r.product_name, k + 1);
            rows.push(r);
        }
    }
    big.rows = rows;
    let pdfb = save(
        dir.path(),
        "bang-tong-hop-12.pdf",
        &summary_pdf(&big).unwrap(),
    );
    let (pages, _, _) = info(&pdfb);
    assert!(pages >= 2, "48 rows need several pages");
    for p in 1..=pages {
        let t = text(&pdfb, Some(p));
        assert!(t.contains("Điểm trung bình"), "header repeated on page {p}");
        if p > 1 {
            assert!(
                t.starts_with(&p.to_string()),
                "page number on page {p}: {t:.40}"
            );
        }
    }
    assert_pages_not_blank(&pdfb, dir.path(), "sumb");
}

#[test]
fn summary_rejects_ragged_rows() {
    let mut doc = summary(3);
    doc.rows[0].scores.pop();
    let err = summary_pdf(&doc).unwrap_err();
    assert!(err.to_string().contains("Chè xanh Bình Sơn"), "{err}");
}

#[test]
fn minutes_pdf_lists_attendance_and_results() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = save(
        dir.path(),
        "bien-ban.pdf",
        &minutes_pdf(&minutes()).unwrap(),
    );
    let t = text(&pdf, None);
    assert_contains(
        &t,
        &[
            "HỘI ĐỒNG ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP TỈNH",
            "Số: 05/BB-HĐ",
            "BIÊN BẢN",
            "Họp Hội đồng đánh giá, phân hạng sản phẩm OCOP",
            "Thời gian: 08 giờ 00 phút, ngày 23/11/2026",
            "I. THÀNH PHẦN THAM DỰ",
            "Phạm Thị Ánh Tuyết",
            "Vắng mặt",
            "Có mặt 6/7 thành viên",
            "Thành viên không tham gia chấm điểm",
            "Có quan hệ với chủ thể",
            "Bánh gai Tứ Trụ",
            "Kết quả đánh giá, phân hạng",
            "III. KIẾN NGHỊ CỦA HỘI ĐỒNG",
            "Cuộc họp kết thúc vào hồi 11 giờ 30 phút",
            "CHỦ TỊCH HỘI ĐỒNG",
            "THƯ KÝ",
            "Lê Văn Khải",
        ],
    );
    let (_, w, h) = info(&pdf);
    assert!(h > w, "portrait");
    assert_fonts_embedded_subset(&pdf);
    assert_pages_not_blank(&pdf, dir.path(), "bb");
}

#[test]
fn decision_pdf_with_list() {
    let dir = tempfile::tempdir().unwrap();
    let d = decision();
    let pdf = save(dir.path(), "quyet-dinh.pdf", &decision_pdf(&d).unwrap());
    let t = text(&pdf, None);
    assert_contains(
        &t,
        &[
            "ỦY BAN NHÂN DÂN TỈNH THANH HÓA",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Số: 125/QĐ-UBND",
            "Thanh Hóa, ngày 30 tháng 11 năm 2026",
            "QUYẾT ĐỊNH",
            "Về việc công nhận sản phẩm đạt chuẩn OCOP tỉnh Thanh Hóa năm 2026 (đợt 2)",
            "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH THANH HÓA",
            "Căn cứ Luật Tổ chức chính quyền địa phương",
            "QUYẾT ĐỊNH:",
            "Điều 1.",
            "Điều 3.",
            "Nơi nhận:",
            "- Lưu: VT, NN.",
            "KT. CHỦ TỊCH",
            "PHÓ CHỦ TỊCH",
            "Lê Đức Giang",
            "DANH SÁCH SẢN PHẨM ĐẠT CHUẨN OCOP TỈNH THANH HÓA NĂM 2026 (ĐỢT 2)",
            "(Kèm theo Quyết định số 125/QĐ-UBND ngày 30/11/2026 của Chủ tịch UBND tỉnh Thanh Hóa)",
            "Sản phẩm đạt hạng 4 sao (2 sản phẩm)",
            "Sản phẩm đạt hạng 3 sao (1 sản phẩm)",
            "Chè xanh Bình Sơn",
            "81,17",
            "Tổng cộng: 3 sản phẩm được công nhận.",
        ],
    );
    // The 4-star group comes before the 3-star group.
    let i4 = t.find("hạng 4 sao (2").unwrap();
    let i3 = t.find("hạng 3 sao (1").unwrap();
    assert!(i4 < i3);
    // The list starts on its own page.
    let (pages, _, _) = info(&pdf);
    let list_page = (1..=pages)
        .find(|&p| text(&pdf, Some(p)).contains("DANH SÁCH SẢN PHẨM"))
        .unwrap();
    assert!(list_page > 1);
    assert!(!text(&pdf, Some(list_page)).contains("Nơi nhận:"));
    assert_fonts_embedded_subset(&pdf);
    assert_pages_not_blank(&pdf, dir.path(), "qd");

    let mut bad = d.clone();
    bad.list[0].star = 2;
    assert!(matches!(
        decision_pdf(&bad),
        Err(DocError::InvalidStar { star: 2, .. })
    ));
}

#[test]
fn certificates_batch_with_qr_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let certs: Vec<CertificateDoc> = (0..3).map(certificate).collect();
    let bytes = certificates_pdf(&certs).unwrap();
    let pdf = save(dir.path(), "giay-chung-nhan.pdf", &bytes);
    let (pages, w, h) = info(&pdf);
    assert_eq!(pages, 3, "one page per certificate");
    assert!(
        (w - 841.9).abs() < 1.0 && (h - 595.3).abs() < 1.0,
        "A4 landscape"
    );
    for (i, c) in certs.iter().enumerate() {
        let t = text(&pdf, Some(i + 1));
        assert_contains(
            &t,
            &[
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "Độc lập - Tự do - Hạnh phúc",
                "ỦY BAN NHÂN DÂN TỈNH THANH HÓA",
                "GIẤY CHỨNG NHẬN",
                "SẢN PHẨM OCOP",
                &c.product_name.to_uppercase(),
                &format!("Chủ thể: {}", c.owner_name),
                &format!("Địa chỉ: {}", c.owner_address),
                &format!("Mã số sản phẩm: {}", c.product_code),
                &format!("ĐẠT HẠNG {} SAO", c.star),
                "Quyết định số 125/QĐ-UBND",
                "ngày 30/11/2026",
                "Có giá trị đến ngày 30/11/2029",
                "Thanh Hóa, ngày 30 tháng 11 năm 2026",
                "KT. CHỦ TỊCH",
                "PHÓ CHỦ TỊCH",
                "Lê Đức Giang",
            ],
        );
    }
    assert_fonts_embedded_subset(&pdf);
    assert_pages_not_blank(&pdf, dir.path(), "gcn");

    // QR round trip on every page at 150 dpi.
    let pngs = render_pages(&pdf, dir.path(), "gcnqr", 150, &["-gray"]);
    assert_eq!(pngs.len(), 3);
    for (png, c) in pngs.iter().zip(&certs) {
        let codes = decode_qr(&decode_png(png));
        assert_eq!(codes, vec![c.qr_payload.clone()], "{}", png.display());
    }
}

#[test]
fn certificate_errors_are_vietnamese() {
    let err = certificates_pdf(&[]).unwrap_err();
    assert_eq!(err.to_string(), "Không có giấy chứng nhận nào để in");
    let mut c = certificate(0);
    c.star = 2;
    let err = certificates_pdf(&[c]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Hạng sao không hợp lệ: 2 (chỉ chấp nhận 3, 4 hoặc 5 sao)"
    );
    let mut c = certificate(0);
    c.qr_payload = "x".repeat(5000);
    let err = certificates_pdf(&[c]).unwrap_err();
    assert!(err.to_string().starts_with("Không tạo được mã QR"), "{err}");
    assert!(score_sheets_pdf(&[]).is_err());
}

#[test]
fn sparse_documents_still_render() {
    let dir = tempfile::tempdir().unwrap();
    // Summary with no member columns and no rows.
    let mut s = summary(0);
    s.rows.clear();
    let pdf = save(dir.path(), "sparse-summary.pdf", &summary_pdf(&s).unwrap());
    assert_contains(&text(&pdf, None), &["BẢNG TỔNG HỢP", "Điểm trung bình"]);
    // Minutes with nothing to report.
    let mut m = minutes();
    m.recusals.clear();
    m.rescores.clear();
    m.results.clear();
    m.proposals.clear();
    m.closing = None;
    let pdf = save(dir.path(), "sparse-minutes.pdf", &minutes_pdf(&m).unwrap());
    let t = text(&pdf, None);
    assert_eq!(t.matches("Không có.").count(), 4, "{t}");
    // Decision without a list: no list page.
    let mut d = decision();
    d.list.clear();
    let pdf = save(
        dir.path(),
        "sparse-decision.pdf",
        &decision_pdf(&d).unwrap(),
    );
    assert!(!text(&pdf, None).contains("DANH SÁCH"));
    // Blank sheet without QR.
    let mut b = sheet("qd26_set11.json", "Nguyễn Thị Hường", false);
    b.qr_payload = None;
    let pdf = save(
        dir.path(),
        "sparse-sheet.pdf",
        &score_sheets_pdf(&[b]).unwrap(),
    );
    assert_pages_not_blank(&pdf, dir.path(), "sparse");
}
