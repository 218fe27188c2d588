//! Blocks of an administrative paper laid out after Decree 30/2020/NĐ-CP
//! (Phụ lục I): the two-column header, the title, the "Nơi nhận" list and the
//! signature block.

use super::canvas::{Align, Para, Span, Writer, PT_MM};
use super::fonts::Face;
use crate::model::{Office, Signer};

/// Upper-case in Vietnamese (char-wise; correct for the Vietnamese Latin set).
pub(crate) fn upper(s: &str) -> String {
    s.to_uppercase()
}

/// Geometry of the two header columns, mm.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HeaderCols {
    pub left_x: f32,
    pub left_w: f32,
    pub right_x: f32,
    pub right_w: f32,
}

impl HeaderCols {
    /// Columns for the writer's current page: the left one about 40 % of the
    /// text width, slightly into the left margin as on printed papers.
    pub(crate) fn for_page(w: &Writer) -> Self {
        let x = w.left();
        let cw = w.content_w();
        let left_w = (cw * 0.44).clamp(70.0, 110.0);
        let left_x = x - 6.0;
        let right_x = left_x + left_w;
        let right_w = (x + cw + 4.0) - right_x;
        HeaderCols {
            left_x,
            left_w,
            right_x,
            right_w,
        }
    }
}

const HEAD_SIZE: f32 = 12.5;
const MOTTO_SIZE: f32 = 13.0;

/// Centre each wrapped line of `text` in the column; returns the lines'
/// widths. Moves nothing: `y` is the first line's top.
#[allow(clippy::too_many_arguments)]
fn centred_lines(
    w: &mut Writer,
    x: f32,
    width: f32,
    y: &mut f32,
    text: &str,
    face: Face,
    size: f32,
    leading: f32,
) -> Vec<f32> {
    let lh = size * leading * PT_MM;
    let lines = w.wrap_balanced(&[Span::new(text, face)], size, width);
    let mut widths = Vec::new();
    for l in &lines {
        let base = Writer::baseline(*y, lh, size);
        w.draw_line(l, x, width, base, size, Align::Centre);
        widths.push(l.width);
        *y += lh;
    }
    widths
}

/// Draw the Decree 30 header at the cursor:
///
/// ```text
///   UBND TỈNH THANH HÓA              CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
///   HỘI ĐỒNG ĐÁNH GIÁ …                 Độc lập - Tự do - Hạnh phúc
///        ───────                         ───────────────────────────
///   Số: 05/BB-HĐ                      Thanh Hóa, ngày 23 tháng 11 năm 2026
/// ```
pub(crate) fn header(w: &mut Writer, office: &Office, number: Option<&str>, date_line: &str) {
    let cols = HeaderCols::for_page(w);
    let top = w.y;
    let lead = 1.15;

    // Left column.
    let mut ly = top;
    if !office.issuing_body_parent.trim().is_empty() {
        centred_lines(
            w,
            cols.left_x,
            cols.left_w,
            &mut ly,
            &upper(&office.issuing_body_parent),
            Face::Regular,
            HEAD_SIZE,
            lead,
        );
    }
    let widths = centred_lines(
        w,
        cols.left_x,
        cols.left_w,
        &mut ly,
        &upper(&office.issuing_body),
        Face::Bold,
        HEAD_SIZE,
        lead,
    );
    // Short rule: a third of the body's last line, at least 18 mm.
    let body_w = widths.last().copied().unwrap_or(40.0);
    let rule = (body_w / 3.0).clamp(18.0, 40.0);
    let cx = cols.left_x + cols.left_w / 2.0;
    ly += 1.2;
    w.line(cx - rule / 2.0, ly, cx + rule / 2.0, ly, 0.6);

    // Right column.
    let mut ry = top;
    centred_lines(
        w,
        cols.right_x,
        cols.right_w,
        &mut ry,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        Face::Bold,
        HEAD_SIZE,
        lead,
    );
    let motto = centred_lines(
        w,
        cols.right_x,
        cols.right_w,
        &mut ry,
        "Độc lập - Tự do - Hạnh phúc",
        Face::Bold,
        MOTTO_SIZE,
        lead,
    );
    let mw = motto.first().copied().unwrap_or(60.0);
    let rcx = cols.right_x + cols.right_w / 2.0;
    ry += 1.2;
    w.line(rcx - mw / 2.0, ry, rcx + mw / 2.0, ry, 0.6);

    // Number line and date line, on one baseline.
    let y2 = ly.max(ry) + 3.0;
    let lh = 13.0 * 1.2 * PT_MM;
    let base = Writer::baseline(y2, lh, 13.0);
    if let Some(n) = number {
        w.text_in(
            cols.left_x,
            cols.left_w,
            base,
            &format!("Số: {n}"),
            Face::Regular,
            13.0,
            Align::Centre,
        );
    }
    w.text_in(
        cols.right_x,
        cols.right_w,
        base,
        date_line,
        Face::Italic,
        13.0,
        Align::Centre,
    );
    w.y = y2 + lh + 6.0;
}

