//! QR module matrices (qrcode crate) with a fast mask choice.
//!
//! `qrcode::QrCode::new` masks the symbol 8 times and scores each with a
//! slow penalty implementation (about 0.4 ms per code, a fifth of a
//! certificate's time). This builds the same symbol with the crate's canvas
//! API, scores the 8 masks (ISO/IEC 18004 rules N1–N4) bit-parallel on a
//! plain grid, and lets the crate apply only the winning mask.

use qrcode::canvas::{Canvas, MaskPattern, Module};
use qrcode::{bits, ec, EcLevel};

use crate::error::{DocError, Result};

const MASKS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

/// Modules of the QR code for `payload` (error correction M): the width and
/// the dark modules row by row.
pub(crate) fn modules(payload: &str) -> Result<(usize, Vec<bool>)> {
    let (mut canvas, n, dark, data) = unmasked(payload)?;
    let best = if n <= 128 {
        best_mask_bits(&dark, &data, n)
    } else {
        best_mask_scalar(&dark, &data, n)
    };
    canvas.apply_mask(MASKS[best]);
    let grid = canvas
        .into_colors()
        .into_iter()
        .map(|m| m == qrcode::Color::Dark)
        .collect();
    Ok((n, grid))
}

/// The symbol before masking: the canvas, its width, and per module whether
/// it is dark and whether it is a data module (masked) or a function pattern.
///
/// The 8 masks are scored on plain grids: data modules XOR the mask, function
/// patterns as they are (format information still blank: 30 modules the
/// score ignores). Only the winner goes through `apply_mask`, which also
/// writes the format information.
#[allow(clippy::type_complexity)]
fn unmasked(payload: &str) -> Result<(Canvas, usize, Vec<bool>, Vec<bool>)> {
    let err = |e: qrcode::types::QrError| DocError::Qr(e.to_string());
    let ec_level = EcLevel::M;
    let bits = encode(payload.as_bytes(), ec_level).map_err(err)?;
    let version = bits.version();
    let data = bits.into_bytes();
    let (encoded, ec_data) = ec::construct_codewords(&data, version, ec_level).map_err(err)?;
    let mut canvas = Canvas::new(version, ec_level);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&encoded, &ec_data);
    let n = version.width() as usize;
    let mut dark = vec![false; n * n];
    let mut data = vec![false; n * n];
    for y in 0..n {
        for x in 0..n {
            let m = canvas.get(x as i16, y as i16);
            dark[y * n + x] = m.is_dark();
            data[y * n + x] = matches!(m, Module::Unmasked(_));
        }
    }
    Ok((canvas, n, dark, data))
}

/// The payload's data bits at the smallest version. A payload written only in the QR alphanumeric
/// set (an `OCOP2` code, Base45) is one alphanumeric segment: the crate's optimiser splits out runs
/// of digits, whose mode switches can cost a version (seen: a 261-character code made version 10
/// instead of 9). Anything else goes through the crate's own segmentation.
fn encode(payload: &[u8], ec_level: EcLevel) -> qrcode::types::QrResult<bits::Bits> {
    const ALPHANUMERIC: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    let auto = bits::encode_auto(payload, ec_level)?;
    if !payload.iter().all(|b| ALPHANUMERIC.contains(b)) {
        return Ok(auto);
    }
    for v in 1..auto.version().width().saturating_sub(17) / 4 + 1 {
        let mut one = bits::Bits::new(qrcode::Version::Normal(v));
        if one.push_alphanumeric_data(payload).is_ok() && one.push_terminator(ec_level).is_ok() {
            return Ok(one);
        }
    }
    Ok(auto)
}

/// Mask pattern `k` (same order and formulas as [`MASKS`]) at column x, row y.
fn mask_bit(k: usize, x: usize, y: usize) -> bool {
    match k {
        0 => (x + y).is_multiple_of(2),
        1 => y.is_multiple_of(2),
        2 => x.is_multiple_of(3),
        3 => (x + y).is_multiple_of(3),
        4 => (x / 3 + y / 2).is_multiple_of(2),
        5 => (x * y) % 2 + (x * y) % 3 == 0,
        6 => ((x * y) % 2 + (x * y) % 3).is_multiple_of(2),
        _ => ((x + y) % 2 + (x * y) % 3).is_multiple_of(2),
    }
}

