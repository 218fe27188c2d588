//! Giấy chứng nhận sản phẩm OCOP: one A4 landscape page per certificate.

use chrono::Datelike;

use super::admin;
use super::canvas::{
    nfc, rgb, stars_w, Align, Margins, Numbering, Span, Writer, A4_LANDSCAPE, PT_MM,
};
use super::fonts::Face;
use crate::error::{DocError, Result};
use crate::model::{dd_mm_yyyy, place_date_line, CertificateDoc};

const MARGINS: Margins = Margins {
    top: 18.0,
    right: 20.0,
    bottom: 15.0,
    left: 20.0,
};

/// The QR code's width, quiet zone excluded. An `OCOP2` code (version 9 at most, 53 modules) gets
/// modules of 0.6 mm: 3.5 pixels in a 150 dpi scan, 2.4 at 100 dpi.
const QR_SIZE: f32 = 32.0;
/// The light margin kept around the code, in modules (ISO/IEC 18004 asks for 4).
const QUIET_MODULES: f32 = 4.0;

fn dark_red() -> printpdf::Color {
    rgb(0.62, 0.07, 0.07)
}

fn gold() -> printpdf::Color {
    rgb(0.86, 0.64, 0.09)
}

/// Draw `text` centred across the page at `y` (line top); shrinks the size
/// until it fits on at most `max_lines` lines. Returns the new y.
#[allow(clippy::too_many_arguments)]
fn centred_fit(
    w: &mut Writer,
    x: f32,
    width: f32,
    y: f32,
    text: &str,
    face: Face,
    mut size: f32,
    max_lines: usize,
) -> f32 {
    let spans = [Span::new(text, face)];
    let mut lines = w.wrap(&spans, size, width, 0.0);
    while lines.len() > max_lines && size > 10.0 {
        size -= 1.0;
        lines = w.wrap(&spans, size, width, 0.0);
    }
    let lh = size * 1.18 * PT_MM;
    let mut y = y;
    for l in &lines {
        let base = Writer::baseline(y, lh, size);
        w.draw_line(l, x, width, base, size, Align::Centre);
        y += lh;
    }
    y
}

/// "Label: value" centred, label regular and value bold.
fn labelled(
    w: &mut Writer,
    x: f32,
    width: f32,
    y: f32,
    label: &str,
    value: &str,
    size: f32,
) -> f32 {
    let spans = [
        Span::new(format!("{label}: "), Face::Regular),
        Span::new(value, Face::Bold),
    ];
    let lh = size * 1.3 * PT_MM;
    let mut y = y;
    for l in w.wrap(&spans, size, width, 0.0) {
        let base = Writer::baseline(y, lh, size);
        w.draw_line(&l, x, width, base, size, Align::Centre);
        y += lh;
    }
    y
}

