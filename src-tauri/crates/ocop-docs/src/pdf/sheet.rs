//! Phiếu đánh giá sản phẩm OCOP (one member, one product), after Phụ lục II
//! of QĐ 26/2026/QĐ-TTg.

use super::admin;
use super::canvas::{Align, Margins, Numbering, Para, Span, Writer, A4, PT_MM};
use super::fonts::Face;
use super::table::{header_grey, Cell, Col, HeadCell, Table};
use crate::error::Result;
use crate::model::{place_date_line, vn_number, ScoreSheetDoc, SheetPart, SheetRow};

const MARGINS: Margins = Margins {
    top: 15.0,
    right: 15.0,
    bottom: 18.0,
    left: 20.0,
};

const QR_SIZE: f32 = 30.0;

fn pts(v: f64) -> String {
    vn_number(v, 2, false)
}

/// Points scored under each row: for a group or criterion, the sum of the
/// ticked options until the next row of the same or a higher level.
fn row_scores(part: &SheetPart) -> Vec<f64> {
    let level = |r: &SheetRow| match r {
        SheetRow::Group { .. } => Some(0u8),
        SheetRow::Criterion { depth, .. } => Some(depth.saturating_add(1)),
        SheetRow::Option { .. } => None,
    };
    let rows = &part.rows;
    rows.iter()
        .enumerate()
        .map(|(i, r)| match level(r) {
            None => 0.0,
            Some(l) => {
                let mut sum = 0.0;
                for r2 in &rows[i + 1..] {
                    match (level(r2), r2) {
                        (Some(l2), _) if l2 <= l => break,
                        (
                            None,
                            SheetRow::Option {
                                ticked: true,
                                points,
                                ..
                            },
                        ) => sum += points,
                        _ => {}
                    }
                }
                sum
            }
        })
        .collect()
}

