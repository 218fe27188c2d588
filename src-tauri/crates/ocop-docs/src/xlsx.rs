//! Excel exports (rust_xlsxwriter): numbers stay numbers, dates are real
//! dates, headers are in Vietnamese.

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet};

use crate::error::{DocError, Result};
use crate::model::{dd_mm_yyyy, DecisionDoc, SummaryDoc};
use crate::nfc;

/// Row index of the header row in both exports (0-based).
pub const XLSX_HEADER_ROW: u32 = 4;

pub(crate) struct Formats {
    pub(crate) title: Format,
    pub(crate) subtitle: Format,
    pub(crate) head: Format,
    pub(crate) text: Format,
    pub(crate) int: Format,
    pub(crate) dec2: Format,
    pub(crate) date: Format,
    pub(crate) label: Format,
}

pub(crate) fn formats() -> Formats {
    let cell = Format::new()
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter);
    Formats {
        title: Format::new()
            .set_bold()
            .set_font_size(14)
            .set_align(FormatAlign::Center),
        subtitle: Format::new().set_italic().set_align(FormatAlign::Center),
        head: cell
            .clone()
            .set_bold()
            .set_align(FormatAlign::Center)
            .set_background_color("#E6E6E6"),
        text: cell.clone(),
        int: cell
            .clone()
            .set_num_format("0")
            .set_align(FormatAlign::Center),
        dec2: cell
            .clone()
            .set_num_format("0.00")
            .set_align(FormatAlign::Center),
        date: cell
            .clone()
            .set_num_format("dd/mm/yyyy")
            .set_align(FormatAlign::Center),
        label: Format::new().set_bold(),
    }
}

pub(crate) fn excel_date(d: NaiveDate) -> Result<ExcelDateTime> {
    let year = u16::try_from(d.year()).map_err(|_| DocError::InvalidDate(dd_mm_yyyy(d)))?;
    Ok(ExcelDateTime::from_ymd(
        year,
        d.month() as u8,
        d.day() as u8,
    )?)
}

pub(crate) fn widths(ws: &mut Worksheet, w: &[f64]) -> Result<()> {
    for (i, w) in w.iter().enumerate() {
        ws.set_column_width(i as u16, *w)?;
    }
    Ok(())
}