/// Title block: the kind of paper (e.g. "QUYẾT ĐỊNH") and its abstract,
/// bold and centred, with a short rule under it.
pub(crate) fn title(w: &mut Writer, kind: &str, lines: &[(&str, Face, f32)]) {
    let x = w.left();
    let cw = w.content_w();
    let mut y = w.y;
    centred_lines(w, x, cw, &mut y, kind, Face::Bold, 14.0, 1.25);
    let mut last_w = 0.0;
    for (text, face, size) in lines {
        let ws = centred_lines(w, x + 10.0, cw - 20.0, &mut y, text, *face, *size, 1.25);
        last_w = ws.last().copied().unwrap_or(last_w);
    }
    let rule = (last_w / 2.5).clamp(25.0, 60.0);
    let cx = x + cw / 2.0;
    y += 1.4;
    w.line(cx - rule / 2.0, y, cx + rule / 2.0, y, 0.6);
    w.y = y + 5.0;
}

/// A centred bold heading (no rule).
pub(crate) fn centred(w: &mut Writer, text: &str, face: Face, size: f32) {
    let x = w.left();
    let cw = w.content_w();
    let mut y = w.y;
    centred_lines(w, x, cw, &mut y, text, face, size, 1.25);
    w.y = y;
}

/// Body paragraph style (13 pt, justified, first-line indent).
pub(crate) fn body(w: &Writer) -> Para {
    Para {
        size: 13.0,
        align: Align::Justify,
        x: w.left(),
        width: w.content_w(),
        indent: 10.0,
        leading: 1.3,
        after: 1.6,
    }
}

/// A section heading inside the body ("I. THÀNH PHẦN THAM DỰ").
pub(crate) fn heading(w: &mut Writer, text: &str) {
    let p = Para {
        indent: 0.0,
        align: Align::Left,
        after: 1.2,
        ..body(w)
    };
    w.ensure(18.0);
    w.paragraph(&[Span::new(text, Face::Bold)], p);
}

/// Gap left for the handwritten signature and the seal, mm.
const SIGN_GAP: f32 = 22.0;

/// Lines above the name: authority line (if any) and title.
fn title_lines(s: &Signer) -> usize {
    1 + usize::from(s.sign_for.is_some())
}

/// Height of a signature block, mm.
pub(crate) fn signer_h(s: &Signer, date_line: bool) -> f32 {
    let lh = 13.0 * 1.2 * PT_MM;
    (title_lines(s) + 1 + usize::from(date_line)) as f32 * lh + SIGN_GAP
}

/// Signature block centred in `[x, x + width]`, top at `y`:
/// optional date line (italic), "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", space for
/// the signature and seal, the name. The name sits as low as if the block
/// had `min_title_lines` title lines, so names of blocks side by side line
/// up. Returns its height.
pub(crate) fn signer(
    w: &mut Writer,
    s: &Signer,
    x: f32,
    width: f32,
    y: f32,
    date_line: Option<&str>,
    min_title_lines: usize,
) -> f32 {
    let size = 13.0;
    let lh = size * 1.2 * PT_MM;
    let mut cy = y;
    if let Some(d) = date_line {
        centred_lines(w, x, width, &mut cy, d, Face::Italic, size, 1.2);
    }
    let title_top = cy;
    if let Some(f) = &s.sign_for {
        centred_lines(w, x, width, &mut cy, &upper(f), Face::Bold, size, 1.2);
    }
    centred_lines(
        w,
        x,
        width,
        &mut cy,
        &upper(&s.title),
        Face::Bold,
        size,
        1.2,
    );
    let mut ny = cy.max(title_top + min_title_lines as f32 * lh) + SIGN_GAP;
    centred_lines(w, x, width, &mut ny, &s.name, Face::Bold, size, 1.2);
    ny - y
}