/// Lines as bit masks: module i of the line on bit len-1-i.
fn to_bits(line: impl Iterator<Item = bool>) -> u128 {
    line.fold(0u128, |acc, d| (acc << 1) | u128::from(d))
}

/// Index of the mask with the lowest penalty, all in 128-bit masks (symbols
/// up to 128 modules wide, versions 1–27). Every mask pattern repeats with a
/// period dividing 12 in x and in y, so a masked row is
/// `dark ^ (data & row_mask[k][y % 12])`: O(n) work per mask.
fn best_mask_bits(dark: &[bool], data: &[bool], n: usize) -> usize {
    let row = |g: &[bool], y: usize| to_bits((0..n).map(|x| g[y * n + x]));
    let col = |g: &[bool], x: usize| to_bits((0..n).map(|y| g[y * n + x]));
    let (dark_rows, data_rows): (Vec<u128>, Vec<u128>) =
        (0..n).map(|y| (row(dark, y), row(data, y))).unzip();
    let (dark_cols, data_cols): (Vec<u128>, Vec<u128>) =
        (0..n).map(|x| (col(dark, x), col(data, x))).unzip();
    let mut rows = vec![0u128; n];
    let mut cols = vec![0u128; n];
    let mut best = (u32::MAX, 0usize);
    for k in 0..MASKS.len() {
        let row_mask: [u128; 12] =
            std::array::from_fn(|r| to_bits((0..n).map(|x| mask_bit(k, x, r))));
        let col_mask: [u128; 12] =
            std::array::from_fn(|c| to_bits((0..n).map(|y| mask_bit(k, c, y))));
        for i in 0..n {
            rows[i] = dark_rows[i] ^ (data_rows[i] & row_mask[i % 12]);
            cols[i] = dark_cols[i] ^ (data_cols[i] & col_mask[i % 12]);
        }
        let p = penalty_bits(&rows, &cols, n);
        if p < best.0 {
            best = (p, k);
        }
    }
    best.1
}

/// [`best_mask_bits`] module by module (any width).
fn best_mask_scalar(dark: &[bool], data: &[bool], n: usize) -> usize {
    let mut grid = vec![false; n * n];
    let mut best = (u32::MAX, 0usize);
    for k in 0..MASKS.len() {
        for y in 0..n {
            for x in 0..n {
                let i = y * n + x;
                grid[i] = dark[i] ^ (data[i] && mask_bit(k, x, y));
            }
        }
        let p = penalty_scalar(&grid, n);
        if p < best.0 {
            best = (p, k);
        }
    }
    best.1
}

/// Penalty (rules N1–N4) of a symbol given as row and column bit masks
/// (n <= 128). The bit order within a line does not matter: the rules are
/// symmetric (N3 checks the pattern and its mirror) and all rows share it.
fn penalty_bits(rows: &[u128], cols: &[u128], n: usize) -> u32 {
    let low = |k: usize| -> u128 {
        if k >= 128 {
            !0
        } else {
            (1u128 << k) - 1
        }
    };
    const P1: [bool; 11] = [
        true, false, true, true, true, false, true, false, false, false, false,
    ];
    let mut score = 0u32;
    for &line in rows.iter().chain(cols.iter()) {
        // N1: e has bit x set when modules x and x+1 match; r4 when x..x+4
        // all match. A run of length L >= 5 sets L - 4 bits of r4 and costs
        // L - 2 = (L - 4) + 2.
        let e = !(line ^ (line >> 1)) & low(n - 1);
        let r4 = e & (e >> 1) & (e >> 2) & (e >> 3);
        score += r4.count_ones() + 2 * (r4 & !(r4 << 1)).count_ones();
        // N3: 10111010000 and its mirror at every start x <= n - 11.
        if n >= 11 {
            let (mut m1, mut m2) = (low(n - 10), low(n - 10));
            for (k, &p) in P1.iter().enumerate() {
                let shifted = line >> k;
                m1 &= if p { shifted } else { !shifted };
                m2 &= if P1[10 - k] { shifted } else { !shifted };
            }
            score += 40 * (m1.count_ones() + m2.count_ones());
        }
    }
    // N2: 2×2 blocks of one colour.
    for y in 0..n - 1 {
        let (a, b) = (rows[y], rows[y + 1]);
        let block = !(a ^ (a >> 1)) & !(b ^ (b >> 1)) & !(a ^ b) & low(n - 1);
        score += 3 * block.count_ones();
    }
    // N4: balance of dark modules.
    let dark: u32 = rows.iter().map(|r| r.count_ones()).sum();
    let pct = dark * 100 / (n * n) as u32;
    score + pct.abs_diff(50) / 5 * 10
}

