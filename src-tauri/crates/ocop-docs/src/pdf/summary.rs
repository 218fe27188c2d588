//! Bảng tổng hợp kết quả đánh giá, phân hạng sản phẩm OCOP.

use super::admin;
use super::canvas::{Align, Margins, Numbering, Para, Span, Writer, A4, A4_LANDSCAPE};
use super::fonts::Face;
use super::table::{Cell, Col, HeadCell, Table};
use crate::error::{DocError, Result};
use crate::model::{dd_mm_yyyy, place_date_line, vn_number, ResultRow, SummaryDoc};

const LANDSCAPE_MARGINS: Margins = Margins {
    top: 12.0,
    right: 15.0,
    bottom: 12.0,
    left: 22.0,
};

/// Score cell: "-" when the member did not score.
pub(crate) fn score_text(v: Option<f64>) -> String {
    v.map(|v| vn_number(v, 2, false))
        .unwrap_or_else(|| "-".into())
}

pub(crate) fn mean_text(v: Option<f64>) -> String {
    v.map(|v| vn_number(v, 2, true))
        .unwrap_or_else(|| "-".into())
}

pub(crate) fn spread_cell(r: &ResultRow) -> Cell {
    match r.spread {
        Some(s) if r.spread_flag => Cell::bold(format!("{} (!)", vn_number(s, 2, false))),
        Some(s) => Cell::text(vn_number(s, 2, false)),
        None => Cell::text("-"),
    }
}

pub(crate) fn star_cell(s: Option<u8>) -> Cell {
    match s {
        Some(n) if (1..=5).contains(&n) => Cell::empty().stars(n),
        _ => Cell::text("-"),
    }
}

/// Product name (bold) and owner (italic) in one cell.
pub(crate) fn product_cell(r: &ResultRow) -> Cell {
    Cell::spans(vec![
        Span::new(&r.product_name, Face::Bold),
        Span::new(format!("\n{}", r.owner_name), Face::Italic),
    ])
}

