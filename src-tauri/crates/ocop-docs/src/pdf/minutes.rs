//! Biên bản họp Hội đồng đánh giá, phân hạng sản phẩm OCOP.

use super::admin;
use super::canvas::{Align, Numbering, Span, Writer, A4, DECREE30_MARGINS};
use super::fonts::Face;
use super::summary::{mean_text, product_cell, spread_cell, star_cell};
use super::table::{Cell, Col, HeadCell, Table};
use crate::error::Result;
use crate::model::{place_date_line, MinutesDoc};

fn col(w: f32, align: Align) -> Col {
    Col { w, align }
}

fn table(w: &Writer, cols: Vec<Col>, head: &[&str]) -> Table {
    let mut t = Table::new(w.left(), cols, 11.0);
    t.head = head
        .iter()
        .enumerate()
        .map(|(i, h)| HeadCell::new(i, 1, 0, 1, h))
        .collect();
    t
}

fn none_line(w: &mut Writer) {
    let p = admin::body(w);
    w.paragraph(&[Span::new("Không có.", Face::Italic)], p);
}

pub(crate) fn render(w: &mut Writer, d: &MinutesDoc) -> Result<()> {
    w.begin_section(A4, DECREE30_MARGINS, Numbering::TopCentre);
    let date_line = place_date_line(&d.office.place, Some(d.date));
    admin::header(w, &d.office, d.number.as_deref(), &date_line);
    admin::title(
        w,
        "BIÊN BẢN",
        &[
            (
                "Họp Hội đồng đánh giá, phân hạng sản phẩm OCOP",
                Face::Bold,
                14.0,
            ),
            (d.round_name.as_str(), Face::Bold, 13.0),
        ],
    );
    let body = admin::body(w);
    let label = |l: &str, v: &str| {
        vec![
            Span::new(format!("{l}: "), Face::Bold),
            Span::new(v, Face::Regular),
        ]
    };
    w.paragraph(&label("Thời gian", &d.time), body);
    w.paragraph(&label("Địa điểm", &d.place), body);

    // I. Attendance.
    admin::heading(w, "I. THÀNH PHẦN THAM DỰ");
    let t = table(
        w,
        vec![
            col(10.0, Align::Centre),
            col(40.0, Align::Left),
            col(60.0, Align::Left),
            col(33.0, Align::Left),
            col(22.0, Align::Centre),
        ],
        &[
            "TT",
            "Họ và tên",
            "Chức vụ, đơn vị",
            "Nhiệm vụ trong Hội đồng",
            "Tham dự",
        ],
    );
    w.ensure(t.head_h(w) + 10.0);
    t.draw_head(w);
    for (i, a) in d.attendance.iter().enumerate() {
        let cells = [
            Cell::text((i + 1).to_string()),
            Cell::bold(&a.name),
            Cell::text(&a.title),
            Cell::text(&a.role),
            if a.present {
                Cell::text("Có mặt")
            } else {
                Cell::italic("Vắng mặt")
            },
        ];
        t.row(w, &cells, 0.0);
    }
    w.y += 2.0;
    w.paragraph(&[Span::new(&d.quorum, Face::Regular)], body);

    // II. Proceedings.
    admin::heading(w, "II. NỘI DUNG VÀ KẾT QUẢ ĐÁNH GIÁ");
    admin::heading(w, "1. Thành viên không tham gia chấm điểm sản phẩm");
    if d.recusals.is_empty() {
        none_line(w);
    } else {
        let t = table(
            w,
            vec![
                col(10.0, Align::Centre),
                col(42.0, Align::Left),
                col(50.0, Align::Left),
                col(63.0, Align::Left),
            ],
            &["TT", "Thành viên", "Sản phẩm", "Lý do"],
        );
        w.ensure(t.head_h(w) + 10.0);
        t.draw_head(w);
        for (i, r) in d.recusals.iter().enumerate() {
            let cells = [
                Cell::text((i + 1).to_string()),
                Cell::text(&r.member),
                Cell::text(&r.product),
                Cell::text(&r.reason),
            ];
            t.row(w, &cells, 0.0);
        }
        w.y += 3.0;
    }

    admin::heading(w, "2. Thảo luận và chấm lại do chênh lệch điểm");
    if d.rescores.is_empty() {
        none_line(w);
    } else {
        let t = table(
            w,
            vec![
                col(10.0, Align::Centre),
                col(45.0, Align::Left),
                col(55.0, Align::Left),
                col(55.0, Align::Left),
            ],
            &[
                "TT",
                "Sản phẩm",
                "Trước khi thảo luận",
                "Sau khi thảo luận, chấm lại",
            ],
        );
        w.ensure(t.head_h(w) + 10.0);
        t.draw_head(w);
        for (i, r) in d.rescores.iter().enumerate() {
            let cells = [
                Cell::text((i + 1).to_string()),
                Cell::text(&r.product),
                Cell::text(&r.before),
                Cell::text(&r.after),
            ];
            t.row(w, &cells, 0.0);
        }
        w.y += 3.0;
    }

    admin::heading(w, "3. Kết quả đánh giá, phân hạng");
    if d.results.is_empty() {
        none_line(w);
    } else {
        let mut t = table(
            w,
            vec![
                col(9.0, Align::Centre),
                col(50.0, Align::Left),
                col(29.0, Align::Left),
                col(17.0, Align::Centre),
                col(17.0, Align::Centre),
                col(17.0, Align::Centre),
                col(26.0, Align::Left),
            ],
            &[
                "TT",
                "Tên sản phẩm / Chủ thể",
                "Bộ sản phẩm",
                "Điểm trung bình",
                "Chênh lệch",
                "Hạng sao",
                "Kết quả",
            ],
        );
        t.size = 10.5;
        t.head_size = 10.5;
        w.ensure(t.head_h(w) + 12.0);
        t.draw_head(w);
        for (i, r) in d.results.iter().enumerate() {
            let cells = [
                Cell::text((i + 1).to_string()),
                product_cell(r),
                Cell::text(&r.set_name),
                Cell::bold(mean_text(r.mean)),
                spread_cell(r),
                star_cell(r.final_star.or(r.band_star)),
                Cell::text(&r.outcome),
            ];
            t.row(w, &cells, 0.0);
        }
        w.y += 3.0;
    }

    // III. Proposals.
    admin::heading(w, "III. KIẾN NGHỊ CỦA HỘI ĐỒNG");
    if d.proposals.is_empty() {
        none_line(w);
    }
    for p in &d.proposals {
        w.paragraph(&[Span::new(format!("- {p}"), Face::Regular)], body);
    }
    let signers = [d.secretary.clone(), d.chair.clone()];
    let sig_h = admin::signers_row_h(&signers, false);
    if let Some(c) = &d.closing {
        // Keep the closing paragraph with the signatures.
        let h = w.paragraph_h(&[Span::new(c, Face::Regular)], body) + sig_h;
        if h < w.bottom() - w.m.top {
            w.ensure(h);
        }
        w.paragraph(&[Span::new(c, Face::Regular)], body);
    }
    admin::signers_row(w, &signers, None);
    Ok(())
}