pub(crate) fn render(w: &mut Writer, sheet: &ScoreSheetDoc) -> Result<()> {
    let label = format!(
        "Phiếu đánh giá {} - {}",
        if sheet.product_code.is_empty() {
            &sheet.product_name
        } else {
            &sheet.product_code
        },
        sheet.member_name
    );
    w.begin_section(A4, MARGINS, Numbering::Footer(label));
    let x = w.left();
    let cw = w.content_w();
    let top = w.y;

    // QR in the top-right corner.
    let mut title_w = cw;
    if let Some(q) = &sheet.qr_payload {
        w.qr(x + cw - QR_SIZE, top, QR_SIZE, q)?;
        title_w = cw - QR_SIZE - 4.0;
    }

    // Title block, centred left of the QR.
    let mut y = top + 1.0;
    let lines: [(String, Face, f32); 4] = [
        ("PHIẾU ĐÁNH GIÁ SẢN PHẨM OCOP".into(), Face::Bold, 15.0),
        (
            format!("Bộ sản phẩm số {}: {}", sheet.set_no, sheet.set_name),
            Face::Bold,
            12.5,
        ),
        (
            format!(
                "(Theo Bộ tiêu chí ban hành kèm theo {})",
                sheet.decision_label
            ),
            Face::Italic,
            11.0,
        ),
        (sheet.round_name.clone(), Face::Italic, 11.0),
    ];
    for (text, face, size) in &lines {
        if text.trim().is_empty() {
            continue;
        }
        let lh = size * 1.25 * PT_MM;
        for l in w.wrap(&[Span::new(text, *face)], *size, title_w, 0.0) {
            let base = Writer::baseline(y, lh, *size);
            w.draw_line(&l, x, title_w, base, *size, Align::Centre);
            y += lh;
        }
    }
    w.y = y.max(if sheet.qr_payload.is_some() {
        top + QR_SIZE
    } else {
        0.0
    }) + 3.0;

    // Identification lines.
    let info = Para {
        size: 11.5,
        align: Align::Left,
        x,
        width: cw,
        indent: 0.0,
        leading: 1.3,
        after: 0.0,
    };
    let field = |label: &str, value: &str| {
        vec![
            Span::new(format!("{label}: "), Face::Regular),
            Span::new(value, Face::Bold),
        ]
    };
    w.paragraph(&field("Tên sản phẩm", &sheet.product_name), info);
    // Two fields on one line when both fit their half.
    let left = field("Mã số sản phẩm", &sheet.product_code);
    let right = field("Số điện thoại", &sheet.owner_phone);
    let half = cw * 0.55;
    let l1 = w.wrap(&left, info.size, half, 0.0);
    let l2 = w.wrap(&right, info.size, cw - half, 0.0);
    if l1.len() == 1 && l2.len() == 1 {
        let lh = info.size * info.leading * PT_MM;
        let base = Writer::baseline(w.y, lh, info.size);
        w.draw_line(&l1[0], x, half, base, info.size, Align::Left);
        w.draw_line(&l2[0], x + half, cw - half, base, info.size, Align::Left);
        w.y += lh;
    } else {
        w.paragraph(&left, info);
        w.paragraph(&right, info);
    }
    w.paragraph(&field("Tên chủ thể", &sheet.owner_name), info);
    w.paragraph(&field("Địa chỉ", &sheet.owner_address), info);
    let mut member = field("Người đánh giá", &sheet.member_name);
    if !sheet.member_role.trim().is_empty() {
        member.push(Span::new(
            format!(" ({})", sheet.member_role),
            Face::Regular,
        ));
    }
    w.paragraph(&member, Para { after: 2.0, ..info });

    // Disqualification conditions in a box.
    if !sheet.disqualification.trim().is_empty() {
        let p = Para {
            size: 11.0,
            align: Align::Justify,
            x: x + 2.0,
            width: cw - 4.0,
            indent: 0.0,
            leading: 1.25,
            after: 0.0,
        };
        let spans = [Span::new(&sheet.disqualification, Face::Italic)];
        let h = w.paragraph_h(&spans, p) + 3.0;
        w.ensure(h);
        let y0 = w.y;
        w.rect(x, y0, cw, h, 0.8);
        w.y += 1.5;
        w.paragraph(&spans, p);
        w.y = y0 + h + 3.0;
    }

    // Criteria table.
    let text_w = cw - 14.0 - 18.0 - 18.0;
    let mut t = Table::new(
        x,
        vec![
            Col {
                w: 14.0,
                align: Align::Centre,
            },
            Col {
                w: text_w,
                align: Align::Justify,
            },
            Col {
                w: 18.0,
                align: Align::Centre,
            },
            Col {
                w: 18.0,
                align: Align::Centre,
            },
        ],
        10.5,
    );
    t.pad = 0.9;
    t.head_size = 10.5;
    t.head = vec![
        HeadCell::new(0, 1, 0, 1, "Mã số"),
        HeadCell::new(1, 1, 0, 1, "Tiêu chí đánh giá"),
        HeadCell::new(2, 1, 0, 1, "Thang điểm"),
        HeadCell::new(3, 1, 0, 1, "Điểm đánh giá"),
    ];
    w.ensure(t.head_h(w) + 20.0);
    t.draw_head(w);

    let score_cell = |v: Option<f64>, bold: bool| -> Cell {
        match v {
            Some(v) if !sheet.blank && bold => Cell::bold(pts(v)),
            Some(v) if !sheet.blank => Cell::text(pts(v)),
            _ => Cell::empty(),
        }
    };

    for part in &sheet.parts {
        let scores = row_scores(part);
        let part_row = [
            Cell::bold(format!(
                "Phần {}: {} ({} điểm)",
                part.code,
                admin::upper(&part.title),
                pts(part.max)
            ))
            .span(2)
            .align(Align::Left)
            .fill(header_grey()),
            Cell::bold(pts(part.max)).fill(header_grey()),
            score_cell(part.subtotal, true).fill(header_grey()),
        ];
        t.row(w, &part_row, 14.0);
        let mut case: Option<&str> = None;
        let mut group: Option<(&str, &str)> = None;
        for (i, row) in part.rows.iter().enumerate() {
            match row {
                // A criterion that only repeats its group (a group scored
                // directly, e.g. "8. CÔNG BỐ CHẤT LƯỢNG SẢN PHẨM"): print its
                // notes only.
                SheetRow::Criterion {
                    code, title, notes, ..
                } if group.is_some_and(|(gc, gt)| {
                    gc == code && admin::upper(gt) == admin::upper(title)
                }) =>
                {
                    group = None;
                    if !notes.is_empty() {
                        let text = notes.join("\n");
                        let cells = [
                            Cell::empty(),
                            Cell::italic(text).align(Align::Left),
                            Cell::empty(),
                            Cell::empty(),
                        ];
                        t.row(w, &cells, 8.0);
                    }
                }
                SheetRow::Group { code, title, max } => {
                    case = None;
                    group = Some((code.as_str(), title.as_str()));
                    let cells = [
                        Cell::bold(code),
                        Cell::bold(admin::upper(title)).align(Align::Left),
                        Cell::bold(pts(*max)),
                        score_cell(Some(scores[i]), true),
                    ];
                    t.row(w, &cells, 10.0);
                }
                SheetRow::Criterion {
                    depth,
                    code,
                    title,
                    max,
                    notes,
                } => {
                    case = None;
                    group = None;
                    let mut spans = vec![Span::new(title, Face::Bold)];
                    for n in notes {
                        spans.push(Span::new(format!("\n{n}"), Face::Italic));
                    }
                    let cells = [
                        Cell::text(code),
                        Cell::spans(spans)
                            .indent(f32::from(*depth) * 4.0)
                            .align(Align::Left),
                        Cell::text(pts(*max)),
                        score_cell(Some(scores[i]), false),
                    ];
                    t.row(w, &cells, 8.0);
                }
                SheetRow::Option {
                    text,
                    points,
                    min_star,
                    case_label,
                    ticked,
                } => {
                    group = None;
                    if let Some(cl) = case_label.as_deref() {
                        if case != Some(cl) {
                            let cells =
                                [Cell::empty(), Cell::italic(cl).span(3).align(Align::Left)];
                            t.row(w, &cells, 8.0);
                            case = Some(cl);
                        }
                    }
                    let cells = [
                        Cell::empty(),
                        Cell::text(text)
                            .check(*ticked && !sheet.blank)
                            .stars(min_star.unwrap_or(0).min(5))
                            .indent(4.0),
                        Cell::text(pts(*points)),
                        Cell::empty(),
                    ];
                    t.row(w, &cells, 0.0);
                }
            }
        }
    }
    // Foot: elimination note, comment, footnote, date and signature. The
    // total row travels with the foot so the signature never stands alone.
    let p = Para {
        size: 11.5,
        align: Align::Justify,
        x,
        width: cw,
        indent: 0.0,
        leading: 1.3,
        after: 1.0,
    };
    let elimination: Option<Vec<Span>> = sheet
        .elimination_note
        .as_deref()
        .filter(|_| !sheet.blank)
        .map(|note| {
            vec![
                Span::new("Ghi chú loại trừ: ", Face::Bold),
                Span::new(note, Face::BoldItalic),
            ]
        });
    let comment: Option<Vec<Span>> = sheet
        .comment
        .as_deref()
        .filter(|c| !sheet.blank && !c.trim().is_empty())
        .map(|c| {
            vec![
                Span::new("Ý kiến của người đánh giá: ", Face::Bold),
                Span::new(c, Face::Regular),
            ]
        });
    let comment_label = [Span::new("Ý kiến của người đánh giá:", Face::Bold)];
    let dotted_lh = 11.5 * 1.5 * PT_MM;
    let foot_p = Para { size: 10.0, ..p };
    let foot = [Span::new(&sheet.footer_note, Face::Italic)];
    let sig_lh = 12.0 * 1.25 * PT_MM;
    let sig_h = sig_lh * 4.0 + 23.0;
    let foot_h = 3.0
        + elimination.as_ref().map_or(0.0, |e| w.paragraph_h(e, p))
        + match &comment {
            Some(c) => w.paragraph_h(c, p),
            None => w.paragraph_h(&comment_label, p) + 3.0 * dotted_lh + 1.0,
        }
        + if sheet.footer_note.trim().is_empty() {
            0.0
        } else {
            w.paragraph_h(&foot, foot_p)
        }
        + sig_h;
    let keep = if foot_h < w.bottom() - w.m.top - 30.0 {
        foot_h
    } else {
        0.0
    };

    let total = [
        Cell::bold("TỔNG ĐIỂM").span(2).fill(header_grey()),
        Cell::bold(pts(sheet.parts.iter().map(|p| p.max).sum())).fill(header_grey()),
        score_cell(sheet.total, true).fill(header_grey()),
    ];
    t.row(w, &total, keep);
    w.y += 3.0;

    if let Some(e) = &elimination {
        w.paragraph(e, p);
    }
    match &comment {
        Some(c) => w.paragraph(c, p),
        None => {
            w.paragraph(&comment_label, p);
            for _ in 0..3 {
                w.ensure(dotted_lh);
                w.y += dotted_lh;
                w.dotted(x, x + cw, w.y - 1.0);
            }
            w.y += 1.0;
        }
    }
    if !sheet.footer_note.trim().is_empty() {
        w.paragraph(&foot, foot_p);
    }

    let date = place_date_line(&sheet.place, if sheet.blank { None } else { sheet.date });
    let lh = sig_lh;
    w.ensure(sig_h);
    let sx = x + cw * 0.45;
    let sw = cw * 0.55;
    let mut y = w.y + 3.0;
    for (text, face) in [
        (date.as_str(), Face::Italic),
        ("NGƯỜI ĐÁNH GIÁ", Face::Bold),
        ("(Ký và ghi rõ họ tên)", Face::Italic),
    ] {
        let base = Writer::baseline(y, lh, 12.0);
        w.text_in(sx, sw, base, text, face, 12.0, Align::Centre);
        y += lh;
    }
    y += 20.0;
    let base = Writer::baseline(y, lh, 12.0);
    if !sheet.blank || !sheet.member_name.is_empty() {
        w.text_in(
            sx,
            sw,
            base,
            &sheet.member_name,
            Face::Bold,
            12.0,
            Align::Centre,
        );
    }
    w.y = y + lh;
    Ok(())
}
