//! A small layout toolkit over printpdf's ops list.
//!
//! Coordinates are millimetres measured from the TOP-LEFT corner of the page
//! (`y` grows downwards); they are converted to PDF points (origin
//! bottom-left) when the ops are emitted. Every string is normalised to NFC
//! before it is measured or drawn: printpdf maps code points to glyphs
//! without shaping, so combining marks would land in the wrong place.

use printpdf::{
    Color, DictItem, ExternalStream, ExternalXObject, FontId, Line, LinePoint, Mm, Op, PaintMode,
    PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Polygon, PolygonRing, Pt, Rect,
    Rgb, TextItem, WindingOrder, XObjectTransform,
};

use super::fonts::{faces, Face, FaceData};
use crate::error::{DocError, Result};

/// Millimetres per point.
pub(crate) const PT_MM: f32 = 25.4 / 72.0;

/// A4 portrait, in mm.
pub(crate) const A4: (f32, f32) = (210.0, 297.0);
/// A4 landscape, in mm.
pub(crate) const A4_LANDSCAPE: (f32, f32) = (297.0, 210.0);

/// Horizontal alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Centre,
    #[allow(dead_code)] // part of the toolkit, unused by the current papers
    Right,
    /// Justified; the last line of a paragraph is left-aligned.
    Justify,
}

/// Page margins in mm.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Margins {
    pub top: f32,
    pub right: f32,
    pub bottom: f32,
    pub left: f32,
}

/// Decree 30/2020 margins: top 20–25, bottom 20–25, left 30–35, right 15–20.
pub(crate) const DECREE30_MARGINS: Margins = Margins {
    top: 20.0,
    right: 15.0,
    bottom: 20.0,
    left: 30.0,
};

/// How the pages of a section are numbered.
#[derive(Debug, Clone)]
pub(crate) enum Numbering {
    /// No numbers.
    None,
    /// Decree 30: the number alone, centred in the top margin, from page 2.
    TopCentre,
    /// A small italic footer on every page: "{text} - Trang x/y".
    Footer(String),
}

pub(crate) use crate::nfc;

pub(crate) fn rgb(r: f32, g: f32, b: f32) -> Color {
    Color::Rgb(Rgb::new(r, g, b, None))
}

pub(crate) fn black() -> Color {
    rgb(0.0, 0.0, 0.0)
}

/// Round to 1/100 pt: keeps the content streams short.
fn round2(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}

fn mm_to_pt(v: f32) -> Pt {
    Pt(round2(v / PT_MM))
}

/// A piece of text in one face.
#[derive(Debug, Clone)]
pub(crate) struct Span {
    pub text: String,
    pub face: Face,
}

impl Span {
    pub(crate) fn new(text: impl AsRef<str>, face: Face) -> Self {
        Span {
            text: nfc(text.as_ref()),
            face,
        }
    }
}

/// A word: one or more pieces (a face change inside a word splits it).
#[derive(Debug, Clone)]
pub(crate) struct Word {
    pieces: Vec<(Face, String)>,
    width: f32,
}

/// A laid-out line.
#[derive(Debug, Clone, Default)]
pub(crate) struct LaidLine {
    words: Vec<Word>,
    /// Natural width with single spaces, mm.
    pub width: f32,
    /// Last line of a paragraph (or before a hard break): never justified.
    pub last: bool,
    /// Indent of this line, mm.
    pub indent: f32,
}

