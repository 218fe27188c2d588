//! Bordered tables whose rows grow with wrapped text, with the header
//! repeated after every page break.

use printpdf::Color;

use super::canvas::{black, stars_w, Align, LaidLine, Span, Writer, PT_MM};
use super::fonts::Face;

/// A column: width in mm and default alignment.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Col {
    pub w: f32,
    pub align: Align,
}

/// A body cell.
#[derive(Debug, Clone)]
pub(crate) struct Cell {
    pub spans: Vec<Span>,
    pub align: Option<Align>,
    /// Columns covered.
    pub span: usize,
    /// Stars drawn after the text.
    pub stars: u8,
    /// A check box before the text (`Some(ticked)`).
    pub check: Option<bool>,
    /// Extra left indent, mm.
    pub indent: f32,
    pub fill: Option<Color>,
}

impl Cell {
    pub(crate) fn new(text: impl AsRef<str>, face: Face) -> Self {
        Cell {
            spans: vec![Span::new(text, face)],
            align: None,
            span: 1,
            stars: 0,
            check: None,
            indent: 0.0,
            fill: None,
        }
    }
    pub(crate) fn text(text: impl AsRef<str>) -> Self {
        Cell::new(text, Face::Regular)
    }
    pub(crate) fn bold(text: impl AsRef<str>) -> Self {
        Cell::new(text, Face::Bold)
    }
    pub(crate) fn italic(text: impl AsRef<str>) -> Self {
        Cell::new(text, Face::Italic)
    }
    pub(crate) fn spans(spans: Vec<Span>) -> Self {
        let mut c = Cell::text("");
        c.spans = spans;
        c
    }
    pub(crate) fn empty() -> Self {
        Cell::text("")
    }
    pub(crate) fn align(mut self, a: Align) -> Self {
        self.align = Some(a);
        self
    }
    pub(crate) fn span(mut self, n: usize) -> Self {
        self.span = n.max(1);
        self
    }
    pub(crate) fn stars(mut self, n: u8) -> Self {
        self.stars = n;
        self
    }
    pub(crate) fn check(mut self, ticked: bool) -> Self {
        self.check = Some(ticked);
        self
    }
    pub(crate) fn indent(mut self, mm: f32) -> Self {
        self.indent = mm;
        self
    }
    pub(crate) fn fill(mut self, c: Color) -> Self {
        self.fill = Some(c);
        self
    }
}

/// A header cell placed on a grid (for two-row headers with merged cells).
#[derive(Debug, Clone)]
pub(crate) struct HeadCell {
    pub col: usize,
    pub cols: usize,
    pub row: usize,
    pub rows: usize,
    pub text: String,
}

impl HeadCell {
    pub(crate) fn new(col: usize, cols: usize, row: usize, rows: usize, text: &str) -> Self {
        HeadCell {
            col,
            cols,
            row,
            rows,
            text: text.to_string(),
        }
    }
}

/// Light grey used behind header rows.
pub(crate) fn header_grey() -> Color {
    super::canvas::rgb(0.9, 0.9, 0.9)
}

/// Table geometry and style.
pub(crate) struct Table {
    pub x: f32,
    pub cols: Vec<Col>,
    /// Font size of body cells, pt.
    pub size: f32,
    /// Font size of header cells, pt.
    pub head_size: f32,
    /// Cell padding, mm.
    pub pad: f32,
    /// Line height factor.
    pub leading: f32,
    pub head: Vec<HeadCell>,
    pub head_fill: bool,
}

struct Laid {
    x: f32,
    w: f32,
    lines: Vec<LaidLine>,
    /// Stars go on their own line after the text.
    stars_own_line: bool,
    check_w: f32,
}

const CHECK: f32 = 3.2;

impl Table {
    pub(crate) fn new(x: f32, cols: Vec<Col>, size: f32) -> Self {
        Table {
            x,
            cols,
            size,
            head_size: size,
            pad: 1.2,
            leading: 1.18,
            head: Vec::new(),
            head_fill: true,
        }
    }

    fn col_x(&self, i: usize) -> f32 {
        self.x + self.cols[..i].iter().map(|c| c.w).sum::<f32>()
    }

    fn span_w(&self, i: usize, n: usize) -> f32 {
        self.cols[i..(i + n).min(self.cols.len())]
            .iter()
            .map(|c| c.w)
            .sum()
    }

    fn lh(&self, size: f32) -> f32 {
        size * self.leading * PT_MM
    }

    fn star_r(&self) -> f32 {
        self.size * PT_MM * 0.36
    }

    /// Height of the header, mm.
    pub(crate) fn head_h(&self, w: &Writer) -> f32 {
        self.head_rows(w).iter().sum()
    }

    /// Font size of a header cell: smaller when one of its words would not
    /// fit the column (words are not broken in headers).
    fn head_cell_size(&self, w: &Writer, c: &HeadCell) -> f32 {
        let cw = self.span_w(c.col, c.cols) - 2.0 * self.pad;
        w.fit_words(&c.text, Face::Bold, self.head_size, cw, 6.5)
    }

    fn head_rows(&self, w: &Writer) -> Vec<f32> {
        let nrows = self.head.iter().map(|c| c.row + c.rows).max().unwrap_or(0);
        let mut rows = vec![0f32; nrows];
        let need = |c: &HeadCell| {
            let cw = self.span_w(c.col, c.cols) - 2.0 * self.pad;
            let size = self.head_cell_size(w, c);
            let n = w
                .wrap_balanced(&[Span::new(&c.text, Face::Bold)], size, cw)
                .len();
            n as f32 * self.lh(size) + 2.0 * self.pad
        };
        for c in self.head.iter().filter(|c| c.rows == 1) {
            rows[c.row] = rows[c.row].max(need(c));
        }
        for c in self.head.iter().filter(|c| c.rows > 1) {
            let have: f32 = rows[c.row..c.row + c.rows].iter().sum();
            let n = need(c);
            if n > have {
                rows[c.row + c.rows - 1] += n - have;
            }
        }
        rows
    }