/// Height of [`recipients_and_signer`], mm.
pub(crate) fn recipients_and_signer_h(w: &Writer, recipients: &[String], s: &Signer) -> f32 {
    let left_w = w.content_w() * 0.46;
    let lh12 = 12.0 * 1.15 * PT_MM;
    let lh11 = 11.0 * 1.15 * PT_MM;
    let rec_lines: usize = recipients
        .iter()
        .map(|r| {
            w.wrap(
                &[Span::new(format!("- {r}"), Face::Regular)],
                11.0,
                left_w,
                0.0,
            )
            .len()
        })
        .sum();
    (lh12 + rec_lines as f32 * lh11).max(signer_h(s, false)) + 4.0
}

/// Height of [`signers_row`], mm.
pub(crate) fn signers_row_h(signers: &[Signer], date_line: bool) -> f32 {
    let lh = 13.0 * 1.2 * PT_MM;
    signers
        .iter()
        .map(|s| signer_h(s, false))
        .fold(0.0, f32::max)
        + if date_line { lh } else { 0.0 }
        + 6.0
}

/// "Nơi nhận:" on the left and the signature on the right, side by side.
pub(crate) fn recipients_and_signer(w: &mut Writer, recipients: &[String], s: &Signer) {
    let x = w.left();
    let cw = w.content_w();
    let left_w = cw * 0.46;
    let right_x = x + cw * 0.42;
    let right_w = cw - cw * 0.42;
    let lh12 = 12.0 * 1.15 * PT_MM;
    let lh11 = 11.0 * 1.15 * PT_MM;
    let mut rec_lines = 0usize;
    for r in recipients {
        rec_lines += w
            .wrap(
                &[Span::new(format!("- {r}"), Face::Regular)],
                11.0,
                left_w,
                0.0,
            )
            .len();
    }
    let rec_h = lh12 + rec_lines as f32 * lh11;
    let h = rec_h.max(signer_h(s, false));
    w.ensure(h + 2.0);
    let top = w.y + 2.0;
    let base = Writer::baseline(top, lh12, 12.0);
    if !recipients.is_empty() {
        w.text(x, base, "Nơi nhận:", Face::BoldItalic, 12.0);
    }
    let mut y = top + lh12;
    for r in recipients {
        let lines = w.wrap(
            &[Span::new(format!("- {r}"), Face::Regular)],
            11.0,
            left_w,
            0.0,
        );
        for l in &lines {
            let b = Writer::baseline(y, lh11, 11.0);
            w.draw_line(l, x, left_w, b, 11.0, Align::Left);
            y += lh11;
        }
    }
    let sh = signer(w, s, right_x, right_w, top, None, 0);
    w.y = (top + sh).max(y) + 2.0;
}

/// Several signature blocks in a row (left to right), with the date line
/// above the last one when given.
pub(crate) fn signers_row(w: &mut Writer, signers: &[Signer], date_line: Option<&str>) {
    if signers.is_empty() {
        return;
    }
    let lh = 13.0 * 1.2 * PT_MM;
    let h = signers
        .iter()
        .map(|s| signer_h(s, false))
        .fold(0.0, f32::max)
        + if date_line.is_some() { lh } else { 0.0 };
    w.ensure(h + 4.0);
    let x = w.left();
    let cw = w.content_w();
    let n = signers.len();
    let col = cw / n.max(2) as f32;
    // Column of signer i: one signer sits on the right half.
    let col_of = |i: usize| {
        if n == 1 {
            (x + cw / 2.0, cw / 2.0)
        } else {
            (x + col * i as f32, col)
        }
    };
    let mut top = w.y + 4.0;
    if let Some(d) = date_line {
        let d = super::canvas::nfc(d);
        let (lx, lw) = col_of(n - 1);
        let tw = w.text_w(&d, Face::Italic, 13.0);
        let centre = lx + lw / 2.0;
        let start = (centre - tw / 2.0).min(x + cw - tw);
        let base = Writer::baseline(top, lh, 13.0);
        w.text(start, base, &d, Face::Italic, 13.0);
        top += lh;
    }
    let lines = signers.iter().map(title_lines).max().unwrap_or(1);
    let mut max_h: f32 = 0.0;
    for (i, s) in signers.iter().enumerate() {
        let (cx, cwid) = col_of(i);
        let sh = signer(w, s, cx, cwid, top, None, lines);
        max_h = max_h.max(sh);
    }
    w.y = top + max_h + 2.0;
}