impl LaidLine {
    /// The line's text (for tests and debugging).
    #[cfg(test)]
    pub(crate) fn text(&self) -> String {
        self.words
            .iter()
            .map(|w| w.pieces.iter().map(|p| p.1.as_str()).collect::<String>())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Paragraph style.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Para {
    pub size: f32,
    pub align: Align,
    /// Left edge, mm from the page's left edge.
    pub x: f32,
    /// Column width, mm.
    pub width: f32,
    /// First-line indent, mm.
    pub indent: f32,
    /// Line height as a multiple of the font size.
    pub leading: f32,
    /// Space after the paragraph, mm.
    pub after: f32,
}

struct Section {
    numbering: Numbering,
    top_margin: f32,
}

/// The document being written: finished pages plus the current page's ops.
pub(crate) struct Writer {
    doc: PdfDocument,
    faces: &'static [FaceData; 4],
    ids: [FontId; 4],
    pages: Vec<(PdfPage, usize)>,
    sections: Vec<Section>,
    ops: Vec<Op>,
    open: bool,
    /// Page width, mm.
    pub pw: f32,
    /// Page height, mm.
    pub ph: f32,
    /// Margins of the current section.
    pub m: Margins,
    /// Cursor: distance of the next line's top from the page top, mm.
    pub y: f32,
    fill: Option<Color>,
    stroke: Option<(Color, f32)>,
    /// Text colour.
    ink: Color,
    /// Text state of the current page.
    ts: TextState,
}

/// What the content stream has set up for text so far on a page.
#[derive(Debug, Default, Clone, Copy)]
struct TextState {
    /// Font and size last set (the text state outlives BT/ET, so a repeated
    /// Tf is left out).
    font: Option<(Face, f32)>,
    /// Start of the current line (pt) while a text object (BT) is open.
    /// Consecutive runs share one BT … ET with relative `Td` moves; any path
    /// or XObject closes it first.
    open: Option<(f32, f32)>,
}

impl Writer {
    pub(crate) fn new(title: &str) -> Result<Self> {
        let faces = faces()?;
        let mut doc = PdfDocument::new(&nfc(title));
        doc.metadata.info.creator = "OCOP Council".into();
        doc.metadata.info.producer = "OCOP Council (printpdf)".into();
        let ids = [
            doc.add_font(&faces[0].parsed),
            doc.add_font(&faces[1].parsed),
            doc.add_font(&faces[2].parsed),
            doc.add_font(&faces[3].parsed),
        ];
        Ok(Writer {
            doc,
            faces,
            ids,
            pages: Vec::new(),
            sections: Vec::new(),
            ops: Vec::new(),
            open: false,
            pw: A4.0,
            ph: A4.1,
            m: DECREE30_MARGINS,
            y: DECREE30_MARGINS.top,
            fill: None,
            stroke: None,
            ink: black(),
            ts: TextState::default(),
        })
    }

    // -- pages --------------------------------------------------------------

    /// Start a new section (its own page numbering) on a new page.
    pub(crate) fn begin_section(&mut self, size: (f32, f32), m: Margins, numbering: Numbering) {
        self.close_page();
        self.sections.push(Section {
            numbering,
            top_margin: m.top,
        });
        self.pw = size.0;
        self.ph = size.1;
        self.m = m;
        self.open_page();
    }

    fn open_page(&mut self) {
        self.ops.clear();
        self.fill = None;
        self.stroke = None;
        self.ts = TextState::default();
        self.y = self.m.top;
        self.open = true;
    }

    fn close_page(&mut self) {
        self.end_text();
        if self.open {
            let ops = std::mem::take(&mut self.ops);
            let page = PdfPage::new(Mm(self.pw), Mm(self.ph), ops);
            self.pages
                .push((page, self.sections.len().saturating_sub(1)));
            self.open = false;
        }
    }

    /// Finish the current page and start another of the same size.
    pub(crate) fn new_page(&mut self) {
        self.close_page();
        self.open_page();
    }

    /// Lowest usable y on the page.
    pub(crate) fn bottom(&self) -> f32 {
        self.ph - self.m.bottom
    }

    /// Left edge of the text column.
    pub(crate) fn left(&self) -> f32 {
        self.m.left
    }

    /// Width of the text column.
    pub(crate) fn content_w(&self) -> f32 {
        self.pw - self.m.left - self.m.right
    }

    /// Break the page unless `h` mm fit below the cursor. True if it broke.
    pub(crate) fn ensure(&mut self, h: f32) -> bool {
        if self.y + h > self.bottom() + 0.01 {
            self.new_page();
            true
        } else {
            false
        }
    }

    /// Number the pages and serialise.
    pub(crate) fn finish(mut self) -> Result<Vec<u8>> {
        self.close_page();
        if self.pages.is_empty() {
            return Err(DocError::Pdf("tài liệu không có trang nào".into()));
        }
        // Page counts per section.
        let mut counts = vec![0usize; self.sections.len().max(1)];
        for (_, s) in &self.pages {
            counts[*s] += 1;
        }
        let mut seen = vec![0usize; counts.len()];
        let mut pages = Vec::with_capacity(self.pages.len());
        let taken = std::mem::take(&mut self.pages);
        for (mut page, sec) in taken {
            seen[sec] += 1;
            let (n, total) = (seen[sec], counts[sec]);
            let numbering = self
                .sections
                .get(sec)
                .map(|x| x.numbering.clone())
                .unwrap_or(Numbering::None);
            let pw = page.media_box.width.0 * PT_MM;
            let ph = page.media_box.height.0 * PT_MM;
            let mut extra = Vec::new();
            match numbering {
                Numbering::None => {}
                Numbering::TopCentre => {
                    if n > 1 {
                        let s = n.to_string();
                        let w = self.text_w(&s, Face::Regular, 13.0);
                        let base = (self.sections[sec].top_margin - 5.0).max(8.0);
                        let items = vec![TextItem::Text(s)];
                        let at = ((pw - w) / 2.0, base);
                        let mut st = TextState::default();
                        self.items_ops(&mut extra, &mut st, at, ph, items, Face::Regular, 13.0);
                        extra.push(Op::EndTextSection);
                    }
                }
                Numbering::Footer(label) => {
                    let s = nfc(&format!("{label} - Trang {n}/{total}"));
                    let w = self.text_w(&s, Face::Italic, 8.5);
                    let items = vec![TextItem::Text(s)];
                    let at = ((pw - w) / 2.0, ph - 8.0);
                    let mut st = TextState::default();
                    self.items_ops(&mut extra, &mut st, at, ph, items, Face::Italic, 8.5);
                    extra.push(Op::EndTextSection);
                }
            }
            if !extra.is_empty() {
                page.ops.push(Op::SetFillColor { col: black() });
                page.ops.extend(extra);
            }
            pages.push(page);
        }
        self.doc.pages = pages;
        let mut warnings = Vec::new();
        let opts = PdfSaveOptions {
            optimize: false,
            subset_fonts: true,
            ..Default::default()
        };
        let mut doc = printpdf::serialize::to_lopdf_doc(&self.doc, &opts, &mut warnings);
        compress_streams(&mut doc)?;
        let mut out = Vec::new();
        doc.save_to(&mut out)
            .map_err(|e| DocError::Pdf(e.to_string()))?;
        Ok(out)
    }

    // -- text ---------------------------------------------------------------

    /// Width of `s` (already NFC) in mm.
    pub(crate) fn text_w(&self, s: &str, face: Face, size: f32) -> f32 {
        self.faces[face.index()].width_em(s) * size * PT_MM
    }

    fn space_w(&self, face: Face, size: f32) -> f32 {
        self.faces[face.index()].advance(' ') * size * PT_MM
    }

    /// Baseline of a line box of height `lh` whose top is at `top`.
    pub(crate) fn baseline(top: f32, lh: f32, size: f32) -> f32 {
        top + lh / 2.0 + 0.33 * size * PT_MM
    }

    /// Ops of one text run at (x, baseline) in mm from the top-left of a
    /// page `ph` mm high, inside the open text object of `st` (opened here
    /// when needed; the caller closes it).
    #[allow(clippy::too_many_arguments)]
    fn items_ops(
        &self,
        out: &mut Vec<Op>,
        st: &mut TextState,
        (x, baseline): (f32, f32),
        ph: f32,
        items: Vec<TextItem>,
        face: Face,
        size: f32,
    ) {
        let (px, py) = (mm_to_pt(x).0, mm_to_pt(ph - baseline).0);
        let (ox, oy) = match st.open {
            Some(o) => o,
            None => {
                out.push(Op::StartTextSection);
                (0.0, 0.0)
            }
        };
        if st.font != Some((face, size)) {
            out.push(Op::SetFont {
                font: PdfFontHandle::External(self.ids[face.index()].clone()),
                size: Pt(size),
            });
            st.font = Some((face, size));
        }
        // Td moves relative to the start of the previous line.
        out.push(Op::SetTextCursor {
            pos: Point {
                x: Pt(round2(px - ox)),
                y: Pt(round2(py - oy)),
            },
        });
        out.push(Op::ShowText { items });
        st.open = Some((px, py));
    }

    /// Close the open text object, if any (before paths and XObjects).
    fn end_text(&mut self) {
        if self.ts.open.take().is_some() {
            self.ops.push(Op::EndTextSection);
        }
    }

    /// Push a path-painting or XObject op: outside any text object.
    fn gfx(&mut self, op: Op) {
        self.end_text();
        self.ops.push(op);
    }

    /// Draw `s` with its baseline at `baseline`, starting at `x`.
    pub(crate) fn text(&mut self, x: f32, baseline: f32, s: &str, face: Face, size: f32) {
        let s = nfc(s);
        if s.is_empty() {
            return;
        }
        self.ensure_fill(self.ink.clone());
        let mut ops = std::mem::take(&mut self.ops);
        let mut st = self.ts;
        let items = vec![TextItem::Text(s)];
        self.items_ops(&mut ops, &mut st, (x, baseline), self.ph, items, face, size);
        self.ts = st;
        self.ops = ops;
    }

    /// Draw `s` aligned inside `[x, x + w]`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn text_in(
        &mut self,
        x: f32,
        w: f32,
        baseline: f32,
        s: &str,
        face: Face,
        size: f32,
        align: Align,
    ) {
        let s = nfc(s);
        let tw = self.text_w(&s, face, size);
        let x0 = match align {
            Align::Left | Align::Justify => x,
            Align::Centre => x + (w - tw) / 2.0,
            Align::Right => x + w - tw,
        };
        self.text(x0, baseline, &s, face, size);
    }

    /// [`Writer::text_in`] in a colour.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn text_in_colour(
        &mut self,
        x: f32,
        w: f32,
        baseline: f32,
        s: &str,
        face: Face,
        size: f32,
        c: Color,
    ) {
        let old = std::mem::replace(&mut self.ink, c);
        self.text_in(x, w, baseline, s, face, size, Align::Centre);
        self.ink = old;
    }

