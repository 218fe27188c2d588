//! The embedded Liberation Serif faces (SIL OFL 1.1, see
//! `assets/fonts/OFL.txt`), parsed once per process.

use std::sync::OnceLock;

use printpdf::ParsedFont;

use crate::error::{DocError, Result};

static REGULAR: &[u8] = include_bytes!("../../../../../assets/fonts/LiberationSerif-Regular.ttf");
static BOLD: &[u8] = include_bytes!("../../../../../assets/fonts/LiberationSerif-Bold.ttf");
static ITALIC: &[u8] = include_bytes!("../../../../../assets/fonts/LiberationSerif-Italic.ttf");
static BOLD_ITALIC: &[u8] =
    include_bytes!("../../../../../assets/fonts/LiberationSerif-BoldItalic.ttf");

/// A face of the serif family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Face {
    Regular,
    Bold,
    Italic,
    BoldItalic,
}

impl Face {
    pub(crate) fn index(self) -> usize {
        match self {
            Face::Regular => 0,
            Face::Bold => 1,
            Face::Italic => 2,
            Face::BoldItalic => 3,
        }
    }
}

/// Metrics of one face, precomputed for fast measuring.
pub(crate) struct FaceData {
    pub(crate) parsed: ParsedFont,
    /// Advance widths (in em) of U+0000–U+024F and U+1E00–U+1EFF, the whole
    /// Vietnamese Latin set; other characters are looked up on the fly.
    table: Vec<f32>,
    units_per_em: f32,
}

const LOW_END: u32 = 0x0250;
const VI_START: u32 = 0x1E00;
const VI_END: u32 = 0x1F00;

impl FaceData {
    fn new(bytes: &[u8], name: &'static str) -> std::result::Result<Self, &'static str> {
        let mut warnings = Vec::new();
        let parsed = ParsedFont::from_bytes(bytes, 0, &mut warnings).ok_or(name)?;
        let units_per_em = f32::from(parsed.pdf_font_metrics.units_per_em.max(1));
        let mut data = FaceData {
            parsed,
            table: Vec::new(),
            units_per_em,
        };
        let table = (0..LOW_END)
            .chain(VI_START..VI_END)
            .map(|cp| data.lookup(cp))
            .collect();
        data.table = table;
        Ok(data)
    }

    fn lookup(&self, cp: u32) -> f32 {
        let gid = self.parsed.lookup_glyph_index(cp).unwrap_or(0);
        f32::from(self.parsed.get_horizontal_advance(gid)) / self.units_per_em
    }

    /// Advance of `c` in em.
    pub(crate) fn advance(&self, c: char) -> f32 {
        let cp = c as u32;
        if cp < LOW_END {
            self.table[cp as usize]
        } else if (VI_START..VI_END).contains(&cp) {
            self.table[(LOW_END + cp - VI_START) as usize]
        } else {
            self.lookup(cp)
        }
    }

    /// Width of `s` in em.
    pub(crate) fn width_em(&self, s: &str) -> f32 {
        s.chars().map(|c| self.advance(c)).sum()
    }
}

/// The four faces, parsed on first use.
pub(crate) fn faces() -> Result<&'static [FaceData; 4]> {
    static CELL: OnceLock<std::result::Result<[FaceData; 4], &'static str>> = OnceLock::new();
    CELL.get_or_init(|| {
        Ok([
            FaceData::new(REGULAR, "LiberationSerif-Regular")?,
            FaceData::new(BOLD, "LiberationSerif-Bold")?,
            FaceData::new(ITALIC, "LiberationSerif-Italic")?,
            FaceData::new(BOLD_ITALIC, "LiberationSerif-BoldItalic")?,
        ])
    })
    .as_ref()
    .map_err(|name| DocError::Font(name))
}