/// Penalty (rules N1–N4) of a masked symbol, module by module.
fn penalty_scalar(g: &[bool], n: usize) -> u32 {
    // Columns as rows of the transposed grid, so that rows and columns are
    // scanned by the same code.
    let mut t = vec![false; n * n];
    for y in 0..n {
        for x in 0..n {
            t[x * n + y] = g[y * n + x];
        }
    }
    let mut score = 0u32;
    for line in g.chunks_exact(n).chain(t.chunks_exact(n)) {
        // N1: runs of 5+ same-colour modules.
        let mut run = 1u32;
        for k in 1..n {
            if line[k] == line[k - 1] {
                run += 1;
            } else {
                if run >= 5 {
                    score += run - 2;
                }
                run = 1;
            }
        }
        if run >= 5 {
            score += run - 2;
        }
        // N3: 1:1:3:1:1 finder-like patterns with 4 light modules on one
        // side, found with an 11-bit sliding window.
        let mut window = 0u32;
        for (k, &d) in line.iter().enumerate() {
            window = ((window << 1) | u32::from(d)) & 0x7FF;
            if k >= 10 && (window == 0b101_1101_0000 || window == 0b000_0101_1101) {
                score += 40;
            }
        }
    }
    // N2: 2×2 blocks of one colour.
    for y in 0..n - 1 {
        let (r0, r1) = (&g[y * n..(y + 1) * n], &g[(y + 1) * n..(y + 2) * n]);
        for x in 0..n - 1 {
            let c = r0[x];
            if r0[x + 1] == c && r1[x] == c && r1[x + 1] == c {
                score += 3;
            }
        }
    }
    // N4: balance of dark modules.
    let dark = g.iter().filter(|&&d| d).count() as u32;
    let pct = dark * 100 / (n * n) as u32;
    score + pct.abs_diff(50) / 5 * 10
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(g: &[bool], n: usize) -> (Vec<u128>, Vec<u128>) {
        let rows = (0..n)
            .map(|y| to_bits((0..n).map(|x| g[y * n + x])))
            .collect();
        let cols = (0..n)
            .map(|x| to_bits((0..n).map(|y| g[y * n + x])))
            .collect();
        (rows, cols)
    }

    #[test]
    fn same_symbol_size_as_the_crate() {
        let payload = "OCOP1.TH-2026-0117.4.20291130.MEUCIQDx7Hq3b2VwZkYtcm91bmQt";
        let (n, grid) = modules(payload).unwrap();
        let reference = qrcode::QrCode::with_error_correction_level(payload, EcLevel::M).unwrap();
        assert_eq!(n, reference.width());
        assert_eq!(grid.len(), n * n);
        // Finder pattern corners are dark.
        assert!(grid[0] && grid[n - 1] && grid[(n - 1) * n]);
    }

    #[test]
    fn penalty_counts_runs_blocks_and_finders() {
        // 11 x 11 all light: N1 = 22 lines x (11 - 2), N2 = 100 x 3,
        // N4 = 50 % off balance -> 100.
        let g = vec![false; 121];
        assert_eq!(penalty_scalar(&g, 11), 22 * 9 + 100 * 3 + 100);
        let (rows, cols) = lines(&g, 11);
        assert_eq!(penalty_bits(&rows, &cols, 11), 22 * 9 + 100 * 3 + 100);
        // One row holding the finder-like pattern 10111010000.
        let mut g = vec![false; 121];
        for (k, d) in [1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0].iter().enumerate() {
            g[5 * 11 + k] = *d == 1;
        }
        let with = penalty_scalar(&g, 11);
        g[5 * 11] = false;
        let without = penalty_scalar(&g, 11);
        assert!(with >= without + 40 - 10, "{with} vs {without}");
    }

    #[test]
    fn bit_parallel_penalty_matches_scalar() {
        // Pseudo-random grids of several sizes, plus real symbols.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for n in [11usize, 21, 37, 57, 101, 128] {
            for _ in 0..20 {
                let g: Vec<bool> = (0..n * n)
                    .map(|_| {
                        seed ^= seed << 13;
                        seed ^= seed >> 7;
                        seed ^= seed << 17;
                        seed.is_multiple_of(3)
                    })
                    .collect();
                let (rows, cols) = lines(&g, n);
                assert_eq!(
                    penalty_bits(&rows, &cols, n),
                    penalty_scalar(&g, n),
                    "n = {n}"
                );
            }
        }
        let (n, g) = modules("OCOP1.TH-2026-0117.4.20291130").unwrap();
        let (rows, cols) = lines(&g, n);
        assert_eq!(penalty_bits(&rows, &cols, n), penalty_scalar(&g, n));
    }

    #[test]
    fn bit_parallel_mask_choice_matches_scalar() {
        for payload in [
            "OCOP1.TH-2026-0117.4.20291130.MEUCIQDx7Hq3b2VwZkYtcm91bmQt",
            "OCOP|v1|round=TH-2026-2|member=Trần Văn Nam|product=TH-2026-0117",
            &"Chè xanh Bình Sơn ".repeat(20),
        ] {
            let (_, n, dark, data) = unmasked(payload).unwrap();
            assert_eq!(
                best_mask_bits(&dark, &data, n),
                best_mask_scalar(&dark, &data, n),
                "{payload}"
            );
        }
    }

    #[test]
    fn mask_formulas_match_the_crate() {
        let ec_level = EcLevel::M;
        let bits = bits::encode_auto(b"OCOP mask check", ec_level).unwrap();
        let version = bits.version();
        let data = bits.into_bytes();
        let (encoded, ec_data) = ec::construct_codewords(&data, version, ec_level).unwrap();
        let mut canvas = Canvas::new(version, ec_level);
        canvas.draw_all_functional_patterns();
        canvas.draw_data(&encoded, &ec_data);
        let n = version.width() as usize;
        for (k, mask) in MASKS.iter().enumerate() {
            let mut c = canvas.clone();
            c.apply_mask(*mask);
            for y in 0..n {
                for x in 0..n {
                    let before = canvas.get(x as i16, y as i16);
                    if let Module::Unmasked(_) = before {
                        let after = c.get(x as i16, y as i16);
                        assert_eq!(
                            after.is_dark(),
                            before.is_dark() ^ mask_bit(k, x, y),
                            "mask {k} at ({x}, {y})"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn an_alphanumeric_payload_is_one_segment_at_the_smallest_version() {
        // 261 characters with a run of digits that the crate's optimiser encodes apart.
        let code = "OCOP2:H0NL56%TV.JEDT0046X7FPODLH8E46W.21416361.G4D3622CL6./67FA9AI1ZAB+93W5+979UA4/DC446OST7LR446OS0SKNPCCECG7D1-90BDQILQV37OS5GJ2QD4/DC44S3E4/DZ34E5P7OS:SJL446OS:7M2NLNRV*CQDIKR*9 M2+%VD1GS42J7HG/SDNU7-VMJMGPQFF17S8TOLBRN9WNEYS5K5UHQL:0KOS.TL ICTYQ3S1-$56XQ:L9";
        assert_eq!(code.len(), 261);
        let auto = bits::encode_auto(code.as_bytes(), EcLevel::M).unwrap();
        assert_eq!(auto.version(), qrcode::Version::Normal(10));
        let (n, _) = modules(code).unwrap();
        assert_eq!(n, 53, "version 9");
        // Other text keeps the crate's segmentation.
        let (n, _) = modules("Chè xanh Bình Sơn").unwrap();
        assert_eq!(
            n,
            qrcode::QrCode::with_error_correction_level("Chè xanh Bình Sơn", EcLevel::M)
                .unwrap()
                .width()
        );
    }

    #[test]
    fn too_long_is_an_error() {
        assert!(modules(&"x".repeat(5000)).is_err());
    }
}