    /// [`Writer::draw_line`] in a colour.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn draw_line_colour(
        &mut self,
        line: &LaidLine,
        x: f32,
        width: f32,
        baseline: f32,
        size: f32,
        align: Align,
        c: Color,
    ) {
        let old = std::mem::replace(&mut self.ink, c);
        self.draw_line(line, x, width, baseline, size, align);
        self.ink = old;
    }

    /// Break `spans` into lines of at most `width` mm (the first line is
    /// `indent` narrower). `\n` forces a break. A word wider than the column
    /// is split between characters.
    pub(crate) fn wrap(&self, spans: &[Span], size: f32, width: f32, indent: f32) -> Vec<LaidLine> {
        // Tokenise into paragraphs of words.
        let mut paras: Vec<Vec<Word>> = vec![Vec::new()];
        let mut cur: Option<Word> = None;
        for span in spans {
            for c in span.text.chars() {
                if c == '\n' || c.is_whitespace() {
                    if let Some(w) = cur.take() {
                        paras.last_mut().expect("para").push(w);
                    }
                    if c == '\n' {
                        paras.push(Vec::new());
                    }
                    continue;
                }
                let word = cur.get_or_insert_with(|| Word {
                    pieces: Vec::new(),
                    width: 0.0,
                });
                let cw = self.faces[span.face.index()].advance(c) * size * PT_MM;
                word.width += cw;
                match word.pieces.last_mut() {
                    Some((f, s)) if *f == span.face => s.push(c),
                    _ => word.pieces.push((span.face, c.to_string())),
                }
            }
        }
        if let Some(w) = cur.take() {
            paras.last_mut().expect("para").push(w);
        }

        let mut lines = Vec::new();
        let mut first = true;
        for words in paras {
            let mut line = LaidLine {
                indent: if first { indent } else { 0.0 },
                ..Default::default()
            };
            first = false;
            for word in words {
                let avail = width - line.indent;
                let face = word.pieces.first().map(|p| p.0).unwrap_or(Face::Regular);
                let sp = if line.words.is_empty() {
                    0.0
                } else {
                    self.space_w(face, size)
                };
                if line.width + sp + word.width <= avail + 0.01 {
                    line.width += sp + word.width;
                    line.words.push(word);
                    continue;
                }
                if !line.words.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                let avail = width;
                if word.width <= avail {
                    line.width = word.width;
                    line.words.push(word);
                } else {
                    // Split an over-long word.
                    let chunks = split_long(&word, avail, |f, c| {
                        self.faces[f.index()].advance(c) * size * PT_MM
                    });
                    for chunk in chunks {
                        if !line.words.is_empty() {
                            lines.push(std::mem::take(&mut line));
                        }
                        line.width = chunk.width;
                        line.words.push(chunk);
                    }
                }
            }
            line.last = true;
            lines.push(line);
        }
        lines
    }

    /// Like [`Writer::wrap`], but with the lines' lengths evened out (for
    /// centred titles): the narrowest width giving the same line count.
    pub(crate) fn wrap_balanced(&self, spans: &[Span], size: f32, width: f32) -> Vec<LaidLine> {
        let lines = self.wrap(spans, size, width, 0.0);
        if lines.len() < 2 {
            return lines;
        }
        let n = lines.len();
        // Never narrower than the widest word: words are not to be broken.
        let widest = lines
            .iter()
            .flat_map(|l| l.words.iter().map(|w| w.width))
            .fold(0.0, f32::max);
        let (mut lo, mut hi) = ((width * 0.4).max(widest), width);
        for _ in 0..14 {
            let mid = (lo + hi) / 2.0;
            if self.wrap(spans, size, mid, 0.0).len() > n {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        self.wrap(spans, size, hi, 0.0)
    }

    /// Largest size <= `size` (down to `min`) at which no word of `text` is
    /// wider than `width`.
    pub(crate) fn fit_words(&self, text: &str, face: Face, size: f32, width: f32, min: f32) -> f32 {
        let widest = text
            .split_whitespace()
            .map(|w| self.faces[face.index()].width_em(&nfc(w)))
            .fold(0.0, f32::max);
        if widest <= 0.0 {
            return size;
        }
        let fit = width / (widest * PT_MM);
        fit.min(size).max(min)
    }

    /// Draw one laid-out line. `x` is the column's left edge, `width` its width.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn draw_line(
        &mut self,
        line: &LaidLine,
        x: f32,
        width: f32,
        baseline: f32,
        size: f32,
        align: Align,
    ) {
        if line.words.is_empty() {
            return;
        }
        let avail = width - line.indent;
        let x0 = x
            + line.indent
            + match align {
                Align::Left | Align::Justify => 0.0,
                Align::Centre => (avail - line.width) / 2.0,
                Align::Right => avail - line.width,
            };
        let gaps = line.words.len() - 1;
        let extra = if align == Align::Justify && !line.last && gaps > 0 {
            ((avail - line.width) / gaps as f32).max(0.0)
        } else {
            0.0
        };
        // Extra space as a TJ offset, in thousandths of an em (negative = right).
        let offset = -(extra / PT_MM) / size * 1000.0;
        // Segments: runs of pieces in one face, each one text object.
        let mut segs: Vec<(Face, f32, Vec<TextItem>)> = Vec::new();
        let mut cx = x0;
        for (wi, word) in line.words.iter().enumerate() {
            if wi > 0 {
                let f = word.pieces.first().map(|p| p.0).unwrap_or(Face::Regular);
                if let Some(seg) = segs.last_mut().filter(|s| s.0 == f) {
                    push_text(&mut seg.2, " ");
                    if extra > 0.0 {
                        seg.2.push(TextItem::Offset(round2(offset)));
                    }
                }
                cx += self.space_w(f, size) + extra;
            }
            for (face, text) in &word.pieces {
                match segs.last_mut() {
                    Some(seg) if seg.0 == *face => push_text(&mut seg.2, text),
                    _ => segs.push((*face, cx, vec![TextItem::Text(text.clone())])),
                }
                cx += self.text_w(text, *face, size);
            }
        }
        self.ensure_fill(self.ink.clone());
        let mut ops = std::mem::take(&mut self.ops);
        let mut st = self.ts;
        for (face, sx, items) in segs {
            self.items_ops(
                &mut ops,
                &mut st,
                (sx, baseline),
                self.ph,
                items,
                face,
                size,
            );
        }
        self.ts = st;
        self.ops = ops;
    }

    /// Flow a paragraph at the cursor, breaking pages as needed.
    pub(crate) fn paragraph(&mut self, spans: &[Span], p: Para) {
        let lines = self.wrap(spans, p.size, p.width, p.indent);
        let lh = p.size * p.leading * PT_MM;
        for line in &lines {
            self.ensure(lh);
            let base = Self::baseline(self.y, lh, p.size);
            self.draw_line(line, p.x, p.width, base, p.size, p.align);
            self.y += lh;
        }
        self.y += p.after;
    }

    /// Height a paragraph would take, mm.
    pub(crate) fn paragraph_h(&self, spans: &[Span], p: Para) -> f32 {
        let n = self.wrap(spans, p.size, p.width, p.indent).len();
        n as f32 * p.size * p.leading * PT_MM + p.after
    }

    // -- graphics -----------------------------------------------------------

    pub(crate) fn ensure_fill(&mut self, c: Color) {
        if self.fill.as_ref() != Some(&c) {
            self.ops.push(Op::SetFillColor { col: c.clone() });
            self.fill = Some(c);
        }
    }

    fn ensure_stroke(&mut self, c: Color, thick_pt: f32) {
        let want = Some((c.clone(), thick_pt));
        if self.stroke != want {
            self.ops.push(Op::SetOutlineColor { col: c });
            self.ops.push(Op::SetOutlineThickness { pt: Pt(thick_pt) });
            self.stroke = want;
        }
    }

    fn pt(&self, x: f32, y: f32) -> Point {
        Point {
            x: mm_to_pt(x),
            y: mm_to_pt(self.ph - y),
        }
    }

    /// A straight line (thickness in pt).
    pub(crate) fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, thick_pt: f32) {
        self.line_col(x1, y1, x2, y2, thick_pt, black());
    }

    /// A straight line in a colour.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn line_col(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, thick_pt: f32, c: Color) {
        self.ensure_stroke(c, thick_pt);
        let line = Line {
            points: vec![
                LinePoint {
                    p: self.pt(x1, y1),
                    bezier: false,
                },
                LinePoint {
                    p: self.pt(x2, y2),
                    bezier: false,
                },
            ],
            is_closed: false,
        };
        self.gfx(Op::DrawLine { line });
    }

    /// A dotted line to write on by hand.
    pub(crate) fn dotted(&mut self, x1: f32, x2: f32, y: f32) {
        self.end_text();
        self.ops.push(Op::SetLineDashPattern {
            dash: printpdf::LineDashPattern::new(0.0, &[1.0, 2.0]),
        });
        self.line(x1, y, x2, y, 0.6);
        self.ops.push(Op::SetLineDashPattern {
            dash: printpdf::LineDashPattern::solid(),
        });
    }

    fn rect_op(&mut self, x: f32, y: f32, w: f32, h: f32, mode: PaintMode) {
        let r = Rect {
            x: mm_to_pt(x),
            y: mm_to_pt(self.ph - y - h),
            width: mm_to_pt(w),
            height: mm_to_pt(h),
            mode: Some(mode),
            winding_order: None,
        };
        self.gfx(Op::DrawRectangle { rectangle: r });
    }

    /// Stroke a rectangle (top-left corner at x, y).
    pub(crate) fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, thick_pt: f32) {
        self.rect_col(x, y, w, h, thick_pt, black());
    }

    /// Stroke a rectangle in a colour.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn rect_col(&mut self, x: f32, y: f32, w: f32, h: f32, thick_pt: f32, c: Color) {
        self.ensure_stroke(c, thick_pt);
        self.rect_op(x, y, w, h, PaintMode::Stroke);
    }

    /// Fill a rectangle.
    pub(crate) fn fill_rect(&mut self, x: f32, y: f32, w: f32, h: f32, c: Color) {
        self.ensure_fill(c);
        self.rect_op(x, y, w, h, PaintMode::Fill);
    }

    /// A filled five-pointed star centred at (cx, cy), outer radius `r`.
    pub(crate) fn star(&mut self, cx: f32, cy: f32, r: f32, c: Color) {
        self.ensure_fill(c);
        let inner = r * 0.382;
        let points = (0..10)
            .map(|i| {
                let rad = if i % 2 == 0 { r } else { inner };
                let a = std::f32::consts::FRAC_PI_2 + i as f32 * std::f32::consts::PI / 5.0;
                LinePoint {
                    p: self.pt(cx + rad * a.cos(), cy - rad * a.sin()),
                    bezier: false,
                }
            })
            .collect();
        self.gfx(Op::DrawPolygon {
            polygon: Polygon {
                rings: vec![PolygonRing { points }],
                mode: PaintMode::Fill,
                winding_order: WindingOrder::NonZero,
            },
        });
    }

    /// `n` stars in a row starting at `x`, centred vertically on `cy`.
    /// Returns the width used.
    pub(crate) fn stars(&mut self, n: u8, x: f32, cy: f32, r: f32, gap: f32, c: Color) -> f32 {
        for i in 0..n {
            let cx = x + r + f32::from(i) * (2.0 * r + gap);
            self.star(cx, cy, r, c.clone());
        }
        stars_w(n, r, gap)
    }

    /// An empty check box with its top-left at (x, y); ticked draws a tick.
    pub(crate) fn checkbox(&mut self, x: f32, y: f32, size: f32, ticked: bool) {
        self.rect(x, y, size, size, 0.6);
        if ticked {
            self.ensure_stroke(black(), 1.3);
            let pts = [
                (x + size * 0.18, y + size * 0.52),
                (x + size * 0.42, y + size * 0.80),
                (x + size * 0.88, y + size * 0.12),
            ];
            let line = Line {
                points: pts
                    .iter()
                    .map(|&(px, py)| LinePoint {
                        p: self.pt(px, py),
                        bezier: false,
                    })
                    .collect(),
                is_closed: false,
            };
            self.gfx(Op::DrawLine { line });
        }
    }

    /// A QR code of `payload` as vector squares, `size` mm wide (quiet zone
    /// excluded), top-left at (x, y). Returns the module's width in mm, from
    /// which the caller keeps the quiet zone clear.
    ///
    /// The modules become a Form XObject in module units: horizontal runs of
    /// dark modules are merged, and a run repeated on the next rows becomes
    /// one taller rectangle. All rectangles are sub-paths of ONE path filled
    /// once ("x y w h re" … "f"), so rasterisers leave no hairline seams
    /// between modules, and the stream holds small integers only. The page
    /// places it with one `cm` + `Do`.
    pub(crate) fn qr(&mut self, x: f32, y: f32, size: f32, payload: &str) -> Result<f32> {
        let (n, dark) = super::qr::modules(payload)?;
        let mut rects: Vec<(usize, usize, usize, usize)> = Vec::new(); // c0, c1, r0, r1
        let mut open: Vec<usize> = Vec::new(); // rects ending at the previous row
        for row in 0..n {
            let mut next_open = Vec::new();
            let mut col = 0;
            while col < n {
                if !dark[row * n + col] {
                    col += 1;
                    continue;
                }
                let c0 = col;
                while col < n && dark[row * n + col] {
                    col += 1;
                }
                match open
                    .iter()
                    .find(|&&i| rects[i].0 == c0 && rects[i].1 == col)
                {
                    Some(&i) => {
                        rects[i].3 = row + 1;
                        next_open.push(i);
                    }
                    None => {
                        rects.push((c0, col, row, row + 1));
                        next_open.push(rects.len() - 1);
                    }
                }
            }
            open = next_open;
        }
        // PDF y grows upwards: row r spans y = n - r - 1 .. n - r.
        let mut content = Vec::with_capacity(rects.len() * 14 + 8);
        content.extend_from_slice(b"0 g\n");
        for (c0, c1, r0, r1) in rects {
            for v in [c0, n - r1, c1 - c0, r1 - r0] {
                push_uint(&mut content, v);
                content.push(b' ');
            }
            content.extend_from_slice(b"re\n");
        }
        content.extend_from_slice(b"f\n");
        let dict = [
            ("Type", DictItem::Name(b"XObject".to_vec())),
            ("Subtype", DictItem::Name(b"Form".to_vec())),
            (
                "BBox",
                DictItem::Array(vec![
                    DictItem::Int(0),
                    DictItem::Int(0),
                    DictItem::Int(n as i64),
                    DictItem::Int(n as i64),
                ]),
            ),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let id = self.doc.add_xobject(&ExternalXObject {
            stream: ExternalStream {
                dict,
                content,
                compress: true,
            },
            width: None,
            height: None,
            dpi: None,
        });
        let module = round2(size / n as f32 / PT_MM * 1000.0) / 1000.0;
        let bottom_left = self.pt(x, y + size);
        self.gfx(Op::UseXobject {
            id,
            transform: XObjectTransform {
                translate_x: Some(bottom_left.x),
                translate_y: Some(bottom_left.y),
                scale_x: Some(module),
                scale_y: Some(module),
                no_auto_scale: true,
                ..Default::default()
            },
        });
        Ok(size / n as f32)
    }
}

