//! Reading QR codes from a photo or a scan (PNG or JPEG): what `ocop verify --image` checks when no
//! text was copied from the code. Pure Rust (`image` decodes, `rqrr` finds and reads the codes), so
//! it works offline on every platform.

/// Why an image gave no code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanError {
    /// Not a PNG or JPEG we can decode; the decoder's reason.
    Image(String),
}

/// The text of every QR code found in the image, in the order found (none is not an error).
pub fn qr_texts(bytes: &[u8]) -> Result<Vec<String>, ScanError> {
    let img = image::load_from_memory(bytes)
        .map_err(|e| ScanError::Image(e.to_string()))?
        .to_luma8();
    let mut out = Vec::new();
    for scale in [1u32, 2] {
        // A phone photo can be large and its code's modules many pixels wide: a halved copy helps
        // rqrr's finder there; the full size goes first for scans.
        let gray = if scale == 1 {
            img.clone()
        } else {
            image::imageops::resize(
                &img,
                (img.width() / scale).max(1),
                (img.height() / scale).max(1),
                image::imageops::FilterType::Triangle,
            )
        };
        let (w, h) = (gray.width() as usize, gray.height() as usize);
        let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| {
            gray.get_pixel(x as u32, y as u32).0[0]
        });
        for grid in prepared.detect_grids() {
            if let Ok((_, text)) = grid.decode() {
                if !out.contains(&text) {
                    out.push(text);
                }
            }
        }
        if !out.is_empty() {
            break;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png_of_qr(text: &str, module_px: u32) -> Vec<u8> {
        let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M).unwrap();
        let modules = code.to_colors();
        let n = code.width() as u32;
        let quiet = 4;
        let size = (n + 2 * quiet) * module_px;
        let img = image::GrayImage::from_fn(size, size, |x, y| {
            let (mx, my) = (x / module_px, y / module_px);
            let dark = mx >= quiet
                && my >= quiet
                && mx < n + quiet
                && my < n + quiet
                && modules[((my - quiet) * n + (mx - quiet)) as usize] == qrcode::Color::Dark;
            image::Luma([if dark { 0 } else { 255 }])
        });
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn reads_a_code_from_a_png_and_refuses_what_is_not_an_image() {
        let text = "OCOP1.eyJ0ZXN0IjoiR2nhuqV5IGNo4bupbmcgbmjhuq1uIn0.c2lnbmF0dXJl";
        assert_eq!(
            qr_texts(&png_of_qr(text, 4)).unwrap(),
            vec![text.to_string()]
        );
        let blank = {
            let img = image::GrayImage::from_pixel(200, 200, image::Luma([255]));
            let mut out = std::io::Cursor::new(Vec::new());
            img.write_to(&mut out, image::ImageFormat::Png).unwrap();
            out.into_inner()
        };
        assert_eq!(qr_texts(&blank).unwrap(), Vec::<String>::new());
        assert!(matches!(
            qr_texts(b"%PDF-1.4 not an image"),
            Err(ScanError::Image(_))
        ));
    }
}
