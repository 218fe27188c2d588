//! Re-recognition by written opinions (QĐ 26/2026/QĐ-TTg, Điều 7 khoản 6):
//! the members' forms (Phiếu lấy ý kiến bằng văn bản) and their summary
//! (Bảng tổng hợp ý kiến bằng văn bản).

use super::admin;
use super::canvas::{Align, Numbering, Para, Span, Writer, A4, DECREE30_MARGINS, PT_MM};
use super::fonts::Face;
use super::table::{Cell, Col, HeadCell, Table};
use crate::error::{DocError, Result};
use crate::model::{dd_mm_yyyy, place_date_line};
use crate::model_registry::{OpinionFormDoc, OpinionSummaryDoc};

pub(crate) const FORM_TITLE: &str = "PHIẾU LẤY Ý KIẾN BẰNG VĂN BẢN";
pub(crate) const SUMMARY_TITLE: &str = "BẢNG TỔNG HỢP Ý KIẾN BẰNG VĂN BẢN";
/// Space left to sign a form, mm.
const SIGN_GAP: f32 = 20.0;

pub(crate) const SUBJECT: &str = "Về việc công nhận lại sản phẩm OCOP";

fn check_star(star: u8) -> Result<()> {
    if (3..=5).contains(&star) {
        Ok(())
    } else {
        Err(DocError::InvalidStar {
            star,
            allowed: "3, 4 hoặc 5 sao",
        })
    }
}

/// "Label: value" with the label bold.
fn labelled(w: &mut Writer, label: &str, value: &str, p: Para) {
    w.paragraph(
        &[
            Span::new(format!("{label}: "), Face::Bold),
            Span::new(value, Face::Regular),
        ],
        p,
    );
}

fn plain(w: &Writer) -> Para {
    Para {
        indent: 0.0,
        after: 0.8,
        ..admin::body(w)
    }
}

fn section(w: &mut Writer, text: &str) {
    w.y += 1.5;
    admin::heading(w, text);
}

/// The product block shared by the form and the summary.
#[allow(clippy::too_many_arguments)]
fn product_block(
    w: &mut Writer,
    council: &str,
    product: &str,
    owner: &str,
    star: u8,
    certificate_no: &str,
    valid_until: chrono::NaiveDate,
) {
    let p = plain(w);
    labelled(w, "Hội đồng", council, p);
    labelled(w, "Tên sản phẩm", product, p);
    labelled(w, "Chủ thể", owner, p);
    labelled(w, "Hạng sao hiện tại", &format!("{star} sao"), p);
    labelled(
        w,
        "Giấy chứng nhận",
        &format!(
            "số {}, có giá trị đến ngày {}",
            certificate_no.trim(),
            dd_mm_yyyy(valid_until)
        ),
        p,
    );
}

/// Height of a form's signature block (date line, role, hint, space, name).
fn signature_h() -> f32 {
    4.0 * 13.0 * 1.2 * PT_MM + SIGN_GAP + 3.0
}

fn form(w: &mut Writer, f: &OpinionFormDoc) -> Result<()> {
    check_star(f.star)?;
    w.begin_section(A4, DECREE30_MARGINS, Numbering::None);
    // No number and no date in the header: the date goes with the signature.
    admin::header(w, &f.office, None, "");
    w.y -= 4.0;
    admin::title(w, FORM_TITLE, &[(SUBJECT, Face::Bold, 14.0)]);

    let p = plain(w);
    section(w, "I. THÀNH VIÊN HỘI ĐỒNG CHO Ý KIẾN");
    labelled(w, "Họ và tên", &f.member_name, p);
    labelled(w, "Nhiệm vụ trong Hội đồng", &f.member_role, p);

    section(w, "II. SẢN PHẨM ĐỀ NGHỊ CÔNG NHẬN LẠI");
    product_block(
        w,
        &f.council_name,
        &f.product,
        &f.owner,
        f.star,
        &f.certificate_no,
        f.valid_until,
    );
    let changes = if f.changes.trim().is_empty() {
        "Không có thay đổi."
    } else {
        f.changes.trim()
    };
    labelled(
        w,
        "Những thay đổi so với thời điểm được công nhận",
        changes,
        Para {
            align: Align::Justify,
            ..p
        },
    );

    section(w, "III. Ý KIẾN CỦA THÀNH VIÊN HỘI ĐỒNG");
    let mut hint = "(Đánh dấu vào một trong hai ô".to_string();
    if !f.deadline.trim().is_empty() {
        hint.push_str(&format!(
            "; gửi lại Phiếu cho Thường trực Hội đồng {}",
            f.deadline.trim()
        ));
    }
    hint.push(')');
    w.paragraph(&[Span::new(hint, Face::Italic)], p);
    let size = 13.0;
    let lh = size * 1.5 * PT_MM;
    let bx = w.left() + 10.0;
    let box_size = 4.5;
    for (text, ticked) in [
        (
            format!("Đồng ý công nhận lại hạng {} sao", f.star),
            f.agree == Some(true),
        ),
        ("Không đồng ý".to_string(), f.agree == Some(false)),
    ] {
        w.ensure(lh);
        let top = w.y;
        w.checkbox(bx, top + (lh - box_size) / 2.0, box_size, ticked);
        let base = Writer::baseline(top, lh, size);
        w.text(bx + box_size + 3.0, base, &text, Face::Regular, size);
        w.y += lh;
    }
    w.y += 1.0;
    match &f.remark {
        Some(r) if !r.trim().is_empty() => labelled(w, "Ý kiến khác (nếu có)", r, p),
        _ => {
            w.paragraph(&[Span::new("Ý kiến khác (nếu có):", Face::Bold)], p);
            // Up to three lines to write on, fewer when a long list of
            // changes leaves less room above the signature.
            let dl = 13.0 * 1.55 * PT_MM;
            let room = w.bottom() - w.y - signature_h();
            let n = ((room / dl).floor() as usize).clamp(1, 3);
            for _ in 0..n {
                w.ensure(dl);
                w.y += dl;
                w.dotted(w.left(), w.left() + w.content_w(), w.y - 1.0);
            }
            w.y += 1.0;
        }
    }

    // Date line, role, space to sign, name.
    let sig_lh = 13.0 * 1.2 * PT_MM;
    w.ensure(signature_h());
    let sx = w.left() + w.content_w() * 0.42;
    let sw = w.content_w() * 0.58;
    let mut y = w.y + 3.0;
    let date = place_date_line(&f.place, f.date);
    for (text, face) in [
        (date.as_str(), Face::Italic),
        ("THÀNH VIÊN HỘI ĐỒNG", Face::Bold),
        ("(Ký và ghi rõ họ tên)", Face::Italic),
    ] {
        let base = Writer::baseline(y, sig_lh, size);
        w.text_in(sx, sw, base, text, face, size, Align::Centre);
        y += sig_lh;
    }
    y += SIGN_GAP;
    let base = Writer::baseline(y, sig_lh, size);
    w.text_in(
        sx,
        sw,
        base,
        &f.member_name,
        Face::Bold,
        size,
        Align::Centre,
    );
    w.y = y + sig_lh;
    Ok(())
}