/// Deflate every stream that may be compressed. printpdf's own `optimize`
/// uses zlib level 9 on everything, which spent most of a 500-certificate
/// batch in the compressor. Embedded font programs (few, shared by all
/// pages) get level 6; page contents and QR forms get level 1, which is
/// several times faster and still gives about 5 KB per certificate.
fn compress_streams(doc: &mut lopdf::Document) -> Result<()> {
    use flate2::{Compress, Compression, FlushCompress, Status};
    // One compressor per level, reset between streams (creating a zlib
    // stream per PDF stream cost as much as compressing the small ones).
    let mut font = Compress::new(Compression::new(FONT_LEVEL), true);
    let mut content = Compress::new(Compression::new(CONTENT_LEVEL), true);
    for obj in doc.objects.values_mut() {
        if let lopdf::Object::Stream(s) = obj {
            if !s.allows_compression || s.dict.get(b"Filter").is_ok() {
                continue;
            }
            let z = if s.dict.has(b"Length1") {
                &mut font
            } else {
                &mut content
            };
            z.reset();
            // Deflate never grows data by more than ~0.1 % + a few bytes.
            let mut packed = Vec::with_capacity(s.content.len() + s.content.len() / 500 + 64);
            let status = z
                .compress_vec(&s.content, &mut packed, FlushCompress::Finish)
                .map_err(|e| DocError::Pdf(e.to_string()))?;
            if status != Status::StreamEnd {
                return Err(DocError::Pdf("nén luồng dữ liệu không hoàn tất".into()));
            }
            if packed.len() + 19 < s.content.len() {
                s.dict.set("Filter", "FlateDecode");
                s.set_content(packed);
            }
        }
    }
    Ok(())
}

