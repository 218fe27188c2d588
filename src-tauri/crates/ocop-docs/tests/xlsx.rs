//! Excel round trips with calamine: the same values come back, numbers as
//! numbers and dates as dates.

mod common;

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use common::*;
use ocop_docs::*;

fn open(bytes: Vec<u8>, sheet: &str) -> calamine::Range<Data> {
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).expect("xlsx opens");
    assert_eq!(wb.sheet_names(), vec![sheet.to_string()]);
    wb.worksheet_range(sheet).expect("sheet")
}

fn cell(r: &calamine::Range<Data>, row: u32, col: u32) -> Data {
    r.get_value((row, col)).cloned().unwrap_or(Data::Empty)
}

fn num(d: &Data) -> f64 {
    match d {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("not a number: {other:?}"),
    }
}

fn date_of(d: &Data) -> chrono::NaiveDate {
    match d {
        Data::DateTime(dt) => dt.as_datetime().expect("date").date(),
        other => panic!("not a date: {other:?}"),
    }
}

#[test]
fn summary_xlsx_round_trip() {
    let doc = summary(7);
    let r = open(summary_xlsx(&doc).unwrap(), "Tổng hợp");
    let h = XLSX_HEADER_ROW;
    assert_eq!(
        cell(&r, 0, 0),
        Data::String("BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP".into())
    );
    assert_eq!(cell(&r, 1, 0), Data::String(doc.round_name.clone()));
    assert_eq!(date_of(&cell(&r, 2, 2)), doc.round_date);
    let heads: Vec<String> = (0..(4 + 7 + 6))
        .map(|c| cell(&r, h, c).to_string())
        .collect();
    assert_eq!(heads[..4], ["TT", "Tên sản phẩm", "Chủ thể", "Bộ sản phẩm"]);
    assert_eq!(heads[5], "Nguyễn Thị Hường");
    assert_eq!(heads[11], "Điểm trung bình");
    assert_eq!(heads[16], "Kết quả");
    for (i, row) in doc.rows.iter().enumerate() {
        let y = h + 1 + i as u32;
        assert_eq!(num(&cell(&r, y, 0)), (i + 1) as f64);
        assert_eq!(cell(&r, y, 1), Data::String(row.product_name.clone()));
        assert_eq!(cell(&r, y, 2), Data::String(row.owner_name.clone()));
        for (m, s) in row.scores.iter().enumerate() {
            match s {
                Some(v) => assert!((num(&cell(&r, y, 4 + m as u32)) - v).abs() < 1e-9),
                None => assert_eq!(cell(&r, y, 4 + m as u32), Data::Empty),
            }
        }
        assert!((num(&cell(&r, y, 11)) - row.mean.unwrap()).abs() < 1e-9);
        assert!((num(&cell(&r, y, 12)) - row.spread.unwrap()).abs() < 1e-9);
        let flag = if row.spread_flag {
            Data::String("Có".into())
        } else {
            Data::Empty
        };
        assert_eq!(cell(&r, y, 13), flag);
        assert_eq!(num(&cell(&r, y, 14)), f64::from(row.band_star.unwrap()));
        match row.final_star {
            Some(s) => assert_eq!(num(&cell(&r, y, 15)), f64::from(s)),
            None => assert_eq!(cell(&r, y, 15), Data::Empty),
        }
        assert_eq!(cell(&r, y, 16), Data::String(row.outcome.clone()));
    }
    // The recused member's empty cell is really empty.
    assert_eq!(cell(&r, h + 1, 6), Data::Empty);
}

#[test]
fn recognised_xlsx_round_trip() {
    let doc = decision();
    let r = open(recognised_xlsx(&doc).unwrap(), "Danh sách công nhận");
    let h = XLSX_HEADER_ROW;
    assert_eq!(
        cell(&r, 0, 0),
        Data::String("DANH SÁCH SẢN PHẨM ĐẠT CHUẨN OCOP TỈNH THANH HÓA NĂM 2026 (ĐỢT 2)".into())
    );
    assert_eq!(cell(&r, h, 1), Data::String("Tên sản phẩm".into()));
    assert_eq!(cell(&r, h, 9), Data::String("Ngày quyết định".into()));
    // Sorted by star, 4 before 3, stable within a star.
    let expect: Vec<&RecognisedRow> = {
        let mut v: Vec<_> = doc.list.iter().collect();
        v.sort_by_key(|r| std::cmp::Reverse(r.star));
        v
    };
    for (i, row) in expect.iter().enumerate() {
        let y = h + 1 + i as u32;
        assert_eq!(cell(&r, y, 1), Data::String(row.product_name.clone()));
        assert_eq!(cell(&r, y, 2), Data::String(row.owner_name.clone()));
        assert_eq!(cell(&r, y, 3), Data::String(row.owner_address.clone()));
        assert_eq!(cell(&r, y, 5), Data::String(row.product_code.clone()));
        assert!((num(&cell(&r, y, 6)) - row.score).abs() < 1e-9);
        assert_eq!(num(&cell(&r, y, 7)), f64::from(row.star));
        assert_eq!(cell(&r, y, 8), Data::String("125/QĐ-UBND".into()));
        assert_eq!(date_of(&cell(&r, y, 9)), doc.date);
    }
    assert_eq!(r.height() as u32, h + 1 + expect.len() as u32);
}

#[test]
fn xlsx_normalises_nfd_to_nfc() {
    use unicode_normalization::UnicodeNormalization;
    let mut doc = decision();
    doc.list[0].product_name = "Chè xanh Bình Sơn".nfd().collect();
    let r = open(recognised_xlsx(&doc).unwrap(), "Danh sách công nhận");
    assert_eq!(
        cell(&r, XLSX_HEADER_ROW + 1, 1),
        Data::String("Chè xanh Bình Sơn".into())
    );
}
