//! Text helpers shared by search, storage and printing.

use unicode_normalization::UnicodeNormalization;

/// NFC form: what is stored and printed.
pub fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// A search key: lower case, Vietnamese diacritics removed, đ → d, spaces folded.
/// "Trà" and "tra" give the same key.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        match c {
            'đ' | 'Đ' => out.push('d'),
            c => out.extend(c.to_lowercase()),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Decodes `%XX` escapes (as `encodeURIComponent` writes them) into UTF-8 text.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `2026-11-23` → `23/11/2026` (tables); anything else is returned unchanged.
pub fn dmy(iso: &str) -> String {
    match chrono::NaiveDate::parse_from_str(iso.get(..10).unwrap_or(iso), "%Y-%m-%d") {
        Ok(d) => d.format("%d/%m/%Y").to_string(),
        Err(_) => iso.to_string(),
    }
}

/// `2026-11-23` → `ngày 23 tháng 11 năm 2026` (prose on papers).
pub fn vn_long_date(iso: &str) -> String {
    match chrono::NaiveDate::parse_from_str(iso.get(..10).unwrap_or(iso), "%Y-%m-%d") {
        Ok(d) => {
            use chrono::Datelike;
            // Decree 30/2020: days below 10 and months 1, 2 take a leading zero.
            let month = if d.month() <= 2 {
                format!("{:02}", d.month())
            } else {
                d.month().to_string()
            };
            format!("ngày {:02} tháng {month} năm {}", d.day(), d.year())
        }
        Err(_) => iso.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_removes_diacritics() {
        assert_eq!(fold("Trà  Shan tuyết"), "tra shan tuyet");
        assert_eq!(fold("ĐẶC SẢN Đồng Nai"), "dac san dong nai");
        assert_eq!(fold(&nfc("Hợp tác xã")), fold("Hop tac xa"));
    }

    #[test]
    fn percent_decoding_gives_back_vietnamese_names() {
        assert_eq!(
            percent_decode("Phi%E1%BA%BFu%20%C4%91%C4%83ng%20k%C3%BD.pdf"),
            "Phiếu đăng ký.pdf"
        );
        assert_eq!(percent_decode("100%"), "100%");
    }

    #[test]
    fn dates_follow_the_administrative_format() {
        assert_eq!(vn_long_date("2026-11-23"), "ngày 23 tháng 11 năm 2026");
        assert_eq!(vn_long_date("2026-02-05"), "ngày 05 tháng 02 năm 2026");
        assert_eq!(vn_long_date("2026-03-09"), "ngày 09 tháng 3 năm 2026");
        assert_eq!(dmy("2026-03-09"), "09/03/2026");
    }
}