/// zlib level of font programs (FontFile2 streams carry /Length1).
const FONT_LEVEL: u32 = 6;
/// zlib level of page contents and forms.
const CONTENT_LEVEL: u32 = 1;

/// Split a word wider than `avail` into chunks that fit, breaking after a
/// hyphen or slash when one is close enough, else between characters.
fn split_long(word: &Word, avail: f32, adv: impl Fn(Face, char) -> f32) -> Vec<Word> {
    let chars: Vec<(Face, char, f32)> = word
        .pieces
        .iter()
        .flat_map(|(f, s)| s.chars().map(move |c| (*f, c)))
        .map(|(f, c)| (f, c, adv(f, c)))
        .collect();
    let mut out = Vec::new();
    let mut start = 0;
    while start < chars.len() {
        // Longest prefix that fits (at least one character).
        let mut end = start;
        let mut w = 0.0;
        while end < chars.len() && (end == start || w + chars[end].2 <= avail) {
            w += chars[end].2;
            end += 1;
        }
        if end < chars.len() {
            // Prefer a break after '-' or '/' in the second half of the chunk.
            if let Some(k) = (start + (end - start) / 2..end)
                .rev()
                .find(|&k| matches!(chars[k].1, '-' | '/'))
            {
                end = k + 1;
            }
        }
        let mut part = Word {
            pieces: Vec::new(),
            width: 0.0,
        };
        for &(f, c, cw) in &chars[start..end] {
            part.width += cw;
            match part.pieces.last_mut() {
                Some((pf, ps)) if *pf == f => ps.push(c),
                _ => part.pieces.push((f, c.to_string())),
            }
        }
        out.push(part);
        start = end;
    }
    out
}