pub(crate) fn render(w: &mut Writer, d: &SummaryDoc) -> Result<()> {
    let n = d.members.len();
    for r in &d.rows {
        if r.scores.len() != n {
            return Err(DocError::ScoreCount {
                product: r.product_name.clone(),
                got: r.scores.len(),
                expected: n,
            });
        }
    }
    // Fixed columns: TT, product/owner, set, mean, spread, 2 × star, outcome.
    let fixed = [8.0, 40.0, 24.0, 14.0, 15.0, 17.0, 17.0, 26.0];
    // Portrait when the member columns fit next to compact fixed columns.
    let compact = [8.0, 36.0, 20.0, 14.0, 15.0, 17.0, 17.0, 22.0];
    let portrait_w = A4.0 - admin_margins().left - admin_margins().right;
    let landscape = compact.iter().sum::<f32>() + n as f32 * 14.0 > portrait_w;
    let fixed = if landscape { fixed } else { compact };
    let fixed_sum: f32 = fixed.iter().sum();
    if landscape {
        w.begin_section(A4_LANDSCAPE, LANDSCAPE_MARGINS, Numbering::TopCentre);
    } else {
        w.begin_section(A4, admin_margins(), Numbering::TopCentre);
    }
    let cw = w.content_w();
    // Member columns share what is left; shrink the wide columns if needed.
    let mut cols_w = fixed.to_vec();
    let mut member_w = if n > 0 {
        ((cw - fixed_sum) / n as f32).clamp(11.0, 22.0)
    } else {
        0.0
    };
    let mut size = 10.0;
    let overflow = fixed_sum + member_w * n as f32 - cw;
    if overflow > 0.0 {
        // Take from product/owner, set and outcome, then use a smaller font.
        let shrinkable = [1usize, 2, 7];
        let room: f32 = shrinkable.iter().map(|&i| cols_w[i] * 0.35).sum();
        let take = overflow.min(room);
        let total: f32 = shrinkable.iter().map(|&i| cols_w[i]).sum();
        for &i in &shrinkable {
            cols_w[i] -= take * cols_w[i] / total;
        }
        if overflow > room {
            member_w = ((cw - cols_w.iter().sum::<f32>()) / n as f32).max(7.0);
            size = 8.5;
        }
    } else if n == 0 {
        cols_w[1] += cw - fixed_sum;
    }

    let top_line = place_date_line(&d.office.place, Some(d.round_date));
    admin::header(w, &d.office, d.number.as_deref(), &top_line);
    admin::title(
        w,
        "BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP",
        &[
            (d.round_name.as_str(), Face::Bold, 13.0),
            (
                &format!(
                    "(Họp Hội đồng ngày {} tại {})",
                    dd_mm_yyyy(d.round_date),
                    d.round_place
                ),
                Face::Italic,
                12.0,
            ),
        ],
    );

    let mut cols = vec![
        Col {
            w: cols_w[0],
            align: Align::Centre,
        },
        Col {
            w: cols_w[1],
            align: Align::Left,
        },
        Col {
            w: cols_w[2],
            align: Align::Left,
        },
    ];
    for _ in 0..n {
        cols.push(Col {
            w: member_w,
            align: Align::Centre,
        });
    }
    for &cw in &cols_w[3..7] {
        cols.push(Col {
            w: cw,
            align: Align::Centre,
        });
    }
    cols.push(Col {
        w: cols_w[7],
        align: Align::Left,
    });
    let mut t = Table::new(w.left(), cols, size);
    t.head_size = size - 0.5;
    let mut head = vec![
        HeadCell::new(0, 1, 0, 2, "TT"),
        HeadCell::new(1, 1, 0, 2, "Tên sản phẩm / Chủ thể"),
        HeadCell::new(2, 1, 0, 2, "Bộ sản phẩm"),
    ];
    if n > 0 {
        head.push(HeadCell::new(3, n, 0, 1, "Điểm của thành viên Hội đồng"));
        for (i, m) in d.members.iter().enumerate() {
            head.push(HeadCell::new(3 + i, 1, 1, 1, m));
        }
    }
    let k = 3 + n;
    head.push(HeadCell::new(k, 1, 0, 2, "Điểm trung bình"));
    head.push(HeadCell::new(k + 1, 1, 0, 2, "Chênh lệch"));
    head.push(HeadCell::new(k + 2, 2, 0, 1, "Hạng sao"));
    head.push(HeadCell::new(k + 2, 1, 1, 1, "Theo điểm"));
    head.push(HeadCell::new(k + 3, 1, 1, 1, "Công nhận"));
    head.push(HeadCell::new(k + 4, 1, 0, 2, "Kết quả"));
    t.head = head;
    w.ensure(t.head_h(w) + 12.0);
    t.draw_head(w);
    let note = d.note.clone().unwrap_or_else(|| {
        "Ghi chú: (!) chênh lệch điểm vượt quá giới hạn ±10 điểm; \"-\": thành viên không chấm \
         sản phẩm (vắng mặt hoặc không tham gia chấm). Hạng sao theo điểm trung bình: 5 sao từ 90 \
         đến 100 điểm; 4 sao từ 70 đến dưới 90 điểm; 3 sao từ 50 đến dưới 70 điểm."
            .to_string()
    });
    let p = Para {
        size: 10.5,
        align: Align::Justify,
        x: w.left(),
        width: w.content_w(),
        indent: 0.0,
        leading: 1.25,
        after: 1.0,
    };
    let note_spans = [Span::new(&note, Face::Italic)];
    // The last row travels with the note and the signatures.
    let tail = 2.0 + w.paragraph_h(&note_spans, p) + admin::signers_row_h(&d.signers, false);
    let last = d.rows.len().saturating_sub(1);
    for (i, r) in d.rows.iter().enumerate() {
        let mut cells = vec![
            Cell::text((i + 1).to_string()),
            product_cell(r),
            Cell::text(&r.set_name),
        ];
        for s in &r.scores {
            cells.push(Cell::text(score_text(*s)));
        }
        cells.push(Cell::bold(mean_text(r.mean)));
        cells.push(spread_cell(r));
        cells.push(star_cell(r.band_star));
        cells.push(star_cell(r.final_star));
        cells.push(Cell::text(&r.outcome));
        let keep = if i == last && tail < w.bottom() - w.m.top - 40.0 {
            tail
        } else {
            0.0
        };
        t.row(w, &cells, keep);
    }
    w.y += 2.0;
    w.paragraph(&note_spans, p);
    admin::signers_row(w, &d.signers, None);
    Ok(())
}

pub(crate) fn admin_margins() -> Margins {
    super::canvas::DECREE30_MARGINS
}
