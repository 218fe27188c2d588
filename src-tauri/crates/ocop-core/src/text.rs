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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_removes_diacritics() {
        assert_eq!(fold("Trà  Shan tuyết"), "tra shan tuyet");
        assert_eq!(fold("ĐẶC SẢN Đồng Nai"), "dac san dong nai");
        assert_eq!(fold(&nfc("Hợp tác xã")), fold("Hop tac xa"));
    }
}