    /// Draw the header at the cursor (no page-break check).
    pub(crate) fn draw_head(&self, w: &mut Writer) {
        if self.head.is_empty() {
            return;
        }
        let rows = self.head_rows(w);
        let top = w.y;
        for c in &self.head {
            let size = self.head_cell_size(w, c);
            let lh = self.lh(size);
            let x = self.col_x(c.col);
            let cw = self.span_w(c.col, c.cols);
            let y = top + rows[..c.row].iter().sum::<f32>();
            let h: f32 = rows[c.row..c.row + c.rows].iter().sum();
            if self.head_fill {
                w.fill_rect(x, y, cw, h, header_grey());
            }
            w.rect(x, y, cw, h, 0.6);
            let lines =
                w.wrap_balanced(&[Span::new(&c.text, Face::Bold)], size, cw - 2.0 * self.pad);
            let th = lines.len() as f32 * lh;
            let mut ly = y + (h - th) / 2.0;
            for l in &lines {
                let base = Writer::baseline(ly, lh, size);
                w.draw_line(
                    l,
                    x + self.pad,
                    cw - 2.0 * self.pad,
                    base,
                    size,
                    Align::Centre,
                );
                ly += lh;
            }
        }
        w.y = top + rows.iter().sum::<f32>();
    }

    fn layout(&self, w: &Writer, cells: &[Cell]) -> (Vec<Laid>, f32) {
        let lh = self.lh(self.size);
        let mut col = 0;
        let mut out = Vec::new();
        let mut h = 0f32;
        for c in cells {
            if col >= self.cols.len() {
                break;
            }
            let x = self.col_x(col);
            let cw = self.span_w(col, c.span);
            let check_w = if c.check.is_some() { CHECK + 1.5 } else { 0.0 };
            let inner = cw - 2.0 * self.pad - c.indent - check_w;
            let mut lines = if c.spans.iter().all(|s| s.text.is_empty()) {
                Vec::new()
            } else {
                w.wrap(&c.spans, self.size, inner, 0.0)
            };
            let mut stars_own_line = false;
            if c.stars > 0 {
                let sw = stars_w(c.stars, self.star_r(), 0.4) + 1.2;
                match lines.last() {
                    Some(l) if l.width + sw <= inner => {}
                    _ => stars_own_line = true,
                }
            }
            let mut n = lines.len() + usize::from(stars_own_line);
            if n == 0 && c.check.is_some() {
                n = 1;
            }
            let ch = n as f32 * lh + 2.0 * self.pad;
            h = h.max(ch);
            if lines.is_empty() && !stars_own_line {
                lines.clear();
            }
            out.push(Laid {
                x: x + c.indent,
                w: cw - c.indent,
                lines,
                stars_own_line,
                check_w,
            });
            col += c.span;
        }
        (out, h.max(lh + 2.0 * self.pad))
    }

    /// Draw a row at the cursor. Breaks the page first (repeating the
    /// header) unless the row plus `keep` mm fit.
    pub(crate) fn row(&self, w: &mut Writer, cells: &[Cell], keep: f32) {
        let (laid, h) = self.layout(w, cells);
        if w.ensure(h + keep) {
            self.draw_head(w);
        }
        let top = w.y;
        let lh = self.lh(self.size);
        let r = self.star_r();
        for (c, l) in cells.iter().zip(&laid) {
            let x0 = l.x - c.indent;
            let w0 = l.w + c.indent;
            if let Some(f) = &c.fill {
                w.fill_rect(x0, top, w0, h, f.clone());
            }
            w.rect(x0, top, w0, h, 0.6);
            let n = l.lines.len() + usize::from(l.stars_own_line);
            let th = n.max(1) as f32 * lh;
            let mut ly = top + (h - th) / 2.0;
            if let Some(t) = c.check {
                let by = ly + (lh - CHECK) / 2.0;
                w.checkbox(l.x + self.pad, by, CHECK, t);
            }
            let tx = l.x + self.pad + l.check_w;
            let tw = l.w - 2.0 * self.pad - l.check_w;
            let align = c.align.unwrap_or(self.cols[cells_col(cells, c)].align);
            let mut last_end = tx;
            for line in &l.lines {
                let base = Writer::baseline(ly, lh, self.size);
                w.draw_line(line, tx, tw, base, self.size, align);
                last_end = match align {
                    Align::Left | Align::Justify => tx + line.width,
                    Align::Centre => tx + (tw + line.width) / 2.0,
                    Align::Right => tx + tw,
                };
                ly += lh;
            }
            if c.stars > 0 {
                let sw = stars_w(c.stars, r, 0.4);
                let (sx, cy) = if l.stars_own_line || l.lines.is_empty() {
                    let sx = match align {
                        Align::Left | Align::Justify => tx,
                        Align::Centre => tx + (tw - sw) / 2.0,
                        Align::Right => tx + tw - sw,
                    };
                    (sx, ly + lh / 2.0)
                } else {
                    (last_end + 1.2, ly - lh / 2.0)
                };
                w.stars(c.stars, sx, cy, r, 0.4, black());
            }
        }
        w.y = top + h;
    }
}

/// Index of the first column covered by `c` in `cells`.
fn cells_col(cells: &[Cell], c: &Cell) -> usize {
    let mut col = 0;
    for x in cells {
        if std::ptr::eq(x, c) {
            return col;
        }
        col += x.span;
    }
    0
}
