//! Quyết định công nhận sản phẩm OCOP, with the attached list.

use super::admin;
use super::canvas::{Align, Numbering, Para, Span, Writer, A4, DECREE30_MARGINS};
use super::fonts::Face;
use super::table::{header_grey, Cell, Col, HeadCell, Table};
use crate::error::{DocError, Result};
use crate::model::{dd_mm_yyyy, place_date_line, vn_number, DecisionDoc, Office, Signer};
use chrono::NaiveDate;

/// Split "Điều 1. Công nhận …" into ("Điều 1.", " Công nhận …").
pub(crate) fn article_spans(a: &str) -> Vec<Span> {
    let t = a.trim_start();
    if t.starts_with("Điều") {
        if let Some(dot) = t.find('.') {
            let (head, rest) = t.split_at(dot + 1);
            return vec![Span::new(head, Face::Bold), Span::new(rest, Face::Regular)];
        }
    }
    vec![Span::new(t, Face::Regular)]
}

/// The parts of a decision laid out after Decree 30/2020 (header, title,
/// authority, bases, "QUYẾT ĐỊNH:", articles, "Nơi nhận" and signature).
pub(crate) struct DecreeDecision<'a> {
    pub office: &'a Office,
    pub number: &'a str,
    pub date: NaiveDate,
    /// Abstract (trích yếu).
    pub title: &'a str,
    pub authority: &'a str,
    pub bases: &'a [String],
    /// Paragraphs; those starting "Điều N." get the prefix in bold.
    pub articles: &'a [String],
    pub recipients: &'a [String],
    pub signer: &'a Signer,
}

/// Draw a decision (one new section, A4 portrait).
pub(crate) fn decree_decision(w: &mut Writer, d: &DecreeDecision) {
    w.begin_section(A4, DECREE30_MARGINS, Numbering::TopCentre);
    let date_line = place_date_line(&d.office.place, Some(d.date));
    admin::header(w, d.office, Some(d.number), &date_line);
    admin::title(w, "QUYẾT ĐỊNH", &[(d.title, Face::Bold, 14.0)]);
    admin::centred(w, &admin::upper(d.authority), Face::Bold, 14.0);
    w.y += 4.0;

    let body = admin::body(w);
    for b in d.bases {
        w.paragraph(&[Span::new(b, Face::Italic)], body);
    }
    w.y += 2.0;
    w.ensure(16.0);
    admin::centred(w, "QUYẾT ĐỊNH:", Face::Bold, 14.0);
    w.y += 3.0;
    let art = Para { after: 2.5, ..body };
    for (i, a) in d.articles.iter().enumerate() {
        if i + 1 == d.articles.len() {
            // Keep the last article with "Nơi nhận" and the signature so the
            // signature never stands alone on a page.
            let tail = w.paragraph_h(&article_spans(a), art)
                + 2.0
                + admin::recipients_and_signer_h(w, d.recipients, d.signer);
            if tail < w.bottom() - w.m.top {
                w.ensure(tail);
            }
        }
        w.paragraph(&article_spans(a), art);
    }
    w.y += 2.0;
    admin::recipients_and_signer(w, d.recipients, d.signer);
}

const ROMAN: [&str; 5] = ["I", "II", "III", "IV", "V"];

pub(crate) fn render(w: &mut Writer, d: &DecisionDoc) -> Result<()> {
    for r in &d.list {
        if !(3..=5).contains(&r.star) {
            return Err(DocError::InvalidStar {
                star: r.star,
                allowed: "3, 4 hoặc 5 sao",
            });
        }
    }
    decree_decision(
        w,
        &DecreeDecision {
            office: &d.office,
            number: &d.number,
            date: d.date,
            title: &d.title,
            authority: &d.authority,
            bases: &d.bases,
            articles: &d.articles,
            recipients: &d.recipients,
            signer: &d.signer,
        },
    );

    // Attached list, on its own pages.
    if d.list.is_empty() {
        return Ok(());
    }
    w.begin_section(A4, DECREE30_MARGINS, Numbering::TopCentre);
    admin::centred(w, &admin::upper(&d.list_title), Face::Bold, 13.5);
    admin::centred(
        w,
        &format!(
            "(Kèm theo Quyết định số {} ngày {} của {})",
            d.number,
            dd_mm_yyyy(d.date),
            d.list_issuer
        ),
        Face::Italic,
        13.0,
    );
    let cx = w.left() + w.content_w() / 2.0;
    w.y += 1.0;
    w.line(cx - 25.0, w.y, cx + 25.0, w.y, 0.6);
    w.y += 5.0;

    let cols = [
        (8.0, Align::Centre),
        (30.0, Align::Left),
        (30.0, Align::Left),
        (30.0, Align::Left),
        (24.0, Align::Left),
        (22.0, Align::Centre),
        (12.0, Align::Centre),
        (14.0, Align::Centre),
    ];
    let mut t = Table::new(
        w.left() - 3.0,
        cols.iter().map(|&(w, align)| Col { w, align }).collect(),
        10.0,
    );
    t.head = [
        "TT",
        "Tên sản phẩm",
        "Chủ thể",
        "Địa chỉ",
        "Bộ sản phẩm",
        "Mã số sản phẩm",
        "Điểm",
        "Hạng sao",
    ]
    .iter()
    .enumerate()
    .map(|(i, h)| HeadCell::new(i, 1, 0, 1, h))
    .collect();
    w.ensure(t.head_h(w) + 15.0);
    t.draw_head(w);
    let mut group = 0usize;
    let mut no = 0usize;
    for star in (3..=5u8).rev() {
        let rows: Vec<_> = d.list.iter().filter(|r| r.star == star).collect();
        if rows.is_empty() {
            continue;
        }
        let g = [
            Cell::bold(ROMAN[group]).fill(header_grey()),
            Cell::bold(format!(
                "Sản phẩm đạt hạng {star} sao ({} sản phẩm)",
                rows.len()
            ))
            .span(7)
            .align(Align::Left)
            .fill(header_grey()),
        ];
        group += 1;
        t.row(w, &g, 10.0);
        for r in rows {
            no += 1;
            let cells = [
                Cell::text(no.to_string()),
                Cell::bold(&r.product_name),
                Cell::text(&r.owner_name),
                Cell::text(&r.owner_address),
                Cell::text(&r.set_name),
                Cell::text(&r.product_code),
                Cell::text(vn_number(r.score, 2, true)),
                Cell::empty().stars(r.star),
            ];
            t.row(w, &cells, 0.0);
        }
    }
    w.y += 3.0;
    let p = Para {
        size: 12.0,
        align: Align::Left,
        indent: 0.0,
        ..admin::body(w)
    };
    w.paragraph(
        &[Span::new(
            format!("Tổng cộng: {no} sản phẩm được công nhận."),
            Face::Italic,
        )],
        p,
    );
    Ok(())
}
