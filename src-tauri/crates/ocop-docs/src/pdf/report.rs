//! Báo cáo kết quả thực hiện Chương trình Mỗi xã một sản phẩm (OCOP).

use super::admin;
use super::canvas::{Align, Numbering, Para, Span, Writer, A4, DECREE30_MARGINS};
use super::fonts::Face;
use super::table::{header_grey, Cell, Col, HeadCell, Table};
use crate::error::Result;
use crate::model::place_date_line;
use crate::model_registry::{
    locality_heading, percent_text, report_abstract, report_changes, ReportCountRow, ReportDoc,
    ReportLocalityRow,
};

/// Upper-case the first letter ("năm 2026" → "Năm 2026").
fn capitalised(s: &str) -> String {
    let s = s.trim();
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The introduction, built from the figures.
fn intro(d: &ReportDoc) -> Vec<String> {
    let t = d.locality_total();
    let mut first = format!(
        "{}, toàn tỉnh {} có {} sản phẩm được công nhận đạt chuẩn OCOP, gồm {} sản phẩm 5 sao, \
         {} sản phẩm 4 sao và {} sản phẩm 3 sao",
        capitalised(&d.period_label),
        d.office.province.trim(),
        t.achieved_total,
        t.achieved_5,
        t.achieved_4,
        t.achieved_3
    );
    if t.target_total > 0 {
        let plan = if d.plan_label.trim().is_empty() {
            "kế hoạch".to_string()
        } else {
            format!("kế hoạch tại {}", d.plan_label.trim())
        };
        first.push_str(&format!(
            "; đạt {}% {plan} ({} sản phẩm, trong đó {} sản phẩm 5 sao, {} sản phẩm 4 sao, {} \
             sản phẩm 3 sao)",
            percent_text(t.achieved_total, t.target_total),
            t.target_total,
            t.target_5,
            t.target_4,
            t.target_3
        ));
    }
    first.push('.');
    let second = format!(
        "Trong kỳ, {} sản phẩm được công nhận lại, {} sản phẩm được nâng hạng sao; {} sản phẩm \
         bị thu hồi Giấy chứng nhận và {} sản phẩm hết hiệu lực Giấy chứng nhận mà không được \
         công nhận lại.",
        d.rerecognised, d.upgraded, d.revoked, d.expired
    );
    let mut out = vec![first, second];
    if let Some(last) = d.cumulative_by_star.last() {
        let when = if last.year == d.year {
            "Đến thời điểm báo cáo".to_string()
        } else {
            format!("Đến hết năm {}", last.year)
        };
        out.push(format!(
            "{when}, toàn tỉnh có {} sản phẩm OCOP còn hiệu lực, gồm {} sản phẩm 5 sao, {} sản \
             phẩm 4 sao và {} sản phẩm 3 sao.",
            last.total, last.star5, last.star4, last.star3
        ));
    }
    out
}

fn col(w: f32, align: Align) -> Col {
    Col { w, align }
}

fn none_line(w: &mut Writer) {
    let p = admin::body(w);
    w.paragraph(&[Span::new("Không có số liệu.", Face::Italic)], p);
}

/// A numbered heading kept with the start of what follows (`next` mm).
fn heading(w: &mut Writer, text: &str, next: f32) {
    let p = Para {
        indent: 0.0,
        align: Align::Left,
        after: 1.2,
        ..admin::body(w)
    };
    let spans = [Span::new(text, Face::Bold)];
    let h = w.paragraph_h(&spans, p) + next;
    if h < w.bottom() - w.m.top {
        w.ensure(h);
    }
    w.paragraph(&spans, p);
}

fn num(v: u32) -> Cell {
    Cell::text(v.to_string())
}

fn locality_cells(no: &str, r: &ReportLocalityRow, total: bool) -> Vec<Cell> {
    let vals = [
        r.target_total,
        r.target_3,
        r.target_4,
        r.target_5,
        r.achieved_total,
        r.achieved_3,
        r.achieved_4,
        r.achieved_5,
    ];
    let mk = |s: String| {
        if total {
            Cell::bold(s).fill(header_grey())
        } else {
            Cell::text(s)
        }
    };
    let mut cells = vec![mk(no.to_string()), mk(r.locality.clone())];
    if total {
        cells[1] = cells[1].clone().align(Align::Centre);
    }
    cells.extend(vals.iter().map(|v| mk(v.to_string())));
    cells.push(mk(percent_text(r.achieved_total, r.target_total)));
    cells
}

fn locality_table(w: &mut Writer, d: &ReportDoc) {
    // 165 mm: TT, locality, 4 plan, 4 result, rate.
    let mut cols = vec![col(8.0, Align::Centre), col(47.0, Align::Left)];
    for _ in 0..2 {
        cols.push(col(12.0, Align::Centre));
        for _ in 0..3 {
            cols.push(col(11.0, Align::Centre));
        }
    }
    cols.push(col(20.0, Align::Centre));
    let mut t = Table::new(w.left(), cols, 10.5);
    t.head_size = 10.0;
    let mut head = vec![
        HeadCell::new(0, 1, 0, 2, "TT"),
        HeadCell::new(1, 1, 0, 2, locality_heading(d)),
        HeadCell::new(2, 4, 0, 1, "Kế hoạch (sản phẩm)"),
        HeadCell::new(6, 4, 0, 1, "Thực hiện (sản phẩm)"),
        HeadCell::new(10, 1, 0, 2, "Tỷ lệ thực hiện so với kế hoạch (%)"),
    ];
    for base in [2, 6] {
        head.push(HeadCell::new(base, 1, 1, 1, "Tổng số"));
        head.push(HeadCell::new(base + 1, 1, 1, 1, "3 sao"));
        head.push(HeadCell::new(base + 2, 1, 1, 1, "4 sao"));
        head.push(HeadCell::new(base + 3, 1, 1, 1, "5 sao"));
    }
    t.head = head;
    heading(
        w,
        "1. Kết quả công nhận sản phẩm OCOP theo địa phương so với kế hoạch",
        t.head_h(w) + 14.0,
    );
    if d.by_locality.is_empty() {
        none_line(w);
        return;
    }
    w.ensure(t.head_h(w) + 14.0);
    t.draw_head(w);
    let last = d.by_locality.len() - 1;
    for (i, r) in d.by_locality.iter().enumerate() {
        // The last locality travels with the total row.
        let keep = if i == last { 8.0 } else { 0.0 };
        t.row(w, &locality_cells(&(i + 1).to_string(), r, false), keep);
    }
    t.row(w, &locality_cells("", &d.locality_total(), true), 0.0);
    w.y += 4.0;
}

fn count_table(w: &mut Writer, title: &str, label_head: &str, rows: &[ReportCountRow]) {
    let cols = vec![
        col(10.0, Align::Centre),
        col(105.0, Align::Left),
        col(25.0, Align::Centre),
        col(25.0, Align::Centre),
    ];
    let mut t = Table::new(w.left(), cols, 11.0);
    t.head = ["TT", label_head, "Số sản phẩm", "Tỷ lệ (%)"]
        .iter()
        .enumerate()
        .map(|(i, h)| HeadCell::new(i, 1, 0, 1, h))
        .collect();
    heading(w, title, t.head_h(w) + 14.0);
    if rows.is_empty() {
        none_line(w);
        return;
    }
    w.ensure(t.head_h(w) + 14.0);
    t.draw_head(w);
    let total: u32 = rows.iter().map(|r| r.count).sum();
    let last = rows.len() - 1;
    for (i, r) in rows.iter().enumerate() {
        let cells = [
            Cell::text((i + 1).to_string()),
            Cell::text(&r.label),
            num(r.count),
            Cell::text(percent_text(r.count, total)),
        ];
        t.row(w, &cells, if i == last { 8.0 } else { 0.0 });
    }
    let g = header_grey();
    let cells = [
        Cell::bold("").fill(g.clone()),
        Cell::bold("Tổng cộng").align(Align::Centre).fill(g.clone()),
        Cell::bold(total.to_string()).fill(g.clone()),
        Cell::bold(if total > 0 { "100,0" } else { "-" }).fill(g),
    ];
    t.row(w, &cells, 0.0);
    w.y += 4.0;
}

fn changes_table(w: &mut Writer, d: &ReportDoc) {
    let cols = vec![
        col(10.0, Align::Centre),
        col(125.0, Align::Left),
        col(30.0, Align::Centre),
    ];
    let mut t = Table::new(w.left(), cols, 11.0);
    t.head = ["TT", "Nội dung", "Số sản phẩm"]
        .iter()
        .enumerate()
        .map(|(i, h)| HeadCell::new(i, 1, 0, 1, h))
        .collect();
    heading(
        w,
        "4. Công nhận lại, nâng hạng, thu hồi và hết hiệu lực",
        t.head_h(w) + 14.0,
    );
    w.ensure(t.head_h(w) + 14.0);
    t.draw_head(w);
    for (i, (label, n)) in report_changes(d).iter().enumerate() {
        let cells = [Cell::text((i + 1).to_string()), Cell::text(label), num(*n)];
        t.row(w, &cells, 0.0);
    }
    w.y += 4.0;
}

/// "+3", "-2", "0"; "-" for the first year.
fn delta_text(prev: Option<u32>, cur: u32) -> String {
    match prev {
        None => "-".into(),
        Some(p) if cur > p => format!("+{}", cur - p),
        Some(p) if cur < p => format!("-{}", p - cur),
        Some(_) => "0".into(),
    }
}

fn cumulative_table(w: &mut Writer, d: &ReportDoc) {
    let cols = vec![
        col(25.0, Align::Centre),
        col(25.0, Align::Centre),
        col(25.0, Align::Centre),
        col(25.0, Align::Centre),
        col(30.0, Align::Centre),
        col(35.0, Align::Centre),
    ];
    let mut t = Table::new(w.left(), cols, 11.0);
    t.head = [
        (0, 1, 0, 2, "Năm"),
        (1, 3, 0, 1, "Sản phẩm OCOP còn hiệu lực"),
        (1, 1, 1, 1, "3 sao"),
        (2, 1, 1, 1, "4 sao"),
        (3, 1, 1, 1, "5 sao"),
        (4, 1, 0, 2, "Tổng số"),
        (5, 1, 0, 2, "Tăng (+), giảm (-) so với năm trước"),
    ]
    .iter()
    .map(|&(c, cs, r, rs, h)| HeadCell::new(c, cs, r, rs, h))
    .collect();
    heading(
        w,
        "5. Sản phẩm OCOP còn hiệu lực qua các năm (lũy kế)",
        t.head_h(w) + 14.0,
    );
    if d.cumulative_by_star.is_empty() {
        none_line(w);
        return;
    }
    w.ensure(t.head_h(w) + 14.0);
    t.draw_head(w);
    let mut prev = None;
    for r in &d.cumulative_by_star {
        let cells = [
            Cell::text(r.year.to_string()),
            num(r.star3),
            num(r.star4),
            num(r.star5),
            Cell::bold(r.total.to_string()),
            Cell::text(delta_text(prev, r.total)),
        ];
        t.row(w, &cells, 0.0);
        prev = Some(r.total);
    }
    w.y += 4.0;
}

pub(crate) fn render(w: &mut Writer, d: &ReportDoc) -> Result<()> {
    w.begin_section(A4, DECREE30_MARGINS, Numbering::TopCentre);
    let date_line = place_date_line(&d.office.place, Some(d.date));
    admin::header(w, &d.office, Some(&d.number), &date_line);
    // Break before "(OCOP)" when the programme's name fits on one line, so
    // that the name is not split.
    let abs = report_abstract(d);
    let name = "Kết quả thực hiện Chương trình Mỗi xã một sản phẩm";
    let abs = match abs.strip_prefix(name) {
        Some(rest) if w.text_w(name, Face::Bold, 14.0) <= w.content_w() - 20.0 => {
            format!("{name}\n{}", rest.trim_start())
        }
        _ => abs,
    };
    admin::title(w, "BÁO CÁO", &[(abs.as_str(), Face::Bold, 14.0)]);

    let body = admin::body(w);
    for p in intro(d) {
        w.paragraph(&[Span::new(p, Face::Regular)], body);
    }
    w.y += 2.0;
    locality_table(w, d);
    count_table(
        w,
        "2. Sản phẩm OCOP được công nhận theo loại hình chủ thể",
        "Loại hình chủ thể",
        &d.by_owner_type,
    );
    count_table(
        w,
        "3. Sản phẩm OCOP được công nhận theo bộ sản phẩm",
        "Bộ sản phẩm",
        &d.by_set,
    );
    changes_table(w, d);
    cumulative_table(w, d);

    let closing = [Span::new(
        format!(
            "Trên đây là báo cáo kết quả thực hiện Chương trình Mỗi xã một sản phẩm (OCOP) {} \
             trên địa bàn tỉnh {}./.",
            d.period_label.trim(),
            d.office.province.trim()
        ),
        Face::Regular,
    )];
    // Keep the closing paragraph with "Nơi nhận" and the signature.
    let tail = w.paragraph_h(&closing, body)
        + 2.0
        + admin::recipients_and_signer_h(w, &d.recipients, &d.signer);
    if tail < w.bottom() - w.m.top {
        w.ensure(tail);
    }
    w.paragraph(&closing, body);
    w.y += 2.0;
    admin::recipients_and_signer(w, &d.recipients, &d.signer);
    Ok(())
}
