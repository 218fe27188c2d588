//! Reading QR codes from a photo or a scan (PNG or JPEG), pure Rust and offline on every platform:
//! `image` decodes, `rqrr` finds and reads the codes. A crate of its own so that it is compiled
//! fully optimised in every profile (`Cargo.toml`): `image`'s and `rqrr`'s generic code is
//! instantiated here, and unoptimised it takes seconds a page. `ocop-docs::scan` uses it to verify
//! a certificate from its picture (`ocop verify --image`, the Verify screen).

/// Why an image gave no code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanError {
    /// Not a PNG or JPEG we can decode; the decoder's reason.
    Image(String),
}

/// The text of every QR code found in the image, in the order found (none is not an error).
pub fn qr_texts(bytes: &[u8]) -> Result<Vec<String>, ScanError> {
    use image::imageops::{self, FilterType};
    let img = image::load_from_memory(bytes)
        .map_err(|e| ScanError::Image(e.to_string()))?
        .to_luma8();
    let (w, h) = img.dimensions();
    // Tried in turn until one gives a code; the cheap ones first.
    // 1. As it is: a scan at 150 dpi or more.
    // 2. Halved: a phone photo, large, whose modules are many pixels wide (rqrr's finder does better).
    // 3. Doubled (Catmull-Rom) and sharpened: a low-resolution or poor scan (100 dpi, a blurred or
    //    JPEG copy), where the finder patterns' one-module rings are only two or three pixels wide
    //    and rqrr finds no code at all. Measured on 40 certificates: at 100 dpi none read as they
    //    are and all read this way; blurred, turned JPEGs went from 12 to 40 (tests/qr_scan.rs).
    //    Only for pictures up to about an A4 page at 200 dpi, which it quadruples.
    let steps: [&dyn Fn() -> Option<image::GrayImage>; 3] = [
        &|| Some(img.clone()),
        &|| {
            (w >= 1600 || h >= 1600)
                .then(|| imageops::resize(&img, w / 2, h / 2, FilterType::Triangle))
        },
        &|| {
            (u64::from(w) * u64::from(h) <= 4_500_000).then(|| {
                let up = imageops::resize(&img, w * 2, h * 2, FilterType::CatmullRom);
                imageops::unsharpen(&up, 1.0, 5)
            })
        },
    ];
    let mut out = Vec::new();
    for step in steps {
        let Some(gray) = step() else { continue };
        let (gw, gh) = (gray.width() as usize, gray.height() as usize);
        let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(gw, gh, |x, y| {
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