/// Append the decimal digits of `v`.
fn push_uint(out: &mut Vec<u8>, v: usize) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut v = v;
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

fn push_text(items: &mut Vec<TextItem>, s: &str) {
    if let Some(TextItem::Text(t)) = items.last_mut() {
        t.push_str(s);
    } else {
        items.push(TextItem::Text(s.to_string()));
    }
}

/// Width of `n` stars of radius `r` with `gap` between them.
pub(crate) fn stars_w(n: u8, r: f32, gap: f32) -> f32 {
    if n == 0 {
        0.0
    } else {
        f32::from(n) * 2.0 * r + f32::from(n - 1) * gap
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_respects_width_and_hard_breaks() {
        let w = Writer::new("t").unwrap();
        let text = "Hợp tác xã Nông nghiệp Xuân Lâm sản xuất chè xanh Bình Sơn theo tiêu chuẩn VietGAP\nDòng mới";
        let lines = w.wrap(&[Span::new(text, Face::Regular)], 13.0, 60.0, 0.0);
        assert!(lines.len() >= 3, "{lines:?}");
        for l in &lines {
            assert!(l.width <= 60.01, "{} is {} mm", l.text(), l.width);
        }
        assert_eq!(lines.last().unwrap().text(), "Dòng mới");
        assert!(lines[lines.len() - 2].last);
    }

    #[test]
    fn nfd_input_is_normalised() {
        let nfd = "Chu\u{0309} ti\u{0323}ch";
        assert_eq!(nfc(nfd), "Chủ tịch");
        let w = Writer::new("t").unwrap();
        let a = w.text_w(&nfc(nfd), Face::Bold, 12.0);
        let b = w.text_w("Chủ tịch", Face::Bold, 12.0);
        assert!((a - b).abs() < 1e-4);
    }

    #[test]
    fn long_word_is_split() {
        let w = Writer::new("t").unwrap();
        let lines = w.wrap(
            &[Span::new(
                "QR-2026-THANHHOA-000123456789-ABCDEFGHIJ",
                Face::Regular,
            )],
            12.0,
            20.0,
            0.0,
        );
        assert!(lines.len() > 1);
        for l in &lines {
            assert!(l.width <= 20.01);
        }
    }
}