/// Bảng tổng hợp as an Excel workbook (one sheet, "Tổng hợp").
///
/// Columns: TT, Tên sản phẩm, Chủ thể, Bộ sản phẩm, one column per member
/// (blank when the member did not score), Điểm trung bình (0.00),
/// Chênh lệch (0.00), Vượt ±10 ("Có" or blank), Hạng sao theo điểm,
/// Hạng sao công nhận, Kết quả. The header is row 5 (index [`XLSX_HEADER_ROW`]).
pub fn summary_xlsx(doc: &SummaryDoc) -> Result<Vec<u8>> {
    let n = doc.members.len();
    for r in &doc.rows {
        if r.scores.len() != n {
            return Err(DocError::ScoreCount {
                product: r.product_name.clone(),
                got: r.scores.len(),
                expected: n,
            });
        }
    }
    let f = formats();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Tổng hợp")?;
    let ncols = (4 + n + 6) as u16;
    ws.merge_range(
        0,
        0,
        0,
        ncols - 1,
        "BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP",
        &f.title,
    )?;
    ws.merge_range(1, 0, 1, ncols - 1, &nfc(&doc.round_name), &f.subtitle)?;
    ws.write_string_with_format(2, 1, "Ngày họp", &f.label)?;
    ws.write_datetime_with_format(
        2,
        2,
        excel_date(doc.round_date)?,
        &Format::new().set_num_format("dd/mm/yyyy"),
    )?;
    ws.write_string_with_format(2, 3, "Địa điểm", &f.label)?;
    ws.write_string(2, 4, nfc(&doc.round_place))?;

    let mut head: Vec<String> = ["TT", "Tên sản phẩm", "Chủ thể", "Bộ sản phẩm"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    head.extend(doc.members.iter().map(|m| nfc(m)));
    head.extend(
        [
            "Điểm trung bình",
            "Chênh lệch",
            "Vượt ±10",
            "Hạng sao theo điểm",
            "Hạng sao công nhận",
            "Kết quả",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    for (c, h) in head.iter().enumerate() {
        ws.write_string_with_format(XLSX_HEADER_ROW, c as u16, h, &f.head)?;
    }
    let mut w = vec![5.0, 30.0, 30.0, 24.0];
    w.extend(std::iter::repeat_n(14.0, n));
    w.extend([12.0, 11.0, 9.0, 11.0, 11.0, 30.0]);
    widths(ws, &w)?;
    ws.set_row_height(XLSX_HEADER_ROW, 45)?;

    for (i, r) in doc.rows.iter().enumerate() {
        let row = XLSX_HEADER_ROW + 1 + i as u32;
        ws.write_number_with_format(row, 0, (i + 1) as f64, &f.int)?;
        ws.write_string_with_format(row, 1, nfc(&r.product_name), &f.text)?;
        ws.write_string_with_format(row, 2, nfc(&r.owner_name), &f.text)?;
        ws.write_string_with_format(row, 3, nfc(&r.set_name), &f.text)?;
        let mut c = 4u16;
        for s in &r.scores {
            match s {
                Some(v) => ws.write_number_with_format(row, c, *v, &f.dec2)?,
                None => ws.write_blank(row, c, &f.text)?,
            };
            c += 1;
        }
        match r.mean {
            Some(v) => ws.write_number_with_format(row, c, v, &f.dec2)?,
            None => ws.write_blank(row, c, &f.text)?,
        };
        match r.spread {
            Some(v) => ws.write_number_with_format(row, c + 1, v, &f.dec2)?,
            None => ws.write_blank(row, c + 1, &f.text)?,
        };
        if r.spread_flag {
            ws.write_string_with_format(row, c + 2, "Có", &f.text)?;
        } else {
            ws.write_blank(row, c + 2, &f.text)?;
        }
        for (k, s) in [r.band_star, r.final_star].iter().enumerate() {
            let col = c + 3 + k as u16;
            match s {
                Some(v) => ws.write_number_with_format(row, col, f64::from(*v), &f.int)?,
                None => ws.write_blank(row, col, &f.text)?,
            };
        }
        ws.write_string_with_format(row, c + 5, nfc(&r.outcome), &f.text)?;
    }
    ws.set_freeze_panes(XLSX_HEADER_ROW + 1, 0)?;
    ws.set_landscape();
    Ok(wb.save_to_buffer()?)
}

/// The list attached to a recognition decision as an Excel workbook (one
/// sheet, "Danh sách công nhận"), products grouped by star (5 first).
///
/// Columns: TT, Tên sản phẩm, Chủ thể, Địa chỉ, Bộ sản phẩm, Mã số sản
/// phẩm, Điểm (0.00), Hạng sao, Số quyết định, Ngày quyết định (date).
/// The header is row 5 (index [`XLSX_HEADER_ROW`]).
pub fn recognised_xlsx(doc: &DecisionDoc) -> Result<Vec<u8>> {
    let f = formats();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Danh sách công nhận")?;
    let head = [
        "TT",
        "Tên sản phẩm",
        "Chủ thể",
        "Địa chỉ",
        "Bộ sản phẩm",
        "Mã số sản phẩm",
        "Điểm",
        "Hạng sao",
        "Số quyết định",
        "Ngày quyết định",
    ];
    let last = (head.len() - 1) as u16;
    ws.merge_range(
        0,
        0,
        0,
        last,
        &nfc(&doc.list_title).to_uppercase(),
        &f.title,
    )?;
    ws.merge_range(
        1,
        0,
        1,
        last,
        &format!(
            "(Kèm theo Quyết định số {} ngày {} của {})",
            doc.number,
            dd_mm_yyyy(doc.date),
            nfc(&doc.list_issuer)
        ),
        &f.subtitle,
    )?;
    for (c, h) in head.iter().enumerate() {
        ws.write_string_with_format(XLSX_HEADER_ROW, c as u16, *h, &f.head)?;
    }
    widths(
        ws,
        &[5.0, 30.0, 30.0, 34.0, 24.0, 16.0, 9.0, 9.0, 16.0, 14.0],
    )?;
    ws.set_row_height(XLSX_HEADER_ROW, 30)?;
    let date = excel_date(doc.date)?;
    let mut rows: Vec<_> = doc.list.iter().collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.star));
    for (i, r) in rows.iter().enumerate() {
        let row = XLSX_HEADER_ROW + 1 + i as u32;
        ws.write_number_with_format(row, 0, (i + 1) as f64, &f.int)?;
        ws.write_string_with_format(row, 1, nfc(&r.product_name), &f.text)?;
        ws.write_string_with_format(row, 2, nfc(&r.owner_name), &f.text)?;
        ws.write_string_with_format(row, 3, nfc(&r.owner_address), &f.text)?;
        ws.write_string_with_format(row, 4, nfc(&r.set_name), &f.text)?;
        ws.write_string_with_format(row, 5, nfc(&r.product_code), &f.text)?;
        ws.write_number_with_format(row, 6, r.score, &f.dec2)?;
        ws.write_number_with_format(row, 7, f64::from(r.star), &f.int)?;
        ws.write_string_with_format(row, 8, nfc(&doc.number), &f.text)?;
        ws.write_datetime_with_format(row, 9, &date, &f.date)?;
    }
    ws.set_freeze_panes(XLSX_HEADER_ROW + 1, 0)?;
    ws.set_landscape();
    Ok(wb.save_to_buffer()?)
}