pub(crate) fn render(w: &mut Writer, c: &CertificateDoc) -> Result<()> {
    if !(3..=5).contains(&c.star) {
        return Err(DocError::InvalidStar {
            star: c.star,
            allowed: "3, 4 hoặc 5 sao",
        });
    }
    w.begin_section(A4_LANDSCAPE, MARGINS, Numbering::None);
    let (pw, ph) = (w.pw, w.ph);

    // Frame: thick dark red, thin gold inside, gold stars in the corners.
    w.rect_col(8.0, 8.0, pw - 16.0, ph - 16.0, 3.0, dark_red());
    w.rect_col(11.5, 11.5, pw - 23.0, ph - 23.0, 0.9, gold());
    for (cx, cy) in [
        (15.5, 15.5),
        (pw - 15.5, 15.5),
        (15.5, ph - 15.5),
        (pw - 15.5, ph - 15.5),
    ] {
        w.star(cx, cy, 2.2, gold());
    }

    let x = w.left();
    let cw = w.content_w();

    // Certificate number, top left.
    if let Some(no) = &c.certificate_no {
        w.text(x + 2.0, 24.0, &format!("Số: {no}"), Face::Regular, 11.0);
    }

    // National motto and issuing body, centred.
    let mut y = 17.0;
    y = centred_fit(
        w,
        x,
        cw,
        y,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        Face::Bold,
        13.0,
        1,
    );
    let motto = nfc("Độc lập - Tự do - Hạnh phúc");
    let mw = w.text_w(&motto, Face::Bold, 13.5);
    y = centred_fit(w, x, cw, y, &motto, Face::Bold, 13.5, 1);
    let cx = x + cw / 2.0;
    w.line(cx - mw / 2.0, y + 1.2, cx + mw / 2.0, y + 1.2, 0.6);
    y += 5.0;
    y = centred_fit(
        w,
        x,
        cw,
        y,
        &admin::upper(&c.office.issuing_body),
        Face::Bold,
        14.0,
        2,
    );

    // Title.
    y += 7.0;
    y = colour_centred(w, x, cw, y, "GIẤY CHỨNG NHẬN", Face::Bold, 34.0, dark_red());
    y = colour_centred(w, x, cw, y, "SẢN PHẨM OCOP", Face::Bold, 21.0, dark_red());
    y = centred_fit(
        w,
        x,
        cw,
        y + 0.5,
        &format!(
            "Chương trình Mỗi xã một sản phẩm tỉnh {} năm {}",
            c.office.province,
            c.issue_date.year()
        ),
        Face::Italic,
        13.0,
        1,
    );

    // Product.
    y += 7.0;
    y = centred_fit(w, x, cw, y, "Chứng nhận sản phẩm:", Face::Italic, 14.0, 1);
    let name_w = cw - 30.0;
    y = colour_fit(
        w,
        x + 15.0,
        name_w,
        y,
        &admin::upper(&c.product_name),
        26.0,
        dark_red(),
    );
    y += 3.0;
    let inner_x = x + 20.0;
    let inner_w = cw - 40.0;
    y = labelled(w, inner_x, inner_w, y, "Chủ thể", &c.owner_name, 15.0);
    y = labelled(w, inner_x, inner_w, y, "Địa chỉ", &c.owner_address, 13.0);
    let set_line = [
        Span::new("Bộ sản phẩm: ", Face::Regular),
        Span::new(&c.set_name, Face::Bold),
        Span::new("   -   Mã số sản phẩm: ", Face::Regular),
        Span::new(&c.product_code, Face::Bold),
    ];
    let lh = 13.0 * 1.3 * PT_MM;
    for l in w.wrap(&set_line, 13.0, inner_w, 0.0) {
        let base = Writer::baseline(y, lh, 13.0);
        w.draw_line(&l, inner_x, inner_w, base, 13.0, Align::Centre);
        y += lh;
    }

    // Star rank.
    y += 5.0;
    y = colour_centred(
        w,
        x,
        cw,
        y,
        &format!("ĐẠT HẠNG {} SAO", c.star),
        Face::Bold,
        19.0,
        dark_red(),
    );
    let r = 6.0;
    let gap = 3.0;
    let sw = stars_w(c.star, r, gap);
    w.stars(c.star, cx - sw / 2.0, y + r + 0.5, r, gap, gold());
    let stars_bottom = y + 2.0 * r + 1.0;

    // Bottom left: QR with its quiet zone, the certificate number to type in when no camera is at
    // hand, decision and validity.
    let qr_y = ph - MARGINS.bottom - QR_SIZE - 1.0;
    let qr_x = x + 2.0;
    let quiet = w.qr(qr_x, qr_y, QR_SIZE, &c.qr_payload)? * QUIET_MODULES;
    let tx = qr_x + QR_SIZE + quiet.max(4.0);
    let mut lines = Vec::new();
    if let Some(no) = &c.certificate_no {
        lines.push((format!("Số giấy chứng nhận: {no}"), Face::Bold));
    }
    lines.extend([
        (
            format!("Quyết định số {}", c.decision_number),
            Face::Regular,
        ),
        (
            format!("ngày {}", dd_mm_yyyy(c.decision_date)),
            Face::Regular,
        ),
        (
            format!("Có giá trị đến ngày {}", dd_mm_yyyy(c.valid_until)),
            Face::Bold,
        ),
        (
            "Quét mã QR hoặc nhập số giấy chứng nhận để kiểm tra".to_string(),
            Face::Italic,
        ),
    ]);
    let lh = 11.5 * 1.3 * PT_MM;
    let mut ty = qr_y + (QR_SIZE - lh * lines.len() as f32) / 2.0;
    for (t, f) in &lines {
        let size = if *f == Face::Italic { 10.0 } else { 11.5 };
        let base = Writer::baseline(ty, lh, size);
        w.text(tx, base, t, *f, size);
        ty += lh;
    }

    // Bottom right: date line and signature.
    let sig_x = x + cw * 0.55;
    let sig_w = cw * 0.45;
    let date = place_date_line(&c.office.place, Some(c.issue_date));
    let sig_h = admin::signer_h(&c.signer, true);
    let sig_top = (ph - MARGINS.bottom - sig_h).max(stars_bottom + 1.0);
    admin::signer(w, &c.signer, sig_x, sig_w, sig_top, Some(&date), 0);
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn colour_centred(
    w: &mut Writer,
    x: f32,
    width: f32,
    y: f32,
    text: &str,
    face: Face,
    size: f32,
    col: printpdf::Color,
) -> f32 {
    let lh = size * 1.15 * PT_MM;
    let base = Writer::baseline(y, lh, size);
    w.text_in_colour(x, width, base, text, face, size, col);
    y + lh
}

fn colour_fit(
    w: &mut Writer,
    x: f32,
    width: f32,
    y: f32,
    text: &str,
    mut size: f32,
    col: printpdf::Color,
) -> f32 {
    let spans = [Span::new(text, Face::Bold)];
    let mut lines = w.wrap(&spans, size, width, 0.0);
    while lines.len() > 2 && size > 12.0 {
        size -= 1.0;
        lines = w.wrap(&spans, size, width, 0.0);
    }
    let lh = size * 1.15 * PT_MM;
    let mut y = y;
    for l in &lines {
        let base = Writer::baseline(y, lh, size);
        w.draw_line_colour(l, x, width, base, size, Align::Centre, col.clone());
        y += lh;
    }
    y
}