/// Each member's form on its own page, in one PDF.
pub(crate) fn render_forms(w: &mut Writer, forms: &[OpinionFormDoc]) -> Result<()> {
    for f in forms {
        form(w, f)?;
    }
    Ok(())
}

pub(crate) fn render_summary(w: &mut Writer, d: &OpinionSummaryDoc) -> Result<()> {
    check_star(d.star)?;
    w.begin_section(A4, DECREE30_MARGINS, Numbering::TopCentre);
    let date_line = place_date_line(&d.office.place, Some(d.date));
    admin::header(w, &d.office, d.number.as_deref(), &date_line);
    admin::title(w, SUMMARY_TITLE, &[(SUBJECT, Face::Bold, 14.0)]);

    section(w, "I. SẢN PHẨM ĐỀ NGHỊ CÔNG NHẬN LẠI");
    product_block(
        w,
        &d.council_name,
        &d.product,
        &d.owner,
        d.star,
        &d.certificate_no,
        d.valid_until,
    );

    section(w, "II. Ý KIẾN CỦA CÁC THÀNH VIÊN HỘI ĐỒNG");
    let cols = vec![
        Col {
            w: 10.0,
            align: Align::Centre,
        },
        Col {
            w: 44.0,
            align: Align::Left,
        },
        Col {
            w: 34.0,
            align: Align::Left,
        },
        Col {
            w: 18.0,
            align: Align::Centre,
        },
        Col {
            w: 18.0,
            align: Align::Centre,
        },
        Col {
            w: 41.0,
            align: Align::Left,
        },
    ];
    let mut t = Table::new(w.left(), cols, 10.5);
    t.head = [
        (0, 1, 0, 2, "STT"),
        (1, 1, 0, 2, "Thành viên Hội đồng"),
        (2, 1, 0, 2, "Nhiệm vụ trong Hội đồng"),
        (3, 2, 0, 1, "Ý kiến"),
        (3, 1, 1, 1, "Đồng ý"),
        (4, 1, 1, 1, "Không đồng ý"),
        (5, 1, 0, 2, "Ý kiến khác"),
    ]
    .iter()
    .map(|&(c, cs, r, rs, h)| HeadCell::new(c, cs, r, rs, h))
    .collect();
    w.ensure(t.head_h(w) + 12.0);
    t.draw_head(w);
    for (i, r) in d.rows.iter().enumerate() {
        let mut cells = vec![
            Cell::text((i + 1).to_string()),
            Cell::bold(&r.member),
            Cell::text(&r.role),
        ];
        match r.agree {
            Some(a) => {
                cells.push(if a { Cell::bold("X") } else { Cell::empty() });
                cells.push(if a { Cell::empty() } else { Cell::bold("X") });
            }
            None => cells.push(
                Cell::italic("Không gửi lại phiếu")
                    .span(2)
                    .align(Align::Centre),
            ),
        }
        cells.push(Cell::text(&r.remark));
        t.row(w, &cells, 0.0);
    }
    w.y += 3.0;

    let (agree, disagree, missing) = d.counts();
    let total = d.rows.len();
    let p = admin::body(w);
    let mut counts = format!(
        "Tổng số phiếu lấy ý kiến: {total}; số phiếu đồng ý: {agree}; số phiếu không đồng ý: \
         {disagree}"
    );
    if missing > 0 {
        counts.push_str(&format!("; số phiếu không gửi lại: {missing}"));
    }
    counts.push('.');
    w.paragraph(&[Span::new(counts, Face::Regular)], p);

    let signers = [d.secretary.clone(), d.chair.clone()];
    let conclusion = [
        Span::new("Kết luận: ", Face::Bold),
        Span::new(d.conclusion.trim(), Face::Regular),
    ];
    // Keep the conclusion with the signatures.
    let h = w.paragraph_h(&conclusion, p) + admin::signers_row_h(&signers, false);
    if h < w.bottom() - w.m.top {
        w.ensure(h);
    }
    w.paragraph(&conclusion, p);
    admin::signers_row(w, &signers, None);
    Ok(())
}
